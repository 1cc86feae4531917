from django import forms
from django.utils.translation import gettext as _

from budget.core.amounts import AmountField


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
