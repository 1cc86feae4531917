#!/usr/bin/env python
"""The dashboard's median server time against the minimal query set that yields its figures, in one run,
on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yesan_bench .venv/bin/python benchmarks/dashboard.py

The database must hold the synthetic history (never the real data):

    .venv/bin/python manage.py generate_synthetic_history --database-url postgres://postgres@127.0.0.1:5432/yesan_bench

What is compared, on the same data and the same connection, runs interleaved:
- dashboard: GET /dashboard/?year=…&as_of=… through Django's test Client as a manager: session and
  permission lookups, the ORM, the rules over every line, the template and the charts' JSON;
- minimal set (benchmarks/minimal_set.py, written apart from the app): thirteen hand-written queries, each
  table read once at the finest grouping the page shows, rolled up into natures, 구분, teams, the total
  and the month curves in plain Python.
Target: the dashboard's median within 1.5× the minimal set's. The script also checks that the page's
headline is the minimal set's total, so that both compute the same thing.
"""

from __future__ import annotations

import argparse
import os
import re
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

from config.warm import warm  # noqa: E402

# As a production worker starts (config/wsgi.py): every view imported, the loaded objects frozen.
warm()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from benchmarks import minimal_set  # noqa: E402
from budget.core import display  # noqa: E402
from budget.core.models import ExecutionRecord, FiscalYear  # noqa: E402
from foundation.roles import sync_roles  # noqa: E402

TARGET = 1.5


def manager_client() -> Client:
    user, _ = get_user_model().objects.get_or_create(username="benchmark-manager")
    user.groups.add(sync_roles()["관리자"])
    client = Client()
    client.force_login(user)
    return client


def compare(client: Client, year: int, month: int, runs: int, warmup: int) -> dict:
    """The page and the minimal set for one year and month, interleaved: medians, queries, size."""
    url = f"/dashboard/?year={year}&as_of={year}-{month:02d}"
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code}")
    shown = re.search(r'data-kpi="current">([^<]*)<', response.content.decode()).group(1)
    expected = minimal_set.figures(year, month)
    if shown != display.money(expected["total"][0]):
        sys.exit(f"{url} shows 예산현액 {shown}, the minimal set {display.money(expected['total'][0])}")
    result = {"url": url, "queries": len(captured), "size": len(response.content), "page": [], "minimal": []}
    for _ in range(warmup):
        client.get(url)
        minimal_set.figures(year, month)
    for _ in range(runs):
        # Interleaved, so that whatever else the machine does weighs on both alike.
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        result["page"].append(time.perf_counter() - started)
        started = time.perf_counter()
        minimal_set.figures(year, month)
        result["minimal"].append(time.perf_counter() - started)
    result["ratio"] = statistics.median(result["page"]) / statistics.median(result["minimal"])
    return result


def report(result: dict) -> None:
    ms = lambda seconds: f"{seconds * 1000:7.1f} ms"  # noqa: E731
    page, minimal = result["page"], result["minimal"]
    print(f"{result['url']}: {result['queries']} queries, {result['size'] / 1024:,.0f} KiB of HTML")
    print(f"  dashboard median   {ms(statistics.median(page))}  (min {ms(min(page))}, max {ms(max(page))})")
    print(f"  minimal set median {ms(statistics.median(minimal))}  (min {ms(min(minimal))}, max {ms(max(minimal))})")
    verdict = "met" if result["ratio"] <= TARGET else "NOT met"
    print(f"  ratio              {result['ratio']:7.2f} ×  (target ≤ {TARGET}×: {verdict})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--year", type=int, help="default: the latest fiscal year")
    parser.add_argument("--as-of", help="YYYY-MM (default: December and September of --year)")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args()

    if connection.vendor != "postgresql":
        sys.exit(f"benchmarks/dashboard.py measures PostgreSQL; DATABASE_URL points at {connection.vendor}")
    year = args.year or FiscalYear.objects.order_by("-year").values_list("year", flat=True).first()
    if year is None:
        sys.exit("no fiscal year: run manage.py generate_synthetic_history first")
    months = [int(args.as_of[5:7])] if args.as_of else [12, 9]
    in_year = ExecutionRecord.objects.filter(fiscal_year_id=year).count()
    print(f"database: {connection.settings_dict['NAME']} on PostgreSQL {connection.pg_version // 10000}")
    print(f"data: {ExecutionRecord.objects.count():,} execution records; {in_year:,} in {year}")
    print(f"runs: {args.runs} each, interleaved, after {args.warmup} warm-up")
    client = manager_client()
    results = [compare(client, year, month, args.runs, args.warmup) for month in months]
    for result in results:
        report(result)
    sys.exit(0 if all(r["ratio"] <= TARGET for r in results) else 1)


if __name__ == "__main__":
    main()
