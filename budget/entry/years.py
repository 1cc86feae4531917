"""A fiscal year as a whole: finished (read-only) by the finance lead once every month is closed, and
reopened by the lead, with a reason, when something must still change. Each one transaction, audited."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from budget.core.errors import EntryRefused
from budget.core.models import BudgetChange, FiscalYear, Settlement
from budget.core.periods import closed_through, ensure_year_open
from budget.opening.carry import carryovers_remove


def _locked_year(year: int, user, permission: str) -> FiscalYear:
    if user is None or not user.has_perm(permission):
        raise EntryRefused([_("재무책임자만 할 수 있습니다.")])
    fiscal_year = FiscalYear.objects.select_for_update().filter(year=year).first()
    if fiscal_year is None:
        raise EntryRefused([_("%(year)s 회계연도가 없습니다.") % {"year": year}])
    return fiscal_year


def year_end_problems(year: int) -> list[str]:
    """Why the year cannot be closed as a whole yet (its 결산 prepared, or it finished): an open month, a
    budget change waiting for a decision. Empty when it can."""
    problems = []
    through = closed_through(year)
    if through < 12:
        problems.append(
            _("%(year)s년 %(month)s월부터 마감되지 않았습니다. 12월까지 모든 달을 마감한 뒤 연도를 마감합니다.")
            % {"year": year, "month": through + 1}
        )
    if BudgetChange.objects.filter(fiscal_year_id=year, status=BudgetChange.Status.PENDING).exists():
        problems.append(_("%(year)s년에 승인 대기 중인 예산 변경이 있습니다. 먼저 결정하세요.") % {"year": year})
    return problems


@transaction.atomic
def year_finish(*, year: int, user, reason: str = "") -> FiscalYear:
    """Make a year read-only: every month must be closed and no budget change may wait for a decision."""
    fiscal_year = _locked_year(year, user, "budget.close_month")
    if fiscal_year.finished:
        raise EntryRefused([_("%(year)s 회계연도는 이미 마감되었습니다.") % {"year": year}])
    problems = year_end_problems(year)
    if problems:
        raise EntryRefused(problems)
    fiscal_year.finished = True
    fiscal_year._history_user = user
    fiscal_year._change_reason = reason.strip() or _("회계연도 마감")
    fiscal_year.save(update_fields=["finished"])
    return fiscal_year


@transaction.atomic
def year_reopen(*, year: int, user, reason: str) -> FiscalYear:
    """Open a finished year again; its months stay closed, so only what the lead then reopens can change."""
    if not reason.strip():
        raise EntryRefused([_("연도 재개 사유를 적어야 합니다.")])
    fiscal_year = _locked_year(year, user, "budget.reopen_month")
    if not fiscal_year.finished:
        raise EntryRefused([_("%(year)s 회계연도는 마감되지 않았습니다.") % {"year": year}])
    fiscal_year.finished = False
    fiscal_year._history_user = user
    fiscal_year._change_reason = reason.strip()
    fiscal_year.save(update_fields=["finished"])
    # Reopening is the undo of an approved 결산: it goes back to prepared, the reason in its history, and
    # the 이월액 it carried into the next year are taken back out (refused once a month of that year closed).
    settlement = Settlement.objects.filter(fiscal_year=fiscal_year, status=Settlement.Status.APPROVED).first()
    if settlement is not None:
        carryovers_remove(year=year, user=user, reason=reason.strip())
        settlement.status = Settlement.Status.PREPARED
        settlement.approved_by = settlement.approved_at = None
        settlement._history_user = user
        settlement._change_reason = reason.strip()
        settlement.save(update_fields=["status", "approved_by", "approved_at"])
    return fiscal_year


@transaction.atomic
def target_set(*, year: int, target, user) -> FiscalYear:
    """Set the year's 신속집행 target (%, None for none), before the year's first month closes.

    The target is the yardstick every view of the first half is judged against; once a month has
    closed (or the report covers it), what was judged then must stay as it was judged.
    """
    fiscal_year = _locked_year(year, user, "budget.change_fiscalyear")
    ensure_year_open(fiscal_year)
    through = closed_through(year)
    if through:
        raise EntryRefused(
            [
                _(
                    "%(year)s년은 %(month)s월까지 마감(또는 보고)되어 신속집행 목표를 바꿀 수 없습니다. "
                    "목표는 첫 달 마감 전에 정합니다."
                )
                % {"year": year, "month": through}
            ]
        )
    fiscal_year.early_execution_target = target
    fiscal_year._history_user = user
    fiscal_year.save(update_fields=["early_execution_target"])
    return fiscal_year
