"""The month sheet as a form: one commitment, expenditure and note field per line."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .amounts import parse_amount
from .entry import MonthSheet
from .services import Entry


class MonthForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    reason = forms.CharField(required=False, max_length=300)

    def __init__(self, *args, sheet: MonthSheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        self.fields["version"].initial = sheet.version
        for sheet_line in sheet.lines:
            pk = sheet_line.line.pk
            # A reserve line takes no execution (budget.rules): what a page posts for it is ignored.
            fixed = sheet_line.reserve
            self.fields[f"c-{pk}"] = forms.CharField(
                required=False, max_length=40, initial=f"{sheet_line.commitment:,}", disabled=fixed
            )
            self.fields[f"e-{pk}"] = forms.CharField(
                required=False, max_length=40, initial=f"{sheet_line.expenditure:,}", disabled=fixed
            )
            self.fields[f"n-{pk}"] = forms.CharField(
                required=False, max_length=300, initial=sheet_line.note, disabled=fixed
            )

    def clean(self):
        cleaned = super().clean()
        where = _("%(year)s년 %(month)s월") % {"year": self.sheet.year, "month": self.sheet.month}
        for sheet_line in self.sheet.lines:
            pk = sheet_line.line.pk
            for prefix, label in (("c", _("원인행위액")), ("e", _("지출액"))):
                name = f"{prefix}-{pk}"
                try:
                    cleaned[name] = parse_amount(cleaned.get(name))
                except ValidationError as error:
                    self.add_error(name, f"{sheet_line.line.name} · {where} · {label}: {' '.join(error.messages)}")
        return cleaned

    def entries(self) -> list[Entry]:
        data = self.cleaned_data
        return [
            Entry(
                line_id=sheet_line.line.pk,
                commitment=data[f"c-{sheet_line.line.pk}"],
                expenditure=data[f"e-{sheet_line.line.pk}"],
                note=(data.get(f"n-{sheet_line.line.pk}") or "").strip(),
            )
            for sheet_line in self.sheet.lines
        ]


class ReopenForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("마감 해제 사유"), max_length=300)
