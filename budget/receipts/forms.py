"""The revenue sheet as a form: this month's 수납 (r-<line>) and 비고 (n-<line>) per revenue line."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _

from budget.core.amounts import AmountField
from budget.core.rules import ym
from budget.receipts.services import Receipt
from budget.receipts.sheet import RevenueSheet


class RevenueForm(forms.Form):
    """A post may leave cells out: each one left out is read as what is stored. `receipts()` are the lines
    whose 수납 or 비고 differ from what is stored."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    reason = forms.CharField(required=False, max_length=300)

    def __init__(self, data=None, *, sheet: RevenueSheet, **kwargs):
        if data is not None:
            stored = {}
            for line in sheet.lines:
                stored[f"r-{line.line.pk}"] = f"{line.collected:,}" if line.entered else ""
                stored[f"n-{line.line.pk}"] = line.note
            # A spreadsheet's △ is the minus sign of a pasted or typed correction.
            posted = {k: data.get(k).replace("△", "-") if k.startswith("r-") else data.get(k) for k in data}
            data = {**stored, **posted}
        super().__init__(data, **kwargs)
        self.sheet = sheet
        self.fields["version"].initial = sheet.version
        where = ym(sheet.year, sheet.month)
        for line in sheet.lines:
            pk = line.line.pk
            self.fields[f"r-{pk}"] = AmountField(
                where=f"{line.line.name} · {where} · {_('수납액')}", initial=line.collected if line.entered else None
            )
            self.fields[f"n-{pk}"] = forms.CharField(required=False, max_length=300, initial=line.note)

    def receipts(self) -> list[Receipt]:
        changed = []
        for line in self.sheet.lines:
            pk = line.line.pk
            receipt = Receipt(pk, self.cleaned_data[f"r-{pk}"], (self.cleaned_data.get(f"n-{pk}") or "").strip())
            if (receipt.collected, receipt.note) != (line.collected, line.note):
                changed.append(receipt)
        return changed

    def rows(self, refusals: dict[int, list[str]]):
        """Each sheet line with its two cells and its refusals."""
        return [
            (line, self[f"r-{line.line.pk}"], self[f"n-{line.line.pk}"], refusals.get(line.line.pk, []))
            for line in self.sheet.lines
        ]

    def problems(self) -> list[str]:
        return [e for errors in self.errors.values() for e in errors]
