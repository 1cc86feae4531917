"""The sheets as forms: an amount field per line and month (commitment c-<line>, expenditure e-<line>)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .amounts import AmountField
from .entry import MonthSheet
from .plans import PlanEntry, PlanSheet
from .services import Entry


class LineAmountsForm(forms.Form):
    """A sheet's form: each line's commitment and expenditure as `c-<line pk>` and `e-<line pk>`."""

    def add_amounts(self, line, where: str, commitment: int, expenditure: int, *, labels=None, disabled=False):
        commitment_label, expenditure_label = labels or (_("원인행위액"), _("지출액"))
        for prefix, label, initial in (("c", commitment_label, commitment), ("e", expenditure_label, expenditure)):
            self.fields[f"{prefix}-{line.pk}"] = AmountField(
                where=f"{line.name} · {where} · {label}", initial=initial, disabled=disabled
            )

    def amounts(self, line) -> tuple[int, int]:
        return self.cleaned_data[f"c-{line.pk}"], self.cleaned_data[f"e-{line.pk}"]

    def amount_fields(self, line) -> tuple[forms.BoundField, forms.BoundField]:
        return self[f"c-{line.pk}"], self[f"e-{line.pk}"]


class MonthForm(LineAmountsForm):
    """The month sheet: this month's commitment, expenditure and note for every line."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    reason = forms.CharField(required=False, max_length=300)

    def __init__(self, *args, sheet: MonthSheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        self.fields["version"].initial = sheet.version
        where = _("%(year)s년 %(month)s월") % {"year": sheet.year, "month": sheet.month}
        for sheet_line in sheet.lines:
            # A reserve line takes no execution (budget.rules): what a page posts for it is ignored.
            fixed = sheet_line.reserve
            self.add_amounts(sheet_line.line, where, sheet_line.commitment, sheet_line.expenditure, disabled=fixed)
            self.fields[f"n-{sheet_line.line.pk}"] = forms.CharField(
                required=False, max_length=300, initial=sheet_line.note, disabled=fixed
            )

    def entries(self) -> list[Entry]:
        return [
            Entry(
                sheet_line.line.pk,
                *self.amounts(sheet_line.line),
                note=(self.cleaned_data.get(f"n-{sheet_line.line.pk}") or "").strip(),
            )
            for sheet_line in self.sheet.lines
        ]


class PlanMonthForm(LineAmountsForm):
    """One month's plan for every line: planned commitment and expenditure."""

    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)
    reason = forms.CharField(required=False, max_length=300)

    def __init__(self, *args, sheet: PlanSheet, month: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet, self.month = sheet, month
        self.fields["fingerprint"].initial = sheet.fingerprint
        where = _("%(year)s년 %(month)s월 계획") % {"year": sheet.year, "month": month}
        for plan_line in sheet.lines:
            self.add_amounts(plan_line.line, where, *plan_line.month(month))

    def entries(self) -> list[PlanEntry]:
        return [PlanEntry(pl.line.pk, self.month, *self.amounts(pl.line)) for pl in self.sheet.lines]


class ReopenForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("마감 해제 사유"), max_length=300)
