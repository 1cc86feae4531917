"""The open pages: no login, published months only (budget.entry.publishing). A year or a month that is not
published is not found, the same answer as for one that does not exist, so nothing unpublished shows even
whether it exists."""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from budget.core.csvfile import csv_response, data_value
from budget.core.ledger import Ledger
from budget.entry.publishing import published_months, published_years
from budget.reports.tables import SpecTable
from dashboard import charts
from opendata.data import RESOURCES, data_rows, data_table, page_tables
from opendata.package import descriptor

# Anyone's script may read open data from another site (a city portal, a journalist's notebook).
OPEN = {"Access-Control-Allow-Origin": "*"}


def _months(year: int) -> list[int]:
    months = published_months(year)
    if not months:
        raise Http404  # not published and not held look alike: nothing unpublished is even hinted at
    return months


def _open(response):
    for header, value in OPEN.items():
        response[header] = value
    return _fresh(response)


def _fresh(response):
    """A cache may keep an open page but must ask again before using it: a month withdrawn (unpublished or
    reopened) is gone at once."""
    patch_cache_control(response, no_cache=True)
    return response


def index(request):
    return _fresh(render(request, "opendata/index.html", {"years": published_years()}))


def year_page(request, year):
    """One published month (?month=, the latest published by default): by nature and by program, with charts."""
    months = _months(year)
    asked = request.GET.get("month")
    month = months[-1] if not asked else int(asked) if asked.isdigit() else 0
    if month not in months:
        raise Http404
    by_nature, by_program = page_tables(Ledger(year, month))
    context = {
        "year": year,
        "month": month,
        "months": months,
        "tables": [(by_nature, SpecTable(by_nature)), (by_program, SpecTable(by_program))],
        "charts": {
            "natures": charts.amounts(by_nature.rows[1:], title=_("성질별 집행")),
            "programs": charts.rates(by_program.rows, title=_("사업별 원인행위율·집행률")),
        },
    }
    return _fresh(render(request, "opendata/year.html", context))


def resource_csv(request, year, resource):
    months = _months(year)
    rows = data_rows(year, months, (resource,))[resource]
    return _open(csv_response(data_table(resource, rows), f"{RESOURCES[resource]}-{year}.csv", names=True))


def _json(data) -> JsonResponse:
    return _open(JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1}))


def data_json(request, year):
    """The data package's rows as JSON: each resource's rows with its fields' values (amounts in won as
    numbers, rates as exact decimal text)."""
    months = _months(year)
    rows = data_rows(year, months, ("nature", "program"))
    resources = {}
    for resource, resource_rows in rows.items():
        table = data_table(resource, resource_rows)
        resources[RESOURCES[resource]] = [
            {column.key: data_value(row.get(column.key), column.kind) for column in table.columns}
            for row in resource_rows
        ]
    return _json({"fiscal_year": year, "published_months": [f"{year}-{m:02d}" for m in months], **resources})


def datapackage(request, year):
    return _json(descriptor(year, _months(year)))
