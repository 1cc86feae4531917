"""The council workbook: the report's tables as Excel, drawn from the same rows as the HTML page.

Written in openpyxl's write-only mode, row by row, so that a year of any size (the 월별 집행 sheet
of a synthetic year has 10,000 lines) is written in bounded memory. Every figure is a number with
a number format (△ for negatives), so a council clerk can still add cells up.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import IO

from django.db.models import F, Sum
from django.utils.translation import gettext as _
from openpyxl import Workbook

from budget.core.ledger import Ledger, latest_explanations
from budget.core.models import BudgetAmount, BudgetLine, ExecutionRecord
from budget.core.periods import covered_through
from budget.core.rows import Column, ReportTable, Row
from budget.core.xlsx import MAX_WIDTH, SheetWriter, column_widths, setup_sheet, text_width
from budget.reports.report import as_of_caption, report_tables
from budget.settlement.tables import SHEET_NAMES as SETTLEMENT_SHEETS

ORGANISATION = "서울디지털재단"


# Which rows sit one outline level below a subtotal: programs under an area or under 사업비.
OUTLINED = {"budget-by-program", "execution"}

SHEET_NAMES = {
    "revenue-summary": "세입 총괄",
    "expenditure-summary": "세출 총괄",
    "budget-by-program": "사업별 예산",
    "execution": "세출예산 집행현황",
    "revenue-execution": "세입 집행현황",
    "staffing": "인력 현황",
    **SETTLEMENT_SHEETS,
}


def write_table(wb: Workbook, table: ReportTable, sheet_name: str):
    ws = wb.create_sheet(sheet_name)
    # A table the app holds no figures for is its title and why: one column wide.
    columns = table.columns or [Column("label", "", "text")]
    header_rows = 2 if any(c.group for c in columns) else 1
    setup_sheet(ws, columns, column_widths(columns, table.rows), header_rows)
    writer = SheetWriter(ws, columns)
    writer.title(table.title, table.caption)
    if table.missing:
        writer.note(table.missing)
        return ws
    writer.header()
    for row in table.rows:
        outline = 1 if table.key in OUTLINED and row.get("level") == "item" else 0
        writer.data_row(row, outline=outline)
    for note in table.notes:
        writer.note(note)
    return ws


def monthly_rows(year: int, month: int) -> Iterator[Row]:
    """Line × month through `month`, commitments and expenditure: one streamed query, pivoted one line
    at a time. Records of later months are not read: a workbook as of a month says nothing later."""
    records = (
        ExecutionRecord.objects.filter(fiscal_year_id=year, month__lte=month)
        .values("line_id", "month")
        .annotate(commitment=Sum("commitment"), expenditure=Sum("expenditure"))
        .order_by("line_id", "month")
    )
    lines = (
        BudgetLine.objects.for_year(year)
        .expenditure()
        .order_by("pk")
        .values("pk", "code", "name")
        .iterator(chunk_size=2000)
    )
    records_iter = iter(records.iterator(chunk_size=2000))
    pending = next(records_iter, None)
    for line in lines:
        row: Row = {"level": "item", "code": line["code"], "name": line["name"]}
        while pending is not None and pending["line_id"] == line["pk"]:
            row[f"c{pending['month']}"] = pending["commitment"]
            row[f"e{pending['month']}"] = pending["expenditure"]
            pending = next(records_iter, None)
        yield row


def monthly_columns(month: int = 12) -> list[Column]:
    columns = [Column("code", _("코드"), "text"), Column("name", _("사업명"), "text")]
    for m in range(1, month + 1):
        group = _("%(month)s월") % {"month": m}
        columns += [Column(f"c{m}", _("원인행위액"), group=group), Column(f"e{m}", _("지출액"), group=group)]
    return columns


def write_monthly(wb: Workbook, year: int, month: int):
    """월별 집행 through the as-of month. A month that exists only inside a later cumulative record (the
    report's 1~9월 of 2022) has no figure of its own: its cells stay empty rather than show 0."""
    columns = monthly_columns(month)
    ws = wb.create_sheet(_("월별 집행"))
    # Widths from the names without holding the rows: one more light query over the line names.
    name_width = max(
        (text_width(name) for name in BudgetLine.objects.for_year(year).expenditure().values_list("name", flat=True)),
        default=20,
    )
    widths = [10, name_width] + [12] * (2 * month)
    setup_sheet(ws, columns, widths, header_rows=2)
    writer = SheetWriter(ws, columns)
    writer.title(_("%(year)s년 월별 집행") % {"year": year}, as_of_caption(year, month, "천원"))
    writer.header()
    through = covered_through(year)
    known = range(max(through, 1) if through <= month else month + 1, month + 1)
    for row in monthly_rows(year, month):
        for m in known:  # a known month without a record is 0, written as a number
            row.setdefault(f"c{m}", 0)
            row.setdefault(f"e{m}", 0)
        writer.data_row(row)
    if through and through <= month:
        writer.note(
            _("※ %(month)s월 값은 1~%(month)s월 누계입니다 (보고서가 월별 내역 없이 누계만 제시).") % {"month": through}
        )
    return ws


def program_rows(ledger: Ledger) -> list[Row]:
    from programs.models import Indicator

    indicators: dict[int, list[str]] = {}
    for indicator in Indicator.objects.select_related(None).order_by("program_id", "order"):
        value = indicator.value.normalize()
        text = f"{indicator.name} {indicator.period} {value:,f}{'여' if indicator.approximate else ''}{indicator.unit}"
        indicators.setdefault(indicator.program_id, []).append(" ".join(text.split()))
    # The newest 사유 of each program line up to the month (one query); it is user text, escaped on writing.
    reasons = {
        e.line_id: e.text for e in latest_explanations(ledger.year, ledger.month).filter(line__program__isnull=False)
    }
    rows = []
    for line in ledger.lines:
        if not line.program_id:
            continue
        figures = ledger.by("line", line.id)
        rows.append(
            {
                "level": "item",
                "code": line.program.code,
                "name": line.program.name,
                "team": line.program.owner_team.name,
                "current": figures.current,
                "commitment": figures.commitment,
                "expenditure": figures.expenditure,
                "rate": figures.expenditure_rate,
                "indicators": "\n".join(indicators.get(line.program_id, [])),
                "reason": reasons.get(line.id, ""),
            }
        )
    return rows


def write_programs(wb: Workbook, ledger: Ledger):
    columns = [
        Column("code", _("코드"), "text"),
        Column("name", _("사업명"), "text"),
        Column("team", _("담당 팀"), "text"),
        Column("current", _("예산현액")),
        Column("commitment", _("원인행위액")),
        Column("expenditure", _("지출액")),
        Column("rate", _("집행률"), "rate"),
        Column("indicators", _("주요 성과"), "text"),
        Column("reason", _("사유"), "text"),
    ]
    rows = program_rows(ledger)
    ws = wb.create_sheet(_("사업 현황"))
    widths = column_widths(columns, rows)
    widths[-2] = MAX_WIDTH
    setup_sheet(ws, columns, widths, header_rows=1)
    writer = SheetWriter(ws, columns)
    writer.title(_("%(year)s년 사업 현황") % {"year": ledger.year}, as_of_caption(ledger.year, ledger.month))
    writer.header()
    for row in rows:
        writer.data_row(row)


def write_changes(wb: Workbook, year: int, day: datetime.date):
    """예산 변경: the year's 추경, 이월, 전용 and other changes, as recorded (the report's totals excluded)."""
    columns = [
        Column("date", _("일자"), "text"),
        Column("kind", _("구분"), "text"),
        Column("line", _("예산 라인"), "text"),
        Column("amount", _("금액")),
        Column("reason", _("사유"), "text"),
        Column("reference", _("근거"), "text"),
    ]
    changes = (
        BudgetAmount.objects.filter(fiscal_year_id=year, effective_date__lte=day)
        .exclude(kind__in=[BudgetAmount.Kind.REPORTED_CURRENT, BudgetAmount.Kind.REPORTED_FINAL])
        .annotate(line_name=F("line__name"))
        .order_by("effective_date", "pk")
    )
    rows = [
        {
            "level": "item",
            "date": c.effective_date.isoformat(),
            "kind": BudgetAmount.Kind(c.kind).label,
            "line": c.line_name,
            "amount": c.amount,
            "reason": c.reason,
            "reference": c.reference,
        }
        for c in changes
    ]
    ws = wb.create_sheet(_("예산 변경"))
    setup_sheet(ws, columns, column_widths(columns, rows), header_rows=1)
    writer = SheetWriter(ws, columns)
    writer.title(_("%(year)s년 예산 변경") % {"year": year}, as_of_caption(year, day.month))
    writer.header()
    for row in rows:
        writer.data_row(row)
    if not rows:
        writer.note(_("기준일까지 기록된 추경·이월·전용이 없습니다."))


def workbook_checks(ledger: Ledger, tables: list[ReportTable]) -> list[str]:
    """What must hold before the council sees the tables; each failure is a sentence for the user."""
    failures = []
    by_key = {t.key: t for t in tables}
    revenue = by_key["revenue-summary"].rows[0]
    spending = by_key["expenditure-summary"].rows[0]
    for label, key in ((_("예산현액"), "current"), (_("전년도 최종예산"), "previous")):
        if revenue[key] is not None and revenue[key] != spending[key]:
            failures.append(
                _("세입 합계 %(r)s원과 세출 합계 %(e)s원이 다릅니다 (%(what)s).")
                % {"r": f"{revenue[key]:,}", "e": f"{spending[key]:,}", "what": label}
            )
    for table_key, amount_key in (("revenue-summary", "current"), ("expenditure-summary", "current")):
        rows = by_key[table_key].rows
        children = sum(row[amount_key] for row in rows[1:])
        if rows[0][amount_key] != children:
            failures.append(
                _("%(table)s: 계 %(total)s원이 항목 합 %(sum)s원과 다릅니다.")
                % {"table": by_key[table_key].title, "total": f"{rows[0][amount_key]:,}", "sum": f"{children:,}"}
            )
    budget_rows = by_key["budget-by-program"].rows
    subtotal = None
    items = 0
    for row in [*budget_rows, {"level": "end"}]:
        if row["level"] in ("subtotal", "total", "end"):
            if subtotal is not None and subtotal["amount"] != items:
                failures.append(
                    _("사업별 예산: %(group)s 소계 %(total)s원이 사업 합 %(sum)s원과 다릅니다.")
                    % {"group": subtotal["group"], "total": f"{subtotal['amount']:,}", "sum": f"{items:,}"}
                )
            subtotal, items = (row, 0) if row["level"] == "subtotal" else (None, 0)
        else:
            items += row["amount"]
    execution_rows = by_key["execution"].rows
    natures = sum(row["current"] for row in execution_rows if row["level"] == "subtotal")
    if execution_rows and execution_rows[0]["current"] != natures:
        failures.append(
            _("세출예산 집행현황: 계 %(total)s원이 성질별 합 %(sum)s원과 다릅니다.")
            % {"total": f"{execution_rows[0]['current']:,}", "sum": f"{natures:,}"}
        )
    return failures


def write_council_workbook(year: int, month: int, out: IO[bytes], *, checks: list[str] | None = None) -> list[str]:
    """Write the workbook to `out`; returns the failed checks (also written on a first sheet, if any)."""
    ledger = Ledger(year, month)
    tables = report_tables(year, month, ledger=ledger)
    failures = workbook_checks(ledger, tables) if checks is None else checks
    wb = Workbook(write_only=True)
    caption = as_of_caption(year, month)
    wb.properties.title = f"{year} 세입·세출 예산현황 {caption}"
    wb.properties.subject = _("서울특별시의회 제출 예산 자료")
    wb.properties.creator = ORGANISATION
    wb.properties.keywords = f"{ORGANISATION}; {year}; as_of={year}-{month:02d}"
    wb.properties.description = _("%(org)s 예산집행 관리에서 %(year)s-%(month)02d 기준으로 작성") % {
        "org": ORGANISATION,
        "year": year,
        "month": month,
    }
    if failures:
        ws = wb.create_sheet(_("점검 결과"))
        ws.append([_("내보내기 전 점검에서 맞지 않는 항목이 있습니다:")])
        for failure in failures:
            ws.append([failure])
    for table in tables:
        write_table(wb, table, SHEET_NAMES[table.key])
    write_monthly(wb, year, month)
    write_programs(wb, ledger)
    write_changes(wb, year, ledger.as_of)
    wb.save(out)
    return failures
