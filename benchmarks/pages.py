#!/usr/bin/env python
"""Every main page's median server time and query count, for 2022 and for the big synthetic year, in one run
on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yesan_bench .venv/bin/python benchmarks/pages.py

The database holds the report's 2022 (`loaddata report_2022`) and the synthetic history beside it
(`generate_synthetic_history --i-know`): ten years of 10,000 lines by default. Each page is requested
through Django's test Client as the finance lead (who may see every page), the two years interleaved.

"Pages cost what they show": a program page, a drill-down and a line page read only their lines, so
their median on the big year must stay within 2× their median on 2022 (TARGETED below); the script
prints the ratio for every page and the verdict for those.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
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

from budget.core.models import BudgetLine, ExecutionRecord, FiscalYear  # noqa: E402
from budget.core.periods import closed_through  # noqa: E402
from foundation.roles import sync_roles  # noqa: E402

# (name, URL pattern): {y} the year, {m} the as-of month, {mm} it in two digits, {open} the first open
# month, {line} a program line's id, {code} its program's code, {section} its 구분.
PAGES = [
    ("home", "/"),
    ("dashboard", "/dashboard/?year={y}&as_of={y}-{mm}"),
    ("forecast list", "/dashboard/forecast/?year={y}&as_of={y}-{mm}"),
    ("dashboard area", "/dashboard/areas/{section}/?year={y}&as_of={y}-{mm}"),
    ("dashboard program", "/dashboard/programs/{code}/?year={y}&as_of={y}-{mm}"),
    ("dashboard line", "/dashboard/lines/{line}/?as_of={y}-{mm}"),
    ("line records", "/dashboard/lines/{line}/records/?as_of={y}-{mm}"),
    ("program list", "/programs/?year={y}&as_of={y}-{mm}"),
    ("program page", "/programs/{code}/?year={y}&as_of={y}-{mm}"),
    ("report", "/reports/{y}/?as_of={y}-{mm}"),
    ("council workbook", "/reports/{y}/council.xlsx?as_of={y}-{mm}"),
    ("month sheet", "/entry/{y}/{open}/"),
    ("plan", "/entry/{y}/plan/"),
    ("budget changes", "/budget/{y}/changes/"),
    ("line detail", "/budget/lines/{line}/"),
    ("line history", "/budget/lines/{line}/history/"),
]
# The pages that show a few lines: their cost must not follow the year's size.
TARGETED = {"dashboard program", "dashboard line", "line records", "program page", "line detail", "line history"}
LIMIT = 2.0


def lead_client() -> Client:
    user, _ = get_user_model().objects.get_or_create(username="benchmark-lead")
    user.groups.add(sync_roles()["재무책임"])
    # A page that fails is reported with its status, and the run goes on to the next.
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def values(year: int, month: int) -> dict:
    line = (
        BudgetLine.objects.filter(fiscal_year_id=year, program__isnull=False)
        .select_related("program__area")
        .order_by("order", "code")
        .first()
    )
    closed = closed_through(year)
    return {
        "y": year,
        "m": month,
        "mm": f"{month:02d}",
        "open": min(closed + 1, 12),
        "line": line.pk,
        "code": line.program.code,
        "section": line.program.area.code,
    }


def measure(client: Client, urls: dict[int, str], runs: int) -> dict[int, dict]:
    """Each year's URL: status, queries and size once, then `runs` timings interleaved across the years."""
    found = {}
    for year, url in urls.items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        found[year] = {"url": url, "status": response.status_code, "queries": len(captured), "times": []}
        found[year]["size"] = len(response.content)
    for _ in range(runs):
        for year, url in urls.items():
            started = time.perf_counter()
            client.get(url)
            found[year]["times"].append(time.perf_counter() - started)
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=2022, help="the real-size year (default 2022)")
    parser.add_argument("--big", type=int, help="the big year (default: the latest)")
    parser.add_argument("--month", type=int, default=9, help="the as-of month (default 9)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", help="comma-separated page names")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit(f"benchmarks/pages.py measures PostgreSQL; DATABASE_URL points at {connection.vendor}")
    big = args.big or FiscalYear.objects.order_by("-year").values_list("year", flat=True).first()
    years = {args.small: values(args.small, args.month), big: values(big, args.month)}
    for year in years:
        lines = BudgetLine.objects.filter(fiscal_year_id=year).count()
        records = ExecutionRecord.objects.filter(fiscal_year_id=year).count()
        print(f"{year}: {lines:,} lines, {records:,} execution records")
    print(f"database: {connection.settings_dict['NAME']}, {ExecutionRecord.objects.count():,} execution records")
    print(f"median of {args.runs} runs, years interleaved; as of month {args.month}\n")
    client = lead_client()
    chosen = set(args.only.split(",")) if args.only else None
    header = f"{'page':20s} {'':>4s} {args.small:>9d} {'q':>4s} {'KiB':>6s}   {big:>9d} {'q':>4s} {'KiB':>7s}  ratio"
    print(header)
    print("-" * len(header))
    failed = []
    for name, pattern in PAGES:
        if chosen and name not in chosen:
            continue
        urls = {year: pattern.format(**v) for year, v in years.items()}
        found = measure(client, urls, args.runs)
        small, large = found[args.small], found[big]
        bad = [f"{f['url']} answered {f['status']}" for f in (small, large) if f["status"] != 200]
        if bad:
            print(f"{name:20s} " + "; ".join(bad))
            failed.append(name)
            continue
        a, b = statistics.median(small["times"]) * 1000, statistics.median(large["times"]) * 1000
        ratio = b / a
        verdict = ""
        if name in TARGETED:
            verdict = "  ok" if ratio <= LIMIT else f"  NOT within {LIMIT}×"
            if ratio > LIMIT:
                failed.append(name)
        print(
            f"{name:20s} {'':>4s} {a:7.1f}ms {small['queries']:4d} {small['size'] / 1024:6.0f}   "
            f"{b:7.1f}ms {large['queries']:4d} {large['size'] / 1024:7.0f}  {ratio:5.2f}×{verdict}"
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
