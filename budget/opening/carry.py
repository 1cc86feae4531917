"""Year N's approved 이월액 as 이월 amounts of year N+1: each carrying line's on the line that continues it
(BudgetLine.previous), their sum on N+1's 잉여금(이월금)수입, all dated 1 January. Money neither appears nor
vanishes between years: what N+1 receives is, line by line, what N's approved 결산 carries.

Written when the later of the two happens (N+1 opened, N's 결산 approved), and taken back when N is
reopened, both only while no month of N+1 is closed (a closed month's 예산현액 never changes).
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from budget.core.errors import EntryRefused
from budget.core.models import Account, BudgetAmount, BudgetLine, Settlement, SettlementCarryover
from budget.core.periods import closed_through

SURPLUS = "surplus"  # the revenue account through which the carried money comes back into the budget


def reference(year: int) -> str:
    """What marks an amount of year+1 as carried from year's 결산."""
    return f"{year} 결산 이월"


def _next_year_open(year: int) -> None:
    through = closed_through(year + 1)
    if through:
        raise EntryRefused(
            [
                _("%(next)s년은 %(month)s월까지 마감되어 %(year)s년의 이월액을 반영하거나 되돌릴 수 없습니다.")
                % {"next": year + 1, "month": through, "year": year}
            ]
        )


def carryovers_write(*, year: int, user) -> int:
    """Write year's approved 이월액 into year+1 (which must have its lines); returns the total carried.
    Call inside the transaction that opens year+1 or approves year's 결산."""
    settlement = Settlement.objects.filter(fiscal_year_id=year, status=Settlement.Status.APPROVED).first()
    if settlement is None:
        return 0
    rows = list(
        SettlementCarryover.objects.filter(settlement=settlement)
        .select_related("line")
        .order_by("line__order", "line__code")
    )
    if not rows:
        return 0
    _next_year_open(year)
    following = dict(
        BudgetLine.objects.for_year(year + 1)
        .filter(previous__in=[row.line_id for row in rows])
        .values_list("previous_id", "pk")
    )
    missing = [f"{row.line.code} {row.line.name}" for row in rows if row.line_id not in following]
    if missing:
        raise EntryRefused(
            [
                _("%(year)s년 결산이 이월하는 라인이 %(next)s년에 없습니다: %(lines)s. 이 라인을 이어 가야 합니다.")
                % {"year": year, "next": year + 1, "lines": ", ".join(missing)}
            ]
        )
    surplus = (
        BudgetLine.objects.for_year(year + 1)
        .filter(account__code=SURPLUS, account__side=Account.Side.REVENUE)
        .order_by("order", "code")
        .first()
    )
    if surplus is None:
        raise EntryRefused(
            [_("%(next)s년에 잉여금(이월금)수입 라인이 없어 이월액을 세입에 넣을 수 없습니다.") % {"next": year + 1}]
        )
    day, ref = datetime.date(year + 1, 1, 1), reference(year)
    total = 0
    for row in rows:
        amount = BudgetAmount(
            line_id=following[row.line_id],
            kind=BudgetAmount.Kind.CARRYOVER,
            effective_date=day,
            amount=row.total,
            reason=_("%(year)s년 %(code)s 사고이월 %(accident)s원, 명시이월 %(explicit)s원 %(why)s")
            % {
                "year": year,
                "code": row.line.code,
                "accident": f"{row.accident:,}",
                "explicit": f"{row.explicit:,}",
                "why": row.reason,
            },
            reference=ref,
        )
        amount._history_user = user
        amount.save()
        total += row.total
    funding = BudgetAmount(
        line=surplus,
        kind=BudgetAmount.Kind.CARRYOVER,
        effective_date=day,
        amount=total,
        reason=_("%(year)s년 결산 이월액 (세출 이월의 재원)") % {"year": year},
        reference=ref,
    )
    funding._history_user = user
    funding.save()
    return total


def carryovers_remove(*, year: int, user, reason: str) -> int:
    """Take year's 이월액 back out of year+1 (year is being reopened); returns how many amounts."""
    amounts = list(
        BudgetAmount.objects.filter(
            fiscal_year_id=year + 1, kind=BudgetAmount.Kind.CARRYOVER, reference=reference(year)
        )
    )
    if not amounts:
        return 0
    _next_year_open(year)
    for amount in amounts:
        amount._history_user = user
        amount._change_reason = reason
        amount.delete()
    return len(amounts)
