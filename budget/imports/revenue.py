"""Excel import of a month's 세입 수납: its layout, template and preview, read like the execution file.

- sheet ``세입수납``; row 1 ``회계연도 | 2023 | 월 | 2``; row 2 the header ``코드 | 사업명 | 수납액 | 비고``;
  from row 3, one row per revenue line (its code, as on the revenue sheet). 수납액 is the month's own, in won.

Confirming goes through budget.receipts.services.receipts_save, the revenue sheet's save: the same rules,
lock and version, and a file that changes nothing writes nothing.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook

from budget.core.amounts import MAX_AMOUNT
from budget.imports.layout import CODE, NAME, NOTE, Layout
from budget.imports.preview import Preview, list_changes, matched, preview_month_file, rule_problems
from budget.imports.templates import common_guide, guide_sheet, template_sheet
from budget.receipts.services import Receipt, receipts_check
from budget.receipts.sheet import RevenueSheet, revenue_sheet

COLLECTED = "수납액"

REVENUE = Layout(
    kind="revenue",
    sheet="세입수납",
    required=(CODE, COLLECTED, NOTE),
    informative=(NAME,),
    amounts=(COLLECTED,),
    note=NOTE,
    # A negative 수납 corrects an earlier month (the rules want a reason in 비고).
    minimum=-MAX_AMOUNT,
)


def preview_revenue(data: bytes, filename: str, *, year: int, month: int) -> Preview:
    """What importing the file as the month's 수납 would do, or why it cannot; saves nothing."""
    return preview_month_file(
        REVENUE, data, filename, year=year, month=month, sheet_of=revenue_sheet, fill_lines=_revenue_lines
    )


def _revenue_lines(preview: Preview, sheet: RevenueSheet, sheet_rows, *, check_rules: bool) -> None:
    lines = {sheet_line.line.code: sheet_line for sheet_line in sheet.lines}
    by_code = matched(preview, lines, sheet_rows, side=_("세입"))
    preview.entries = [
        Receipt(line_id=lines[code].line.id, collected=row.amounts[COLLECTED], note=row.note)
        for code, row in by_code.items()
    ]
    if check_rules:
        errors = receipts_check(year=sheet.year, month=sheet.month, receipts=preview.entries)
        rule_problems(sheet_rows, by_code, lines, errors)
    list_changes(
        preview,
        lines,
        by_code,
        before=lambda sheet_line: (sheet_line.collected, sheet_line.note),
        after=lambda row: (row.amounts[COLLECTED], row.note),
    )


def revenue_template(year: int, month: int, out) -> None:
    """The month's 수납 template, prefilled with every revenue line and the month's figures."""
    sheet = revenue_sheet(year, month)
    wb = Workbook()
    wb.remove(wb.active)
    rows = [[sl.line.code, sl.line.name, sl.collected, sl.note] for sl in sheet.lines]
    template_sheet(
        wb,
        REVENUE,
        ["회계연도", year, "월", month],
        rows,
        {CODE: 18, NAME: 24, COLLECTED: 18, NOTE: 40},
    )
    guide_sheet(
        wb,
        [
            _("%(year)s년 %(month)s월 세입 수납 가져오기 양식") % {"year": year, "month": month},
            _(
                "수납액은 이 달의 금액입니다 (누계 아님). 음수는 정정이며, 이미 입력된 달의 수납을 바꿀 때와 "
                "함께 비고에 사유를 적어야 합니다. 예산현액을 넘는 수납은 받아들이고 초과로 알려 줍니다."
            ),
            *common_guide(REVENUE),
        ],
    )
    wb.save(out)
