import re

from django import forms
from django.utils.translation import gettext as _

from budget.core.forms import LineAmountsForm
from budget.plans.sheet import PlanEntry, PlanSheet

CELL = re.compile(r"^[ce]-(\d{1,18})$")


class PlanMonthForm(LineAmountsForm):
    """One month's plan for every line: planned commitment and expenditure.

    The page shows a page of lines at a time, so a post names only some cells: every cell it leaves out is
    read as what is stored, and `entries()` are only the lines whose plan for the month differs from it.
    """

    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)
    reason = forms.CharField(required=False, max_length=300)

    def __init__(self, data=None, *, sheet: PlanSheet, month: int, **kwargs):
        self.unknown = []
        if data is not None:
            known = {pl.line.pk for pl in sheet.lines}
            self.unknown = sorted({int(m.group(1)) for key in data if (m := CELL.match(key))} - known)
            stored = {}
            for pl in sheet.lines:
                commitment, expenditure = pl.month(month)
                stored[f"c-{pl.line.pk}"], stored[f"e-{pl.line.pk}"] = f"{commitment:,}", f"{expenditure:,}"
            data = {**stored, **{key: data.get(key) for key in data}}
        super().__init__(data, **kwargs)
        self.sheet, self.month = sheet, month
        self.fields["fingerprint"].initial = sheet.fingerprint
        where = _("%(year)s년 %(month)s월 계획") % {"year": sheet.year, "month": month}
        for plan_line in sheet.lines:
            self.add_amounts(plan_line.line, where, *plan_line.month(month))

    def clean(self):
        cleaned = super().clean()
        if self.unknown:
            raise forms.ValidationError(
                _("%(year)s년 세출 예산에 없는 라인입니다: %(ids)s")
                % {"year": self.sheet.year, "ids": ", ".join(map(str, self.unknown))}
            )
        return cleaned

    def entries(self) -> list[PlanEntry]:
        return [
            PlanEntry(pl.line.pk, self.month, *self.amounts(pl.line))
            for pl in self.sheet.lines
            if self.amounts(pl.line) != tuple(pl.month(self.month))
        ]
