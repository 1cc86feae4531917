"""The report's tables as plain rows: computed once, drawn as HTML (tables2) and as Excel.

Every value in a row is an exact int (won, people) or an exact Fraction (a rate, a share), or a
Marker where a rate is not a number. Units and rounding are applied by `display` at the edge.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from budget.core.figures import Comparison, Execution, percent
from budget.core.ledger import Ledger
from budget.core.models import Account
from budget.core.rows import Column, ReportTable, Row
from budget.core.sections import sections
from budget.core.terms import term
from budget.settlement.tables import settled_tables
from foundation.models import OutsideStaff, Staffing


def as_of_caption(year: int, month: int, unit: str | None = None) -> str:
    """The report's caption: ('22.9월 기준, 단위 : 천원, %)."""
    return _("('%(yy)02d.%(month)s월 기준, 단위 : %(unit)s)") % {
        "yy": year % 100,
        "month": month,
        "unit": unit or _("천원, %"),
    }


def comparison_row(label: str, level: str, current: int, previous: int | None) -> Row:
    """A row of this year against the year before: the change and its rate (no change where the year before
    is not held)."""
    if previous is None:  # a year the app does not hold: nothing to compare with, not a base of zero
        return {"label": label, "level": level, "current": current, "previous": None, "change": None}
    comparison = Comparison(current, previous)
    return {
        "label": label,
        "level": level,
        "current": current,
        "previous": previous,
        "change": comparison.change,
        "change_rate": comparison.change_rate,
    }


def side_summary(ledger: Ledger, side: str) -> ReportTable:
    """세입 총괄 or 세출 총괄: this year's 예산현액 against last year's final budget, by account."""
    year, previous = ledger.year, ledger.year - 1
    figures = ledger.accounts_two_years
    if ledger.previous_year is not None:
        # Last year held line by line: each line's final budget under the nature of the line continuing it.
        moved = ledger.previous_year.by_account
        figures = {pk: (figures.get(pk, (0, 0))[0], moved.get(pk, 0)) for pk in figures.keys() | moved.keys()}
    accounts = [(a.name, *figures.get(a.pk, (0, 0))) for a in ledger.accounts if a.side == side]
    totals = {"current": sum(a[1] for a in accounts), "previous": sum(a[2] for a in accounts)}
    held = ledger.previous_held

    def compared(amount: int) -> int | None:
        return amount if held else None

    rows = [comparison_row(_("계"), "total", totals["current"], compared(totals["previous"]))]
    rows += [comparison_row(name, "item", current, compared(last)) for name, current, last in accounts]
    title = _("세입 총괄") if side == Account.Side.REVENUE else _("세출 총괄")
    columns = [
        Column("label", _("구 분"), "text"),
        Column("current", _("%(year)s 예산현액") % {"year": year}),
    ]
    notes = []
    if held:
        columns += [
            Column("previous", _("%(year)s 최종예산") % {"year": previous}),
            Column("change", _("증감액"), group=_("증 감")),
            Column("change_rate", _("증감률"), "change_rate", group=_("증 감")),
        ]
    else:
        notes.append(_("%(previous)s 회계연도 자료가 없어 전년도와 비교하지 않습니다.") % {"previous": previous})
    if any(row["previous"] == 0 and row["current"] for row in rows):
        notes.append(_("순증: 전년도 예산이 없어 증감률을 계산할 수 없는 항목"))
    return ReportTable(f"{side}-summary", title, as_of_caption(year, ledger.month), columns, rows, notes)


def budget_by_program(ledger: Ledger) -> ReportTable:
    """2022년 예산: areas with their 소계 and programs, 행정운영경비, 예비비, 합계; with 구성비."""
    total = ledger.total.current
    rows: list[Row] = []
    for code, label, lines in sections(ledger):
        amount = ledger.by("section", code).current
        rows.append(
            {
                "group": label,
                "label": _("소 계"),
                "level": "subtotal",
                "amount": amount,
                "share": percent(amount, total),
                "note": "",
            }
        )
        for line in lines:
            amount = ledger.by("line", line.id).current
            rows.append(
                {
                    "group": "",
                    "label": line.name,
                    "level": "item",
                    "amount": amount,
                    "share": percent(amount, total),
                    "note": "",
                    "line": line,
                }
            )
    rows.append(
        {"group": _("합계"), "label": "", "level": "total", "amount": total, "share": percent(total, total), "note": ""}
    )
    columns = [
        Column("group", _("구 분"), "text"),
        Column("label", _("사업명"), "text"),
        Column("amount", _("예산액")),
        Column("share", _("구성비"), "share"),
        Column("note", _("비 고"), "text"),
    ]
    return ReportTable(
        "budget-by-program",
        _("%(year)s년 예산") % {"year": ledger.year},
        as_of_caption(ledger.year, ledger.month),
        columns,
        rows,
        [_("예산액은 예산현액 기준, 구성비는 합계 대비 비율")],
    )


def execution_row(label: str, level: str, figures: Execution, **extra) -> Row:
    return {
        "label": label,
        "level": level,
        "current": figures.current,
        "commitment": figures.commitment,
        "expenditure": figures.expenditure,
        "commitment_rate": figures.commitment_rate,
        "expenditure_rate": figures.expenditure_rate,
        "remaining": figures.remaining,
        "uncommitted": figures.uncommitted,
        "unpaid": figures.unpaid,
        **extra,
    }


def execution(ledger: Ledger) -> ReportTable:
    """세출예산 집행현황: by nature, with the programs under 사업비; 예산현액 as of the month's end."""
    if not ledger.execution_held:
        missing = _("%(year)s년 집행 실적은 이 앱에 없습니다 (보고서가 %(year)s년은 최종예산만 제시).") % {
            "year": ledger.year
        }
        return ReportTable(
            "execution", _("세출예산 집행현황"), as_of_caption(ledger.year, ledger.month), [], [], missing=missing
        )
    rows = [execution_row(_("계"), "total", ledger.total)]
    natures: dict[int, list] = {}
    for line in ledger.lines:
        natures.setdefault(line.account_id, []).append(line)
    for lines in sorted(natures.values(), key=lambda ls: ls[0].account.order):
        account = lines[0].account
        rows.append(execution_row(account.name, "subtotal", ledger.by("account", account.id)))
        rows += [
            execution_row(line.name, "item", ledger.by("line", line.id), line=line) for line in lines if line.program_id
        ]
    columns = [
        Column("label", _("구 분"), "text"),
        Column("current", _("예산현액")),
        Column("commitment", _("원인행위액"), group=_("집행액")),
        Column("expenditure", _("지출액"), group=_("집행액")),
        Column("commitment_rate", _("원인행위"), "rate", group=_("집행률(%)")),
        Column("expenditure_rate", _("지출액"), "rate", group=_("집행률(%)")),
    ]
    return ReportTable("execution", _("세출예산 집행현황"), as_of_caption(ledger.year, ledger.month), columns, rows)


def staffing(day: datetime.date) -> ReportTable:
    """인력 현황: 정원, 현원 and 과부족 (현원 − 정원) by grade, as of the latest count on or before `day`."""
    latest = Staffing.objects.filter(as_of__lte=day).order_by("-as_of").values_list("as_of", flat=True).first()
    if latest is None:
        missing = _("%(day)s 이전의 인력 현황 자료가 없습니다.") % {"day": day.isoformat()}
        return ReportTable("staffing", _("인력"), "", [], [], missing=missing)
    counts = list(Staffing.objects.filter(as_of=latest).select_related("grade").order_by("grade__order"))
    # The 계 added up from the grades' rows already read, as every total is.
    totals = {"authorised": sum(c.authorised for c in counts), "actual": sum(c.actual for c in counts)}
    outside = list(OutsideStaff.objects.filter(as_of=latest).order_by("order"))
    outside_total = sum(o.count for o in outside)
    columns = [Column("label", _("구 분"), "text"), Column("total", _("계"), "count")]
    columns += [Column(f"grade_{c.grade_id}", c.grade.name, "count") for c in counts]
    authorised: Row = {"label": _("정 원"), "level": "item", "total": totals["authorised"]}
    actual: Row = {"label": _("현 원"), "level": "item", "total": totals["actual"]}
    gap: Row = {"label": _("과부족"), "level": "item", "total": totals["actual"] - totals["authorised"]}
    for c in counts:
        authorised[f"grade_{c.grade_id}"] = c.authorised
        actual[f"grade_{c.grade_id}"] = c.actual
        gap[f"grade_{c.grade_id}"] = c.actual - c.authorised
    # 과부족 is drawn by its own rule (+3, △1, -): a row may re-kind its cells.
    gap["kinds"] = {c.key: "gap" for c in columns if c.kind == "count"}
    notes = []
    if outside:
        notes.append(
            _("※ 정원 외 인력 : %(list)s")
            % {"list": ", ".join(_("%(kind)s %(n)s명") % {"kind": term(o.kind), "n": o.count} for o in outside)}
        )
    return ReportTable(
        "staffing",
        _("인력 : %(n)s명") % {"n": totals["actual"] + outside_total},
        _("('%(yy)s.%(month)s월 기준, 단위: 명)") % {"yy": f"{latest:%y}", "month": latest.month} if latest else "",
        columns,
        [authorised, actual, gap],
        notes,
    )


def report_tables(year: int, month: int, *, ledger: Ledger | None = None) -> list[ReportTable]:
    from budget.reports.revenue import revenue_execution  # it draws its caption from this module

    ledger = ledger or Ledger(year, month)
    return [
        side_summary(ledger, Account.Side.REVENUE),
        side_summary(ledger, Account.Side.EXPENDITURE),
        budget_by_program(ledger),
        execution(ledger),
        revenue_execution(ledger),
        staffing(ledger.as_of),
        # A settled year's 결산, on its view as of December.
        *settled_tables(year, ledger.month),
    ]
