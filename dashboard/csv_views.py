"""Each table of the dashboard's overview as CSV, for the year, month, team and nature the page shows."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse

from budget.core.csvfile import csv_response
from dashboard.csv_tables import TABLES
from dashboard.overview import build
from dashboard.pages import chosen
from dashboard.years import KEY as YEARS_CURVE
from dashboard.years import years_curve
from foundation.units import own_units

# Every program's curve, not the overview's first two dozen: a download is for all of them.
ALL = 10**9


@login_required
@permission_required("budget.view_budgetline", raise_exception=True)
def table_csv(request, key):
    """/dashboard/<key>.csv?year=&as_of=[&team=&nature=], with the overview's own choices and redirects."""
    if key not in TABLES and key != YEARS_CURVE:
        raise Http404
    choice = chosen(request, "dashboard/index.html")
    if isinstance(choice, HttpResponse):
        return choice
    if key == YEARS_CURVE:  # read on its own, over the years: not a table of the overview
        team, nature = (value.pk if value else None for value in (choice.team, choice.nature))
        table = years_curve(choice.year, choice.month, team=team, nature=nature).table
    else:
        overview = build(
            choice.ledger,
            choice.fiscal_year,
            own_units=own_units(request.user),
            summaries=key.endswith("-summary"),
            early=key == "early",
            program_curves=ALL,
            section_lines=None,
        )
        table = TABLES[key](overview)
    if table.missing:  # the page says why there is no table; a file of headers alone would say nothing
        return HttpResponse(table.missing, status=404, content_type="text/plain; charset=utf-8")
    scope = "".join(f"-{name}{value.pk}" for name, value in (("team", choice.team), ("nature", choice.nature)) if value)
    return csv_response(table, f"{key}-{choice.year}-{choice.month:02d}{scope}.csv")
