#!/usr/bin/env python
"""Time and peak memory of the council workbook (budget.workbook.write_council_workbook) for the large
synthetic year, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yesan_bench .venv/bin/python benchmarks/council_workbook.py

The database must hold the synthetic history (manage.py generate_synthetic_history --database-url …).
Each measurement runs in a fresh child process, so that nothing the parent imported or cached counts:
- one without tracing: wall time, and the process's peak resident memory (getrusage ru_maxrss);
- one under tracemalloc: the peak of memory Python allocated while writing (tracing slows it down,
  so its time is not the one reported).
The workbook is written to a temporary file, as the export command writes it, not held in memory.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(year: int, month: int, output: str, trace: bool) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import resource
    import time
    import tracemalloc

    import django

    django.setup()
    from django.db import connection

    from budget.core.models import BudgetLine, ExecutionRecord
    from budget.council.workbook import write_council_workbook

    records = ExecutionRecord.objects.filter(line__fiscal_year_id=year).count()
    lines = BudgetLine.objects.for_year(year).expenditure().count()
    before_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    with open(output, "wb") as out:
        failures = write_council_workbook(year, month, out)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else None
    return {
        "vendor": connection.vendor,
        "records": records,
        "lines": lines,
        "seconds": seconds,
        "traced_peak": peak,
        "rss_before_kib": before_rss,
        "rss_peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "bytes": Path(output).stat().st_size,
        "failed_checks": failures,
    }


def run_child(year: int, month: int, trace: bool) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        output = str(Path(folder) / f"council-{year}-{month:02d}.xlsx")
        command = [sys.executable, __file__, "--child", "--year", str(year), "--month", str(month), "--output", output]
        if trace:
            command.append("--trace")
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            sys.exit(result.stderr)
        return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--year", type=int, help="default: the latest fiscal year")
    parser.add_argument("--month", type=int, default=9)
    parser.add_argument("--runs", type=int, default=3, help="untraced runs; the best time is reported")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        print(json.dumps(child(args.year, args.month, args.output, args.trace)))
        return

    year = args.year
    if year is None:
        year = int(
            subprocess.run(
                [sys.executable, str(ROOT / "manage.py"), "shell", "-c", LATEST_YEAR],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
            )
            .stdout.strip()
            .splitlines()[-1]
        )
    timed = [run_child(year, args.month, trace=False) for _ in range(args.runs)]
    traced = run_child(year, args.month, trace=True)
    best = min(timed, key=lambda r: r["seconds"])
    if best["vendor"] != "postgresql":
        print(f"warning: measured on {best['vendor']}, not PostgreSQL", file=sys.stderr)
    print(f"council workbook {year}-{args.month:02d} on {best['vendor']}")
    print(f"data: {best['records']:,} execution records in {year}, {best['lines']:,} expenditure lines")
    print(f"file: {best['bytes'] / 1024 / 1024:.1f} MiB; failed checks: {len(best['failed_checks'])}")
    times = ", ".join(f"{r['seconds']:.2f}" for r in timed)
    print(f"time: {best['seconds']:.2f} s (best of {args.runs}: {times})")
    print(
        f"peak RSS of the process: {max(r['rss_peak_kib'] for r in timed) / 1024:.0f} MiB "
        f"(of which {best['rss_before_kib'] / 1024:.0f} MiB before writing: Python, Django, the app)"
    )
    print(f"peak memory allocated while writing (tracemalloc): {traced['traced_peak'] / 1024 / 1024:.1f} MiB")


# The newest fiscal year, printed by a child Django shell so that the parent imports nothing of Django.
LATEST_YEAR = "from budget.models import FiscalYear; print(FiscalYear.objects.order_by('-year').first().year)"

if __name__ == "__main__":
    main()
