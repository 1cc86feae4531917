"""How figures are shown: units, △ for negatives, one decimal for rates.

One helper per rule, used by the templates and by the Excel writer alike.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext

from budget.core.figures import Marker, half_up_div, round_half_up

NEGATIVE = "△"

UNITS = {
    "won": (1, "원"),
    "thousand": (1_000, "천원"),
    "million": (1_000_000, "백만원"),
}


def in_thousands(won: int) -> int:
    """Won to 천원, rounded half-up from the exact amount (a total is rounded from its exact sum)."""
    return in_unit(won, "thousand")


def in_millions_truncated(won: int) -> int:
    """Won to 백만원, truncated toward zero, as the program pages print budgets (397,700천원 → 397)."""
    sign = -1 if won < 0 else 1
    return sign * (abs(won) // 1_000_000)


def in_unit(won: int, unit: str = "thousand") -> int:
    """Won to the unit, rounded half-up from the exact amount."""
    return half_up_div(won, UNITS[unit][0])


def signed(number: int | Decimal, *, zero: str = "0", plus: bool = False) -> str:
    """Thousands separators, △ for negatives; `plus` writes +1 as the staffing table does."""
    if number == 0:
        return zero
    text = f"{abs(number):,}"
    if number < 0:
        return NEGATIVE + text
    return f"+{text}" if plus else text


def money(won: int | None, unit: str = "thousand") -> str:
    if won is None:
        return ""
    return signed(in_unit(won, unit))


def rate(value: Fraction | Marker | None, *, suffix: str = "%") -> str:
    """A rate to one decimal, half-up; a marker or a missing rate is shown as itself or `-`."""
    if value is None:
        return "-"
    if isinstance(value, Marker):
        return gettext(value)
    rounded = round_half_up(value, 1)
    return signed(rounded, zero="0.0") + suffix


def gap(number: int) -> str:
    """과부족 as the staffing table prints it: +3, △1, and - for none."""
    return signed(number, zero="-", plus=True)


def headcount(number: int) -> str:
    return signed(number, zero="-")
