#!/usr/bin/env python
"""Hostile Excel imports against gunicorn and PostgreSQL: for each file, the answer's status and time
and the peak memory of the worker that read it; then whether /healthz answers while two are read.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yesan_hostile .venv/bin/python benchmarks/hostile_import.py
    options: --port 8765, --app-dir DIR (the checkout gunicorn serves, to compare another version),
             --all (every hostile shape of tests/hostile_xlsx.py, not only the issue's two)

The database is created when missing, migrated, and given the 2022 report, 16 more expenditure lines
(so that the baseline's 30 lines are all real) and a finance user with a new random password; it is
kept for the next run. gunicorn runs as bin/serve runs it (sync workers, timeout 30 s, access log),
with 2 workers and the test suite's settings: production settings, DEBUG off, over plain HTTP on
127.0.0.1 (no HTTPS redirect, cookies not Secure, static files without collectstatic).

The files (tests/hostile_xlsx.py, all under the 5 MB upload limit and the 40 MB unpacked limit):
  normal 30 lines                 the baseline, a preview of 30 lines (200)
  200k rows                       200,000 filled rows (the issue's 3.6 MB upload)
  1M cells in an ignored column   three lines, and column F filled down a million rows
Each is logged in and uploaded to /entry/import/ for November 2022 on its own. The worker's peak
resident size is its VmHWM, reset before the upload (/proc/PID/clear_refs), and its VmRSS sampled every
50 ms meanwhile (so that a worker gunicorn kills for its timeout still has a peak). Then the two hostile
files are uploaded at once, one per worker, while /healthz is asked every 0.25 s (2 s to answer each).
Everything runs on 127.0.0.1; every request has a time limit; gunicorn is stopped at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import http.cookiejar
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import hostile_xlsx as hostile  # noqa: E402

USERNAME = "bench_finance"
EXTRA_LINES = 19
UPLOAD_TIMEOUT = 120  # seconds; gunicorn's own timeout (30 s) kills a worker long before
ISSUE = ["200k rows", "1M cells in an ignored column"]


def server_env(database_url: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "SECRET_KEY": "hostile-import-bench-" + secrets.token_hex(24),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "CONN_MAX_AGE": "60",  # as bin/serve
    }
    env.pop("PYTHONPATH", None)
    return env


def create_database(database_url: str) -> None:
    import dj_database_url
    import psycopg2
    from psycopg2 import sql

    config = dj_database_url.parse(database_url)
    if not config["ENGINE"].endswith("postgresql"):
        sys.exit("DATABASE_URL must name a PostgreSQL database")
    options = {k: v for k, v in (("host", config["HOST"]), ("port", config["PORT"]), ("user", config["USER"])) if v}
    if config["PASSWORD"]:
        options["password"] = config["PASSWORD"]
    connection = psycopg2.connect(dbname="postgres", **options)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            print(f"created database {config['NAME']}")
    connection.close()


def prepare(database_url: str) -> tuple[str, list[str]]:
    """The database migrated, with the 2022 report, 30 expenditure lines and the finance user; its password
    and the 30 codes."""
    os.environ.update(server_env(database_url))
    import datetime

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from budget.core.models import BudgetAmount, BudgetLine, FiscalYear
    from foundation.roles import sync_roles

    call_command("migrate", verbosity=0)
    if not FiscalYear.objects.filter(year=2022).exists():
        call_command("loaddata", "report_2022", verbosity=0)
    lines = BudgetLine.objects.for_year(2022).expenditure()
    account = lines.get(code="A-2").account
    missing = [f"N-{i}" for i in range(EXTRA_LINES) if not lines.filter(code=f"N-{i}").exists()]
    added = BudgetLine.objects.bulk_create(
        BudgetLine(fiscal_year_id=2022, code=code, name=f"벤치마크 사업 {code}", account=account, order=99)
        for code in missing
    )
    BudgetAmount.objects.bulk_create(
        BudgetAmount(line=line, kind="original", effective_date=datetime.date(2022, 1, 1), amount=1_000_000_000)
        for line in added
    )
    password = secrets.token_urlsafe(16)
    user, _ = get_user_model().objects.get_or_create(username=USERNAME)
    user.set_password(password)
    user.save()
    user.groups.add(sync_roles()["재무담당"])
    codes = [c for c in lines.order_by("order", "code").values_list("code", flat=True) if not c.startswith("R-")]
    return password, codes[:30]


# ---------------------------------------------------------------------------------------------------
# gunicorn and its workers


class Server:
    def __init__(self, app_dir: Path, port: int, env: dict[str, str], log: Path):
        self.port = port
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--timeout",
                "30",
                "--graceful-timeout",
                "5",
                "--access-logfile",
                "-",
                "--access-logformat",
                '%(t)s "%(r)s" %(s)s %(b)s %(M)sms',
                "--error-logfile",
                "-",
            ],
            cwd=app_dir,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.process.returncode}); see {self.log.name}")
            if healthz(self.port, 1)[0] == 200 and len(self.workers()) == 2:
                return
            time.sleep(0.25)
        raise SystemExit(f"gunicorn did not answer /healthz within {seconds:.0f} s; see {self.log.name}")

    def workers(self) -> list[int]:
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        except OSError:
            return []
        return [int(pid) for pid in children.split()]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.log.close()


def status_mb(pid: int, key: str) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            return next(int(line.split()[1]) // 1024 for line in f if line.startswith(key))
    except (OSError, StopIteration):
        return None


class Memory:
    """The workers' resident size while requests run: VmHWM (reset first) and VmRSS sampled meanwhile."""

    def __init__(self, server: Server):
        self.server = server
        self.pids = server.workers()
        self.before = {}
        for pid in self.pids:
            with contextlib.suppress(OSError):  # another user's process, or no /proc
                Path(f"/proc/{pid}/clear_refs").write_text("5")
            self.before[pid] = status_mb(pid, "VmRSS")
        self.sampled = dict(self.before)
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()

    def sample(self) -> None:
        while not self.done.wait(0.05):
            for pid in self.pids:
                rss = status_mb(pid, "VmRSS")
                if rss is not None:
                    self.sampled[pid] = max(self.sampled.get(pid) or 0, rss)

    def stop(self) -> dict[int, tuple[int | None, int, bool]]:
        """Each worker: its size before, its peak, and whether it was killed meanwhile."""
        self.done.set()
        self.thread.join()
        alive = set(self.server.workers())
        peaks = {}
        for pid in self.pids:
            peak = max(status_mb(pid, "VmHWM") or 0, self.sampled.get(pid) or 0)
            peaks[pid] = (self.before[pid], peak, pid not in alive)
        return peaks


# ---------------------------------------------------------------------------------------------------
# HTTP on 127.0.0.1


def healthz(port: int, timeout: float) -> tuple[int | None, float]:
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status, time.perf_counter() - start
    except OSError:
        return None, time.perf_counter() - start
    finally:
        connection.close()


class Browser:
    """A signed-in finance user: cookies kept, the CSRF token read from each form."""

    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def token(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            page = response.read().decode()
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def login(self, username: str, password: str) -> None:
        fields = {"username": username, "password": password, "csrfmiddlewaretoken": self.token("/login/")}
        request = urllib.request.Request(self.base + "/login/", data=urllib.parse.urlencode(fields).encode())
        with self.opener.open(request, timeout=30) as response:
            if response.url.rstrip("/").endswith("/login"):
                raise SystemExit("login refused")

    def upload(self, data: bytes, name: str) -> tuple[int | str, float, str]:
        """POST the file to /entry/import/ (November 2022): status (or why none), seconds, first problem."""
        token = self.token("/entry/import/")
        boundary = secrets.token_hex(16)
        parts = []
        for key, value in (("csrfmiddlewaretoken", token), ("year", "2022"), ("month", "11")):
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n".encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        request = urllib.request.Request(
            self.base + "/entry/import/",
            data=b"".join(parts),
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        start = time.perf_counter()
        try:
            with self.opener.open(request, timeout=UPLOAD_TIMEOUT) as response:
                status, page = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, page = error.code, error.read().decode(errors="replace")
        except (OSError, http.client.HTTPException) as error:
            return f"no answer ({type(error).__name__})", time.perf_counter() - start, ""
        took = time.perf_counter() - start
        problem = re.search(
            r'<tr class="row-item"><td class="num">[^<]*</td><td class="text">[^<]*</td>'
            r'<td class="text">([^<]*)</td>',
            page,
        )
        return status, took, problem.group(1).replace("&#x27;", "'") if problem else ""


# ---------------------------------------------------------------------------------------------------


def size(data: bytes) -> str:
    return f"{len(data) / 2**20:.1f} MB" if len(data) >= 2**20 else f"{len(data) / 1024:.0f} KB"


def one_by_one(server: Server, browser: Browser, files: dict[str, bytes]) -> None:
    print(f"{'file':<32} {'size':>8} {'status':>8} {'time':>8}   worker RSS before → peak")
    for name, data in files.items():
        if len(server.workers()) < 2:
            server.wait_ready()
        memory = Memory(server)
        status, took, problem = browser.upload(data, "november.xlsx")
        peaks = memory.stop()
        pid, (before, peak, killed) = max(peaks.items(), key=lambda item: item[1][1] - (item[1][0] or 0))
        worker = f"{before} → {peak} MB" + (" (worker killed)" if killed else "")
        print(f"{name:<32} {size(data):>8} {status!s:>8} {took:>7.2f}s   {worker}")
        if problem:
            print(f"{'':<32} {problem[:150]}")


def at_once(server: Server, browsers: list[Browser], files: dict[str, bytes]) -> None:
    server.wait_ready()
    memory = Memory(server)
    results: dict[str, tuple] = {}

    def send(browser: Browser, name: str) -> None:
        results[name] = browser.upload(files[name], "november.xlsx")

    threads = [threading.Thread(target=send, args=(b, n)) for b, n in zip(browsers, files, strict=True)]
    for thread in threads:
        thread.start()
    polls = []
    start = time.perf_counter()
    while any(thread.is_alive() for thread in threads):
        status, took = healthz(server.port, 2)
        polls.append((time.perf_counter() - start, status, took))
        time.sleep(0.25)
    for thread in threads:
        thread.join()
    peaks = memory.stop()
    print()
    print("two hostile uploads at once (one per worker), /healthz asked every 0.25 s meanwhile (2 s to answer):")
    for name, (status, took, _problem) in results.items():
        print(f"  {name:<32} {status!s:>8} {took:>7.2f}s")
    for pid, (before, peak, killed) in peaks.items():
        print(f"  worker {pid}: {before} → {peak} MB" + (" (killed)" if killed else ""))
    answered = [p for p in polls if p[1] == 200]
    slowest = max((p[2] for p in polls), default=0)
    print(f"  /healthz: {len(answered)} of {len(polls)} asked answered 200 within 2 s (slowest {slowest:.2f} s)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--app-dir", type=Path, default=ROOT)
    parser.add_argument("--all", action="store_true", help="every hostile shape, not only the issue's two")
    options = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        sys.exit("set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/yesan_hostile")
    create_database(database_url)
    password, codes = prepare(database_url)
    files = {"normal 30 lines": hostile.normal(30, codes)}
    for name in hostile.HOSTILE if options.all else ISSUE:
        files[name] = hostile.HOSTILE[name]()

    log = ROOT / "artifacts" / "hostile-import-gunicorn.log"
    log.parent.mkdir(exist_ok=True)
    server = Server(options.app_dir.resolve(), options.port, server_env(database_url), log)
    try:
        server.wait_ready()
        from django.db import connection

        version = connection.cursor().connection.server_version
        print(
            f"gunicorn, 2 sync workers, timeout 30 s, serving {options.app_dir.resolve()}; "
            f"PostgreSQL {version // 10000}.{version % 100}; log: {log}"
        )
        browsers = [Browser(options.port), Browser(options.port)]
        for browser in browsers:
            browser.login(USERNAME, password)
        one_by_one(server, browsers[0], files)
        at_once(server, browsers, {name: files[name] for name in ISSUE})
    finally:
        server.stop()


if __name__ == "__main__":
    main()
