"""사업별 전년 대비: this year's 예산현액 of each line against the final budget of the line it continues, by
the report's 구분 (policy areas, 행정운영경비, 예비비), for a year whose year before the app holds line by line.

The rows come from the ledger (this year's lines and 예산현액) and `Ledger.previous_year` (last year's finals
by line, one query): a new line shows `순증`, a line that stopped is listed under its last 구분 with 0 this
year, so that the 합계's 최종예산 is the whole of last year's.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from budget.core.ledger import Ledger
from budget.core.models import Account
from budget.core.rows import Column, ReportTable, Row
from budget.core.sections import SECTION_LABELS, section_order, sections

from .report import as_of_caption, comparison_row

KEY = "budget-by-program-compared"


def _row(group: str, label: str, level: str, current: int, previous: int, note: str = "", **extra) -> Row:
    return {"group": group, **comparison_row(label, level, current, previous), "note": note, **extra}


def budget_by_program_compared(ledger: Ledger) -> ReportTable | None:
    """사업별 전년 대비 (won; rates exact): None where the year before is not held at all (세입·세출 총괄 say
    so); without rows, and saying why, where it is held only by nature and source (2021)."""
    year, previous = ledger.year, ledger.year - 1
    title = _("사업별 전년 대비")
    caption = as_of_caption(year, ledger.month)
    if not ledger.previous_held:
        return None
    last = ledger.previous_year
    if last is None:
        missing = _(
            "%(previous)s년 예산은 라인(사업)별로 없고 성질별·재원별로만 있어 사업별로 비교할 수 없습니다. "
            "전년 대비는 세입·세출 총괄에서 과목별로 봅니다."
        ) % {"previous": previous}
        return ReportTable(KEY, title, caption, [], [], missing=missing)
    # Lines that stopped are the whole year's: on a view of some lines they are not among them.
    retired: dict[str, list] = {}
    if ledger.scope is None:
        for line in last.retired:
            if line.side == Account.Side.EXPENDITURE:
                retired.setdefault(line.section, []).append(line)
    groups = {code: (label, lines) for code, label, lines in sections(ledger)}
    for code, lines in retired.items():
        if code not in groups:
            groups[code] = (lines[0].area_name or _(SECTION_LABELS.get(code, code)), [])
    rows: list[Row] = []
    total_previous = 0
    for code in sorted(groups, key=section_order):
        label, lines = groups[code]
        gone = retired.get(code, [])
        before = sum(last.of_line(line.id) for line in lines) + sum(line.final for line in gone)
        total_previous += before
        rows.append(_row(label, _("소 계"), "subtotal", ledger.by("section", code).current, before))
        for line in lines:
            new = line.previous_id is None
            rows.append(
                _row(
                    "",
                    line.name,
                    "item",
                    ledger.by("line", line.id).current,
                    last.of_line(line.id),
                    _("신규") if new else "",
                    line=line,
                )
            )
        # After the section's lines and without a line of this year: a paged view keeps them on every page.
        rows += [_row("", line.name, "item", 0, line.final, _("%(year)s년 종료") % {"year": previous}) for line in gone]
    rows.append(_row(_("합계"), "", "total", ledger.total.current, total_previous))
    columns = [
        Column("group", _("구 분"), "text"),
        Column("label", _("사업명"), "text"),
        Column("current", _("%(year)s 예산현액") % {"year": year}),
        Column("previous", _("%(year)s 최종예산") % {"year": previous}),
        Column("change", _("증감액"), group=_("증 감")),
        Column("change_rate", _("증감률"), "change_rate", group=_("증 감")),
        Column("note", _("비 고"), "text"),
    ]
    notes = [
        _(
            "%(previous)s 최종예산은 각 라인이 이어 받은 %(previous)s년 라인의 연말 예산현액입니다. 신규 라인은 "
            "순증, %(previous)s년에 끝난 라인은 올해 0으로 그 해의 구분에 둡니다."
        )
        % {"previous": previous}
    ]
    if ledger.scope is not None:
        notes.append(_("고른 라인만의 비교입니다: 끝난 라인은 넣지 않았습니다."))
    return ReportTable(KEY, title, caption, columns, rows, notes)


def with_comparison(specs: list[ReportTable], ledger: Ledger) -> list[ReportTable]:
    """The report's tables with 사업별 전년 대비 after 사업별 예산 (where the year before is held)."""
    compared = budget_by_program_compared(ledger)
    if compared is None:
        return specs
    keys = [spec.key for spec in specs]
    at = keys.index("budget-by-program") + 1 if "budget-by-program" in keys else len(specs)
    return [*specs[:at], compared, *specs[at:]]


def compared_or_missing(ledger: Ledger) -> ReportTable:
    """The table for its CSV: where the year before is not held, a table that says so."""
    missing = _("%(previous)s 회계연도 자료가 없어 전년도와 비교하지 않습니다.") % {"previous": ledger.year - 1}
    return budget_by_program_compared(ledger) or ReportTable(
        KEY, _("사업별 전년 대비"), as_of_caption(ledger.year, ledger.month), [], [], missing=missing
    )
