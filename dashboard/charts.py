"""Chart specifications for static/js/dashboard.js, drawn from the same rows as the tables beside them.

Amounts are in 천원 and rates to one decimal, rounded half-up by budget.display / budget.figures exactly
as the tables print them, so a chart and its table never disagree. The JSON goes into the page in a
<script type="application/json"> block (json_script), which a Content-Security-Policy lets through.
"""

from __future__ import annotations

from fractions import Fraction

from django.utils.translation import gettext as _

from budget.core.display import in_thousands
from budget.core.figures import round_half_up

from .figures import CurvePoint


def thousands(won: int | None) -> int | None:
    return None if won is None else in_thousands(won)


def one_decimal(rate: Fraction | None) -> float | None:
    return None if rate is None else float(round_half_up(rate, 1))


def series(label: str, role: str, data: list, *, kind: str = "bar") -> dict:
    """One dataset; `role` picks its colour and line style in dashboard.js (budget, commitment, ...)."""
    return {"label": label, "role": role, "data": data, "kind": kind}


def bars(rows: list[dict], datasets: list[dict], *, title: str, unit: str, horizontal: bool = False) -> dict:
    """A bar chart with a bar group per row, labelled by the row's label."""
    return {
        "type": "bar",
        "horizontal": horizontal,
        "unit": unit,
        "title": title,
        "labels": [row["label"] for row in rows],
        "datasets": datasets,
    }


def rates(rows: list[dict], *, title: str) -> dict:
    """원인행위율 and 집행률 of each row, as horizontal bars (%)."""
    datasets = [
        series(_("원인행위율"), "commitment", [one_decimal(row["commitment_rate"]) for row in rows]),
        series(_("집행률"), "expenditure", [one_decimal(row["expenditure_rate"]) for row in rows]),
    ]
    return bars(rows, datasets, title=title, unit="%", horizontal=True)


def amounts(rows: list[dict], *, title: str, horizontal: bool = False) -> dict:
    """예산현액, 원인행위액 and 지출액 of each row (천원)."""
    datasets = [
        series(_("예산현액"), "budget", [thousands(row["current"]) for row in rows]),
        series(_("원인행위액"), "commitment", [thousands(row["commitment"]) for row in rows]),
        series(_("지출액"), "expenditure", [thousands(row["expenditure"]) for row in rows]),
    ]
    return bars(rows, datasets, title=title, unit="천원", horizontal=horizontal)


def comparison(rows: list[dict], *, title: str, current: str, previous: str) -> dict:
    """This year against last year's final budget by item (천원); the 계 row is left to the table."""
    items = [row for row in rows if row["level"] != "total"]
    datasets = [series(current, "current", [thousands(row["current"]) for row in items])]
    if all(row["previous"] is not None for row in items):  # a year not held has no bars of zero
        datasets.insert(0, series(previous, "previous", [thousands(row["previous"]) for row in items]))
    return bars(items, datasets, title=title, unit="천원")


def curve(points: list[CurvePoint], *, title: str, budget: int, note: str = "", compact: bool = False) -> dict:
    """The cumulative S-curve: executed (원인행위, 지출), planned, and the even pace, by month (천원).

    A month not known is null, so that the chart shows a gap (or a single point) rather than a line
    drawn through invented months.
    """
    datasets = []
    if any(p.plan is not None for p in points):
        datasets.append(series(_("계획 지출 누계"), "plan", [thousands(p.plan) for p in points], kind="line"))
    if not compact:  # a small multiple keeps to what its shared table lists: paid, planned, 예산현액
        datasets.append(
            series(_("원인행위 누계"), "commitment", [thousands(p.commitment) for p in points], kind="line")
        )
    datasets.append(series(_("지출 누계"), "expenditure", [thousands(p.expenditure) for p in points], kind="line"))
    if not compact:
        datasets.append(series(_("균등 집행선"), "even", [thousands(p.even) for p in points], kind="line"))
    return {
        "type": "line",
        "unit": "천원",
        "title": "" if compact else title,
        "compact": compact,
        "note": note,
        "budget": thousands(budget),
        "labels": [_("%(month)s월") % {"month": p.month} for p in points],
        "datasets": datasets,
    }


def monthly(months: list[dict], *, title: str) -> dict:
    """A line's month by month: bars for each month's 원인행위액 and 지출액, lines for 지출 누계 and the
    plan's (천원). The month of a cumulative record is labelled as what it is, 1~N월 누계."""
    labels = [
        _("1~%(month)s월 누계") % {"month": m["month"]}
        if m["cumulative_record"]
        else _("%(month)s월") % {"month": m["month"]}
        for m in months
    ]
    datasets = [
        series(_("월 원인행위액"), "commitment", [thousands(m["commitment"]) for m in months]),
        series(_("월 지출액"), "expenditure", [thousands(m["expenditure"]) for m in months]),
    ]
    if any(m["plan_cumulative"] is not None for m in months):
        datasets.append(
            series(_("계획 지출 누계"), "plan", [thousands(m["plan_cumulative"]) for m in months], kind="line")
        )
    datasets.append(series(_("지출 누계"), "cumulative", [thousands(m["cumulative"]) for m in months], kind="line"))
    return {"type": "bar", "unit": "천원", "title": title, "labels": labels, "datasets": datasets}


def early(early, *, title: str) -> dict:
    """상반기 신속집행률 against the target (%)."""
    return {
        "type": "bar",
        "horizontal": True,
        "unit": "%",
        "max": 100,
        "title": title,
        "labels": [_("신속집행률")],
        "datasets": [
            series(_("실적"), "expenditure", [one_decimal(early.rate)]),
            series(_("목표"), "target", [None if early.target is None else float(early.target)]),
        ],
    }


def forecast(rows: list, *, title: str) -> dict:
    """Year-end forecast by row (ForecastTotal): paid so far, still to be paid, projected 불용액 (천원, stacked)."""
    return {
        "type": "bar",
        "horizontal": True,
        "stacked": True,
        "unit": "천원",
        "title": title,
        "labels": [row.label for row in rows],
        "datasets": [
            series(_("지출액(현재)"), "expenditure", [thousands(row.spent) for row in rows]),
            series(_("추가 지출 예상"), "forecast", [thousands(row.projected - row.spent) for row in rows]),
            series(_("예상 불용액"), "lapse", [thousands(row.lapse) for row in rows]),
        ],
    }


def versions(changes: list, *, title: str) -> dict:
    """A record's 원인행위액 and 지출액 after each saved version (천원), oldest first."""
    ordered = list(reversed(changes))
    return {
        "type": "line",
        "stepped": True,
        "unit": "천원",
        "title": title,
        "labels": [f"{c.when:%Y-%m-%d %H:%M}" for c in ordered],
        "datasets": [
            series(
                _("원인행위액"),
                "commitment",
                [thousands(c.after["commitment"]) if c.after else 0 for c in ordered],
                kind="line",
            ),
            series(
                _("지출액"),
                "expenditure",
                [thousands(c.after["expenditure"]) if c.after else 0 for c in ordered],
                kind="line",
            ),
        ],
    }
