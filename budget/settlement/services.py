"""결산's writes: prepared (or prepared again) by finance staff, approved by the finance lead, which
finishes the year, and undone by reopening the year. Each one transaction, audited; a refusal saves nothing."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from budget.core.errors import EntryRefused
from budget.core.models import BudgetLine, FiscalYear, Settlement, SettlementCarryover
from budget.core.periods import ensure_year_open
from budget.entry.years import year_end_problems, year_finish, year_reopen
from budget.opening.carry import carryovers_write
from budget.settlement.figures import Carry, carry_problems, year_close

# Finance staff prepare what they enter the year's execution with; the lead approves with the right that
# finishes a year (budget.entry.years), and reopens with the one that reopens it.
PREPARE = "budget.change_executionrecord"
APPROVE = "budget.close_month"


def _locked_year(year: int) -> FiscalYear:
    fiscal_year = FiscalYear.objects.select_for_update().filter(year=year).first()
    if fiscal_year is None:
        raise EntryRefused([_("%(year)s 회계연도가 없습니다.") % {"year": year}])
    return fiscal_year


def _check_ready(fiscal_year: FiscalYear) -> None:
    ensure_year_open(fiscal_year)
    problems = year_end_problems(fiscal_year.year)
    if problems:
        raise EntryRefused([_("결산할 수 없습니다.")] + problems)


@transaction.atomic
def settlement_prepare(*, year: int, carries: dict[int, Carry], user) -> Settlement:
    """Write the year's 결산 as prepared, with these 이월액 by expenditure line (a line left out carries
    nothing). Refused, with nothing saved, while a month is open or a change pending, in a finished year,
    or when a line would carry more than it can (사고이월 ≤ 미지급액, 명시이월 ≤ 원인행위 잔액 and with a reason)."""
    if user is None or not user.has_perm(PREPARE):
        raise EntryRefused([_("결산은 재무담당자가 작성합니다.")])
    fiscal_year = _locked_year(year)
    _check_ready(fiscal_year)
    carries = {line_id: carry for line_id, carry in carries.items() if carry.accident or carry.explicit}
    settlement = Settlement.objects.filter(fiscal_year=fiscal_year).first()
    close = year_close(year, carries=carries, settlement=settlement)
    unknown = set(carries) - {line.line_id for line in close.lines}
    if unknown:
        raise EntryRefused([_("%(year)s년 세출 라인이 아닌 라인에는 이월할 수 없습니다.") % {"year": year}])
    problems = carry_problems(close)
    if problems:
        raise EntryRefused(problems)
    now = timezone.now()
    if settlement is None:
        settlement = Settlement(fiscal_year=fiscal_year)
    settlement.status = Settlement.Status.PREPARED
    settlement.prepared_by, settlement.prepared_at = user, now
    settlement._history_user = user
    settlement.save()
    stored = {row.line_id: row for row in SettlementCarryover.objects.filter(settlement=settlement)}
    for line_id, row in stored.items():
        if line_id not in carries:
            row._history_user = user
            row.delete()
    for line_id, carry in carries.items():
        row = stored.get(line_id) or SettlementCarryover(settlement=settlement, line_id=line_id)
        values = (carry.accident, carry.explicit, carry.reason.strip())
        if row.pk and (row.accident, row.explicit, row.reason) == values:
            continue
        row.accident, row.explicit, row.reason = values
        row._history_user = user
        row.save()
    return settlement


@transaction.atomic
def settlement_approve(*, year: int, user) -> Settlement:
    """Approve the prepared 결산: every rule is checked again on the figures as they stand now, then the
    year is finished through the same path as year_finish (read-only until the lead reopens it)."""
    if user is None or not user.has_perm(APPROVE):
        raise EntryRefused([_("결산 승인은 재무책임자만 할 수 있습니다.")])
    fiscal_year = _locked_year(year)
    settlement = Settlement.objects.select_for_update().filter(fiscal_year=fiscal_year).first()
    if settlement is None:
        raise EntryRefused([_("%(year)s년 결산이 아직 작성되지 않았습니다.") % {"year": year}])
    if settlement.approved:
        raise EntryRefused([_("%(year)s년 결산은 이미 승인되었습니다.") % {"year": year}])
    if settlement.prepared_by_id == user.pk:
        raise EntryRefused([_("결산을 작성한 사람은 승인할 수 없습니다. 다른 재무책임자가 승인합니다.")])
    _check_ready(fiscal_year)
    problems = carry_problems(year_close(year, settlement=settlement))
    if problems:
        raise EntryRefused(problems)
    settlement.status = Settlement.Status.APPROVED
    settlement.approved_by, settlement.approved_at = user, timezone.now()
    settlement._history_user = user
    settlement._change_reason = _("결산 승인")
    settlement.save(update_fields=["status", "approved_by", "approved_at"])
    year_finish(year=year, user=user, reason=_("결산 승인"))
    # The next year already opened: it receives the 이월액 now (when it opens later, at its opening).
    if BudgetLine.objects.for_year(year + 1).exists():
        carryovers_write(year=year, user=user)
    return settlement


def settlement_reopen(*, year: int, user, reason: str) -> FiscalYear:
    """The undo of an approval: the year reopens (budget.entry.years), and its 결산 goes back to prepared."""
    return year_reopen(year=year, user=user, reason=reason)
