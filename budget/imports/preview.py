"""What importing a file would do, line by line, or why it cannot: the rows against the year's lines and
the money rules, without saving anything."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from budget.core.models import FiscalYear
from budget.entry.services import Entry, month_check
from budget.entry.sheet import MonthSheet, month_sheet
from budget.imports.cells import ParsedRow
from budget.imports.layout import (
    CODE,
    COMMITMENT,
    EXECUTION,
    EXPENDITURE,
    MAX_PROBLEMS,
    NAME,
    PLAN,
    Layout,
    Problem,
    plan_column,
)
from budget.imports.reader import read_file
from budget.imports.result import SheetRows
from budget.plans.sheet import MONTHS, PlanEntry, PlanSheet, plan_check, plan_sheet


def _match_lines(
    sheet_rows: SheetRows, lines: dict[str, Any], year: int, side: str | None = None
) -> dict[str, ParsedRow]:
    """The rows by code, after refusing unknown and duplicated codes (problems added to sheet_rows); `side`
    names the budget's side when the lines are not the expenditure side's (세입)."""
    by_code: dict[str, ParsedRow] = {}
    for row in sheet_rows.rows:
        if row.code not in lines:
            unknown = (
                _("코드 '%(code)s'은(는) %(year)s년 %(side)s 예산 라인에 없습니다.")
                % {"code": row.code, "year": year, "side": side}
                if side
                else _("코드 '%(code)s'은(는) %(year)s년 세출 예산 라인에 없습니다.") % {"code": row.code, "year": year}
            )
            sheet_rows.problems.append(
                Problem(
                    unknown,
                    row=row.row,
                    column=CODE,
                    letter=sheet_rows.letters.get(CODE),
                )
            )
        elif row.code in by_code:
            sheet_rows.problems.append(
                Problem(
                    _("코드 '%(code)s'이(가) %(first)s행에 이미 있습니다. 한 라인은 한 행에만 적습니다.")
                    % {"code": row.code, "first": by_code[row.code].row},
                    row=row.row,
                    column=CODE,
                    letter=sheet_rows.letters.get(CODE),
                )
            )
        else:
            by_code[row.code] = row
    return by_code


def _name_warnings(by_code: dict[str, ParsedRow], names: dict[str, str], letter: str | None) -> list[Problem]:
    """A row whose name is not its code's line's name may carry another line's figures: say so."""
    return [
        Problem(
            _("사업명 '%(file)s'이(가) 코드 %(code)s의 사업명 '%(name)s'과(와) 다릅니다. 코드를 기준으로 가져옵니다.")
            % {"file": row.name, "code": code, "name": names[code]},
            row=row.row,
            column=NAME,
            letter=letter,
        )
        for code, row in by_code.items()
        if row.name and " ".join(row.name.split()) != " ".join(names[code].split())
    ]


def rule_problems(sheet_rows: SheetRows, by_code: dict[str, ParsedRow], lines: dict, errors: dict) -> None:
    """The budget rules' refusals (by line id) as problems of the rows that carry those lines."""
    rows = {lines[code].line.id: (code, row.row) for code, row in by_code.items()}
    for line_id, messages in errors.items():
        code, row = rows.get(line_id, (None, None))
        column = _("코드 %(code)s") % {"code": code} if code else None
        sheet_rows.problems.extend(Problem(message, row=row, column=column) for message in messages)


@dataclass
class LineChange:
    """One line of a preview: its figures for the month (or year) before and after the import."""

    code: str
    name: str
    row: int | None  # its row in the file; None when the file does not list it (it is left as it is)
    before: tuple
    after: tuple | None

    @property
    def changed(self) -> bool:
        return self.after is not None and self.after != self.before

    @property
    def months(self) -> list[int]:
        """For a plan line: the months the import changes."""
        if self.after is None:
            return []
        return [m for m, before, after in zip(MONTHS, self.before, self.after, strict=True) if before != after]

    @property
    def annual_before(self) -> tuple[int, int]:
        """For a plan line: the year's planned commitment and expenditure now."""
        return sum(c for c, _e in self.before), sum(e for _c, e in self.before)

    @property
    def annual_after(self) -> tuple[int, int] | None:
        if self.after is None:
            return None
        return sum(c for c, _e in self.after), sum(e for _c, e in self.after)


@dataclass
class Preview:
    kind: str
    year: int
    month: int | None
    filename: str
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    lines: list[LineChange] = field(default_factory=list)
    entries: list = field(default_factory=list)  # Entry or PlanEntry, what confirming saves
    version: int | str = 0  # the month's version (execution) or the plan's digest when previewed

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changed(self) -> list[LineChange]:
        return [line for line in self.lines if line.changed]

    @property
    def unchanged(self) -> list[LineChange]:
        return [line for line in self.lines if line.after is not None and not line.changed]

    @property
    def not_in_file(self) -> list[LineChange]:
        return [line for line in self.lines if line.after is None]


def year_problems(year: int, month: int | None) -> list[Problem]:
    if not FiscalYear.objects.filter(year=year).exists():
        return [Problem(_("%(year)s 회계연도가 없습니다.") % {"year": year})]
    if month is not None and month not in MONTHS:
        return [Problem(_("%(month)s월은 회계연도 밖입니다 (1~12월).") % {"month": month})]
    return []


def period_problems(sheet_rows: SheetRows, year: int, month: int | None) -> list[Problem]:
    said_year, said_month = sheet_rows.year, sheet_rows.month
    if said_year is None or (said_year == year and (month is None or said_month in (None, month))):
        return []
    if month is None:
        what = _("%(year)s년") % {"year": said_year}
        wanted = _("%(year)s년") % {"year": year}
    else:
        what = _("%(year)s년 %(month)s월") % {"year": said_year, "month": said_month or "?"}
        wanted = _("%(year)s년 %(month)s월") % {"year": year, "month": month}
    return [
        Problem(
            _(
                "1행에 따르면 이 파일은 %(what)s 양식입니다. "
                "%(wanted)s로 가져오려면 그 양식을 받아 쓰거나 1행을 고치세요."
            )
            % {"what": what, "wanted": wanted},
            row=1,
        )
    ]


def preview_month_file(
    layout: Layout, data: bytes, filename: str, *, year: int, month: int, sheet_of, fill_lines
) -> Preview:
    """What importing the file as the month's `layout.kind` would do, or why it cannot; saves nothing.
    `sheet_of(year, month)` draws the month's sheet (its version and lock); `fill_lines(preview, sheet, sheet_rows,
    check_rules=…)` matches the rows to its lines, checks the rules unless the month is locked, and lists
    each line's change.

    Queries: the fiscal year, then the sheet's (a fixed number), whatever the number of rows.
    """
    preview = Preview(layout.kind, year, month, filename)
    preview.problems = year_problems(year, month)
    if preview.problems:
        return preview
    sheet_rows = read_file(layout, data, filename)
    preview.warnings = list(sheet_rows.warnings)
    sheet = sheet_of(year, month)
    preview.version = sheet.version
    if sheet.locked:
        sheet_rows.problems.insert(0, Problem(sheet.locked))
    sheet_rows.problems[:0] = period_problems(sheet_rows, year, month)
    if sheet_rows.rows:
        fill_lines(preview, sheet, sheet_rows, check_rules=not sheet.locked)
    preview.problems = by_row(sheet_rows.problems, sheet_rows.unlisted)
    return preview


def preview_execution(data: bytes, filename: str, *, year: int, month: int) -> Preview:
    """What importing the file as the month's execution would do, or why it cannot; saves nothing."""
    return preview_month_file(
        EXECUTION, data, filename, year=year, month=month, sheet_of=month_sheet, fill_lines=_execution_lines
    )


def list_changes(preview: Preview, lines: dict[str, Any], by_code: dict[str, ParsedRow], *, before, after) -> None:
    """Each of the sheet's lines, in its order, as the preview's LineChange: `before(sheet_line)` its figures now,
    `after(row)` the file's, or None where the file does not list it (it is left as it is)."""
    for code, sheet_line in lines.items():
        row = by_code.get(code)
        preview.lines.append(
            LineChange(
                code=code,
                name=sheet_line.line.name,
                row=row.row if row else None,
                before=before(sheet_line),
                after=after(row) if row else None,
            )
        )


def by_row(problems: list[Problem], unlisted: int = 0) -> list[Problem]:
    """The file's own problems first, then the rows' in row order (each row's in column order).

    A file wrong everywhere (another file altogether) would list thousands: the first MAX_PROBLEMS
    say enough, and the last line says how many more there are (with those the reader counted
    without keeping them, `unlisted`).
    """
    ordered = sorted(problems, key=lambda p: p.row or 0)
    if len(ordered) + unlisted > MAX_PROBLEMS:
        more = len(ordered) + unlisted - MAX_PROBLEMS
        ordered = ordered[:MAX_PROBLEMS] + [Problem(_("그 밖에 %(n)s건의 문제가 더 있습니다.") % {"n": f"{more:,}"})]
    return ordered


def matched(
    preview: Preview, lines: dict[str, Any], sheet_rows: SheetRows, side: str | None = None
) -> dict[str, ParsedRow]:
    """The file's rows by the code of the line each is for, with a warning where a row's name is not its line's."""
    by_code = _match_lines(sheet_rows, lines, preview.year, side)
    names = {code: sheet_line.line.name for code, sheet_line in lines.items()}
    preview.warnings += _name_warnings(by_code, names, sheet_rows.letters.get(NAME))
    return by_code


def _execution_lines(preview: Preview, sheet: MonthSheet, sheet_rows: SheetRows, *, check_rules: bool) -> None:
    lines = {sheet_line.line.code: sheet_line for sheet_line in sheet.lines}
    by_code = matched(preview, lines, sheet_rows)
    preview.entries = [
        Entry(
            line_id=lines[code].line.id,
            commitment=row.amounts[COMMITMENT],
            expenditure=row.amounts[EXPENDITURE],
            note=row.note,
        )
        for code, row in by_code.items()
    ]
    if check_rules:
        rule_problems(sheet_rows, by_code, lines, month_check(sheet=sheet, entries=preview.entries))
    list_changes(
        preview,
        lines,
        by_code,
        before=lambda sheet_line: (sheet_line.commitment, sheet_line.expenditure, sheet_line.note),
        after=lambda row: (row.amounts[COMMITMENT], row.amounts[EXPENDITURE], row.note),
    )


def preview_plan(data: bytes, filename: str, *, year: int) -> Preview:
    """What importing the file as the year's monthly plan would do, or why it cannot; saves nothing."""
    preview = Preview("plan", year, None, filename)
    preview.problems = year_problems(year, None)
    if preview.problems:
        return preview
    sheet_rows = read_file(PLAN, data, filename)
    preview.warnings = list(sheet_rows.warnings)
    sheet = plan_sheet(year)
    preview.version = sheet.fingerprint
    sheet_rows.problems[:0] = period_problems(sheet_rows, year, None)
    if sheet_rows.rows:
        _plan_lines(preview, sheet, sheet_rows)
    preview.problems = by_row(sheet_rows.problems, sheet_rows.unlisted)
    return preview


def _plan_lines(preview: Preview, sheet: PlanSheet, sheet_rows: SheetRows) -> None:
    lines = {plan_line.line.code: plan_line for plan_line in sheet.lines}
    by_code = matched(preview, lines, sheet_rows)
    preview.entries = [
        PlanEntry(
            line_id=lines[code].line.id,
            month=m,
            commitment=row.amounts[plan_column(m, COMMITMENT)],
            expenditure=row.amounts[plan_column(m, EXPENDITURE)],
        )
        for code, row in by_code.items()
        for m in MONTHS
    ]
    rule_problems(sheet_rows, by_code, lines, plan_check(sheet, preview.entries))
    list_changes(
        preview,
        lines,
        by_code,
        before=lambda plan_line: tuple(plan_line.month(m) for m in MONTHS),
        after=lambda row: tuple(
            (row.amounts[plan_column(m, COMMITMENT)], row.amounts[plan_column(m, EXPENDITURE)]) for m in MONTHS
        ),
    )
