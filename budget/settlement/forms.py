"""The 결산 sheet as posted: 사고이월 (a-<line>), 명시이월 (x-<line>) and its reason (r-<line>) per
expenditure line, typed as people type amounts; each refusal names the line."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from budget.core.amounts import parse_amount
from budget.settlement.figures import Carry, LineClose


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=300)


def carries_from(data, lines: list[LineClose]) -> tuple[dict[int, Carry], list[str]]:
    """The 이월액 typed for each line (blank is 0), and a message per cell that is not an amount."""
    carries, errors = {}, []
    for line in lines:
        amounts = []
        for prefix, label in (("a", _("사고이월")), ("x", _("명시이월"))):
            text = data.get(f"{prefix}-{line.line_id}", "")
            try:
                amounts.append(parse_amount(text))
            except ValidationError as error:
                errors.append(f"{line.code} {line.name} · {label}: {' '.join(error.messages)}")
                amounts.append(0)
        reason = (data.get(f"r-{line.line_id}") or "").strip()[:300]
        if amounts[0] or amounts[1]:
            carries[line.line_id] = Carry(amounts[0], amounts[1], reason)
    return carries, errors
