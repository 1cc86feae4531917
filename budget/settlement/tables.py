"""결산's tables as plain rows, drawn on the preview page, the report page, the preview workbook and the
council workbook alike. Every value is exact won; units and △ are applied at the edge."""

from __future__ import annotations

from django.utils.translation import gettext as _

from budget.core.models import Settlement
from budget.core.rows import Column, ReportTable, Row
from budget.settlement.figures import LineClose, YearClose, year_close

# Each table's sheet in a workbook (the preview's and the council's).
SHEET_NAMES = {
    "settlement-expenditure": "세출 결산",
    "settlement-revenue": "세입 결산",
    "settlement-surplus": "세계잉여금",
    "settlement-carryover": "이월 명세",
}


def caption(close: YearClose) -> str:
    status = _("승인된 결산") if close.settlement and close.settlement.approved else _("결산 미리보기")
    return _("(%(year)s 회계연도 %(status)s, 단위 : 천원)") % {"year": close.year, "status": status}


def _line_row(label: str, level: str, lines: list[LineClose], **extra) -> Row:
    def total(name):
        return sum(getattr(line, name) for line in lines)

    return {
        "label": label,
        "level": level,
        "current": total("current"),
        "expenditure": total("expenditure"),
        "accident": sum(line.carry.accident for line in lines),
        "explicit": sum(line.carry.explicit for line in lines),
        "carryover": total("carryover"),
        "lapsed": total("lapsed"),
        **extra,
    }


def expenditure_table(close: YearClose) -> ReportTable:
    """세출 결산: the total, each nature, and every line under its nature."""
    rows = [_line_row(_("계"), "total", close.lines)]
    for _account, name, lines in close.natures():
        rows.append(_line_row(name, "subtotal", lines))
        rows += [_line_row(line.name, "item", [line], code=line.code) for line in lines]
    columns = [
        Column("label", _("구 분"), "text"),
        Column("current", _("예산현액")),
        Column("expenditure", _("지출액")),
        Column("accident", _("사고이월"), group=_("다음연도 이월액")),
        Column("explicit", _("명시이월"), group=_("다음연도 이월액")),
        Column("carryover", _("계"), group=_("다음연도 이월액")),
        Column("lapsed", _("불용액")),
    ]
    notes = [_("불용액 = 예산현액 − 지출액 − 다음연도 이월액")]
    return ReportTable("settlement-expenditure", _("세출 결산"), caption(close), columns, rows, notes)


def revenue_table(close: YearClose) -> ReportTable:
    """세입 결산: the total and each revenue line."""

    def row(label, level, revenues):
        current = sum(r.current for r in revenues)
        collected = sum(r.collected for r in revenues)
        return {
            "label": label,
            "level": level,
            "current": current,
            "collected": collected,
            "uncollected": current - collected,
        }

    rows = [row(_("계"), "total", close.revenues)] + [row(r.name, "item", [r]) for r in close.revenues]
    columns = [
        Column("label", _("구 분"), "text"),
        Column("current", _("예산현액")),
        Column("collected", _("수납액")),
        Column("uncollected", _("미수납액")),
    ]
    notes = [_("미수납액 = 예산현액 − 수납액 (△는 예산보다 더 수납한 금액)")]
    if close.covered:
        notes.append(
            _(
                "1~%(covered)s월 수납은 보고서 누계에 없어, 수납액은 %(next)s월부터 입력된 수납만 합한 것입니다 "
                "(세계잉여금도 같음)."
            )
            % {"covered": close.covered, "next": close.covered + 1}
        )
    return ReportTable("settlement-revenue", _("세입 결산"), caption(close), columns, rows, notes)


def surplus_table(close: YearClose) -> ReportTable:
    """세계잉여금 and 순세계잉여금, each with what it is made of."""
    rows = [
        {"label": _("세입 수납액 계"), "level": "item", "amount": close.collected},
        {"label": _("세출 지출액 계"), "level": "item", "amount": close.expenditure},
        {"label": _("세계잉여금"), "level": "subtotal", "amount": close.surplus},
        {"label": _("다음연도 이월액"), "level": "item", "amount": close.carryover},
        {"label": _("순세계잉여금"), "level": "total", "amount": close.net_surplus},
    ]
    columns = [Column("label", _("구 분"), "text"), Column("amount", _("금액"))]
    notes = [_("세계잉여금 = 수납액 − 지출액, 순세계잉여금 = 세계잉여금 − 다음연도 이월액")]
    return ReportTable("settlement-surplus", _("세계잉여금"), caption(close), columns, rows, notes)


def carryover_table(close: YearClose) -> ReportTable:
    """이월 명세: every line that carries money into the next year, with the reason of its 명시이월."""
    carried = [line for line in close.lines if line.carryover]
    rows = [
        {
            "label": line.name,
            "level": "item",
            "code": line.code,
            "unpaid": line.unpaid,
            "accident": line.carry.accident,
            "explicit": line.carry.explicit,
            "carryover": line.carryover,
            "reason": line.carry.reason,
        }
        for line in carried
    ]
    columns = [
        Column("code", _("코드"), "text"),
        Column("label", _("예산사업명"), "text"),
        Column("unpaid", _("미지급액")),
        Column("accident", _("사고이월")),
        Column("explicit", _("명시이월")),
        Column("carryover", _("이월액 계")),
        Column("reason", _("명시이월 사유"), "text"),
    ]
    table = ReportTable("settlement-carryover", _("다음연도 이월 명세"), caption(close), columns, rows)
    if not rows:
        table.notes.append(_("다음연도로 이월하는 라인이 없습니다."))
    return table


def settlement_tables(close: YearClose) -> list[ReportTable]:
    return [expenditure_table(close), revenue_table(close), surplus_table(close), carryover_table(close)]


def settled_tables(year: int, month: int) -> list[ReportTable]:
    """The 결산 tables of an approved settlement, for a view as of December; none otherwise (no query for
    another month, one for a December without an approved 결산)."""
    if month != 12:
        return []
    settlement = Settlement.objects.filter(fiscal_year_id=year, status=Settlement.Status.APPROVED).first()
    if settlement is None:
        return []
    return settlement_tables(year_close(year, settlement=settlement))


def settled_table(year: int, month: int, key: str) -> ReportTable:
    """One of settled_tables by its key, or a table that says why there is none."""
    for table in settled_tables(year, month):
        if table.key == key:
            return table
    missing = _("%(year)s년 결산이 승인되지 않아 (또는 12월 기준이 아니어서) 결산 표가 없습니다.") % {"year": year}
    return ReportTable(key, SHEET_NAMES.get(key, key), "", [], [], missing=missing)
