"""The execution dashboards' overview and the forecast list (the drill-down is in drill_views).

Views are thin: read the choices from the URL, build the rows (dashboard.overview), render. Every page
runs a fixed number of queries whatever the number of lines (tests/test_dashboard_queries.py).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from budget.core.periods import covered_through
from budget.reports.report import as_of_caption
from budget.reports.tables import SpecTable
from dashboard import charts
from dashboard.forms import TargetForm
from dashboard.overview import build
from dashboard.pages import (
    FORECAST_PAGE,
    LIST_LIMIT,
    RULES,
    chosen,
    curve_note,
    explanation_month,
    mark_explainable,
    query,
)
from dashboard.revenue import revenue_panel
from dashboard.statuses import line_statuses
from dashboard.tables import ExecutionTable
from dashboard.years import years_curve
from foundation.units import own_units


@login_required
@permission_required("budget.view_budgetline", raise_exception=True)
def index(request):
    choice = chosen(request, "dashboard/index.html")
    if isinstance(choice, HttpResponse):
        return choice
    fiscal_year, year, month = choice.fiscal_year, choice.year, choice.month
    units = own_units(request.user)
    overview = build(choice.ledger, fiscal_year, own_units=units)
    mark_explainable(request, overview.statuses, units)
    period = query(year, month)
    programs = [row for row in overview.areas if row["level"] == "item" and row["status"].line["program_id"]]
    context = {
        "filter": choice.filterset,
        "o": overview,
        "year": year,
        "month": month,
        "as_of": f"{year}-{month:02d}",
        "caption": as_of_caption(year, month),
        "period": period,
        "full_query": choice.full_query,
        "team": choice.team,
        "nature": choice.nature,
        "rules": RULES,
        "limit": LIST_LIMIT,
        "explanation_month": explanation_month(year, month, overview.closed_now),
        "charts": {
            "natures": charts.amounts(overview.natures[:-1], title=_("성질별 집행 (예비비 제외)")),
            "programs": charts.rates(
                [{**row, "label": row["status"].name} for row in programs], title=_("사업별 원인행위율·집행률")
            ),
            "teams": charts.amounts(overview.teams, title=_("담당 팀별 집행"), horizontal=True),
            "curve": charts.curve(
                overview.curve,
                title=_("누적 집행 곡선"),
                budget=overview.headline.current,
                note=curve_note(year, month, overview.covered),
            ),
            "program_curves": [
                (
                    status,
                    charts.curve(points, title=status.name, budget=status.figures.current, compact=True),
                    points,
                )
                for status, points in overview.program_curves
            ],
            "early": charts.early(overview.early, title=_("상반기 신속집행")) if overview.early else None,
            "forecast": charts.forecast(overview.forecast_rows, title=_("성질별 연말 집행 전망")),
        },
        "summaries": [
            (
                table,
                SpecTable(table),
                charts.comparison(
                    table.rows,
                    title=table.title,
                    current=_("%(year)s 예산현액") % {"year": year},
                    previous=_("%(year)s 최종예산") % {"year": year - 1},
                ),
            )
            for table in overview.summaries
        ],
        # The target is set before the first month closes (budget.years.target_set), and only then offered.
        "tables": {
            "natures": ExecutionTable("natures", overview.natures, first=_("성질"), period=period),
            "reserve": ExecutionTable(
                "reserve", overview.reserve, first=_("예비비"), period=period, link_sections=True
            ),
            "areas": ExecutionTable(
                "areas", overview.areas, first=_("정책분야 · 사업"), period=period, link_sections=True
            ),
            "teams": ExecutionTable("teams", overview.teams, first=_("담당 팀"), period=period),
        },
        # This year's curve against the years before, narrowed as the page is (to a team, a nature).
        "years": years_curve(
            year,
            month,
            team=choice.team.pk if choice.team else None,
            nature=choice.nature.pk if choice.nature else None,
        ),
        "revenue": revenue_panel(choice.ledger, overview.curve, narrowed=bool(choice.team or choice.nature)),
        "target_form": TargetForm(instance=fiscal_year)
        if request.user.has_perm("budget.change_fiscalyear") and not overview.closed_now and not fiscal_year.finished
        else None,
    }
    return render(request, "dashboard/index.html", context)


@login_required
@permission_required("budget.view_budgetline", raise_exception=True)
def forecast_list(request):
    """Every line's year-end forecast and flags, the largest projected 불용액 first, a page at a time."""
    choice = chosen(request, "dashboard/forecast.html")
    if isinstance(choice, HttpResponse):
        return choice
    year, month = choice.year, choice.month
    units = own_units(request.user)
    known = month >= covered_through(year)
    # The list shows the forecast and the flags, not the change from last year nor the 사유.
    statuses = line_statuses(choice.ledger, own_units=units, known=known, annotated=False)
    ordered = sorted(statuses, key=lambda s: (s.reserve, -(s.forecast.lapse if s.forecast else 0)))
    page = Paginator(ordered, FORECAST_PAGE).get_page(request.GET.get("page"))
    context = {
        "filter": choice.filterset,
        "year": year,
        "month": month,
        "caption": as_of_caption(year, month),
        "period": query(year, month),
        "full_query": choice.full_query,
        "page": page,
        "known": known,
        "rules": RULES,
    }
    return render(request, "dashboard/forecast.html", context)
