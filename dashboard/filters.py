"""The dashboard's choices (year, as-of month, team, nature) as a django-filter FilterSet over budget lines.

The URL carries every choice, so a view can be bookmarked and shared. Year, team and nature narrow the
lines; the as-of month is not a filter on lines but the month the ledger sums through.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budget.core.models import Account, BudgetLine, FiscalYear
from budget.core.periods import offered_months, parse_as_of
from foundation.models import OrgUnit


class ListedChoices(ModelChoiceIterator):
    """The choices from one plain query, its rows kept for the next time they are drawn.

    Django's iterator() would open a server-side cursor on PostgreSQL (DECLARE, FETCH, CLOSE) for a list of
    a dozen years, teams or natures, and open it again each time the form reads its choices.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ListedChoiceField(forms.ModelChoiceField):
    iterator = ListedChoices


class NameChoiceField(ListedChoiceField):
    def label_from_instance(self, obj):
        return getattr(obj, "name", str(obj))


class ListedChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ListedChoiceField


class NameChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = NameChoiceField


class PeriodForm(forms.Form):
    """Checks that the as-of month lies in the chosen year; the month is kept as `self.month` (not in
    cleaned_data, where django-filter would look for a filter of that name)."""

    month: int | None = None

    offered: range | None = None  # the year's months with figures, set by the filter

    def clean(self):
        cleaned = super().clean()
        fiscal_year = cleaned.get("year")
        # A month that is not among the choices gets the reason it is not, not the generic "not a choice".
        as_of = cleaned.get("as_of") or self.data.get("as_of")
        if fiscal_year is not None and as_of:
            month, error = parse_as_of(as_of, fiscal_year.year, self.offered)
            if error:
                self.errors.pop("as_of", None)
                self.add_error("as_of", error)
            else:
                self.month = month
        return cleaned


def month_choices(year: int, offered: range) -> list[tuple[str, str]]:
    """The months the year has figures for: a month before its first budget figure is not offered."""
    return [(f"{year}-{m:02d}", _("%(year)s년 %(month)s월") % {"year": year, "month": m}) for m in offered]


class DashboardFilter(django_filters.FilterSet):
    year = ListedChoiceFilter(
        label=gettext_lazy("회계연도"),
        field_name="fiscal_year",
        queryset=FiscalYear.objects.order_by("-year"),
        required=True,
        empty_label=None,
    )
    as_of = django_filters.ChoiceFilter(label=gettext_lazy("기준월"), method="keep", required=True, empty_label=None)
    team = NameChoiceFilter(
        label=gettext_lazy("담당 팀"),
        field_name="program__owner_team",
        queryset=OrgUnit.objects.filter(kind=OrgUnit.Kind.TEAM).order_by("order", "name"),
        empty_label=gettext_lazy("전체"),
    )
    nature = NameChoiceFilter(
        label=gettext_lazy("성질"),
        field_name="account",
        queryset=Account.objects.filter(side=Account.Side.EXPENDITURE).order_by("order"),
        empty_label=gettext_lazy("전체"),
    )

    class Meta:
        model = BudgetLine
        fields = ["year", "as_of", "team", "nature"]
        form = PeriodForm

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        year = (data or {}).get("year", "")
        # The months offered are the chosen year's; an as_of of another year is refused by the form.
        self.offered = offered_months(int(year)) if year.isdigit() else range(0)
        self.filters["as_of"].extra["choices"] = month_choices(int(year), self.offered) if year.isdigit() else []
        for name in ("year", "as_of", "team", "nature"):
            self.filters[name].extra["widget"] = forms.Select(attrs={"data-autosubmit": ""})

    def keep(self, queryset, name, value):
        return queryset

    def get_form_class(self):
        form = super().get_form_class()
        form.offered = self.offered
        return form

    @property
    def narrowed(self) -> bool:
        """Whether team or nature leaves out some of the year's lines."""
        data = self.form.cleaned_data
        return bool(data.get("team") or data.get("nature"))
