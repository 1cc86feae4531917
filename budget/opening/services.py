"""Opening year N+1 from year N (the finance lead): its lines as reviewed, each continuing line knowing the
line it continues; then its 본예산 from the budget book. Each one transaction, audited; a refusal saves
nothing.

Accounts, policy areas and programs are the app's, not a year's: they carry over as they are. A program is
renamed by renaming its line (the name the report prints); renaming the program itself would rewrite
year N's pages too.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from budget.core.errors import EntryRefused
from budget.core.models import Account, BudgetAmount, BudgetLine, FiscalYear
from budget.core.periods import closed_through, ensure_year_open
from budget.opening.carry import carryovers_write
from programs.models import Program

OPEN = "budget.close_month"  # the lead's right that finishes a year opens the next one


@dataclass(frozen=True)
class Keep:
    """A line of year N that continues into N+1, under this code and name (unchanged, or renamed)."""

    previous_id: int
    code: str
    name: str


@dataclass(frozen=True)
class New:
    """A line N+1 adds: its code, name, account (by code) and program (by code, or none)."""

    code: str
    name: str
    account: str
    program: str = ""


def _may(user) -> None:
    if user is None or not user.has_perm(OPEN):
        raise EntryRefused([_("다음 회계연도는 재무책임자만 열 수 있습니다.")])


def _check_lines(year: int, keep: list[Keep], add: list[New], previous: dict[int, BudgetLine]) -> list[str]:
    problems = []
    codes: dict[str, int] = {}
    for item in [*keep, *add]:
        code = item.code.strip()
        if not code or not item.name.strip():
            problems.append(_("코드와 예산사업명을 모두 적어야 합니다 (코드 '%(code)s').") % {"code": code})
        codes[code] = codes.get(code, 0) + 1
    problems += [
        _("%(next)s년에 코드 %(code)s인 라인이 %(count)s개입니다. 코드는 한 해에 하나입니다.")
        % {"next": year + 1, "code": code, "count": count}
        for code, count in codes.items()
        if count > 1
    ]
    unknown = [item.previous_id for item in keep if item.previous_id not in previous]
    if unknown:
        problems.append(_("%(year)s년 라인이 아닌 라인은 이어 갈 수 없습니다.") % {"year": year})
    return problems


@transaction.atomic
def year_open(*, year: int, user, keep: list[Keep], add: list[New]) -> FiscalYear:
    """Open year+1 from `year`: the kept lines continue (previous = the line of `year`), the new ones are
    added, every other line of `year` is retired. Year `year`'s approved 이월액, if any, are written on the
    continuing lines and on the 잉여금(이월금)수입 line. Refused when year+1 already has lines."""
    _may(user)
    source = FiscalYear.objects.select_for_update().filter(year=year).first()
    if source is None:
        raise EntryRefused([_("%(year)s 회계연도가 없습니다.") % {"year": year}])
    target, _created = FiscalYear.objects.select_for_update().get_or_create(year=year + 1)
    if BudgetLine.objects.for_year(year + 1).exists():
        raise EntryRefused([_("%(next)s 회계연도는 이미 열려 있습니다. 한 해는 한 번만 엽니다.") % {"next": year + 1}])
    previous = {line.pk: line for line in BudgetLine.objects.for_year(year)}
    problems = _check_lines(year, keep, add, previous)
    accounts = {a.code: a for a in Account.objects.all()}
    programs = {p.code: p for p in Program.objects.all()}
    used_programs = {previous[k.previous_id].program_id for k in keep if k.previous_id in previous}
    for item in add:
        if item.account not in accounts:
            problems.append(
                _("%(code)s: 과목 '%(account)s'이(가) 없습니다.") % {"code": item.code, "account": item.account}
            )
        if item.program and item.program not in programs:
            problems.append(
                _("%(code)s: 사업 '%(program)s'이(가) 없습니다.") % {"code": item.code, "program": item.program}
            )
        elif item.program and programs[item.program].pk in used_programs:
            problems.append(
                _("%(code)s: 사업 %(program)s은(는) 이미 다른 라인이 있습니다. 사업 하나에 한 해 한 라인입니다.")
                % {"code": item.code, "program": item.program}
            )
        elif item.program:
            used_programs.add(programs[item.program].pk)
    if problems:
        raise EntryRefused(problems)
    target._history_user = user
    target._change_reason = _("%(year)s년에서 열기") % {"year": year}
    target.save()
    order = 0
    created = []
    for item in keep:
        line = previous[item.previous_id]
        order = max(order, line.order)
        created.append(
            BudgetLine(
                fiscal_year=target,
                code=item.code.strip(),
                name=item.name.strip(),
                account_id=line.account_id,
                program_id=line.program_id,
                order=line.order,
                previous=line,
            )
        )
    for item in add:
        order += 1
        program = programs.get(item.program) if item.program else None
        created.append(
            BudgetLine(
                fiscal_year=target,
                code=item.code.strip(),
                name=item.name.strip(),
                account=accounts[item.account],
                program=program,
                order=order,
            )
        )
    BudgetLine.objects.bulk_create(created)
    carryovers_write(year=year, user=user)
    return target


@transaction.atomic
def budget_book_save(*, year: int, amounts: dict[int, int], user) -> int:
    """Write year's 본예산 from its budget book: one amount per line (line id → won), dated 1 January.
    Refused unless every line of the year has its amount, 세입 계 = 세출 계, the year is open with no month
    closed, and it has no 본예산 yet. Returns the total of either side."""
    _may(user)
    fiscal_year = FiscalYear.objects.select_for_update().filter(year=year).first()
    if fiscal_year is None:
        raise EntryRefused([_("%(year)s 회계연도가 없습니다.") % {"year": year}])
    ensure_year_open(fiscal_year)
    if closed_through(year):
        raise EntryRefused([_("%(year)s년은 이미 마감된 달이 있어 본예산을 넣을 수 없습니다.") % {"year": year}])
    if BudgetAmount.objects.filter(fiscal_year_id=year, kind=BudgetAmount.Kind.ORIGINAL).exists():
        raise EntryRefused([_("%(year)s년 본예산은 이미 들어 있습니다. 본예산은 한 번 넣습니다.") % {"year": year}])
    lines = {line.pk: line for line in BudgetLine.objects.for_year(year).select_related("account")}
    problems = []
    missing = [f"{line.code} {line.name}" for pk, line in lines.items() if pk not in amounts]
    if missing:
        problems.append(_("본예산이 없는 라인이 있습니다: %(lines)s.") % {"lines": ", ".join(missing)})
    if set(amounts) - set(lines):
        problems.append(_("%(year)s년 라인이 아닌 라인이 있습니다.") % {"year": year})
    negative = [f"{lines[pk].code}" for pk, won in amounts.items() if pk in lines and won < 0]
    if negative:
        problems.append(_("본예산은 0 이상이어야 합니다: %(lines)s.") % {"lines": ", ".join(negative)})
    revenue, expenditure = sides(amounts, lines)
    if revenue != expenditure:
        problems.append(
            _(
                "세입 계 %(revenue)s원과 세출 계 %(expenditure)s원이 다릅니다 (차이 %(gap)s원). "
                "본예산은 세입과 세출이 같아야 합니다."
            )
            % {"revenue": f"{revenue:,}", "expenditure": f"{expenditure:,}", "gap": f"{revenue - expenditure:,}"}
        )
    if problems:
        raise EntryRefused(problems)
    day = datetime.date(year, 1, 1)
    created = [
        BudgetAmount(
            line_id=pk,
            fiscal_year_id=year,
            kind=BudgetAmount.Kind.ORIGINAL,
            effective_date=day,
            amount=won,
            reason=_("%(year)s년 본예산 (예산서)") % {"year": year},
        )
        for pk, won in amounts.items()
        if won
    ]
    for amount in created:  # one by one, so that each leaves its history with who wrote it
        amount._history_user = user
        amount.save()
    return revenue


def sides(amounts: dict[int, int], lines: dict[int, BudgetLine]) -> tuple[int, int]:
    """세입 계 and 세출 계 of amounts by line id."""
    revenue = sum(won for pk, won in amounts.items() if pk in lines and lines[pk].account.side == "revenue")
    expenditure = sum(won for pk, won in amounts.items() if pk in lines and lines[pk].account.side == "expenditure")
    return revenue, expenditure
