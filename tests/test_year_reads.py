"""A year's pages read that year's rows by index, whatever the years held: PostgreSQL's own plans for every
query a page runs, on a database holding ten years, name no sequential scan of the tables that grow by
twelve rows per line and year (execution records, monthly plans).

PostgreSQL only: the plan is its planner's choice. The years are the synthetic history's, at a size a test
run affords (the full size is the benchmark's: benchmarks/pages.py). Budget amounts, about one row per
line and year, are small enough at this size that reading them whole is the planner's right choice, so
they are not asserted here.
"""

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budget.core.models import BudgetLine, FiscalYear

pytestmark = pytest.mark.django_db

GROWING = {"budget_executionrecord", "budget_monthlyplan"}
YEARS = 10
LINES = 300


@pytest.fixture
def ten_years(db):
    if connection.vendor != "postgresql":
        pytest.skip("the plans are PostgreSQL's planner's; CI runs this file on PostgreSQL")
    call_command("generate_synthetic_history", years=YEARS, lines=LINES, programs=20, teams=3, verbosity=0)
    with connection.cursor() as cursor:
        # What autovacuum does after a bulk load: the planner's statistics of the rows just written.
        cursor.execute("ANALYZE")
    return max(FiscalYear.objects.values_list("year", flat=True))


def sequential_scans(plan: dict) -> set[str]:
    """The growing tables a plan reads whole."""
    found = set()
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in GROWING:
        found.add(plan["Relation Name"])
    for child in plan.get("Plans", []):
        found |= sequential_scans(child)
    return found


def plans_of(client, url: str) -> list[tuple[str, set[str]]]:
    """Every query the page runs that touches a growing table, with the tables it scans whole."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    found = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT") or not any(table in sql for table in GROWING):
                continue
            # The captured text is the statement as sent, its parameters bound by the driver.
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
            (document,) = cursor.fetchone()
            plan = (json.loads(document) if isinstance(document, str) else document)[0]["Plan"]
            found.append((sql, sequential_scans(plan)))
    return found


def test_every_page_of_a_year_reads_its_rows_by_index(ten_years, make_user, client):
    year = ten_years
    client.force_login(make_user("lead", "관리자", is_staff=True))
    line = BudgetLine.objects.filter(fiscal_year_id=year, program__isnull=False).select_related("program").first()
    pages = [
        f"/dashboard/?year={year}&as_of={year}-09",
        f"/dashboard/?year={year}&as_of={year}-12",
        f"/reports/{year}/?as_of={year}-09",
        f"/programs/?year={year}",
        f"/programs/{line.program.code}/?year={year}",
        f"/dashboard/lines/{line.pk}/?as_of={year}-09",
        f"/dashboard/programs/{line.program.code}/?as_of={year}-09",
        f"/dashboard/forecast/?year={year}&as_of={year}-09",
    ]
    checked = 0
    for url in pages:
        for sql, scanned in plans_of(client, url):
            assert not scanned, f"{url} reads all of {sorted(scanned)}:\n{sql}"
            checked += 1
    # The pages did read the growing tables: the test looked at their queries, not at nothing.
    assert checked >= 3 * len(pages)
