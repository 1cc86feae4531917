#!/usr/bin/env python
"""Load and fault run against a running app server (gunicorn + PostgreSQL), then a check of every figure.

Managers read the report, the program pages and the dashboard; finance staff save month sheets (and import
Excel files where /entry/import/ exists) for the months still open for entry. Each save carries a unique tag
in its reason, so that afterwards the database's history says which saves were applied and in what order.
The run passes when:

- every request got the answer its kind allows: 200 for a page, 302 for an accepted save, 400 for a rule's
  refusal and 409 for a stale sheet; nothing else (in the fault run: except while the database is down);
- per month, the saves applied (MonthStatus history) form one chain of versions, each built on the version
  right before it (a save applied over a newer one would be a lost update), every accepted save is in it and
  no refused one; and the month's execution records, summed per line in the database, equal exactly what
  replaying that chain gives (no lost update, no double count, no half-saved month).

With --fault-at, PostgreSQL is stopped at that second and started again --down-seconds later: the app must
answer errors (5xx, /healthz 503) while it is down, not hang, and serve normally again by itself.

Plain threads and http.client rather than locust: the check needs each user's exact bookkeeping (the
version a sheet was drawn at, the tag and amounts of every save) and the fault timeline in one process,
and a run needs nothing beyond the project's own dependencies. Run it through loadtest/run, which
prepares the database and starts bin/serve; see docs/production.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

# The run's parts, beside this script (its folder is first on sys.path), once Django is set up.
from agents import YEAR, Browser, Line, Stats, World, finance, login, manager  # noqa: E402
from django.db import connection  # noqa: E402
from verdict import (  # noqa: E402
    Fault,
    break_database,
    fault_report,
    month_state,
    print_table,
    probe_health,
    summary,
    verify,
)

from budget.core.models import MonthStatus  # noqa: E402
from budget.core.periods import covered_through  # noqa: E402
from budget.entry.sheet import month_sheet  # noqa: E402
from programs.models import Program  # noqa: E402

# HTTP ---------------------------------------------------------------------------------------------------------


# What the finance staff write ---------------------------------------------------------------------------------


# Users --------------------------------------------------------------------------------------------------------


# The fault: PostgreSQL stopped and started in the middle ------------------------------------------------------


# The check ----------------------------------------------------------------------------------------------------


# The report ---------------------------------------------------------------------------------------------------


# Main ---------------------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8100")
    parser.add_argument("--users", type=int, default=50, help="concurrent users (default 50)")
    parser.add_argument("--finance", type=int, default=10, help="of whom finance staff (default 10)")
    parser.add_argument("--duration", type=float, default=300, help="seconds of load after the ramp (default 300)")
    parser.add_argument("--ramp", type=float, default=30, help="seconds over which users log in (default 30)")
    # People read a page before the next click; 0 makes every user a script hammering the server.
    parser.add_argument("--think", type=float, default=5.0, help="mean seconds between a user's actions (default 5)")
    parser.add_argument("--invalid-share", type=float, default=0.1, help="share of saves written to be refused")
    parser.add_argument("--import-share", type=float, default=0.2, help="share of saves made by Excel import")
    parser.add_argument("--password", default=os.environ.get("LOAD_PASSWORD", ""))
    parser.add_argument("--fault-at", type=float, help="stop PostgreSQL this many seconds into the load")
    parser.add_argument("--down-seconds", type=float, default=15, help="how long PostgreSQL stays down")
    parser.add_argument("--pg-cluster", default="15 main", help="the cluster pg_ctlcluster stops and starts")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--report", help="write the figures as JSON to this file")
    args = parser.parse_args(argv)
    args.run_id = "LT" + uuid.uuid4().hex[:6]

    open_months = list(range(covered_through(YEAR) + 1, 13))
    if not open_months:
        print(f"no month of {YEAR} is open for entry", file=sys.stderr)
        return 2
    sheets = [month_sheet(YEAR, m) for m in open_months]
    lines = []
    for i, sheet_line in enumerate(sheets[0].lines):
        if sheet_line.reserve:  # 예비비 lines take no execution: the sheet shows them read-only
            continue
        # The room is what is left of the smallest 예산현액 of the open months after the months before them,
        # split between the open months: any mix of valid saves stays within the budget.
        left = min(sheet.lines[i].current for sheet in sheets) - sheet_line.commitment_before
        lines.append(Line(sheet_line.line.pk, sheet_line.line.code, left, max(left, 0) // len(open_months)))
    before = {m: month_state(m) for m in open_months}
    versions_before = {
        m: (MonthStatus.objects.filter(fiscal_year_id=YEAR, month=m).values_list("version", flat=True).first() or 0)
        for m in open_months
    }
    world = World(
        args, Stats(time.monotonic()), lines, open_months, list(Program.objects.values_list("code", flat=True))
    )
    connection.close()  # the users talk HTTP only; the check opens a fresh connection at the end

    probe = Browser(args.base_url, Stats(time.monotonic()))
    if not login(probe, "lt-finance-01", args.password):
        print("cannot log in as lt-finance-01: run loadtest/prepare.py with the same password", file=sys.stderr)
        return 2
    world.has_dashboard = probe.request("probe", "GET", f"/dashboard/?year={YEAR}&as_of={YEAR}-12").status == 200
    world.has_import = probe.request("probe", "GET", "/entry/import/").status == 200
    print(
        f"run {args.run_id}: {args.users} users ({args.finance} finance) for {args.duration:.0f}s after a "
        f"{args.ramp:.0f}s ramp; months {open_months}; dashboard {'yes' if world.has_dashboard else 'no (404)'}; "
        f"import {'yes' if world.has_import else 'no (404)'}"
    )

    world.stats = Stats(time.monotonic())
    fault = Fault()
    threads = []
    for i in range(args.users):
        is_finance = i < args.finance
        username = f"lt-finance-{i + 1:02d}" if is_finance else f"lt-manager-{i - args.finance + 1:02d}"
        target = finance if is_finance else manager
        delay = args.ramp * i / max(args.users, 1)
        rng = random.Random(args.seed * 1000 + i)

        def run(target=target, username=username, rng=rng, delay=delay):
            if not world.stop.wait(delay):
                target(world, username, rng)

        threads.append(threading.Thread(target=run, name=username, daemon=True))
    threads.append(threading.Thread(target=probe_health, args=(world, fault), daemon=True))
    if args.fault_at is not None:
        threads.append(threading.Thread(target=break_database, args=(world, fault), daemon=True))
    for thread in threads:
        thread.start()
    world.stop.wait(args.ramp + args.duration)
    world.stop.set()
    for thread in threads:
        thread.join(timeout=120)
    elapsed = time.monotonic() - world.stats.t0

    requests = world.stats.requests
    rows = summary(requests)
    # Throughput once every user is in: the requests that started after the ramp, over the time left.
    after_ramp = [r for r in requests if r.started >= args.ramp]
    steady = (len(after_ramp), max(elapsed - args.ramp, 1e-9))
    print_table(rows, elapsed, steady)
    failures = []
    if world.logins_failed:
        failures.append(f"logins failed: {world.logins_failed}")
    outage = None
    if args.fault_at is not None:
        if fault.error or fault.down is None or fault.up is None:
            failures.append(f"the fault did not happen as planned: {fault.error or 'not run'}")
        else:
            outage = fault_report(fault, requests, failures)
    window = outage["window"] if outage else (float("inf"), float("-inf"))  # requests then may fail
    unexpected = [
        r for r in requests if not r.expected and not (r.started <= window[1] and r.started + r.seconds >= window[0])
    ]
    if unexpected:
        counts = Counter((r.label, r.status) for r in unexpected)
        failures.append(f"{len(unexpected)} requests failed outside a rule's refusal: {dict(counts)}")
    saves = Counter((s.kind, s.outcome, s.status) for s in world.saves)
    print("\nsaves (kind, outcome, status):", dict(sorted(saves.items(), key=str)))
    problems, applied_tags = verify(world, before, versions_before)
    unknown = [save for save in world.saves if save.outcome == "unknown"]
    if unknown:  # answered 5xx or not at all: the check above accepts either fate, whole
        print(
            f"saves without a clear answer: {len(unknown)}, of which applied: "
            f"{sum(save.tag in applied_tags for save in unknown)}"
        )
    print(f"check of the database: {len(problems)} problems (lost updates, double counts, half-saved months)")
    for problem in problems[:50]:
        print("  ", problem)
    failures += problems

    if args.report:
        Path(args.report).write_text(
            json.dumps(
                {
                    "run": args.run_id,
                    "users": args.users,
                    "finance": args.finance,
                    "duration_s": round(elapsed),
                    "requests": len(requests),
                    "requests_per_s_after_ramp": round(steady[0] / steady[1], 1),
                    "unexpected_outside_outage": len(unexpected),
                    "pages": rows,
                    "saves": {" ".join(map(str, k)): v for k, v in sorted(saves.items(), key=str)},
                    "unknown_saves_applied": sum(save.tag in applied_tags for save in unknown),
                    "outage": outage,
                    "database_problems": problems,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    print("\nPASS" if not failures else "\nFAIL\n" + "\n".join(f"  {f}" for f in failures[:20]))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
