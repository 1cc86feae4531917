"""Time the Excel import of one month for 500 expenditure lines, on the database DATABASE_URL names.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python benchmarks/import_month.py
    options: --lines 500 (expenditure lines in all, 14 of them the 2022 report's), --repeat 7

It creates a throwaway database beside the one named (bench_import_month, as the test runner creates
test_<name>), loads the 2022 report, adds lines up to --lines with a budget each, and times for
November 2022, each step --repeat times on a fresh month:

  template   writing the month's template (.xlsx, every line prefilled)
  read       reading the filled file: the sheet streamed, every row parsed (no database)
  preview    preview_execution: read, then every check against the lines and the month's rules
  apply      month_import of the previewed file: every line's record created, with history
  again      the same file again: a no-op, nothing written
  replace    a file changing every line: every record updated, with history
  web        the same through the pages: upload → preview (HTTP 200), then confirm (HTTP 302)

It prints the median and the fastest run of each step (milliseconds) and its query count; then drops
the database.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases  # noqa: E402

from budget import imports  # noqa: E402
from budget.core.models import BudgetAmount, BudgetLine, ExecutionRecord, MonthStatus  # noqa: E402
from budget.entry.services import month_import  # noqa: E402
from foundation.roles import sync_roles  # noqa: E402

YEAR, MONTH = 2022, 11


def prepare(lines: int):
    call_command("loaddata", "report_2022", verbosity=0)
    existing = BudgetLine.objects.for_year(YEAR).expenditure()
    account = existing.get(code="A-2").account
    extra = BudgetLine.objects.bulk_create(
        BudgetLine(fiscal_year_id=YEAR, code=f"B-{i}", name=f"벤치마크 사업 {i}", account=account, order=99)
        for i in range(lines - existing.count())
    )
    BudgetAmount.objects.bulk_create(
        BudgetAmount(line=line, kind="original", effective_date=datetime.date(YEAR, 1, 1), amount=1_000_000_000)
        for line in extra
    )
    user = get_user_model().objects.create_user("bench", password=None)
    user.groups.add(sync_roles()["재무담당"])
    return user


def fresh_month():
    """November as before any import (not timed)."""
    ExecutionRecord.history.filter(month=MONTH).delete()
    ExecutionRecord.objects.filter(month=MONTH).delete()
    MonthStatus.objects.filter(fiscal_year_id=YEAR, month=MONTH).delete()


def filled(template: bytes, commitment: int, expenditure: int) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(template))
    ws = wb[imports.EXECUTION.sheet]
    for row in range(imports.FIRST_DATA_ROW, ws.max_row + 1):
        ws.cell(row, 3).value, ws.cell(row, 4).value = commitment, expenditure
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


class Timer:
    def __init__(self):
        self.times: dict[str, list[float]] = {}
        self.queries: dict[str, int] = {}

    def __call__(self, name, fn):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            result = fn()
            self.times.setdefault(name, []).append((time.perf_counter() - start) * 1000)
        self.queries[name] = len(queries)
        return result


def run(lines: int, repeat: int):
    user = prepare(lines)
    count = BudgetLine.objects.for_year(YEAR).expenditure().count()
    client = Client()
    client.force_login(user)
    timer = Timer()
    for _ in range(repeat):
        fresh_month()
        out = io.BytesIO()
        timer("template", lambda out=out: imports.execution_template(YEAR, MONTH, out))
        first = filled(out.getvalue(), 1_000, 500)
        second = filled(out.getvalue(), 2_000, 1_000)
        timer("read", lambda data=first: imports.read_file(imports.EXECUTION, data, "bench.xlsx"))
        preview = timer("preview", lambda data=first: imports.preview_execution(data, "b.xlsx", year=YEAR, month=MONTH))
        assert preview.ok and len(preview.entries) == count, preview.problems[:3]

        def importing(data):
            """month_import of the file's previewed entries; the preview is made here, outside the timer."""
            preview = imports.preview_execution(data, "bench.xlsx", year=YEAR, month=MONTH)
            return lambda: month_import(
                year=YEAR, month=MONTH, entries=preview.entries, user=user, version=preview.version, source="bench"
            )

        fresh_month()
        assert timer("apply", importing(first))[1] == count
        assert timer("again", importing(first))[1] == 0
        assert timer("replace", importing(second))[1] == count

        fresh_month()
        upload = io.BytesIO(first)
        upload.name = "bench.xlsx"
        response = timer(
            "web upload", lambda f=upload: client.post("/entry/import/", {"year": YEAR, "month": MONTH, "file": f})
        )
        assert response.status_code == 200, response.status_code
        token = re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)
        response = timer("web confirm", lambda t=token: client.post("/entry/import/confirm/", {"token": t}))
        assert response.status_code == 302, response.status_code
    return count, timer


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=7)
    options = parser.parse_args()
    database = settings.DATABASES["default"]
    database.setdefault("TEST", {})["NAME"] = "bench_import_month"
    old = setup_databases(verbosity=0, interactive=False)
    try:
        count, timer = run(options.lines, options.repeat)
        version = connection.cursor().connection.server_version if connection.vendor == "postgresql" else ""
        print(
            f"{connection.vendor} {version}: importing {YEAR}-{MONTH:02d} for {count} lines, {options.repeat} runs (ms)"
        )
        print(f"{'step':<12} {'median':>9} {'fastest':>9} {'queries':>8}")
        for name, times in timer.times.items():
            print(f"{name:<12} {statistics.median(times):>9.1f} {min(times):>9.1f} {timer.queries[name]:>8}")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
