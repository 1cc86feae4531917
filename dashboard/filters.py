"""The dashboard's choices (year, as-of month, team, nature) as a django-filter FilterSet over budget lines.

The URL carries every choice, so a view can be bookmarked and shared. Year, team and nature narrow the
lines; the as-of month is not a filter on lines but the month the ledger sums through.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budget.models import Account, BudgetLine, FiscalYear
from budget.views import parse_as_of
from foundation.models import OrgUnit


class NameChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return getattr(obj, "name", str(obj))


class NameChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = NameChoiceField


class PeriodForm(forms.Form):
    """Checks that the as-of month lies in the chosen year; the month is kept as `self.month` (not in
    cleaned_data, where django-filter would look for a filter of that name)."""

    month: int | None = None

    def clean(self):
        cleaned = super().clean()
        fiscal_year, as_of = cleaned.get("year"), cleaned.get("as_of")
        if fiscal_year is not None and as_of:
            month, error = parse_as_of(as_of, fiscal_year.year)
            if error:
                self.add_error("as_of", error)
            else:
                self.month = month
        return cleaned


def month_choices(year: int) -> list[tuple[str, str]]:
    return [(f"{year}-{m:02d}", _("%(year)s년 %(month)s월") % {"year": year, "month": m}) for m in range(1, 13)]


class DashboardFilter(django_filters.FilterSet):
    year = django_filters.ModelChoiceFilter(
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
        self.filters["as_of"].extra["choices"] = month_choices(int(year)) if year.isdigit() else []
        for name in ("year", "as_of", "team", "nature"):
            self.filters[name].extra["widget"] = forms.Select(attrs={"data-autosubmit": ""})

    def keep(self, queryset, name, value):
        return queryset

    @property
    def narrowed(self) -> bool:
        """Whether team or nature leaves out some of the year's lines."""
        data = self.form.cleaned_data
        return bool(data.get("team") or data.get("nature"))
