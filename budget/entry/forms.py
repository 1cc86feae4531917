"""The sheets as forms: an amount field per line and month (commitment c-<line>, expenditure e-<line>)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budget.core.forms import LineAmountsForm
from budget.core.rules import won
from budget.entry.services import Entry
from budget.entry.sheet import MonthSheet, SheetLine

CELL = re.compile(r"^([cen])-(\d{1,18})$")


def posted_lines(data) -> set[int]:
    """The lines a month sheet's post names (c-, e- or n-<line>): a page posts only the cells that changed."""
    return {int(match.group(2)) for key in data if (match := CELL.match(key))}


def stored_cells(sheet_line: SheetLine) -> dict[str, str]:
    """What a line's cells show for what is stored: its figures, or blanks for a month with no record for it
    (a blank saves as 0, as a typed 0 does)."""
    pk = sheet_line.line.pk
    entered = sheet_line.entered
    return {
        f"c-{pk}": f"{sheet_line.commitment:,}" if entered else "",
        f"e-{pk}": f"{sheet_line.expenditure:,}" if entered else "",
        f"n-{pk}": sheet_line.note,
    }


class MonthForm(LineAmountsForm):
    """The month sheet: this month's commitment, expenditure and note for the lines of `sheet`.

    A post may name only some cells (the page sends only those that changed, so that a sheet of any length
    stays within the request's limits): every cell it leaves out is read as what is stored. `entries()`
    are the lines whose figures or note differ from what is stored, each with all three of its values.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    reason = forms.CharField(required=False, max_length=300)

    def __init__(self, data=None, *, sheet: MonthSheet, **kwargs):
        if data is not None:
            posted = {key: data.get(key) for key in data}
            stored = {key: value for line in sheet.lines for key, value in stored_cells(line).items()}
            # A spreadsheet's △ is the minus sign of a pasted or typed correction.
            data = {**stored, **{k: v.replace("△", "-") if k[:2] in ("c-", "e-") else v for k, v in posted.items()}}
        super().__init__(data, **kwargs)
        self.sheet = sheet
        self.unknown = sorted(posted_lines(data or {}) - sheet.line_ids)
        self.fields["version"].initial = sheet.version
        where = _("%(year)s년 %(month)s월") % {"year": sheet.year, "month": sheet.month}
        for sheet_line in sheet.lines:
            # A reserve line takes no execution (budget.rules): what a page posts for it is ignored.
            fixed = sheet_line.reserve
            shown = (sheet_line.commitment, sheet_line.expenditure) if sheet_line.entered else (None, None)
            self.add_amounts(sheet_line.line, where, *shown, disabled=fixed)
            self.fields[f"n-{sheet_line.line.pk}"] = forms.CharField(
                required=False, max_length=300, initial=sheet_line.note, disabled=fixed
            )

    def clean(self):
        cleaned = super().clean()
        if self.unknown:
            raise forms.ValidationError(
                _("%(year)s년 %(month)s월 시트에 없는 라인입니다: %(ids)s")
                % {"year": self.sheet.year, "month": self.sheet.month, "ids": ", ".join(map(str, self.unknown))}
            )
        return cleaned

    def entries(self) -> list[Entry]:
        """The lines that change, with what is stored kept for the cells that do not (note included)."""
        changed = []
        for sheet_line in self.sheet.lines:
            pk = sheet_line.line.pk
            entry = Entry(pk, *self.amounts(sheet_line.line), note=(self.cleaned_data.get(f"n-{pk}") or "").strip())
            stored = (sheet_line.commitment, sheet_line.expenditure, sheet_line.note)
            if (entry.commitment, entry.expenditure, entry.note) != stored:
                changed.append(entry)
        return changed

    def problems(self) -> list[str]:
        """Every error of the form, one message each (a cell's also shows beside it)."""
        return [e for errors in self.errors.values() for e in errors]


def changes_of(sheet: MonthSheet, entries: list[Entry]) -> list[str]:
    """Each entry as what it changes on its line: its new figures, or that its note changed."""
    names = {line.line.pk: line for line in sheet.lines}
    parts = []
    for entry in entries:
        before = names[entry.line_id]
        changes = []
        if entry.commitment != before.commitment:
            changes.append(_("원인행위액 %(amount)s") % {"amount": won(entry.commitment)})
        if entry.expenditure != before.expenditure:
            changes.append(_("지출액 %(amount)s") % {"amount": won(entry.expenditure)})
        if entry.note != before.note:
            changes.append(_("사유"))
        parts.append(_("%(line)s (%(changes)s)") % {"line": before.line.name, "changes": ", ".join(changes)})
    return parts


def saved_message(sheet: MonthSheet, entries: list[Entry], shown: int = 5) -> str:
    """What a save changed, naming up to `shown` lines."""
    text = _("%(year)s년 %(month)s월 집행을 저장했습니다. %(count)s개 라인: %(lines)s") % {
        "year": sheet.year,
        "month": sheet.month,
        "count": len(entries),
        "lines": "; ".join(changes_of(sheet, entries[:shown])),
    }
    if len(entries) > shown:
        text += " " + _("외 %(more)s개 라인") % {"more": len(entries) - shown}
    return text


class ReopenForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("마감 해제 사유"), max_length=300)
