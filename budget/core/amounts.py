"""Amounts as people type them: `1,234,000`, `1234000`, `-50,000`, with spaces around."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Far above any line of the foundation (its whole budget is about 102억 won), far below BigInteger's
# limit: a typo of a few extra zeros is refused instead of saved.
MAX_AMOUNT = 1_000_000_000_000  # 1조 won

# ASCII digits only: a stray full-width or other-script digit is a typo to show, not to guess at.
_GROUPED = re.compile(r"^[+-]?[0-9]{1,3}(,[0-9]{3})+$")
_PLAIN = re.compile(r"^[+-]?[0-9]+$")


def parse_amount(text: str | None) -> int:
    """Whole won from a typed amount; blank is 0. Raises ValidationError saying what is wrong."""
    # Spaces around the amount are dropped; spaces inside it ("12 34") are refused below.
    cleaned = (text or "").replace("\u00a0", " ").strip()
    if cleaned.endswith("원"):
        cleaned = cleaned[:-1].rstrip()
    if cleaned in ("", "-", "+"):
        if cleaned:
            raise ValidationError(_("'%(text)s'은(는) 금액이 아닙니다."), params={"text": text})
        return 0
    if "." in cleaned:
        raise ValidationError(_("원 단위 미만(소수)은 입력할 수 없습니다: '%(text)s'"), params={"text": text})
    if not (_GROUPED.match(cleaned) or _PLAIN.match(cleaned)):
        raise ValidationError(_("'%(text)s'은(는) 금액이 아닙니다. 숫자와 쉼표만 씁니다."), params={"text": text})
    digits = cleaned.replace(",", "").lstrip("+-").lstrip("0")
    if len(digits) > len(str(MAX_AMOUNT)):  # checked before int(): Python refuses very long numbers
        raise ValidationError(
            _("%(digits)s자리 금액은 입력할 수 있는 금액(±%(max)s원)을 넘습니다."),
            params={"digits": len(digits), "max": f"{MAX_AMOUNT:,}"},
        )
    value = int(digits or "0") * (-1 if cleaned.startswith("-") else 1)
    if abs(value) > MAX_AMOUNT:
        raise ValidationError(
            _("%(value)s원은 입력할 수 있는 금액(±%(max)s원)을 넘습니다."),
            params={"value": f"{value:,}", "max": f"{MAX_AMOUNT:,}"},
        )
    return value


class AmountField(forms.CharField):
    """An amount typed as people type it: parsed to whole won on input, shown with thousands separators.

    `where` names the cell in a refusal ("메타버스 … · 2022년 10월 · 원인행위액"), so that a sheet of many
    lines says which one. The text is held to 40 characters before it is parsed at all.
    """

    def __init__(self, *, where: str = "", **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.where = where

    def prepare_value(self, value):
        return f"{value:,}" if isinstance(value, int) else value

    def clean(self, value) -> int:
        text = super().clean(value)
        try:
            return parse_amount(text)
        except ValidationError as error:
            if not self.where:
                raise
            raise ValidationError(f"{self.where}: {' '.join(error.messages)}") from None
