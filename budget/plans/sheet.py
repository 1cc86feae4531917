"""월별 집행계획: the plan sheet (every expenditure line with its planned months) and the plan's rules.

A line's plan is twelve months of planned commitment (원인행위) and expenditure (지출), in whole won.
Its rules, checked on every save whatever the source (the sheet, an Excel import):
- no planned amount is negative;
- the year's planned commitments do not exceed the line's 예산현액 as of the year's end (a plan
  cannot promise money the line will not have);
- by the end of every month, planned expenditure to date does not exceed planned commitment to date
  (money is paid out only on a commitment, as in execution).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from budget.core.ledger import Ledger
from budget.core.models import BudgetLine, MonthlyPlan
from budget.core.sections import sections
from budget.core.series import Flow, to_date

MONTHS = range(1, 13)


@dataclass(frozen=True)
class PlanEntry:
    line_id: int
    month: int
    commitment: int  # planned 원인행위액 of the month, won
    expenditure: int  # planned 지출액 of the month, won


@dataclass
class PlanLine:
    line: BudgetLine
    current: int  # 예산현액 at the year's end
    months: dict[int, Flow] = field(default_factory=dict)  # month -> its planned (commitment, expenditure)

    def month(self, month: int) -> Flow:
        return self.months.get(month, Flow())

    def through(self, month: int) -> Flow:
        """Planned commitment and expenditure from January through `month`."""
        return to_date(self.months, month)

    @property
    def annual(self) -> Flow:
        return self.through(12)

    @property
    def uncommitted(self) -> int:
        """What is left of 예산현액 to plan as commitment."""
        return self.current - self.annual[0]


@dataclass
class PlanSheet:
    year: int
    groups: list[tuple[str, list[PlanLine]]]
    records: dict[tuple[int, int], MonthlyPlan]  # (line id, month) -> the stored plan
    line_rows: list[dict] = field(default_factory=list)  # the ledger's rows of the lines (for paging)

    @property
    def lines(self) -> list[PlanLine]:
        return [line for _label, lines in self.groups for line in lines]

    @property
    def fingerprint(self) -> str:
        return plan_fingerprint((k[0], k[1], r.commitment, r.expenditure) for k, r in self.records.items())


def plan_fingerprint(plans) -> str:
    """A digest of a year's plan as (line id, month, commitment, expenditure) tuples.

    Plans carry no version counter of their own (MonthStatus counts execution saves), so a plan sheet
    or an import preview carries this digest, and a save refuses when the stored plan no longer has
    it. All-zero months count as absent: a month saved as zero is the same plan as a month not saved.
    """
    rows = sorted(p for p in plans if p[2] or p[3])
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:20]


def plan_sheet(year: int) -> PlanSheet:
    """Every expenditure line of the year with its 예산현액 at year end and its stored plan.

    Queries: the lines, the budget and execution by line (the Ledger's two), and the plans.
    """
    ledger = Ledger(year, 12)
    records = {(p.line_id, p.month): p for p in MonthlyPlan.objects.filter(fiscal_year_id=year)}
    by_line: dict[int, dict[int, Flow]] = {}
    for (line_id, month), plan in records.items():
        by_line.setdefault(line_id, {})[month] = Flow(plan.commitment, plan.expenditure)
    groups = [
        (
            label,
            [
                PlanLine(line=line, current=ledger.by("line", line.id).current, months=by_line.get(line.id, {}))
                for line in lines
            ],
        )
        for _code, label, lines in sections(ledger)
    ]
    return PlanSheet(year=year, groups=groups, records=records, line_rows=ledger.line_rows())


def _won(amount: int) -> str:
    return _("%(amount)s원") % {"amount": f"{amount:,}"}


def plan_merge(sheet: PlanSheet, entries: list[PlanEntry]) -> dict[int, PlanLine]:
    """The lines the entries touch, with the entries laid over their stored plan (the sheet is not changed)."""
    lines = {plan_line.line.id: plan_line for plan_line in sheet.lines}
    merged: dict[int, PlanLine] = {}
    for entry in entries:
        if entry.line_id not in lines:
            continue
        if entry.line_id not in merged:
            stored = lines[entry.line_id]
            merged[entry.line_id] = PlanLine(line=stored.line, current=stored.current, months=dict(stored.months))
        merged[entry.line_id].months[entry.month] = Flow(entry.commitment, entry.expenditure)
    return merged


def plan_check(sheet: PlanSheet, entries: list[PlanEntry]) -> dict[int | None, list[str]]:
    """Every plan rule the entries would break, by line id (None for entries of no line of the sheet)."""
    errors: dict[int | None, list[str]] = {}
    known = {plan_line.line.id for plan_line in sheet.lines}
    unknown = sorted({e.line_id for e in entries} - known)
    if unknown:
        errors[None] = [
            _("%(year)s년 세출 예산에 없는 라인입니다: %(ids)s")
            % {"year": sheet.year, "ids": ", ".join(map(str, unknown))}
        ]
    outside = sorted({e.month for e in entries if e.month not in MONTHS})
    if outside:
        errors.setdefault(None, []).append(
            _("%(months)s월은 회계연도 밖입니다 (1~12월).") % {"months": ", ".join(map(str, outside))}
        )
    for line_id, plan_line in plan_merge(sheet, [e for e in entries if e.month in MONTHS]).items():
        name = plan_line.line.name
        messages = []
        for month in MONTHS:
            for label, amount in zip((_("원인행위액"), _("지출액")), plan_line.month(month), strict=True):
                if amount < 0:
                    messages.append(
                        _("%(line)s · %(year)s년 %(month)s월 계획 %(label)s %(amount)s: 계획은 음수일 수 없습니다.")
                        % {"line": name, "year": sheet.year, "month": month, "label": label, "amount": _won(amount)}
                    )
        negative = bool(messages)
        commitment, _expenditure = plan_line.annual
        if commitment > plan_line.current:
            messages.append(
                _(
                    "%(line)s · %(year)s년 계획: 원인행위 계획 합계 %(total)s이(가) 연말 예산현액 %(budget)s을(를) "
                    "%(over)s 넘습니다."
                )
                % {
                    "line": name,
                    "year": sheet.year,
                    "total": _won(commitment),
                    "budget": _won(plan_line.current),
                    "over": _won(commitment - plan_line.current),
                }
            )
        # With a negative month the sums to date mean nothing: the negative is the one thing to fix.
        for month in () if negative else MONTHS:
            committed, spent = plan_line.through(month)
            if spent > committed:
                messages.append(
                    _(
                        "%(line)s · %(year)s년 %(month)s월 계획: 지출 계획 누계 %(spent)s이(가) "
                        "원인행위 계획 누계 %(committed)s을(를) 넘습니다."
                    )
                    % {
                        "line": name,
                        "year": sheet.year,
                        "month": month,
                        "spent": _won(spent),
                        "committed": _won(committed),
                    }
                )
                break  # the first month it happens says it; the later ones follow from it
        if messages:
            errors[line_id] = messages
    return errors
