"""The load run's users: an HTTP client with cookies and CSRF, and what a manager and a finance officer do."""

from __future__ import annotations

import argparse
import base64
import html
import http.client
import http.cookies
import io
import json
import random
import re
import threading
import time
import urllib.parse
import uuid
import zlib
from dataclasses import dataclass, field

import openpyxl

from budget.core.periods import offered_months

YEAR = 2022


PAGE = (200,)


SAVE = (302, 400, 409)  # accepted, refused by a rule, stale


NO_ANSWER = 0  # the status recorded when the connection failed or timed out


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
    # The months a view may be asked for (2022: September, the report's, to December); before them the
    # report and the dashboard answer 400 with the reason, which is a rule, not load.
    months = list(offered_months(YEAR))
    pages = [
        ("GET /reports/2022/?as_of=", lambda: f"/reports/{YEAR}/?as_of={YEAR}-{rng.choice(months):02d}", 3),
        ("GET /programs/", lambda: "/programs/", 2),
        ("GET /programs/<code>/", lambda: f"/programs/{rng.choice(world.program_codes)}/", 2),
    ]
    if world.has_dashboard:
        # Its canonical URL: /dashboard/ alone redirects there.
        pages.append(
            ("GET /dashboard/?as_of=", lambda: f"/dashboard/?year={YEAR}&as_of={YEAR}-{rng.choice(months):02d}", 3)
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
