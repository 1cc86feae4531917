"""A cell's value as the sheet holds it: a number, a date, a shared string, an error, a formula's cached
value or none."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openpyxl.utils.datetime import from_excel, from_ISO8601

from budget.imports.cells import NO_CACHED_VALUE, ErrorValue, LongText, is_blank
from budget.imports.layout import LONG_TEXT
from budget.imports.parts import DATE, TIMEDELTA, SharedStrings


def _number(text: str) -> int | float:
    """A number cell's text, as openpyxl reads it."""
    return float(text) if "." in text or "E" in text or "e" in text else int(text)


def holds(value: Any) -> bool:
    return value is not None and not is_blank(value)


@dataclass(slots=True)
class Cell:
    column: int
    type: str
    style: int
    keep: bool
    formula: bool = False
    value: list[str] | None = None  # <v>'s text, in pieces
    inline: list[str] | None = None  # <is>'s text, in pieces
    length: int = 0


def cell_value(cell: Cell, strings: SharedStrings, kinds: bytearray, epoch) -> Any:
    """The cell's value as openpyxl reads it with data_only (a formula's cached value), but for
    a formula without one (NO_CACHED_VALUE) and errors (ErrorValue)."""
    value = None
    if cell.length > LONG_TEXT:
        value = LongText(cell.length)
    elif cell.type == "inlineStr":
        value = "".join(cell.inline) if cell.inline is not None else None
    elif cell.value:
        value = typed(cell, "".join(cell.value), strings, kinds, epoch)
    if value is None and cell.formula:
        return NO_CACHED_VALUE
    return value


def typed(cell: Cell, text: str, strings: SharedStrings, kinds: bytearray, epoch) -> Any:
    kind = cell.type
    if not text:
        return None
    if kind == "n":
        number = _number(text)
        style = kinds[cell.style] if 0 <= cell.style < len(kinds) else 0
        if style & DATE:
            try:
                return from_excel(number, epoch, timedelta=bool(style & TIMEDELTA))
            except (OverflowError, ValueError):
                return ErrorValue("#VALUE!")  # as openpyxl: a date out of range is an error
        return number
    if kind == "s":
        return strings[int(text)]
    if kind == "b":
        return bool(int(text))
    if kind == "e":
        return ErrorValue(text)
    if kind == "d":
        return from_ISO8601(text)
    return text  # "str", a formula's text
