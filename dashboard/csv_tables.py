"""The overview's tables as ReportTables, for CSV: the rows the page draws, from the same Overview.

Nothing is computed here that the overview did not compute: each cell is a figure of the overview's rows,
its line statuses (pace, forecast, change) or their rules' results. A list the page cuts short (the first
20 lines behind pace, 30 lines a 구분) comes whole: a download is for working with all of it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from budget.core.figures import percent
from budget.core.rows import Column, ReportTable, Row
from budget.reports.report import as_of_caption
from dashboard.overview import Overview
from dashboard.revenue import cash_csv_table, revenue_csv_table
from dashboard.tables import execution_columns
from dashboard.templatetags.dashboard import BASES, COMMITMENT_STATES, METHODS


def _table(o: Overview, key: str, title: str, columns: list[Column], rows: list[Row], missing: str = "") -> ReportTable:
    return ReportTable(key, title, as_of_caption(o.year, o.month), columns, rows, missing=missing)


def _not_held(o: Overview) -> str:
    if o.execution_held:
        return ""
    return _("%(year)s년 집행 실적은 이 앱에 없습니다 (보고서가 %(year)s년은 최종예산만 제시).") % {"year": o.year}


def _not_known(o: Overview) -> str:
    if not o.known:
        return _(
            "%(year)s년 1~%(covered)s월 집행은 %(covered)s월 누계로만 있어 %(month)s월 기준 실적을 알 수 없습니다."
        ) % {
            "year": o.year,
            "covered": o.covered,
            "month": o.month,
        }
    return _not_held(o)


def _execution(key: str, title: str, first: str, rows: Callable[[Overview], list[Row]]):
    """An execution table of the overview; `title` and `first` are marked for translation and translated
    when drawn, in the language of the request."""

    def build(o: Overview) -> ReportTable:
        columns = execution_columns(_(first))
        return _table(o, key, _(title), columns, rows(o) if o.execution_held else [], _not_held(o))

    return build


def _line(status) -> Row:
    return {"level": "item", "label": status.name, "team": status.line["team_name"] or ""}


def behind(o: Overview) -> ReportTable:
    columns = [
        Column("label", _("사업·라인"), "text"),
        Column("team", _("담당"), "text"),
        Column("basis", _("기준"), "text"),
        Column("expected", _("예상 집행률"), "rate"),
        Column("actual", _("집행률"), "rate"),
        Column("gap", _("차이(%p)"), "rate"),
        Column("reason", _("사유"), "text"),
    ]
    rows = [
        {
            **_line(s),
            "basis": _(BASES[s.pace.basis]),
            "expected": s.pace.expected,
            "actual": s.pace.actual,
            "gap": s.pace.gap,
            "reason": s.explanation.text if s.explanation else "",
        }
        for s in o.behind
    ]
    return _table(o, "behind", _("집행 지연"), columns, rows, _not_held(o))


def committed(o: Overview) -> ReportTable:
    columns = [
        Column("label", _("사업·라인"), "text"),
        Column("state", _("상태"), "text"),
        Column("current", _("예산현액")),
        Column("commitment", _("원인행위액")),
        Column("commitment_rate", _("원인행위율"), "rate"),
        Column("uncommitted", _("원인행위 잔액")),
    ]
    rows = [
        {
            **_line(s),
            "state": _(COMMITMENT_STATES[s.commitment]),
            "current": s.figures.current,
            "commitment": s.figures.commitment,
            "commitment_rate": s.figures.commitment_rate,
            "uncommitted": s.figures.uncommitted,
        }
        for s in o.committed
    ]
    return _table(o, "committed", _("원인행위 소진"), columns, rows, _not_held(o))


def changed(o: Overview) -> ReportTable:
    columns = [
        Column("label", _("사업·라인"), "text"),
        Column("current", _("%(year)s 예산현액") % {"year": o.year}),
        Column("previous", _("전년도 최종예산")),
        Column("change", _("증감액")),
        Column("change_rate", _("증감률"), "change_rate"),
        Column("reason", _("사유"), "text"),
    ]
    rows = [
        {
            **_line(s),
            "current": s.change.current,
            "previous": s.change.previous,
            "change": s.change.change,
            "change_rate": s.change.change_rate,
            "reason": s.explanation.text if s.explanation else "",
        }
        for s in o.changed
    ]
    missing = _not_held(o)
    if not missing and not o.compared_lines:
        missing = _(
            "%(previous)s년 예산은 라인(사업)별로 알려져 있지 않아(성질별만) "
            "라인별 전년 대비 변동을 판정할 수 없습니다."
        ) % {"previous": o.year - 1}
    return _table(o, "changed", _("전년 대비 큰 변동"), columns, rows, missing)


def early(o: Overview) -> ReportTable:
    e = o.early
    columns = [
        Column("budget", _("대상 예산현액")),
        Column("expenditure", _("1~%(m)s월 지출액") % {"m": e.through if e else 6}),
        Column("rate", _("신속집행률"), "rate"),
        Column("target", _("목표"), "rate"),
        Column("met", _("달성"), "text"),
        Column("shortfall", _("목표까지 남은 지출")),
    ]
    rows = []
    if e is not None and o.execution_held:
        met = "-" if e.met is None else _("달성") if e.met else _("미달")
        rows.append(
            {
                "level": "item",
                "budget": e.budget if e.known else None,
                "expenditure": e.expenditure if e.known else None,
                "rate": e.rate,
                "target": e.target,
                "met": met,
                "shortfall": e.shortfall,
            }
        )
    return _table(o, "early", _("상반기 신속집행"), columns, rows, _not_held(o))


def curve(o: Overview) -> ReportTable:
    columns = [Column("label", _("월"), "text")]
    if o.planned_lines:
        columns.append(Column("plan", _("계획 지출 누계")))
    columns += [
        Column("commitment", _("원인행위 누계")),
        Column("expenditure", _("지출 누계")),
        Column("rate", _("누계 집행률"), "rate"),
        Column("even", _("균등 집행선")),
    ]
    rows = [
        {
            "level": "item",
            "label": _("%(m)s월") % {"m": p.month},
            "plan": p.plan,
            "commitment": p.commitment,
            "expenditure": p.expenditure,
            "rate": None if p.expenditure is None else percent(p.expenditure, o.headline.current),
            "even": p.even,
        }
        for p in o.curve
    ]
    return _table(o, "curve", _("누적 집행 곡선 (계획 대비)"), columns, rows, _not_held(o))


def program_curves(o: Overview) -> ReportTable:
    columns = [
        Column("label", _("사업"), "text"),
        Column("series", _("구분"), "text"),
        Column("current", _("예산현액")),
    ]
    columns += [Column(f"m{m}", _("%(m)s월") % {"m": m}) for m in range(1, 13)]
    rows = []
    for status, points in o.program_curves:
        base = {"level": "item", "label": status.name, "current": status.figures.current}
        rows.append({**base, "series": _("지출 누계"), **{f"m{p.month}": p.expenditure for p in points}})
        if status.plan:
            rows.append({**base, "series": _("계획 누계"), **{f"m{p.month}": p.plan for p in points}})
    return _table(o, "program-curves", _("사업별 누적 집행 곡선"), columns, rows, _not_held(o))


def forecast_totals(o: Overview) -> ReportTable:
    columns = [
        Column("label", _("성질"), "text"),
        Column("current", _("예산현액")),
        Column("spent", _("지출액(현재)")),
        Column("projected", _("연말 예상 지출액")),
        Column("rate", _("예상 집행률"), "rate"),
        Column("lapse", _("예상 불용액")),
    ]

    def row(total, label: str, level: str = "item") -> Row:
        return {
            "level": level,
            "label": label,
            "current": total.current,
            "spent": total.spent,
            "projected": total.projected,
            "rate": percent(total.projected, total.current),
            "lapse": total.lapse,
        }

    rows = [row(f, f.label) for f in o.forecast_natures] if o.known and o.execution_held else []
    if rows:
        rows.append(row(o.forecast_total, _("예비비 제외 계"), "total"))
        if o.reserve_lines:
            rows.append(row(o.forecast_reserve, _("예비비 (따로)")))
    return _table(o, "forecast-totals", _("연말 집행 전망과 예상 불용액"), columns, rows, _not_known(o))


def forecast(o: Overview) -> ReportTable:
    columns = [
        Column("label", _("사업·라인"), "text"),
        Column("current", _("예산현액")),
        Column("spent", _("지출액(현재)")),
        Column("method", _("예측 근거"), "text"),
        Column("projected", _("연말 예상 지출액")),
        Column("rate", _("예상 집행률"), "rate"),
        Column("lapse", _("예상 불용액")),
    ]
    rows = [
        {
            **_line(s),
            "current": s.figures.current,
            "spent": s.forecast.spent,
            "method": _(METHODS[s.forecast.method]),
            "projected": s.forecast.projected,
            "rate": s.forecast.projected_rate,
            "lapse": s.forecast.lapse,
        }
        for s in (o.forecasts if o.known else [])
    ]
    return _table(o, "forecast", _("예상 불용액이 큰 라인"), columns, rows, _not_known(o))


def _summary(index: int):
    def build(o: Overview) -> ReportTable:
        return o.summaries[index]

    return build


# Keyed by the id of the table on the overview page, in the page's order.
TABLES: dict[str, Callable[[Overview], ReportTable]] = {
    "behind": behind,
    "committed": committed,
    "changed": changed,
    "early": early,
    "curve": curve,
    "natures": _execution("natures", gettext_noop("성질별 집행"), gettext_noop("성질"), lambda o: o.natures),
    "reserve": _execution("reserve", gettext_noop("예비비 (따로 표시)"), gettext_noop("예비비"), lambda o: o.reserve),
    "areas": _execution(
        "areas", gettext_noop("정책분야·사업별 집행"), gettext_noop("정책분야 · 사업"), lambda o: o.areas
    ),
    "teams": _execution("teams", gettext_noop("담당 팀별 집행"), gettext_noop("담당 팀"), lambda o: o.teams),
    "program-curves": program_curves,
    "revenue-summary": _summary(0),
    "expenditure-summary": _summary(1),
    "revenue-execution": revenue_csv_table,
    "cash-position": cash_csv_table,
    "forecast-totals": forecast_totals,
    "forecast": forecast,
}
