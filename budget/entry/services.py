"""Writes that change money or a month's state: each one transaction, each leaving history.

Every refusal raises EntryRefused with messages naming the line, the month and the amount; nothing
is saved then.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from budget.core.errors import EntryRefused, StaleSheet, refuse_broken
from budget.core.models import BudgetChange, BudgetLine, ExecutionRecord, FiscalYear, MonthStatus
from budget.core.month_records import records_to_write, write_records
from budget.core.periods import closed_months, covered_through, ensure_month_version, lock_month
from budget.core.rules import execution_problems, line_years, reserve_execution_problem, won
from budget.entry.sheet import lock_message, month_sheet

__all__ = ["Entry", "EntryRefused", "StaleSheet", "month_save", "month_close", "month_reopen", "month_import"]


@dataclass(frozen=True)
class Entry:
    line_id: int
    commitment: int  # this month's 원인행위액, won
    expenditure: int  # this month's 지출액, won
    note: str = ""


def _check(sheet, entries: dict[int, Entry]) -> dict[int | None, list[str]]:
    """Every rule broken, by line (None for what belongs to no line of the sheet).

    The month itself is checked with the figures on the sheet (and says what is left to commit);
    a line that passes is then checked at every later month of the year, since this month's amounts
    move every later month's cumulative figures.
    """
    errors: dict[int | None, list[str]] = {}
    where = _("%(year)s년 %(month)s월") % {"year": sheet.year, "month": sheet.month}
    years = line_years(sheet.year, [line_id for line_id in entries if line_id in sheet.line_ids])
    for sheet_line in sheet.lines:
        entry = entries.get(sheet_line.line.id)
        if entry is None:
            continue
        name = sheet_line.line.name
        line_errors = errors.setdefault(sheet_line.line.id, [])
        line_year = years[sheet_line.line.id]
        reserve = reserve_execution_problem(line_year, sheet.month, entry.commitment, entry.expenditure)
        if reserve:
            line_errors.append(reserve)
            continue
        for label, amount in ((_("원인행위액"), entry.commitment), (_("지출액"), entry.expenditure)):
            if amount < 0 and not entry.note.strip():
                line_errors.append(
                    _("%(line)s · %(where)s · %(label)s %(amount)s: 음수는 정정이므로 사유를 적어야 합니다.")
                    % {"line": name, "where": where, "label": label, "amount": won(amount)}
                )
        commitment = sheet_line.commitment_before + entry.commitment
        expenditure = sheet_line.expenditure_before + entry.expenditure
        if commitment > sheet_line.current:
            line_errors.append(
                _(
                    "%(line)s · %(where)s · 원인행위액 %(amount)s: 원인행위 누계 %(total)s이(가) "
                    "예산현액 %(budget)s을(를) 넘습니다. 원인행위 가능 잔액은 %(left)s입니다."
                )
                % {
                    "line": name,
                    "where": where,
                    "amount": won(entry.commitment),
                    "total": won(commitment),
                    "budget": won(sheet_line.current),
                    "left": won(sheet_line.current - sheet_line.commitment_before),
                }
            )
        if expenditure > commitment:
            line_errors.append(
                _(
                    "%(line)s · %(where)s · 지출액 %(amount)s: 지출 누계 %(total)s이(가) "
                    "원인행위 누계 %(committed)s을(를) 넘습니다."
                )
                % {
                    "line": name,
                    "where": where,
                    "amount": won(entry.expenditure),
                    "total": won(expenditure),
                    "committed": won(commitment),
                }
            )
        if commitment < 0 or expenditure < 0:
            line_errors.append(
                _("%(line)s · %(where)s: 정정 후 누계가 음수가 됩니다 (원인행위 %(c)s, 지출 %(e)s).")
                % {"line": name, "where": where, "c": won(commitment), "e": won(expenditure)}
            )
        if not line_errors and sheet.month < 12:
            after = line_year.with_month(sheet.month, entry.commitment, entry.expenditure)
            line_errors += execution_problems(after, sheet.month + 1, saved=sheet.month)
    unknown = set(entries) - sheet.line_ids
    if unknown:
        errors.setdefault(None, []).append(
            _("%(year)s년 세출 예산에 없는 라인입니다: %(ids)s")
            % {"year": sheet.year, "ids": ", ".join(map(str, sorted(unknown)))}
        )
    return errors


@transaction.atomic
def month_save(*, year: int, month: int, entries: list[Entry], user, version: int, reason: str = "") -> int:
    """Save one month's commitments and expenditure for any number of lines, all or nothing.

    Amounts are this month's, in whole won. `version` is the one the sheet was drawn at; returns
    the month's new version. Queries: a fixed number, whatever the number of lines.
    """
    status = lock_month(year, month)  # refuses a finished year
    # The month's lock and version before any line is read: a save refused as closed or stale (a busy month's
    # commonest answer) costs no figures.
    locked = lock_message(year, month, closed=status.closed, covered=covered_through(year))
    if locked:
        raise EntryRefused([locked])
    ensure_month_version(status, version)
    by_line = {entry.line_id: entry for entry in entries}
    # Only the lines saved are read (each is checked over its whole year): one cell saved on a year of
    # thousands of lines costs a few lines' figures, not the year's.
    sheet = month_sheet(year, month, lines=BudgetLine.objects.filter(pk__in=list(by_line)))
    refuse_broken({line: messages for line, messages in _check(sheet, by_line).items() if messages})

    fields = ("commitment", "expenditure", "note")
    wanted = {line_id: (e.commitment, e.expenditure, e.note) for line_id, e in by_line.items()}
    created, updated = records_to_write(
        ExecutionRecord, year, month, wanted, fields, create=lambda values: values[0] or values[1]
    )
    change_reason = reason or _("%(year)s년 %(month)s월 집행 입력") % {"year": year, "month": month}
    write_records(status, ExecutionRecord, created, updated, fields, user=user, change_reason=change_reason)
    return status.version


def _may(user, permission: str, message: str) -> None:
    """The role check of a write that only some roles may make, whichever way it comes in."""
    if user is None or not user.has_perm(permission):
        raise EntryRefused([message])


@transaction.atomic
def month_close(*, year: int, month: int, user) -> None:
    """Close a month (finance lead only): from now on its figures, and every view as of it, stay as they are.

    Months close in order, each after the one before it (or the report's cumulative months); the
    previous year's December must be closed first, since every view compares with its final budget;
    and a budget change still waiting for approval inside the month must be decided first, since
    once the month is closed it could never take effect.
    """
    _may(user, "budget.close_month", _("월 마감은 재무책임자만 할 수 있습니다."))
    status = lock_month(year, month)
    where = {"year": year, "month": month}
    if status.closed:
        raise EntryRefused([_("%(year)s년 %(month)s월은 이미 마감되었습니다.") % where])
    covered = covered_through(year)
    if month <= covered:
        raise EntryRefused([_("%(year)s년 %(month)s월은 보고서 누계로 확정된 달입니다.") % where])
    closed = closed_months(year)
    open_before = [m for m in range(covered + 1, month) if m not in closed]
    if open_before:
        raise EntryRefused(
            [
                _("%(year)s년 %(month)s월보다 앞선 %(open)s이(가) 아직 마감되지 않았습니다. 달은 순서대로 마감합니다.")
                % {**where, "open": ", ".join(_("%(m)s월") % {"m": m} for m in open_before)}
            ]
        )
    previous = FiscalYear.objects.filter(year=year - 1).first()
    if previous is not None and not previous.finished and 12 not in closed_months(year - 1):
        raise EntryRefused(
            [
                _(
                    "%(previous)s년 12월이 마감되지 않아 %(year)s년 %(month)s월을 마감할 수 없습니다 "
                    "(비교하는 전년도 최종예산이 먼저 확정되어야 합니다)."
                )
                % {**where, "previous": year - 1}
            ]
        )
    pending = list(
        BudgetChange.objects.filter(
            fiscal_year_id=year, status=BudgetChange.Status.PENDING, effective_date__month__lte=month
        ).values_list("pk", "effective_date")
    )
    if pending:
        raise EntryRefused(
            [
                _(
                    "%(year)s년 %(month)s월까지 날짜가 있는 승인 대기 예산 변경을 먼저 승인하거나 "
                    "반려하세요: %(changes)s"
                )
                % {**where, "changes": ", ".join(f"#{pk} ({day.isoformat()})" for pk, day in pending)}
            ]
        )
    status.closed = True
    status.closed_at = timezone.now()
    status.version += 1
    status._history_user = user
    status._change_reason = _("월 마감")
    status.save()


@transaction.atomic
def month_reopen(*, year: int, month: int, user, reason: str) -> None:
    """Reopen a closed month (finance lead only, with a reason kept in its history), the last closed
    one only: a later closed month's figures are cumulative from this one's."""
    _may(user, "budget.reopen_month", _("마감 해제는 재무책임자만 할 수 있습니다."))
    if not reason.strip():
        raise EntryRefused([_("마감 해제 사유를 적어야 합니다.")])
    status = lock_month(year, month)
    if not status.closed:
        raise EntryRefused([_("%(year)s년 %(month)s월은 마감되지 않았습니다.") % {"year": year, "month": month}])
    later = sorted(m for m in closed_months(year) if m > month)
    if later:
        raise EntryRefused(
            [
                _("%(year)s년 %(later)s월이 마감되어 있어 %(month)s월을 해제할 수 없습니다. 뒤의 달부터 해제하세요.")
                % {"year": year, "month": month, "later": later[-1]}
            ]
        )
    status.closed = False
    status.closed_at = None
    status.version += 1
    status._history_user = user
    status._change_reason = reason.strip()
    status.save()


def month_check(*, sheet, entries: list[Entry]) -> dict[int | None, list[str]]:
    """The rules month_save applies to `entries`, without saving: broken ones by line, for a preview.

    `sheet` is month_sheet(year, month) as the caller already has it.
    """
    by_line = {entry.line_id: entry for entry in entries}
    return {line: messages for line, messages in _check(sheet, by_line).items() if messages}


def month_import(*, year: int, month: int, entries: list[Entry], user, version: int, source: str) -> tuple[int, int]:
    """Apply a month's figures read from a file, as month_save saves the month sheet.

    The file's figures replace the month's figures of the lines it lists (lines it does not list
    keep theirs), through month_save: its rules, lock and version check, in one transaction. An
    import that would change nothing writes nothing (no new version, no history), so importing
    one file twice leaves the month as the first import left it. `version` is the month's version
    when the file was previewed. Returns (the month's version after, how many lines changed).
    """
    # Read without the lock: a no-op needs none (it is true of the month as read), and any write
    # goes through month_save, which locks the month and checks the version again.
    status = MonthStatus.objects.filter(fiscal_year_id=year, month=month).first() or MonthStatus(month=month)
    finished = FiscalYear.objects.filter(year=year, finished=True).exists()
    locked = lock_message(year, month, closed=status.closed, covered=covered_through(year), finished=finished)
    if locked:
        raise EntryRefused([locked])
    stale = StaleSheet(
        [
            _(
                "미리 보기 뒤에 다른 사용자가 %(year)s년 %(month)s월을 저장했습니다. "
                "파일을 다시 올려 바뀐 값으로 미리 보기를 확인하세요."
            )
            % {"year": year, "month": month}
        ]
    )
    if status.version != version:
        raise stale
    stored = {
        r.line_id: (r.commitment, r.expenditure, r.note)
        for r in ExecutionRecord.objects.filter(fiscal_year_id=year, month=month)
    }
    changed = sum(stored.get(e.line_id, (0, 0, "")) != (e.commitment, e.expenditure, e.note) for e in entries)
    if not changed:
        return status.version, 0
    try:
        new_version = month_save(year=year, month=month, entries=entries, user=user, version=version, reason=source)
    except StaleSheet:
        raise stale from None  # month_save's own message speaks of the month sheet, not of a file
    return new_version, changed
