"""What reading a sheet gives (its parsed rows, problems and warnings) and the checks on it that need the
whole sheet: merged cells, and what is hidden."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from budget.imports.book import SHOWN
from budget.imports.cells import ParsedRow
from budget.imports.layout import FIRST_DATA_ROW, Layout, Problem


@dataclass
class SheetRows:
    """What was read from a file: its rows (parsed), and where things are."""

    layout: Layout
    rows: list[ParsedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    year: int | None = None  # from row 1, if it says
    month: int | None = None
    letters: dict[str, str] = field(default_factory=dict)  # header -> column letter
    warnings: list[Problem] = field(default_factory=list)  # what is read but may not be seen (hidden)
    unlisted: int = 0  # the rows' problems past MAX_PROBLEMS: counted, not kept


class Runs:
    """Ascending numbers as runs (5, 7~9): the first SHOWN runs, and how many numbers after them."""

    def __init__(self):
        self.runs: list[list[int]] = []
        self.more = 0

    def add(self, n: int) -> None:
        if self.more == 0 and self.runs and self.runs[-1][1] == n - 1:
            self.runs[-1][1] = n
        elif len(self.runs) < SHOWN and self.more == 0:
            self.runs.append([n, n])
        else:
            self.more += 1

    def __bool__(self):
        return bool(self.runs)


def shown(items: list[str], more: int, unit: str) -> str:
    shown = ", ".join(items)
    if not more:
        return shown
    return _("%(shown)s 외 %(more)s개%(unit)s") % {"shown": shown, "more": f"{more:,}", "unit": unit}


def joined(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Row spans, sorted and overlapping ones joined: one lookup per row tells whether it is in one."""
    joined: list[tuple[int, int]] = []
    for first, last in sorted(spans):
        if joined and first <= joined[-1][1] + 1:
            joined[-1] = (joined[-1][0], max(joined[-1][1], last))
        else:
            joined.append((first, last))
    return joined


def merged_problems(
    layout: Layout, merges: list[tuple[int, int, int, int]], columns: dict[str, int]
) -> tuple[list[Problem], list[tuple[int, int]]]:
    """Merged cells a person could not mean for one row: over rows, or over two of the columns read.

    Returns the problems and the rows they span (first, last), which are not read further.
    """
    read = {index: name for name, index in columns.items() if name in layout.required}
    problems, spans = [], []
    for min_col, min_row, max_col, max_row in merges:
        if max_row < FIRST_DATA_ROW:
            continue
        touched = [read[c] for c in sorted(read) if min_col <= c <= max_col]
        if not touched:
            continue
        rows = max_row > min_row
        if rows or len(touched) > 1:
            first, last = max(min_row, FIRST_DATA_ROW), max_row
            start = f"{get_column_letter(min_col)}{min_row}"
            end = f"{get_column_letter(max_col)}{max_row}"
            coord = start if start == end else f"{start}:{end}"
            problems.append(
                Problem(
                    _(
                        "%(range)s: %(what)s 셀이 %(first)s~%(last)s행에 걸쳐 병합되어 있습니다. "
                        "병합을 풀고 행마다 값을 적으세요."
                    )
                    % {"range": coord, "what": ", ".join(touched), "first": first, "last": last}
                    if rows
                    else _("%(range)s: %(what)s 셀이 하나로 병합되어 있습니다. 병합을 풀고 열마다 값을 적으세요.")
                    % {"range": coord, "what": ", ".join(touched)},
                    row=first,
                )
            )
            spans.append((first, last))
    return problems, spans


def row1_int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    return None


def hidden_warnings(hidden_rows: Runs, hidden_filled: set[int], wanted: dict[int, str]) -> list[Problem]:
    """What the preview must say of the hidden rows and columns that hold a value (they are read all the
    same: a person checking the file in Excel would not see them)."""
    warnings = []
    if hidden_rows:
        rows = [
            _("%(row)s행") % {"row": a} if a == b else _("%(first)s~%(last)s행") % {"first": a, "last": b}
            for a, b in hidden_rows.runs
        ]
        warnings.append(
            Problem(
                _(
                    "숨겨진 행에 값이 있습니다: %(rows)s. 숨겨진 행도 가져옵니다. "
                    "엑셀에서 숨기기를 취소하고 확인하세요."
                )
                % {"rows": shown(rows, hidden_rows.more, _(" 행"))}
            )
        )
    if hidden_filled:
        warnings.append(
            Problem(
                _(
                    "숨겨진 열에 값이 있습니다: %(columns)s. 양식의 머리글이 있는 열은 숨겨져 있어도 "
                    "가져옵니다. 엑셀에서 숨기기를 취소하고 확인하세요."
                )
                % {"columns": hidden_columns_named(hidden_filled, wanted)}
            )
        )
    return warnings


def hidden_columns_named(hidden_filled: set[int], wanted: dict[int, str]) -> str:
    """The hidden columns with a value: each one read by its header, the others in runs (F~H열)."""
    runs: list[list] = []  # [first, last, header or None]
    for column in sorted(hidden_filled):
        header = wanted.get(column)
        if header is None and runs and runs[-1][2] is None and runs[-1][1] == column - 1:
            runs[-1][1] = column
        else:
            runs.append([column, column, header])
    items = []
    for first, last, header in runs[:SHOWN]:
        if header:
            items.append(_("%(letter)s열(%(column)s)") % {"letter": get_column_letter(first), "column": header})
        elif first == last:
            items.append(_("%(letter)s열") % {"letter": get_column_letter(first)})
        else:
            items.append(
                _("%(first)s~%(last)s열") % {"first": get_column_letter(first), "last": get_column_letter(last)}
            )
    return shown(items, sum(last - first + 1 for first, last, _header in runs[SHOWN:]), _(" 열"))
