"""결산 as a workbook: every figure the close writes, one sheet per table, as the council workbook draws
its tables (numbers in 천원 with △, never text)."""

from __future__ import annotations

from typing import IO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from budget.council.workbook import ORGANISATION, write_table
from budget.settlement.figures import YearClose
from budget.settlement.tables import SHEET_NAMES, settlement_tables


def write_settlement_sheets(wb: Workbook, close: YearClose) -> None:
    for table in settlement_tables(close):
        write_table(wb, table, SHEET_NAMES[table.key])


def write_settlement_workbook(close: YearClose, out: IO[bytes]) -> None:
    wb = Workbook(write_only=True)
    wb.properties.title = _("%(year)s 회계연도 결산") % {"year": close.year}
    wb.properties.creator = ORGANISATION
    write_settlement_sheets(wb, close)
    wb.save(out)
