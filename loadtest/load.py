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
import base64
import html
import http.client
import http.cookies
import io
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Sum  # noqa: E402

from budget.core.models import ExecutionRecord, MonthStatus  # noqa: E402
from budget.core.periods import covered_through  # noqa: E402
from budget.entry.sheet import month_sheet  # noqa: E402
from programs.models import Program  # noqa: E402

YEAR = 2022
PAGE = (200,)
SAVE = (302, 400, 409)  # accepted, refused by a rule, stale
NO_ANSWER = 0  # the status recorded when the connection failed or timed out


# HTTP ---------------------------------------------------------------------------------------------------------


@dataclass
class Request:
    label: str
    status: int
    seconds: float
    started: float  # seconds since the run started
    expected: bool


class Stats:
    def __init__(self, t0: float):
        self.t0 = t0
        self.requests: list[Request] = []  # list.append is atomic under the GIL: no lock needed

    def add(self, request: Request):
        self.requests.append(request)


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str]

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Browser:
    """One user: a cookie jar and requests as the TLS proxy in front of gunicorn would pass them on.

    X-Forwarded-Proto: https makes the app see HTTPS, so it runs its production settings unchanged (secure
    cookies, no redirect to https, CSRF's strict Referer check, hence the Referer on every POST).
    """

    def __init__(self, base_url: str, stats: Stats):
        parts = urllib.parse.urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.origin = f"https://{parts.netloc}"
        self.stats = stats
        self.cookies: dict[str, str] = {}
        self.cached: set[str] = set()  # static files already fetched: hashed names, cached for good

    def page(self, label, path) -> Answer:
        """A page and, the first time they appear, its static files, as a browser with an empty cache."""
        answer = self.request(label, "GET", path)
        for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', answer.text):
            if asset not in self.cached:
                self.cached.add(asset)
                self.request("GET /static/*", "GET", asset)
        return answer

    def request(self, label, method, path, fields=None, files=None, expect=PAGE, timeout=60.0) -> Answer:
        headers = {"X-Forwarded-Proto": "https", "User-Agent": "yesan-loadtest"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if method == "POST":
            headers["Referer"] = self.origin + path
            if files:
                body, headers["Content-Type"] = multipart(fields or {}, files)
            else:
                body = urllib.parse.urlencode(fields or {}).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        status, data, answer_headers = NO_ANSWER, b"", {}
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            status = response.status
            answer_headers = {k.lower(): v for k, v in response.getheaders()}
            for cookie in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in http.cookies.SimpleCookie(cookie).items():
                    if morsel["max-age"] == "0":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
        except (OSError, http.client.HTTPException):
            pass  # recorded as NO_ANSWER
        finally:
            conn.close()
        elapsed = time.monotonic() - started
        self.stats.add(Request(label, status, elapsed, started - self.stats.t0, status in expect))
        return Answer(status, data, answer_headers)


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, content_type) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode()
        )
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def hidden(page: str, name: str) -> str | None:
    """The value of the input named `name` (attributes in any order), as the browser would submit it."""
    for tag in re.findall(r"<input\b[^>]*>", page):
        if re.search(rf'\bname="{re.escape(name)}"', tag):
            value = re.search(r'\bvalue="([^"]*)"', tag)
            return html.unescape(value.group(1)) if value else ""
    return None


def login(browser: Browser, username: str, password: str) -> bool:
    page = browser.request("GET /login/", "GET", "/login/")
    token = hidden(page.text, "csrfmiddlewaretoken")
    if page.status != 200 or token is None:
        return False
    fields = {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/"}
    return browser.request("POST /login/", "POST", "/login/", fields, expect=(302,)).status == 302


# What the finance staff write ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    pk: int
    code: str
    left: int  # 예산현액 less what the months before the open ones committed, won
    room: int  # what one open month may commit and stay within 예산현액 whatever the other open months hold


@dataclass
class Save:
    tag: str
    kind: str  # "sheet" | "import"
    month: int
    entries: dict[int, tuple[int, int, str]]  # line pk -> (commitment, expenditure, note) of this month, won
    valid: bool  # False: written to break a rule, must be refused
    base: int | None = None  # the month's version the sheet or preview was drawn at
    status: int | None = None  # the final answer: 302 accepted, 400/409 refused, else unknown

    @property
    def outcome(self) -> str:
        if self.status == 302:
            return "accepted"
        if self.status in (400, 409):
            return "refused"
        return "unknown"


def amounts(lines: list[Line], rng: random.Random, valid: bool) -> dict[int, tuple[int, int, str]]:
    """Every line's commitment and expenditure for one month, in thousands of won as people enter them.

    Valid: commitment within the line's room, expenditure within the commitment, so no rule can refuse it.
    Not valid: one line commits more than all that is left of it (원인행위 누계 over 예산현액): refused.
    """
    entries = {}
    for line in lines:
        commitment = rng.randrange(0, line.room // 1000 + 1) * 1000 if rng.random() < 0.7 else 0
        expenditure = rng.randrange(0, commitment // 1000 + 1) * 1000
        entries[line.pk] = (commitment, expenditure, "")
    if not valid:
        line = rng.choice(lines)
        entries[line.pk] = (line.left + 1000, 0, "")
    return entries


# Users --------------------------------------------------------------------------------------------------------


@dataclass
class World:
    args: argparse.Namespace
    stats: Stats
    lines: list[Line]
    months: list[int]
    program_codes: list[str]
    has_dashboard: bool = False
    has_import: bool = False
    stop: threading.Event = field(default_factory=threading.Event)
    saves: list[Save] = field(default_factory=list)
    logins_failed: list[str] = field(default_factory=list)


def manager(world: World, username: str, rng: random.Random):
    browser = Browser(world.args.base_url, world.stats)
    if not login(browser, username, world.args.password):
        world.logins_failed.append(username)
        return
    pages = [
        ("GET /reports/2022/?as_of=", lambda: f"/reports/{YEAR}/?as_of={YEAR}-{rng.randint(1, 12):02d}", 3),
        ("GET /programs/", lambda: "/programs/", 2),
        ("GET /programs/<code>/", lambda: f"/programs/{rng.choice(world.program_codes)}/", 2),
    ]
    if world.has_dashboard:
        # Its canonical URL: /dashboard/ alone redirects there.
        pages.append(
            ("GET /dashboard/?as_of=", lambda: f"/dashboard/?year={YEAR}&as_of={YEAR}-{rng.randint(1, 12):02d}", 3)
        )
    while not world.stop.is_set():
        label, path, _weight = rng.choices(pages, weights=[p[2] for p in pages])[0]
        browser.page(label, path())
        think(world, rng)


def finance(world: World, username: str, rng: random.Random):
    browser = Browser(world.args.base_url, world.stats)
    if not login(browser, username, world.args.password):
        world.logins_failed.append(username)
        return
    n = 0
    while not world.stop.is_set():
        n += 1
        month = rng.choice(world.months)
        valid = rng.random() >= world.args.invalid_share
        save = Save(f"{world.args.run_id}-{username}-{n:04d}", "sheet", month, amounts(world.lines, rng, valid), valid)
        if world.has_import and rng.random() < world.args.import_share:
            save.kind = "import"
            import_file(world, browser, save)
        else:
            save_sheet(world, browser, save)
        think(world, rng)


def save_sheet(world: World, browser: Browser, save: Save):
    path = f"/entry/{YEAR}/{save.month}/"
    page = browser.page("GET /entry/2022/<m>/", path)
    version, token = hidden(page.text, "version"), hidden(page.text, "csrfmiddlewaretoken")
    if page.status != 200 or version is None or token is None:
        return
    save.base = int(version)
    fields = {"csrfmiddlewaretoken": token, "version": version, "reason": save.tag}
    for pk, (commitment, expenditure, note) in save.entries.items():
        fields |= {f"c-{pk}": f"{commitment:,}", f"e-{pk}": f"{expenditure:,}", f"n-{pk}": note}
    world.saves.append(save)  # before the answer: an unanswered save may still have been applied
    answer = browser.request("POST /entry/2022/<m>/", "POST", path, fields, expect=SAVE)
    save.status = answer.status
    if answer.status == 302:  # the browser follows to the sheet, now showing "saved"
        browser.request("GET /entry/2022/<m>/", "GET", path)


def import_file(world: World, browser: Browser, save: Save):
    """Download the month's template, fill in every line, upload it, and confirm the preview."""
    page = browser.request("GET /entry/import/", "GET", "/entry/import/")
    token = hidden(page.text, "csrfmiddlewaretoken")
    template = browser.request(
        "GET /entry/import/template.xlsx", "GET", f"/entry/import/template.xlsx?year={YEAR}&month={save.month}"
    )
    if page.status != 200 or token is None or template.status != 200:
        return
    workbook = openpyxl.load_workbook(io.BytesIO(template.body))
    sheet = workbook["집행실적"]
    header = {cell.value: cell.column for cell in sheet[2]}
    by_code = {line.code: save.entries[line.pk] for line in world.lines}
    for row in range(3, sheet.max_row + 1):
        code = sheet.cell(row, header["코드"]).value
        if code in by_code:
            commitment, expenditure, note = by_code[code]
            sheet.cell(row, header["원인행위액"]).value = commitment
            sheet.cell(row, header["지출액"]).value = expenditure
            sheet.cell(row, header["비고"]).value = note or None
    out = io.BytesIO()
    workbook.save(out)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    preview = browser.request(
        "POST /entry/import/ (preview)",
        "POST",
        "/entry/import/",
        {"csrfmiddlewaretoken": token, "year": str(YEAR), "month": str(save.month)},
        files={"file": (f"{save.tag}.xlsx", out.getvalue(), xlsx)},
        expect=(200, 400),
    )
    preview_token = hidden(preview.text, "token")
    if preview.status != 200 or not preview_token:
        save.status = preview.status  # refused at the preview (400) or failed: nothing can have been saved
        save.base = None
        world.saves.append(save)
        return
    save.base = token_version(preview_token)
    world.saves.append(save)
    confirm = browser.request(
        "POST /entry/import/confirm/",
        "POST",
        "/entry/import/confirm/",
        {"csrfmiddlewaretoken": hidden(preview.text, "csrfmiddlewaretoken") or token, "token": preview_token},
        expect=SAVE,
    )
    save.status = confirm.status
    if confirm.status == 302:
        browser.request("GET /entry/2022/<m>/", "GET", f"/entry/{YEAR}/{save.month}/")


def token_version(token: str) -> int:
    """The month's version a preview was drawn at, from its signed token (signed, not encrypted: readable)."""
    payload = token.split(":", 1)[0]
    data = base64.urlsafe_b64decode(payload.lstrip(".") + "=" * (-len(payload.lstrip(".")) % 4))
    return json.loads(zlib.decompress(data) if payload.startswith(".") else data)["version"]


def think(world: World, rng: random.Random):
    world.stop.wait(rng.uniform(0, 2 * world.args.think))


# The fault: PostgreSQL stopped and started in the middle ------------------------------------------------------


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


# The check ----------------------------------------------------------------------------------------------------


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


# The report ---------------------------------------------------------------------------------------------------


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
            "max_ms": round(max(times)),
        }
    return rows


def print_table(rows: dict, duration: float):
    total = sum(row["requests"] for row in rows.values())
    print(f"\n{'page':<34} {'requests':>8} {'unexpected':>10} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}  statuses")
    for label, row in rows.items():
        statuses = " ".join(f"{k}:{v}" for k, v in row["statuses"].items())
        print(
            f"{label:<34} {row['requests']:>8} {row['unexpected']:>10} {row['p50_ms']:>7} {row['p95_ms']:>7} "
            f"{row['max_ms']:>7}  {statuses}"
        )
    print(f"{'all':<34} {total:>8} {sum(r['unexpected'] for r in rows.values()):>10}   ({total / duration:.1f}/s)")


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
    print_table(rows, elapsed)
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


if __name__ == "__main__":
    sys.exit(main())
