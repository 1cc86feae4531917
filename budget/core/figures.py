"""Pure arithmetic on exact amounts: rates, changes, shares, and their display rounding.

Nothing here touches the database. Amounts are int won; a rate is an exact Fraction of a percent
(None where the base is zero, since a rate over nothing is not a number), rounded half-up to one
decimal only when it is shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext_noop


def percent(part: int, base: int) -> Fraction | None:
    """part ÷ base × 100, exactly; None when the base is zero."""
    if not base:
        return None
    return Fraction(part * 100, base)


def half_up_div(numerator: int, denominator: int) -> int:
    """numerator ÷ denominator rounded half away from zero (the "half-up" of Korean public reports), in
    integers (denominator > 0): no Fraction, whose gcd per step was a tenth of a dashboard's time."""
    rounded = (abs(numerator) * 2 + denominator) // (denominator * 2)
    return -rounded if numerator < 0 else rounded


def round_half_up(value: Fraction | int, places: int = 1) -> Decimal:
    """Round an exact value half away from zero to `places` decimals."""
    if not isinstance(value, int | Fraction):
        value = Fraction(value)
    return Decimal(half_up_div(value.numerator * 10**places, value.denominator)).scaleb(-places)


@dataclass(frozen=True)
class Execution:
    """A budget and its execution to date, in won, with everything derived from them."""

    current: int  # 예산현액
    commitment: int = 0  # 원인행위액
    expenditure: int = 0  # 지출액

    @property
    def commitment_rate(self) -> Fraction | None:
        return percent(self.commitment, self.current)

    @property
    def expenditure_rate(self) -> Fraction | None:
        return percent(self.expenditure, self.current)

    @property
    def remaining(self) -> int:
        """집행잔액: 예산현액 − 지출액."""
        return self.current - self.expenditure

    @property
    def uncommitted(self) -> int:
        """원인행위 잔액: what can still be committed."""
        return self.current - self.commitment

    @property
    def unpaid(self) -> int:
        """미지급액: committed but not yet paid."""
        return self.commitment - self.expenditure

    def __add__(self, other: Execution) -> Execution:
        return Execution(
            self.current + other.current, self.commitment + other.commitment, self.expenditure + other.expenditure
        )

    def __sub__(self, other: Execution) -> Execution:
        return Execution(
            self.current - other.current, self.commitment - other.commitment, self.expenditure - other.expenditure
        )

    @classmethod
    def sum(cls, figures: Iterable[Execution]) -> Execution:
        """Exact won added up: the figures of groups that together make a larger one."""
        figures = list(figures)  # three plain sums of ints, not an object per addition
        return cls(
            sum(f.current for f in figures), sum(f.commitment for f in figures), sum(f.expenditure for f in figures)
        )


class Marker(str):
    """What a change rate shows where it is not a number (base of zero)."""


NEW = Marker(gettext_noop("순증"))  # nothing last year, something now
NONE = Marker("-")  # nothing either year


@dataclass(frozen=True)
class Comparison:
    """This year against a previous year, in won."""

    current: int
    previous: int

    @property
    def change(self) -> int:
        return self.current - self.previous

    @property
    def change_rate(self) -> Fraction | Marker:
        # The report prints 0.0% for 보증금회수수입 (0 → 238,215): a council member reading 0.0% would
        # think nothing changed, so a zero base shows what happened instead of a number.
        rate = percent(self.change, self.previous)
        if rate is not None:
            return rate
        return NEW if self.current else NONE
