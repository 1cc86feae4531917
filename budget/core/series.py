"""Month-by-month figures: executed or planned flows, a group's months, and a line's plan to date."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Q

from .models import MonthlyPlan
from .sums import fetch, won_sum


class Flow(NamedTuple):
    """Commitment and expenditure over some months, in won (executed or planned); a pair, so that
    `commitment, expenditure = flow` reads as it says."""

    commitment: int = 0
    expenditure: int = 0


def through(month: int) -> Q:
    """The months from January through `month`: the one rule of "to date", for the database."""
    return Q(month__lte=month)


def to_date(months: Mapping[int, Flow], month: int) -> Flow:
    """What `months` (month → its own flow) add up to from January through `month`: the same rule as
    `through`, for months already read (the plan sheet and its checks)."""
    flows = [flow for m, flow in months.items() if m <= month]
    return Flow(sum(f.commitment for f in flows), sum(f.expenditure for f in flows))


@dataclass(frozen=True)
class MonthSeries:
    """One group's execution month by month, through the ledger's month.

    `covered` is the last month a cumulative record stands for (0 if none): before it the months
    are not known one by one, and nothing may be shown for them.
    """

    months: dict[int, Flow]
    covered: int = 0


@dataclass(frozen=True)
class PlanTotals:
    """A line's 월별 집행계획 summed through the ledger's month and over the whole year, in won."""

    through: Flow
    year: Flow

    @classmethod
    def of(cls, months: Mapping[int, Flow], month: int) -> PlanTotals:
        return cls(to_date(months, month), to_date(months, 12))

    @classmethod
    def by_line(cls, plans, month: int) -> dict[int, PlanTotals]:
        """Each planned line's totals, from a plan queryset in one query (conditional sums by `through`)."""
        rows = fetch(
            plans.values_list("line_id")
            .annotate(
                through_commitment=won_sum("commitment", filter=through(month), default=0),
                through_expenditure=won_sum("expenditure", filter=through(month), default=0),
                year_commitment=won_sum("commitment"),
                year_expenditure=won_sum("expenditure"),
            )
            .order_by()
        )
        return {line_id: cls(Flow(tc, te), Flow(yc, ye)) for line_id, tc, te, yc, ye in rows}

    @property
    def after(self) -> Flow:
        """Planned for the months after the ledger's month."""
        return Flow(self.year.commitment - self.through.commitment, self.year.expenditure - self.through.expenditure)


# A view as of a month the report's cumulative figure covers reads no plan: the report came with none.
NO_PLAN = object()


def plan_queryset(year: int, known_at):
    """The year's plan as known at `known_at` (None: as it stands now; NO_PLAN: none at all)."""
    if known_at is NO_PLAN:
        return MonthlyPlan.objects.none()
    plans = MonthlyPlan.objects if known_at is None else MonthlyPlan.history.as_of(known_at)
    return plans.filter(fiscal_year_id=year)
