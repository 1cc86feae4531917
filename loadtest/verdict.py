"""The load run's verdict: the database faults it injects, the check of every applied save against the
history, and the figures it reports."""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field

from agents import NO_ANSWER, YEAR, Browser, Request, Stats, World
from django.db import connection
from django.db.models import Sum

from budget.core.models import ExecutionRecord, MonthStatus


@dataclass
class Fault:
    down: float | None = None  # seconds since the run started: the stop was asked
    stopped: float | None = None  # PostgreSQL is down
    starting: float | None = None  # the start was asked
    up: float | None = None  # PostgreSQL accepts connections again
    healthz: list[tuple[float, int]] = field(default_factory=list)
    error: str = ""


def probe_health(world: World, fault: Fault):
    browser = Browser(world.args.base_url, Stats(world.stats.t0))
    while not world.stop.is_set():
        started = time.monotonic() - world.stats.t0
        fault.healthz.append((started, browser.request("healthz", "GET", "/healthz", timeout=10).status))
        world.stop.wait(0.5)


def break_database(world: World, fault: Fault):
    args = world.args
    if world.stop.wait(args.fault_at):
        return
    version, name = args.pg_cluster.split()
    control = ["pg_ctlcluster", "--skip-systemctl-redirect", version, name]
    fault.down = time.monotonic() - world.stats.t0
    # -m fast: open sessions are ended at once and their transactions rolled back, as in a crash of the
    # server process; a save in flight must then be wholly absent.
    stopped = subprocess.run([*control, "stop", "-m", "fast"], capture_output=True, text=True, check=False)
    if stopped.returncode:
        fault.error = f"stop failed: {stopped.stderr.strip()}"
        return
    fault.stopped = time.monotonic() - world.stats.t0
    time.sleep(args.down_seconds)
    fault.starting = time.monotonic() - world.stats.t0
    started = subprocess.run([*control, "start"], capture_output=True, text=True, check=False)
    fault.up = time.monotonic() - world.stats.t0
    if started.returncode:
        fault.error = f"start failed: {started.stderr.strip()}"


def month_state(month: int) -> dict[int, tuple[int, int, str]]:
    """What the database holds for the month, per line; an all-zero record counts as none."""
    return {
        r.line_id: (r.commitment, r.expenditure, r.note)
        for r in ExecutionRecord.objects.filter(line__fiscal_year_id=YEAR, month=month)
        if (r.commitment, r.expenditure, r.note) != (0, 0, "")
    }


def applied(state, entries):
    """The month after a save: the save's figures replace those of the lines it lists."""
    after = {**state, **entries}
    return {pk: value for pk, value in after.items() if value != (0, 0, "")}


def verify(world: World, before: dict, versions_before: dict[int, int]) -> tuple[list[str], set[str]]:
    """Everything the run wrote, against what the accepted saves said: the problems found, and the tags of
    the saves the database applied."""
    connection.close()  # the connection from before the run may have died with the fault
    problems = []
    applied_tags = set()
    by_tag = {save.tag: save for save in world.saves}
    tag_pattern = re.compile(re.escape(world.args.run_id) + r"-[\w-]+")
    for month in world.months:
        chain = []
        history = MonthStatus.history.filter(fiscal_year_id=YEAR, month=month, version__gt=versions_before[month])
        for row in history.order_by("history_id"):
            tag = tag_pattern.search(row.history_change_reason or "")
            save = by_tag.get(tag.group()) if tag else None
            if save is None:
                problems.append(
                    f"{month}월 v{row.version}: written by no save of this run ({row.history_change_reason})"
                )
                continue
            chain.append((row.version, save))
        versions = [version for version, _save in chain]
        first = versions_before[month] + 1
        if versions != list(range(first, first + len(chain))):
            problems.append(f"{month}월: versions {versions} are not one unbroken chain from v{first}")
        state = dict(before[month])
        states = {versions_before[month]: state}
        for version, save in chain:
            if save.base != version - 1:
                problems.append(f"{month}월 v{version}: {save.tag} drawn at v{save.base} applied over v{version - 1}")
            if save.outcome == "refused" or not save.valid:
                problems.append(f"{month}월 v{version}: {save.tag} ({save.status}, valid={save.valid}) was written")
            state = applied(state, save.entries)
            states[version] = state
        in_chain = {save.tag for _version, save in chain}
        applied_tags |= in_chain
        for save in world.saves:
            if save.month != month or save.outcome != "accepted" or save.tag in in_chain:
                continue
            # An import that changes nothing is accepted without a new version (budget.services.month_import).
            drawn_on = states.get(save.base)
            if not (save.kind == "import" and drawn_on is not None and applied(drawn_on, save.entries) == drawn_on):
                problems.append(f"{month}월: accepted {save.tag} (drawn at v{save.base}) is not in the database")
        stored = month_state(month)
        if stored != state:
            wrong = sorted(pk for pk in set(stored) | set(state) if stored.get(pk) != state.get(pk))
            problems.append(f"{month}월: the records differ from the last applied save on lines {wrong}")
        sums = {
            row["line"]: (row["c"], row["e"])
            for row in ExecutionRecord.objects.filter(line__fiscal_year_id=YEAR, month=month)
            .values("line")
            .annotate(c=Sum("commitment"), e=Sum("expenditure"))
            if (row["c"], row["e"]) != (0, 0)
        }
        if sums != {pk: (c, e) for pk, (c, e, _note) in state.items() if (c, e) != (0, 0)}:
            problems.append(f"{month}월: the sums per line differ from what the accepted saves wrote")
        status = MonthStatus.objects.filter(fiscal_year_id=YEAR, month=month).first()
        if (status.version if status else 0) != versions_before[month] + len(chain):
            problems.append(f"{month}월: MonthStatus.version {status.version} but {len(chain)} saves applied")
        # Each applied save's record history rows hold that save's figures, line by line.
        for record in ExecutionRecord.history.filter(line__fiscal_year_id=YEAR, month=month).filter(
            history_change_reason__contains=world.args.run_id
        ):
            save = by_tag.get(tag_pattern.search(record.history_change_reason).group())
            if save is None or save.tag not in in_chain:
                problems.append(f"{month}월: record history row {record.history_id} from a save not applied")
            elif save.entries.get(record.line_id) != (record.commitment, record.expenditure, record.note):
                problems.append(f"{month}월: record history row {record.history_id} differs from {save.tag}")
    return problems, applied_tags


def percentile(values: list[float], p: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def summary(requests: list[Request]) -> dict:
    rows = {}
    for label in sorted({r.label for r in requests}):
        mine = [r for r in requests if r.label == label]
        times = [r.seconds * 1000 for r in mine]
        rows[label] = {
            "requests": len(mine),
            "statuses": dict(sorted(Counter(r.status for r in mine).items())),
            "unexpected": sum(not r.expected for r in mine),
            "p50_ms": round(percentile(times, 50)),
            "p95_ms": round(percentile(times, 95)),
            "p99_ms": round(percentile(times, 99)),
            "max_ms": round(max(times)),
        }
    return rows


def print_table(rows: dict, duration: float, steady: tuple[int, float] | None = None):
    """The figures by page; `steady` is (requests, seconds) once every user was in, the throughput to quote."""
    total = sum(row["requests"] for row in rows.values())
    header = f"{'page':<34} {'requests':>8} {'unexpected':>10} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7}"
    print(f"\n{header}  statuses")
    for label, row in rows.items():
        statuses = " ".join(f"{k}:{v}" for k, v in row["statuses"].items())
        print(
            f"{label:<34} {row['requests']:>8} {row['unexpected']:>10} {row['p50_ms']:>7} {row['p95_ms']:>7} "
            f"{row['p99_ms']:>7} {row['max_ms']:>7}  {statuses}"
        )
    print(f"{'all':<34} {total:>8} {sum(r['unexpected'] for r in rows.values()):>10}   ({total / duration:.1f}/s)")
    if steady:
        count, seconds = steady
        print(f"throughput after the ramp: {count / seconds:.1f} requests/s ({count} requests in {seconds:.0f} s)")


def fault_report(fault: Fault, requests: list[Request], failures: list[str]) -> dict:
    """While PostgreSQL was down the app answered errors; after it came back the app served again by itself."""
    ok_again = next((t for t, status in fault.healthz if t >= fault.up and status == 200), None)
    # The outage as users saw it: from the stop until /healthz answered 200 again, plus the requests then
    # in flight, which may fail.
    end = (ok_again if ok_again is not None else fault.up) + 1.0
    during = [r for r in requests if fault.down <= r.started + r.seconds and r.started <= end]
    answered_errors = sum(500 <= r.status < 600 for r in during)
    no_answer = sum(r.status == NO_ANSWER for r in during)
    health_down = Counter(status for t, status in fault.healthz if fault.stopped <= t <= fault.starting)
    after = [r for r in requests if r.started > end]
    report = {
        "stop_at_s": round(fault.down, 1),
        "down_s": [round(fault.stopped, 1), round(fault.starting, 1)],
        "up_at_s": round(fault.up, 1),
        "healthz_ok_again_after_start_s": round(ok_again - fault.up, 1) if ok_again is not None else None,
        "window": [fault.down, end],
        "requests_in_outage": len(during),
        "answered_5xx_in_outage": answered_errors,
        "no_answer_in_outage": no_answer,
        "healthz_while_down": dict(health_down),
        "requests_after_recovery": len(after),
        "unexpected_after_recovery": sum(not r.expected for r in after),
    }
    print(f"\nfault: {json.dumps(report)}")
    # A plain restart (--down-seconds 0) may fall between two probes and catch no request: then only
    # "no half-saved month" and "back by itself" are checked.
    if fault.starting - fault.stopped >= 2 and (not answered_errors or set(health_down) != {503}):
        failures.append(f"the app did not answer errors while PostgreSQL was down (/healthz: {dict(health_down)})")
    if no_answer:
        failures.append(f"{no_answer} requests got no answer at all while PostgreSQL was down")
    if ok_again is None:
        failures.append("/healthz never answered 200 again after PostgreSQL came back")
    return report
