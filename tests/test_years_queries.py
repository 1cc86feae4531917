"""The pages that put years side by side run as many queries with five years held as with one.

The years are the synthetic history's (budget/management/commands/generate_synthetic_history.py), small,
each line linked to the line of the same code the year before as opening a year records it.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budget.core.models import BudgetLine
from tests.html_tables import table_rows
from tests.years_data import link_synthetic_years

pytestmark = pytest.mark.django_db

SMALL = {"lines": 30, "programs": 5, "teams": 2, "verbosity": 0}
FIRST = 2101


def pages(year: int) -> dict[str, str]:
    line = BudgetLine.objects.get(fiscal_year_id=year, code="L00007")  # a line of no program
    return {
        "dashboard": f"/dashboard/?year={year}&as_of={year}-09",
        "report": f"/reports/{year}/?as_of={year}-09",
        "program": f"/programs/S-0001/?year={year}&as_of={year}-09",
        "line": f"/budget/lines/{line.pk}/",
    }


def counts(client, year: int) -> dict[str, int]:
    result = {}
    for name, url in pages(year).items():
        client.get(url)  # the session and the caches of the first request are not what is measured
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        result[name] = len(captured)
    return result


def test_query_counts_do_not_grow_with_the_years_held(manager_client, django_assert_max_num_queries):
    call_command("generate_synthetic_history", first_year=FIRST + 4, years=1, **SMALL)
    one = counts(manager_client, FIRST + 4)
    # Four years before it (the same lines, same codes), then every line linked to the year before's.
    call_command("generate_synthetic_history", first_year=FIRST, years=4, i_know=True, **SMALL)
    link_synthetic_years(FIRST, 5)
    five = counts(manager_client, FIRST + 4)
    two = counts(manager_client, FIRST + 1)
    # The line's five years and the program's, the curve's five years: the same queries as one year's.
    assert five["line"] == two["line"] == one["line"]
    assert five["program"] == two["program"] == one["program"]
    # Held line by line, the year before's finals are read once more (by line, with the line continuing
    # each); with one year held there is none to read. Nothing else grows.
    assert five["report"] == two["report"] == one["report"] + 1
    assert five["dashboard"] == two["dashboard"] == one["dashboard"] + 1
    for name, url in pages(FIRST + 4).items():
        with django_assert_max_num_queries(one[name] + 1):
            manager_client.get(url)


def test_five_years_side_by_side_on_the_pages(manager_client):
    call_command("generate_synthetic_history", first_year=FIRST, years=5, **SMALL)
    link_synthetic_years(FIRST, 5)
    html = manager_client.get(f"/dashboard/?year={FIRST + 4}&as_of={FIRST + 4}-09").content.decode()
    # This year and its four years before, newest first.
    assert [row[0] for row in table_rows(html, "years-curve")] == [str(FIRST + 4 - n) for n in range(5)]
    line = BudgetLine.objects.get(fiscal_year_id=FIRST + 2, code="L00007")
    html = manager_client.get(f"/budget/lines/{line.pk}/").content.decode()
    assert [row[:2] for row in table_rows(html, "line-years")] == [
        (str(year), "L00007 [합성] 세부사업 00007") for year in range(FIRST, FIRST + 5)
    ]
