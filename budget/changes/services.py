"""Budget changes (추경, 이월, 전용, 예비비 사용): requested by finance staff, approved by the finance lead.

Each function is one transaction; every refusal raises EntryRefused naming the line and the amount.
A change's legs become BudgetAmounts only on approval, so 예산현액 never counts an unapproved change.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from budget.core.errors import EntryRefused
from budget.core.models import Account, BudgetAmount, BudgetChange, BudgetChangeLeg, BudgetLine, FiscalYear
from budget.core.periods import ensure_effective_date_open, ensure_year_open
from budget.core.rules import RESERVE, line_years, won, ym


@dataclass(frozen=True)
class Leg:
    line_id: int
    amount: int  # won; negative takes money from the line


def _lines(year: int, legs: list[Leg]) -> dict[int, BudgetLine]:
    lines = BudgetLine.objects.filter(fiscal_year_id=year, pk__in=[leg.line_id for leg in legs]).select_related(
        "account"
    )
    return {line.pk: line for line in lines}


def _check_shape(kind: str, year: int, day: datetime.date, legs: list[Leg], lines: dict[int, BudgetLine]) -> list[str]:
    """Rules that need no figures: the year, the legs, and what each kind of change may do."""
    errors = []
    if day.year != year:
        errors.append(_("기준일 %(day)s은(는) %(year)s 회계연도 밖입니다.") % {"day": day.isoformat(), "year": year})
    if not legs:
        errors.append(_("변경할 예산 라인과 금액을 하나 이상 적어야 합니다."))
    seen = set()
    for leg in legs:
        if leg.line_id not in lines:
            errors.append(_("%(year)s년 예산에 없는 라인입니다: %(id)s") % {"year": year, "id": leg.line_id})
        if leg.line_id in seen:
            errors.append(
                _("%(line)s: 한 변경에 같은 라인을 두 번 적을 수 없습니다.") % {"line": lines[leg.line_id].name}
            )
        seen.add(leg.line_id)
        if leg.amount == 0:
            errors.append(
                _("%(line)s: 금액 0원은 변경이 아닙니다.") % {"line": getattr(lines.get(leg.line_id), "name", "")}
            )
    if errors:
        return errors
    revenue = sum(leg.amount for leg in legs if lines[leg.line_id].account.side == Account.Side.REVENUE)
    spending = sum(leg.amount for leg in legs if lines[leg.line_id].account.side == Account.Side.EXPENDITURE)
    if kind in (BudgetChange.Kind.TRANSFER, BudgetChange.Kind.RESERVE_USE):
        if revenue:
            errors.append(_("전용·예비비 사용은 세출 라인 사이에서만 합니다."))
        if spending:
            errors.append(
                _("전용·예비비 사용은 합이 0원이어야 합니다: 전입과 전출의 차이가 %(diff)s입니다.")
                % {"diff": won(spending)}
            )
        if len(legs) < 2:
            errors.append(_("전용·예비비 사용은 보내는 라인과 받는 라인이 모두 있어야 합니다."))
    if kind == BudgetChange.Kind.RESERVE_USE:
        givers = [leg for leg in legs if leg.amount < 0]
        if any(lines[leg.line_id].account.code != RESERVE for leg in givers):
            errors.append(_("예비비 사용에서 감액되는 라인은 예비비 라인이어야 합니다."))
        takers = [
            lines[leg.line_id].name for leg in legs if leg.amount > 0 and lines[leg.line_id].account.code == RESERVE
        ]
        if takers:
            errors.append(
                _("예비비 사용은 예비비를 사업 라인으로 옮기는 것입니다. 예비비 라인으로는 옮길 수 없습니다: %(lines)s")
                % {"lines": ", ".join(takers)}
            )
    if kind == BudgetChange.Kind.TRANSFER:
        # 예비비 leaves only by 예비비 사용 (with its own approval trail) and never grows by 전용.
        reserves = [lines[leg.line_id].name for leg in legs if lines[leg.line_id].account.code == RESERVE]
        if reserves:
            errors.append(
                _(
                    "전용으로는 예비비 라인으로도, 예비비 라인에서도 예산을 옮길 수 없습니다 "
                    "(예비비는 '예비비 사용'으로만 씁니다): %(lines)s"
                )
                % {"lines": ", ".join(reserves)}
            )
    if kind in (BudgetChange.Kind.SUPPLEMENTARY, BudgetChange.Kind.CARRYOVER):
        cut = [lines[leg.line_id].name for leg in legs if leg.amount < 0 and lines[leg.line_id].account.code == RESERVE]
        if cut:
            errors.append(
                _("추경·이월로 예비비 라인을 줄일 수 없습니다 (예비비는 '예비비 사용'으로만 씁니다): %(lines)s")
                % {"lines": ", ".join(cut)}
            )
    if kind in (BudgetChange.Kind.SUPPLEMENTARY, BudgetChange.Kind.CARRYOVER) and revenue != spending:
        # The budget is balanced: whatever a 추경 or 이월 adds to spending, it adds to revenue too.
        errors.append(
            _("세입 변경 합계 %(r)s과 세출 변경 합계 %(e)s이 같아야 합니다 (세입·세출 균형).")
            % {"r": won(revenue), "e": won(spending)}
        )
    return errors


def _check_figures(year: int, day: datetime.date, legs: list[Leg], lines: dict[int, BudgetLine]) -> list[str]:
    """No line may end any month from the change's date to December with a 예산현액 below zero or, on the
    expenditure side, below what is committed on it by then (budget.rules)."""
    years = line_years(year, lines)
    month = day.month if day.year == year else 1
    errors = []
    for leg in legs:
        after = years[leg.line_id].with_budget(month, leg.amount)
        for m in range(month, 13):
            current = after.current(m)
            committed, _spent = after.cumulative(m)
            where = {"line": lines[leg.line_id].name, "where": ym(year, m)}
            if current < 0:
                errors.append(
                    _("%(line)s · %(where)s: 변경 후 예산현액이 %(after)s로 음수가 됩니다.")
                    % {**where, "after": won(current)}
                )
                break
            if after.expenditure_side and current < committed:
                errors.append(
                    _(
                        "%(line)s · %(where)s: 변경 후 예산현액 %(after)s이(가) "
                        "원인행위 누계 %(committed)s보다 %(short)s 적습니다."
                    )
                    % {**where, "after": won(current), "committed": won(committed), "short": won(committed - current)}
                )
                break
    return errors


def _check_period(year: int, day: datetime.date) -> None:
    fiscal_year = FiscalYear.objects.filter(year=year).first()
    if fiscal_year is None:
        raise EntryRefused([_("%(year)s 회계연도가 없습니다.") % {"year": year}])
    ensure_year_open(fiscal_year)
    ensure_effective_date_open(year, day)


@transaction.atomic
def change_request(
    *, year: int, kind: str, effective_date: datetime.date, reason: str, reference: str = "", legs: list[Leg], user
) -> BudgetChange:
    """Record a requested change; it takes effect only when the finance lead approves it."""
    if kind not in BudgetChange.Kind.values:
        raise EntryRefused([_("알 수 없는 변경 종류입니다: %(kind)s") % {"kind": kind}])
    if not reason.strip():
        raise EntryRefused([_("변경 사유를 적어야 합니다.")])
    _check_period(year, effective_date)
    lines = _lines(year, legs)
    errors = _check_shape(kind, year, effective_date, legs, lines) or _check_figures(year, effective_date, legs, lines)
    if errors:
        raise EntryRefused(errors)
    change = BudgetChange(
        fiscal_year_id=year,
        kind=kind,
        effective_date=effective_date,
        reason=reason.strip(),
        reference=reference.strip(),
        requested_by=user,
    )
    change._history_user = user
    change.save()
    BudgetChangeLeg.objects.bulk_create(
        BudgetChangeLeg(change=change, line_id=leg.line_id, amount=leg.amount) for leg in legs
    )
    return change


def _pending(change_id: int) -> BudgetChange:
    change = BudgetChange.objects.select_for_update().filter(pk=change_id).first()
    if change is None:
        raise EntryRefused([_("예산 변경 %(id)s이(가) 없습니다.") % {"id": change_id}])
    if change.status != BudgetChange.Status.PENDING:
        raise EntryRefused([_("이미 %(status)s된 변경입니다.") % {"status": change.get_status_display()}])
    return change


@transaction.atomic
def change_approve(*, change_id: int, user, note: str = "") -> BudgetChange:
    """Approve a pending change: its legs become budget amounts, checked again against commitments."""
    if not user.has_perm("budget.approve_budgetchange"):
        raise EntryRefused([_("예산 변경 승인은 재무책임자만 할 수 있습니다.")])
    change = _pending(change_id)
    if change.requested_by_id == user.pk:
        raise EntryRefused([_("자신이 요청한 변경은 승인할 수 없습니다 (요청과 승인은 다른 사람이 합니다).")])
    legs = [Leg(leg.line_id, leg.amount) for leg in change.legs.all()]
    lines = _lines(change.fiscal_year_id, legs)
    # The month may have closed and figures moved since the request: check again, under the change's lock.
    _check_period(change.fiscal_year_id, change.effective_date)
    errors = _check_shape(change.kind, change.fiscal_year_id, change.effective_date, legs, lines) or _check_figures(
        change.fiscal_year_id, change.effective_date, legs, lines
    )
    if errors:
        raise EntryRefused(errors)
    amounts = [
        BudgetAmount(
            line_id=leg.line_id,
            fiscal_year_id=change.fiscal_year_id,
            kind=change.kind,
            effective_date=change.effective_date,
            amount=leg.amount,
            reason=change.reason,
            reference=change.reference,
            change=change,
        )
        for leg in legs
    ]
    bulk_create_with_history(
        amounts,
        BudgetAmount,
        default_user=user,
        default_change_reason=_("예산 변경 승인: %(reason)s") % {"reason": change.reason},
    )
    return _decided(change, BudgetChange.Status.APPROVED, user, note)


@transaction.atomic
def change_reject(*, change_id: int, user, note: str) -> BudgetChange:
    if not note.strip():
        raise EntryRefused([_("반려 사유를 적어야 합니다.")])
    return _decided(_pending(change_id), BudgetChange.Status.REJECTED, user, note)


def _decided(change: BudgetChange, status: str, user, note: str) -> BudgetChange:
    """Record who decided a change, when and why; the change's history keeps it."""
    change.status = status
    change.decided_by = user
    change.decided_at = timezone.now()
    change.decision_note = note.strip()
    change._history_user = user
    change.save()
    return change


