"""결산's figures, computed from the year's own rows: nothing here is typed in but the 이월액.

Per expenditure line: 예산현액 (amounts dated up to 31 December), 원인행위액 and 지출액 (every record of the
year), 사고이월 and 명시이월 (the settlement's), 불용액 = 예산현액 − 지출액 − 이월액. Per revenue line:
예산현액, 수납액, 미수납액 = 예산현액 − 수납액. For the year: 세계잉여금 = 수납액 계 − 지출액 계 and
순세계잉여금 = 세계잉여금 − 이월액 계. All in whole won; one query per table, whatever the year's size.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from budget.core.collected import collected as collected_through
from budget.core.models import (
    Account,
    BudgetAmount,
    BudgetLine,
    ExecutionRecord,
    Settlement,
    SettlementCarryover,
)
from budget.core.sums import fetch, won_sum


@dataclass(frozen=True)
class Carry:
    """What a person decided for one line: 사고이월 and 명시이월 in won, and the reason of the latter."""

    accident: int = 0
    explicit: int = 0
    reason: str = ""

    @property
    def total(self) -> int:
        return self.accident + self.explicit


NO_CARRY = Carry()


@dataclass(frozen=True)
class LineClose:
    line_id: int
    code: str
    name: str
    account_id: int
    account_name: str
    account_order: int
    account_code: str
    current: int  # 예산현액
    commitment: int  # 원인행위액
    expenditure: int  # 지출액
    carry: Carry = NO_CARRY

    @property
    def unpaid(self) -> int:
        """미지급액: the most 사고이월 may carry."""
        return self.commitment - self.expenditure

    @property
    def uncommitted(self) -> int:
        """원인행위 잔액: the most 명시이월 may carry (money for work not yet bound)."""
        return self.current - self.commitment

    @property
    def carryover(self) -> int:
        return self.carry.total

    @property
    def lapsed(self) -> int:
        """불용액 = 예산현액 − 지출액 − 이월액."""
        return self.current - self.expenditure - self.carryover


@dataclass(frozen=True)
class RevenueClose:
    line_id: int
    code: str
    name: str
    account_code: str
    current: int  # 예산현액
    collected: int  # 수납액

    @property
    def uncollected(self) -> int:
        """미수납액 = 예산현액 − 수납액 (negative where more was collected than budgeted)."""
        return self.current - self.collected


@dataclass
class YearClose:
    year: int
    settlement: Settlement | None
    lines: list[LineClose] = field(default_factory=list)
    revenues: list[RevenueClose] = field(default_factory=list)
    # The last month a report's cumulative figure stands for (2022: September): no 수납 was ever reported for
    # those months, so the year's 수납액 is what was entered after them, and the tables say so.
    covered: int = 0

    def total(self, name: str, rows=None) -> int:
        return sum(getattr(row, name) for row in (self.lines if rows is None else rows))

    @property
    def collected(self) -> int:
        return sum(row.collected for row in self.revenues)

    @property
    def expenditure(self) -> int:
        return self.total("expenditure")

    @property
    def carryover(self) -> int:
        return self.total("carryover")

    @property
    def surplus(self) -> int:
        """세계잉여금 = 수납액 계 − 지출액 계."""
        return self.collected - self.expenditure

    @property
    def net_surplus(self) -> int:
        """순세계잉여금 = 세계잉여금 − 다음연도 이월액 계."""
        return self.surplus - self.carryover

    def natures(self) -> list[tuple[int, str, list[LineClose]]]:
        """The expenditure lines by nature, in account order: (account id, name, lines)."""
        groups: dict[int, list[LineClose]] = {}
        for line in self.lines:
            groups.setdefault(line.account_id, []).append(line)
        ordered = sorted(groups.values(), key=lambda lines: lines[0].account_order)
        return [(lines[0].account_id, lines[0].account_name, lines) for lines in ordered]

    def by_line(self) -> dict[int, LineClose]:
        return {line.line_id: line for line in self.lines}


def settlement_of(year: int) -> Settlement | None:
    return Settlement.objects.filter(fiscal_year_id=year).select_related("prepared_by", "approved_by").first()


def stored_carries(settlement: Settlement | None) -> dict[int, Carry]:
    if settlement is None:
        return {}
    rows = SettlementCarryover.objects.filter(settlement=settlement).values_list(
        "line_id", "accident", "explicit", "reason"
    )
    return {line_id: Carry(accident, explicit, reason) for line_id, accident, explicit, reason in rows}


def year_close(year: int, *, carries: dict[int, Carry] | None = None, settlement=False) -> YearClose:
    """The year's 결산 figures. `carries` are the 이월액 to use (a preview of what was typed); without
    them, the settlement's stored ones. `settlement` may be passed when the caller already read it
    (False: read it here). Queries: lines, amounts, records, receipts, and the settlement and its
    carry-overs when they are not given."""
    if settlement is False:
        settlement = settlement_of(year)
    if carries is None:
        carries = stored_carries(settlement)
    names = ["id", "code", "name", "account_id", "account__name", "account__order", "account__code", "account__side"]
    lines = fetch(BudgetLine.objects.for_year(year).values_list(*names).order_by("order", "code"))
    year_end = datetime.date(year, 12, 31)
    budget = dict(
        fetch(
            BudgetAmount.objects.filter(fiscal_year_id=year, effective_date__lte=year_end)
            .values_list("line_id")
            .annotate(total=won_sum("amount"))
            .order_by()
        )
    )
    executed = {
        row[0]: row[1:]
        for row in fetch(
            ExecutionRecord.objects.filter(fiscal_year_id=year)
            .values_list("line_id")
            .annotate(c=won_sum("commitment"), e=won_sum("expenditure"))
            .order_by()
        )
    }
    # 수납 through December by the one definition the report and the dashboard read it by.
    receipts = collected_through(year, 12)
    collected = receipts.by_line
    close = YearClose(year, settlement, covered=receipts.covered)
    for line_id, code, name, account_id, account_name, order, account_code, side in lines:
        current = budget.get(line_id) or 0
        if side == Account.Side.REVENUE:
            close.revenues.append(RevenueClose(line_id, code, name, account_code, current, collected.get(line_id) or 0))
            continue
        commitment, expenditure = executed.get(line_id, (0, 0))
        close.lines.append(
            LineClose(
                line_id,
                code,
                name,
                account_id,
                account_name,
                order,
                account_code,
                current,
                commitment or 0,
                expenditure or 0,
                carries.get(line_id, NO_CARRY),
            )
        )
    return close


def carry_problems(close: YearClose) -> list[str]:
    """Each line whose 이월액 is more than it can carry, in words naming the line and the amounts (won)."""
    problems = []
    for line in close.lines:
        carry = line.carry
        if carry is NO_CARRY:
            continue
        named = {"line": f"{line.code} {line.name}"}
        if carry.accident < 0 or carry.explicit < 0:
            problems.append(_("%(line)s: 이월액은 0 이상이어야 합니다.") % named)
            continue
        if line.account_code == "reserve" and carry.total:
            problems.append(_("%(line)s: 예비비는 다음연도로 이월할 수 없습니다.") % named)
            continue
        if carry.accident > line.unpaid:
            problems.append(
                _("%(line)s: 사고이월 %(amount)s원이 미지급액(원인행위액 − 지출액) %(limit)s원을 넘습니다.")
                % {**named, "amount": f"{carry.accident:,}", "limit": f"{line.unpaid:,}"}
            )
        if carry.explicit > max(line.uncommitted, 0):
            problems.append(
                _("%(line)s: 명시이월 %(amount)s원이 원인행위 잔액(예산현액 − 원인행위액) %(limit)s원을 넘습니다.")
                % {**named, "amount": f"{carry.explicit:,}", "limit": f"{max(line.uncommitted, 0):,}"}
            )
        if carry.explicit and not carry.reason.strip():
            problems.append(_("%(line)s: 명시이월에는 사유를 적어야 합니다.") % named)
    return problems
