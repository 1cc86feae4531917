from django import forms
from django.utils.translation import gettext as _

from budget.core.forms import LineAmountsForm
from budget.plans.sheet import PlanEntry, PlanSheet


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
