"""Cells and rows, pure: every value a spreadsheet can hold is either read exactly (an amount, a code,
a note) or refused with a reason. No database, no file."""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from budget.core.amounts import MAX_AMOUNT, parse_amount
from budget.imports.layout import CODE, LONG_TEXT, NAME, NOTE_MAX, CellRefused, Layout, Problem


class _NoCachedValue:
    """A formula cell saved without its computed value (written by a program, never opened in Excel)."""

    def __repr__(self):
        return "NO_CACHED_VALUE"


NO_CACHED_VALUE = _NoCachedValue()


@dataclass(frozen=True)
class ErrorValue:
    """A cell holding a spreadsheet error (#DIV/0!, #REF!, ...), as a formula's cached value."""

    code: str


@dataclass(frozen=True)
class LongText:
    """A cell whose text is longer than LONG_TEXT characters: its length, not its text."""

    length: int


def check_special(value: Any) -> None:
    if value is NO_CACHED_VALUE:
        raise CellRefused(_("수식의 계산된 값이 없습니다. 엑셀에서 파일을 열어 다시 저장하거나, 값으로 붙여 넣으세요."))
    if isinstance(value, ErrorValue):
        raise CellRefused(_("수식 오류 값 %(value)s입니다.") % {"value": value.code})
    if isinstance(value, LongText):
        raise CellRefused(
            _("셀에 글자가 %(length)s자 있습니다. %(max)s자가 넘는 셀은 읽지 않습니다.")
            % {"length": f"{value.length:,}", "max": f"{LONG_TEXT:,}"}
        )


# Python refuses to turn an int of more than 4,300 digits into text; no cell value worth showing is
# anywhere near that long, so such a number is refused without being written out.
_SHOWN_DIGITS = 10**60


# Unicode's control (Cc) and surrogate (Cs) characters, but for line break and tab: as a regular
# expression, a long note is cleaned at C speed instead of one Python call per character.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def cell_text(value: Any) -> str:
    """A cell's value as a person reads it: 3.0 as 3, stripped, without invisible control characters
    (a NUL would be refused by PostgreSQL; a line break or tab typed in a note is kept)."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and abs(value) >= _SHOWN_DIGITS:
        raise CellRefused(_("%(digits)s자리가 넘는 숫자입니다.") % {"digits": 60})
    return _INVISIBLE.sub("", str(value)).strip()


def read_amount(value: Any) -> int:
    """Whole won from a cell: blank is 0, a number must be whole, text is read as typed (parse_amount).

    Raises CellRefused saying why; never anything else, whatever the value.
    """
    check_special(value)
    if value is None:
        return 0
    if isinstance(value, bool):  # before int: True is an int to Python, not an amount to anyone
        raise CellRefused(_("참/거짓 값(%(value)s)은 금액이 아닙니다.") % {"value": "TRUE" if value else "FALSE"})
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
        raise CellRefused(
            _("날짜·시간 값(%(value)s)은 금액이 아닙니다. 셀 서식을 숫자로 바꾸고 금액을 다시 적으세요.")
            % {"value": value}
        )
    if isinstance(value, Decimal) and not value.is_finite():
        raise CellRefused(_("'%(value)s'은(는) 금액이 아닙니다.") % {"value": value})
    if isinstance(value, float) and not math.isfinite(value):
        raise CellRefused(_("'%(value)s'은(는) 금액이 아닙니다.") % {"value": value})
    if isinstance(value, (float, Decimal)):
        if value != int(value):
            raise CellRefused(
                _("원 단위 미만(소수)은 입력할 수 없습니다: %(value)s. 수식이면 ROUND(…, 0)로 감싸세요.")
                % {"value": value}
            )
        value = int(value)
    if isinstance(value, int):
        if abs(value) > MAX_AMOUNT:
            shown = f"{value:,}원" if abs(value) < _SHOWN_DIGITS else _("%(digits)s자리가 넘는 금액") % {"digits": 60}
            raise CellRefused(
                _("%(value)s은(는) 입력할 수 있는 금액(±%(max)s원)을 넘습니다.")
                % {"value": shown, "max": f"{MAX_AMOUNT:,}"}
            )
        return value
    if isinstance(value, str):
        try:
            return parse_amount(value)
        except ValidationError as error:
            raise CellRefused(" ".join(error.messages)) from None
    raise CellRefused(_("금액으로 읽을 수 없는 값입니다: %(value)r") % {"value": value})


def read_code(value: Any) -> str:
    """A line code from a cell, stripped; '' when blank. Raises CellRefused."""
    check_special(value)
    if value is None:
        return ""
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
        # Excel turns a typed 1-1 into 1월 1일 unless the cell is text: say so rather than guess.
        raise CellRefused(
            _("코드가 날짜·시간(%(value)s)으로 읽혔습니다. 셀 서식을 텍스트로 바꾸고 '1-1'처럼 다시 적으세요.")
            % {"value": value}
        )
    if isinstance(value, bool):
        raise CellRefused(_("코드 자리에 참/거짓 값이 있습니다."))
    return cell_text(value)


def _note_too_long(length: int) -> CellRefused:
    return CellRefused(
        _("비고가 %(length)s자입니다. %(max)s자까지 적을 수 있습니다.") % {"length": length, "max": NOTE_MAX}
    )


def read_note(value: Any) -> str:
    """A note from a cell, stripped; numbers as they read. Raises CellRefused."""
    if isinstance(value, LongText):
        raise _note_too_long(value.length)
    check_special(value)
    if value is None:
        return ""
    text = cell_text(value)
    if len(text) > NOTE_MAX:
        raise _note_too_long(len(text))
    return text


@dataclass(frozen=True)
class ParsedRow:
    row: int
    code: str
    amounts: dict[str, int]  # column header -> won
    note: str = ""
    name: str = ""  # as the file has it, to compare with the line's name


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_row(
    layout: Layout, row: int, cells: dict[str, Any], letters: dict[str, str] | None = None
) -> tuple[ParsedRow | None, list[Problem]]:
    """One data row's cells (header -> value) as a ParsedRow, or the problems of each cell.

    A row whose cells are all blank is no row (None, no problems). Pure: this is where every value a
    spreadsheet can hold is either read exactly or refused with a reason.
    """
    letters = letters or {}
    if all(is_blank(cells.get(c)) for c in layout.required + layout.informative):
        return None, []
    problems: list[Problem] = []

    def refuse(column: str, error: CellRefused):
        problems.append(Problem(str(error), row=row, column=column, letter=letters.get(column)))

    code = ""
    try:
        code = read_code(cells.get(CODE))
        if not code:
            problems.append(
                Problem(
                    _("코드가 비어 있습니다. 코드가 없는 행(합계 행 등)은 지우세요."),
                    row=row,
                    column=CODE,
                    letter=letters.get(CODE),
                )
            )
    except CellRefused as error:
        refuse(CODE, error)
    amounts = {}
    for column in layout.amounts:
        try:
            amounts[column] = read_amount(cells.get(column))
        except CellRefused as error:
            refuse(column, error)
    note = ""
    if layout.note:
        try:
            note = read_note(cells.get(layout.note))
        except CellRefused as error:
            refuse(layout.note, error)
    name = cells.get(NAME)
    name = name.strip() if isinstance(name, str) else ""
    if problems:
        return None, problems
    return ParsedRow(row=row, code=code, amounts=amounts, note=note, name=name), []
