"""A ReportTable as CSV, and the one rule for a cell's value as data (CSV, the API's JSON, the open data).

The page and the workbook round to 천원 and one decimal; data keeps what the app computed: amounts in whole
won, counts as integers, and rates (always a percentage) as exact decimal text (`exact_decimal`). A rate
that is not a number is its marker (순증, -); a missing one is empty (null in JSON).

The file is UTF-8 with a byte-order mark (without it Excel reads Hangul as the system's legacy code page)
and has one header row: a column under a group is headed "group label", each with its unit.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from budget.core.figures import Marker
from budget.core.rows import Column, ReportTable, Row, cell_kind
from budget.core.xlsx import FORMULA_STARTS

BOM = "\ufeff"

# Places kept of a rate whose decimal expansion does not end (a third, a seventh): the value is cut there,
# toward zero, never rounded. Cut at two or more places it stays on the same side of every half-way point of
# the one-decimal display (which has two places), so half-up rounding of the text gives the page's figure.
RATE_PLACES = 12

RATE_KINDS = ("rate", "share", "change_rate")
INTEGER_KINDS = ("money", "count", "gap")


def exact_decimal(value: Fraction | Decimal | int) -> str:
    """A rate as decimal text: exact when its expansion ends within RATE_PLACES places (every rate of the
    2022 report does), else cut after them; no trailing zeros, and no exponent."""
    value = Fraction(value)
    scaled = abs(value) * 10**RATE_PLACES
    digits = scaled.numerator // scaled.denominator
    text = f"{Decimal(digits).scaleb(-RATE_PLACES):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"-{text}" if value < 0 and text != "0" else text


def data_value(value: Any, kind: str) -> int | str | None:
    """What a cell holds as data: int for amounts and people, exact decimal text for rates, a marker's
    words for a rate that is not a number, None for none."""
    if value is None:
        return None
    if isinstance(value, Marker):
        return _(value)
    if kind in INTEGER_KINDS:
        return int(value)
    if kind in RATE_KINDS:
        return exact_decimal(value)
    return str(value)


def escaped(text: str) -> str:
    """Text a spreadsheet could take for a formula starts with a quote, as the workbook's quote prefix does."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def column_unit(column: Column) -> str:
    if column.kind == "money":
        return _("원")
    if column.kind in RATE_KINDS:
        return "%"
    if column.kind in ("count", "gap"):
        return _("명")
    return ""


def header(column: Column) -> str:
    """One header cell for what the report heads in two rows; the unit added where the label lacks it."""
    label = f"{column.group} {column.label}" if column.group else column.label
    unit = column_unit(column)
    if unit and f"({unit}" not in label:  # 집행률(%) says it already; 원인행위액 does not (its 원 is not a unit)
        label = f"{label} ({unit})"
    return label


def csv_cell(row: Row, column: Column) -> int | str:
    kind = cell_kind(row, column)
    value = data_value(row.get(column.key), kind)
    if value is None:
        return ""
    if kind == "text" and isinstance(value, str):
        return escaped(value)
    return value


def write_csv(table: ReportTable, out: io.TextIOBase, *, names: bool = False) -> None:
    """The header row, then a row per table row. `names` heads the columns by their keys instead of their
    labels: a data file whose schema names its fields (the open data package)."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.key if names else header(c) for c in table.columns])
    for row in table.rows:
        writer.writerow([csv_cell(row, c) for c in table.columns])


def table_csv(table: ReportTable, *, names: bool = False) -> bytes:
    out = io.StringIO()
    out.write(BOM)
    write_csv(table, out, names=names)
    return out.getvalue().encode("utf-8")


def csv_response(table: ReportTable, filename: str, *, names: bool = False) -> HttpResponse:
    """The table as a download; `filename` is ASCII (the table's key and period), so no browser mangles it."""
    response = HttpResponse(table_csv(table, names=names), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
