"""The 본예산 budget book: a template per year (every 세입 and 세출 line, its amount to fill in) and its
reading, through the Excel import's reader and limits, into a preview with every row's errors and the
two sides' totals. Between preview and confirmation the amounts travel signed in the page."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core import signing
from django.utils.translation import gettext as _
from openpyxl import Workbook

from budget.core.models import BudgetLine
from budget.imports.layout import CODE, NAME, TOKEN_MAX_AGE, Layout, Problem
from budget.imports.reader import read_file
from budget.imports.templates import template_sheet
from budget.opening.services import sides

ORIGINAL = "본예산"
SIDE = "구분"
BOOK = Layout(
    kind="budget",
    sheet="본예산",
    required=(CODE, ORIGINAL),
    informative=(NAME, SIDE),
    amounts=(ORIGINAL,),
    note=None,
    minimum=0,
)
_SALT = "budget.opening.book"


def _lines(year: int) -> list[BudgetLine]:
    return list(BudgetLine.objects.for_year(year).select_related("account").order_by("account__side", "order", "code"))


def book_template(year: int, out) -> None:
    """The year's budget book to fill in: 세입 lines, then 세출 lines, each with a blank 본예산."""
    lines = sorted(_lines(year), key=lambda line: (line.account.side != "revenue", line.order, line.code))
    wb = Workbook()
    wb.remove(wb.active)
    rows = [[line.code, line.name, None, line.account.get_side_display()] for line in lines]
    template_sheet(
        wb, BOOK, ["회계연도", year, "", "", _("단위: 원")], rows, {CODE: 18, NAME: 40, SIDE: 8, ORIGINAL: 18}
    )
    wb.save(out)


@dataclass
class BookPreview:
    year: int
    rows: list[dict] = field(default_factory=list)  # line, amount, row number
    problems: list[Problem] = field(default_factory=list)
    revenue: int = 0
    expenditure: int = 0

    @property
    def balanced(self) -> bool:
        return self.revenue == self.expenditure

    @property
    def amounts(self) -> dict[int, int]:
        return {row["line"].pk: row["amount"] for row in self.rows}

    @property
    def ok(self) -> bool:
        return not self.problems and self.balanced and bool(self.rows)


def preview_book(data: bytes, filename: str, *, year: int) -> BookPreview:
    """What the file would write, and everything wrong with it: rows by number, lines left out, the balance."""
    read = read_file(BOOK, data, filename)
    preview = BookPreview(year, problems=list(read.problems))
    if read.year is not None and read.year != year:
        preview.problems.append(
            Problem(_("파일은 %(file)s년 예산서입니다. %(year)s년 양식을 쓰세요.") % {"file": read.year, "year": year})
        )
    lines = {line.code: line for line in _lines(year)}
    seen: dict[str, int] = {}
    for row in read.rows:
        line = lines.get(row.code)
        if line is None:
            preview.problems.append(
                Problem(
                    _("%(year)s년에 코드 '%(code)s'인 라인이 없습니다.") % {"year": year, "code": row.code},
                    row=row.row,
                    column=CODE,
                )
            )
            continue
        if row.code in seen:
            preview.problems.append(
                Problem(
                    _("코드 %(code)s이(가) %(first)s행에도 있습니다.") % {"code": row.code, "first": seen[row.code]},
                    row=row.row,
                    column=CODE,
                )
            )
            continue
        seen[row.code] = row.row
        if row.amounts[ORIGINAL] < 0:
            preview.problems.append(
                Problem(
                    _("본예산은 0 이상이어야 합니다 (%(code)s).") % {"code": row.code},
                    row=row.row,
                    column=ORIGINAL,
                    letter=read.letters.get(ORIGINAL),
                )
            )
        preview.rows.append({"line": line, "amount": row.amounts[ORIGINAL], "row": row.row})
    missing = [f"{code} {line.name}" for code, line in lines.items() if code not in seen]
    if missing and not read.problems:
        preview.problems.append(Problem(_("파일에 없는 라인이 있습니다: %(lines)s.") % {"lines": ", ".join(missing)}))
    preview.revenue, preview.expenditure = sides(preview.amounts, {row["line"].pk: row["line"] for row in preview.rows})
    return preview


def sign_amounts(year: int, amounts: dict[int, int], user_id: int) -> str:
    return signing.dumps({"year": year, "user": user_id, "amounts": list(amounts.items())}, salt=_SALT, compress=True)


def unsign_amounts(token: str, year: int, user_id: int) -> dict[int, int] | None:
    """The amounts of a preview this user saw for this year within the hour; None otherwise."""
    try:
        payload = signing.loads(token, salt=_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if payload.get("year") != year or payload.get("user") != user_id:
        return None
    return {int(pk): int(won) for pk, won in payload["amounts"]}
