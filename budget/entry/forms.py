"""The sheets as forms: an amount field per line and month (commitment c-<line>, expenditure e-<line>)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budget.core.forms import LineAmountsForm
from budget.entry.services import Entry
from budget.entry.sheet import MonthSheet


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


class ReopenForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("마감 해제 사유"), max_length=300)
