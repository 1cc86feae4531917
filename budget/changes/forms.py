"""Forms for requesting a budget change: its kind, date and reason, and a few legs (line, amount)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from budget.changes.services import Leg
from budget.core.amounts import parse_amount
from budget.core.models import BudgetChange, BudgetLine
from budget.core.terms import term


class ChangeForm(forms.Form):
    kind = forms.ChoiceField(label=_("종류"), choices=BudgetChange.Kind.choices)
    effective_date = forms.DateField(label=_("기준일"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("사유"), max_length=300)
    reference = forms.CharField(label=_("근거(승인번호 등)"), max_length=100, required=False)


class LegForm(forms.Form):
    line = forms.TypedChoiceField(label=_("예산 라인"), coerce=int, required=False, empty_value=None)
    amount = forms.CharField(label=_("금액(원)"), required=False, max_length=40)

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].choices = [("", "—")] + [
            (line.pk, f"{line.code} · {line.name} ({term(line.account.name)})") for line in lines
        ]

    def clean_amount(self):
        try:
            return parse_amount(self.cleaned_data.get("amount"))
        except ValidationError as error:
            raise ValidationError(error.messages) from error


LegFormSet = forms.formset_factory(LegForm, extra=4, max_num=12)


def legs_from(formset) -> list[Leg]:
    """The filled rows of a valid formset; a row with a line and no amount (or the reverse) is an error."""
    legs = []
    for form in formset:
        line, amount = form.cleaned_data.get("line"), form.cleaned_data.get("amount") or 0
        if line is None and not amount:
            continue
        if line is None:
            form.add_error("line", _("금액을 적은 행에는 예산 라인을 골라야 합니다."))
            continue
        legs.append(Leg(line, amount))
    return legs


def year_lines(year: int):
    return BudgetLine.objects.for_year(year).select_related("account").order_by("account__side", "order", "code")
