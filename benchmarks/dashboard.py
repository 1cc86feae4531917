#!/usr/bin/env python
"""The dashboard's median server time against the raw SQL aggregates it needs, in one run, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yesan_bench .venv/bin/python benchmarks/dashboard.py

The database must hold the synthetic history (never the real data):

    .venv/bin/python manage.py generate_synthetic_history --database-url postgres://postgres@127.0.0.1:5432/yesan_bench

What is compared, on the same data and the same connection, runs interleaved:
- dashboard: GET /dashboard/?year=…&as_of=… through Django's test Client as a manager: session and
  permission lookups, the ORM, the rules over every line, the template and the charts' JSON;
- raw SQL: the aggregates that page needs, written by hand and run through connection.cursor with every
  row fetched: the lines, 예산현액 and execution by line, nature, 구분 and team and in total, execution
  and plans by month for the whole and by program, plans by line, last year's finals, the newest
  explanations, the first half by nature, 세입·세출 총괄 for two years, the cumulative cover and the
  closed months. Rolling those up into what the page shows is the difference being measured.
Target: the dashboard's median within 3× the raw median.

The page sums each grouping in the database (as the report does, so that its figures are the report's),
and the raw set above mirrors that. A hand-coded page could sum by line only and add lines up into
natures, 구분, teams and months itself; the script also prints the ratio against that smaller set
("by line only"), which leaves out the queries in ROLLED_UP.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The project's production settings with a throwaway key over plain HTTP, as the test suite runs them
# (DEBUG off, so Django keeps no query log that would slow the page down).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from budget.core.models import ExecutionRecord, FiscalYear, month_end  # noqa: E402
from foundation.roles import sync_roles  # noqa: E402

SECTION = """CASE WHEN l.program_id IS NOT NULL THEN pa.code
     WHEN ac.code IN ('personnel', 'expense') THEN 'admin' ELSE ac.code END"""
JOINS = """JOIN budget_budgetline l ON l.id = x.line_id
JOIN budget_account ac ON ac.id = l.account_id
LEFT JOIN programs_program p ON p.id = l.program_id
LEFT JOIN programs_policyarea pa ON pa.id = p.area_id"""
GROUPINGS = {"line": "l.id", "nature": "l.account_id", "section": SECTION, "team": "p.owner_team_id"}
# What could be added up from by-line (and by-program-and-month) sums instead of summed again.
ROLLED_UP = {
    "total budget",
    "total execution",
    "execution by month",
    "plan by month",
    *(f"{what} by {name}" for what in ("budget", "execution") for name in GROUPINGS if name != "line"),
}


def aggregates(year: int, month: int) -> list[tuple[str, str, list]]:
    """(name, SQL, params) of every aggregate the dashboard needs for `year` as of `month`."""
    day = month_end(year, month)
    half = min(month, 6)
    previous_end = datetime.date(year - 1, 12, 31)
    budget = f"""SELECT {{key}}, SUM(x.amount) FROM budget_budgetamount x {JOINS}
        WHERE l.fiscal_year_id = %s AND ac.side = 'expenditure' AND x.effective_date <= %s {{group}}"""
    executed = f"""SELECT {{key}}, SUM(x.commitment), SUM(x.expenditure) FROM budget_executionrecord x {JOINS}
        WHERE l.fiscal_year_id = %s AND x.month <= %s {{group}}"""
    queries = [
        (
            "lines",
            f"""SELECT l.id, l.code, l.name, l."order", {SECTION}, l.account_id, l.program_id, ac.code, ac.name,
                ac."order", p.code, p.name, pa.code, pa.name, p.owner_team_id, t.name
            FROM budget_budgetline l JOIN budget_account ac ON ac.id = l.account_id
            LEFT JOIN programs_program p ON p.id = l.program_id
            LEFT JOIN programs_policyarea pa ON pa.id = p.area_id
            LEFT JOIN foundation_orgunit t ON t.id = p.owner_team_id
            WHERE l.fiscal_year_id = %s AND ac.side = 'expenditure' ORDER BY l."order", l.code""",
            [year],
        ),
        ("total budget", budget.format(key="1", group=""), [year, day]),
        ("total execution", executed.format(key="1", group=""), [year, month]),
    ]
    for name, key in GROUPINGS.items():
        queries.append((f"budget by {name}", budget.format(key=key, group=f"GROUP BY {key}"), [year, day]))
        queries.append((f"execution by {name}", executed.format(key=key, group=f"GROUP BY {key}"), [year, month]))
    queries += [
        (
            "execution by month",
            """SELECT x.month, SUM(x.commitment), SUM(x.expenditure), COUNT(*) FILTER (WHERE x.cumulative)
            FROM budget_executionrecord x JOIN budget_budgetline l ON l.id = x.line_id
            WHERE l.fiscal_year_id = %s AND x.month <= %s GROUP BY x.month""",
            [year, month],
        ),
        (
            "execution by program and month",
            """SELECT x.month, l.program_id, SUM(x.commitment), SUM(x.expenditure),
                COUNT(*) FILTER (WHERE x.cumulative)
            FROM budget_executionrecord x JOIN budget_budgetline l ON l.id = x.line_id
            WHERE l.fiscal_year_id = %s AND x.month <= %s GROUP BY x.month, l.program_id""",
            [year, month],
        ),
        (
            "plan by month",
            """SELECT x.month, SUM(x.commitment), SUM(x.expenditure) FROM budget_monthlyplan x
            JOIN budget_budgetline l ON l.id = x.line_id WHERE l.fiscal_year_id = %s GROUP BY x.month""",
            [year],
        ),
        (
            "plan by program and month",
            """SELECT x.month, l.program_id, SUM(x.commitment), SUM(x.expenditure) FROM budget_monthlyplan x
            JOIN budget_budgetline l ON l.id = x.line_id WHERE l.fiscal_year_id = %s
            GROUP BY x.month, l.program_id""",
            [year],
        ),
        (
            "plan by line",
            """SELECT x.line_id, SUM(x.commitment) FILTER (WHERE x.month <= %s),
                SUM(x.expenditure) FILTER (WHERE x.month <= %s), SUM(x.commitment), SUM(x.expenditure)
            FROM budget_monthlyplan x JOIN budget_budgetline l ON l.id = x.line_id
            WHERE l.fiscal_year_id = %s GROUP BY x.line_id""",
            [month, month, year],
        ),
        (
            "last year's final by line code",
            f"""SELECT l.code, SUM(x.amount) FROM budget_budgetamount x {JOINS}
            WHERE l.fiscal_year_id = %s AND ac.side = 'expenditure' AND x.effective_date <= %s GROUP BY l.code""",
            [year - 1, previous_end],
        ),
        (
            "newest explanation by line",
            """SELECT e.id, e.line_id, e.month, e.text, u.username, u.first_name FROM budget_explanation e
            JOIN budget_budgetline l ON l.id = e.line_id JOIN auth_user u ON u.id = e.written_by_id
            WHERE l.fiscal_year_id = %s AND e.month <= %s AND e.month = (
                SELECT e2.month FROM budget_explanation e2 WHERE e2.line_id = e.line_id AND e2.month <= %s
                ORDER BY e2.month DESC LIMIT 1)""",
            [year, month, month],
        ),
        (
            "first-half budget by nature",
            budget.format(key="l.account_id", group="GROUP BY l.account_id"),
            [year, month_end(year, half)],
        ),
        (
            "first-half execution by nature",
            executed.format(key="l.account_id", group="GROUP BY l.account_id"),
            [year, half],
        ),
        (
            "cumulative cover",
            """SELECT MAX(x.month) FROM budget_executionrecord x JOIN budget_budgetline l ON l.id = x.line_id
            WHERE l.fiscal_year_id = %s AND x.cumulative""",
            [year],
        ),
        ("closed months", "SELECT month FROM budget_monthstatus WHERE fiscal_year_id = %s AND closed", [year]),
    ]
    for side in ("revenue", "expenditure"):
        both_years = """SUM(x.amount) FILTER (WHERE l.fiscal_year_id = %s AND x.effective_date <= %s),
                SUM(x.amount) FILTER (WHERE l.fiscal_year_id = %s AND x.effective_date <= %s)"""
        params = [year, day, year - 1, previous_end]
        queries.append(
            (
                f"{side} by account, two years",
                f"""SELECT ac.id, ac.name, {both_years} FROM budget_account ac
                LEFT JOIN budget_budgetline l ON l.account_id = ac.id
                LEFT JOIN budget_budgetamount x ON x.line_id = l.id
                WHERE ac.side = %s GROUP BY ac.id ORDER BY ac."order\"""",
                [*params, side],
            )
        )
        queries.append(
            (
                f"{side} total, two years",
                f"""SELECT {both_years} FROM budget_budgetamount x JOIN budget_budgetline l ON l.id = x.line_id
                JOIN budget_account ac ON ac.id = l.account_id WHERE ac.side = %s""",
                [*params, side],
            )
        )
    return queries


def run_raw(queries) -> tuple[float, dict[str, float], int]:
    timings, rows = {}, 0
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for name, sql, params in queries:
            t = time.perf_counter()
            cursor.execute(sql, params)
            rows += len(cursor.fetchall())
            timings[name] = time.perf_counter() - t
    return time.perf_counter() - started, timings, rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--year", type=int, help="default: the latest fiscal year")
    parser.add_argument("--as-of", help="YYYY-MM (default: September of --year)")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args()

    if connection.vendor != "postgresql":
        sys.exit(f"benchmarks/dashboard.py measures PostgreSQL; DATABASE_URL points at {connection.vendor}")
    year = args.year or FiscalYear.objects.order_by("-year").values_list("year", flat=True).first()
    if year is None:
        sys.exit("no fiscal year: run manage.py generate_synthetic_history first")
    as_of = args.as_of or f"{year}-09"
    month = int(as_of[5:7])
    records = ExecutionRecord.objects.count()
    in_year = ExecutionRecord.objects.filter(line__fiscal_year_id=year).count()
    lines = ExecutionRecord.objects.filter(line__fiscal_year_id=year).values("line").distinct().count()
    if in_year < 100_000:
        print(f"warning: {in_year:,} execution records in {year}; the benchmark wants ≥ 100,000", file=sys.stderr)

    user, _ = get_user_model().objects.get_or_create(username="benchmark-manager")
    user.groups.add(sync_roles()["관리자"])
    client = Client()
    client.force_login(user)
    url = f"/dashboard/?year={year}&as_of={as_of}"
    queries = aggregates(year, month)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code}")
    size = len(response.content)
    query_count = len(captured)  # now: the next request clears the connection's query log

    for _ in range(args.warmup):
        client.get(url)
        run_raw(queries)
    page_times, raw_times, per_query = [], [], {name: [] for name, _sql, _params in queries}
    raw_rows = 0
    for _ in range(args.runs):
        # Interleaved, so that whatever else the machine does weighs on both alike.
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        page_times.append(time.perf_counter() - started)
        elapsed, timings, raw_rows = run_raw(queries)
        raw_times.append(elapsed)
        for name, seconds in timings.items():
            per_query[name].append(seconds)

    page, raw = statistics.median(page_times), statistics.median(raw_times)
    by_line = statistics.median(
        sum(per_query[name][run] for name in per_query if name not in ROLLED_UP) for run in range(args.runs)
    )
    print(f"database: {connection.settings_dict['NAME']} on PostgreSQL {connection.pg_version // 10000}")
    print(f"data: {records:,} execution records; {in_year:,} in {year} ({lines:,} lines)")
    print(f"page: {url} — {query_count} queries, {size / 1024:,.0f} KiB of HTML")
    print(f"runs: {args.runs} each, interleaved, after {args.warmup} warm-up")
    print()
    print("raw SQL aggregates (median per query, ms):")
    for name, seconds in sorted(per_query.items(), key=lambda item: -statistics.median(item[1])):
        print(f"  {statistics.median(seconds) * 1000:8.1f}  {name}")
    print(f"  ({len(queries)} queries, {raw_rows:,} rows fetched)")
    print()
    spread = "(min {:.1f}, max {:.1f})".format
    print(f"dashboard median   {page * 1000:8.1f} ms  {spread(min(page_times) * 1000, max(page_times) * 1000)}")
    print(f"raw SQL median     {raw * 1000:8.1f} ms  {spread(min(raw_times) * 1000, max(raw_times) * 1000)}")
    print(f"raw, by line only  {by_line * 1000:8.1f} ms  (without the {len(ROLLED_UP)} queries a page could roll up)")
    ratio = page / raw
    print(f"ratio              {ratio:8.2f} ×  (target ≤ 3×: {'met' if ratio <= 3 else 'NOT met'})")
    print(f"ratio, by line     {page / by_line:8.2f} ×")
    sys.exit(0 if ratio <= 3 else 1)


if __name__ == "__main__":
    main()
