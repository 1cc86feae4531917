"""The import templates: every line prefilled, the layout's columns, data validation on the amounts, and a
guide sheet."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from budget.core.amounts import MAX_AMOUNT
from budget.core.xlsx import NUMBER_FORMATS, SheetWriter
from budget.entry.sheet import month_sheet
from budget.imports.layout import (
    CODE,
    COMMITMENT,
    CURRENT,
    EXECUTION,
    EXPENDITURE,
    FIRST_DATA_ROW,
    HEADER_ROW,
    MAX_CELLS,
    MAX_DATA_ROWS,
    NAME,
    NOTE,
    PLAN,
    Layout,
)
from budget.plans.sheet import MONTHS, plan_sheet


def template_sheet(wb: Workbook, layout: Layout, row1: list, rows: list[list], widths: dict[str, float]):
    """The layout's sheet: row 1, the header in row 2, the rows, data validation on the amount cells."""
    ws = wb.create_sheet(layout.sheet)
    columns = layout.columns
    writer = SheetWriter(ws, [])
    # Text through the council workbook's cell writer: a line name or a note starting with = + - @
    # is stored as text with Excel's quote prefix, never as a formula.
    writer.append([writer.cell(v, border=False) for v in row1])
    writer.append([writer.cell(c, bold=True, align="center") for c in columns])
    for values in rows:
        cells = []
        for column, value in zip(columns, values, strict=True):
            if column in layout.amounts or column == CURRENT:
                cell = writer.cell(value, kind="money")
                cell.number_format = NUMBER_FORMATS["money"]
            else:
                cell = writer.cell(value, kind="text")
                cell.number_format = "@"  # so that a code typed as 1-1 stays text, not 1월 1일
            cells.append(cell)
        writer.append(cells)
    last = FIRST_DATA_ROW + max(len(rows), 1) - 1
    validation = DataValidation(
        type="whole",
        operator="between",
        formula1=str(layout.minimum),
        formula2=str(MAX_AMOUNT),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("금액"),
        error=_("원 단위 정수(%(min)s ~ %(max)s)만 적습니다.")
        % {"min": f"{layout.minimum:,}", "max": f"{MAX_AMOUNT:,}"},
    )
    for column in layout.amounts:
        letter = get_column_letter(columns.index(column) + 1)
        validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last}")
    ws.add_data_validation(validation)
    for i, column in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = widths.get(column, 14)
    ws.freeze_panes = f"C{FIRST_DATA_ROW}"
    return ws


def guide_sheet(wb: Workbook, lines: list[str]):
    ws = wb.create_sheet(_("안내"))
    writer = SheetWriter(ws, [])
    for line in lines:
        writer.append([writer.cell(line, border=False)])
    ws.column_dimensions["A"].width = 110


def common_guide(layout: Layout) -> list[str]:
    return [
        _(
            "시트 이름 '%(sheet)s'과(와) %(row)s행 머리글은 바꾸지 마세요. "
            "열 순서는 바꿔도 되고, 다른 열은 읽지 않습니다."
        )
        % {"sheet": layout.sheet, "row": HEADER_ROW},
        _("%(row)s행부터 한 행에 한 라인: 코드로 라인을 찾습니다 (사업명은 확인용). 한 코드는 한 번만 적습니다.")
        % {"row": FIRST_DATA_ROW},
        _("금액은 원 단위 정수입니다. 빈 칸은 0, 소수·글자·날짜는 받지 않습니다. 수식은 계산된 값으로 읽습니다."),
        _("파일에 없는 라인은 바뀌지 않습니다. 빈 행은 건너뜁니다. 병합한 셀은 풀어 주세요."),
        _(
            "올리면 먼저 미리 보기로 바뀌는 값과 오류(행·열·이유)를 보여 주고, 확인해야 반영합니다. "
            "파일은 5 MB까지입니다."
        ),
        _(
            "한 번에 데이터 %(rows)s행, 시트 전체 셀 %(cells)s개까지 읽습니다. 숨긴 행과 열도 읽으며, "
            "숨긴 시트, 값이 있는 숨긴 행과 열은 미리 보기에서 알려 줍니다."
        )
        % {"rows": f"{MAX_DATA_ROWS:,}", "cells": f"{MAX_CELLS:,}"},
    ]


def execution_template(year: int, month: int, out) -> None:
    """The month's import template, prefilled with every expenditure line and the month's figures."""
    sheet = month_sheet(year, month)
    wb = Workbook()
    wb.remove(wb.active)
    rows = [[sl.line.code, sl.line.name, sl.commitment, sl.expenditure, sl.note] for sl in sheet.lines]
    name_width = max((len(sl.line.name) for sl in sheet.lines), default=10) * 2 + 2
    template_sheet(
        wb,
        EXECUTION,
        ["회계연도", year, "월", month, _("단위: 원")],
        rows,
        {CODE: 9, NAME: min(name_width, 60), COMMITMENT: 18, EXPENDITURE: 18, NOTE: 40},
    )
    guide_sheet(
        wb,
        [
            _("%(year)s년 %(month)s월 집행 실적 가져오기 양식") % {"year": year, "month": month},
            _(
                "원인행위액·지출액은 이 달의 금액입니다 (누계 아님). "
                "음수는 지난 달 정정이며 비고에 사유를 적어야 합니다."
            ),
            _("같은 달을 다시 가져오면 더해지지 않고 파일의 값으로 바뀝니다."),
            *common_guide(EXECUTION),
        ],
    )
    wb.save(out)


def plan_template(year: int, out) -> None:
    """The year's plan template: every expenditure line, its 예산현액 at year end and its plan by month."""
    sheet = plan_sheet(year)
    wb = Workbook()
    wb.remove(wb.active)
    rows = []
    for pl in sheet.lines:
        row = [pl.line.code, pl.line.name, pl.current]
        for m in MONTHS:
            row.extend(pl.month(m))
        rows.append(row)
    name_width = max((len(pl.line.name) for pl in sheet.lines), default=10) * 2 + 2
    template_sheet(
        wb,
        PLAN,
        ["회계연도", year, None, None, _("단위: 원")],
        rows,
        {CODE: 9, NAME: min(name_width, 60), CURRENT: 16},
    )
    guide_sheet(
        wb,
        [
            _("%(year)s년 월별 집행계획 가져오기 양식") % {"year": year},
            _("달마다 계획 원인행위액과 계획 지출액을 적습니다. 계획은 음수일 수 없습니다."),
            _(
                "한 라인의 원인행위 계획 합계는 연말 예산현액을 넘을 수 없고, "
                "달마다 지출 계획 누계는 원인행위 계획 누계를 넘을 수 없습니다."
            ),
            _("예산현액 열은 확인용이며 읽지 않습니다."),
            *common_guide(PLAN),
        ],
    )
    wb.save(out)
