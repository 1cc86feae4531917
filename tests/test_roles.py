"""Every URL of the app with every role: who gets the page, who is refused, who is sent to log in.

The policy is foundation/roles.py: every role reads reports, programs and the organisation; only finance
staff (재무담당, 재무책임) enter figures; only the finance lead closes and reopens a month or a year; the history
of a line is for finance and the auditor, not for managers. A logged-in user in no group has no
permission at all and sees only the home page. The admin site is for staff (here: the superuser).
"""

from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.urls import get_resolver
from rest_framework.authtoken.models import Token

from budget.core.models import BudgetLine, ExecutionRecord, MonthStatus
from budget.entry.publishing import month_publish
from budget.entry.services import month_close
from foundation.roles import sync_roles

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "재무담당", "재무책임", "관리자", "감사", "no_group", "admin")

LOGIN = "login"  # 302 to /login/?next=<the page>
ADMIN = "admin-login"  # 302 to /admin/login/?next=<the page>: the admin site's own login, staff only
YEAR = "to-year"  # 302 to /entry/2022/ (the entry index sends to the latest year)
MONTH = "to-month"  # 302 back to /entry/2022/10/ (after close / reopen / save)
PUBLISHED = "to-publish"  # 302 back to /entry/2022/publish/ (after publish / unpublish)

# "{line}" is the pk of line 4-1 (메타버스 서울 시티즌 플랫폼 구축) of 2022; "{missing}" is a pk no line has.
# Permission is checked before the object is looked up: who may not see a page gets 403, not 404.
# fmt: off
GET = {
    # URL                                       anonymous 재무담당 재무책임 관리자 감사   no_group admin
    "/":                                        (LOGIN,  200,    200,    200,   200,   200,   200),  # login only
    "/reports/2022/?as_of=2022-09":             (LOGIN,  200,    200,    200,   200,   403,   200),
    "/reports/2030/":                           (LOGIN,  404,    404,    404,   404,   403,   404),
    "/reports/2022/council.xlsx?as_of=2022-09": (LOGIN,  200,    200,    200,   200,   403,   200),
    "/reports/2030/council.xlsx":               (LOGIN,  404,    404,    404,   404,   403,   404),
    "/programs/":                               (LOGIN,  200,    200,    200,   200,   403,   200),
    "/programs/4-1/":                           (LOGIN,  200,    200,    200,   200,   403,   200),
    "/programs/9-9/":                           (LOGIN,  404,    404,    404,   404,   403,   404),
    "/org/":                                    (LOGIN,  200,    200,    200,   200,   403,   200),
    "/entry/":                                  (LOGIN,  YEAR,   YEAR,   403,   403,   403,   YEAR),
    "/entry/2022/":                             (LOGIN,  200,    200,    403,   403,   403,   200),
    "/entry/2030/":                             (LOGIN,  404,    404,    403,   403,   403,   404),
    "/entry/2022/10/":                          (LOGIN,  200,    200,    403,   403,   403,   200),
    "/entry/2022/13/":                          (LOGIN,  404,    404,    403,   403,   403,   404),
    "/entry/2022/10/close/":                    (405,    405,    405,    405,   405,   405,   405),
    "/entry/2022/10/reopen/":                   (405,    405,    405,    405,   405,   405,   405),
    "/entry/2022/finish/":                      (405,    405,    405,    405,   405,   405,   405),
    "/entry/2022/reopen/":                      (405,    405,    405,    405,   405,   405,   405),
    "/budget/lines/{line}/history/":            (LOGIN,  200,    200,    403,   200,   403,   200),
    "/budget/lines/{missing}/history/":         (LOGIN,  404,    404,    403,   404,   403,   404),
    "/budget/lines/{line}/":                    (LOGIN,  200,    200,    200,   200,   403,   200),
    "/budget/lines/{missing}/":                 (LOGIN,  404,    404,    404,   404,   403,   404),
    "/budget/2022/changes/":                    (LOGIN,  200,    200,    200,   200,   403,   200),
    "/budget/changes/":                         (LOGIN,  302,    302,    302,   302,   403,   302),
    "/reports/":                                (LOGIN,  302,    302,    302,   302,   403,   302),
    "/budget/2022/changes/1/approve/":          (405,    405,    405,    405,   405,   405,   405),
    "/budget/2022/changes/1/reject/":           (405,    405,    405,    405,   405,   405,   405),
    "/entry/import/":                           (LOGIN,  200,    200,    403,   403,   403,   200),
    "/entry/import/template.xlsx?year=2022&month=11": (LOGIN, 200,   200,    403,   403,   403,   200),
    "/entry/import/template.xlsx?year=2030&month=1":  (LOGIN, 400,   400,    403,   403,   403,   400),
    "/entry/import/confirm/":                   (405,    405,    405,    405,   405,   405,   405),
    "/entry/import/plan/":                      (405,    405,    405,    405,   405,   405,   405),
    "/entry/import/plan/template.xlsx?year=2022": (LOGIN, 200,    200,    403,   403,   403,   200),
    "/entry/import/plan/confirm/":              (405,    405,    405,    405,   405,   405,   405),
    "/entry/2022/revenue/10/":                  (LOGIN,  200,    200,    403,   403,   403,   200),
    "/entry/2022/revenue/13/":                  (LOGIN,  404,    404,    403,   403,   403,   404),
    "/entry/2030/revenue/1/":                   (LOGIN,  404,    404,    403,   403,   403,   404),
    "/entry/import/revenue/":                   (405,    405,    405,    405,   405,   405,   405),
    "/entry/import/revenue/template.xlsx?year=2022&month=10": (LOGIN, 200, 200, 403, 403,  403,   200),
    "/entry/import/revenue/confirm/":           (405,    405,    405,    405,   405,   405,   405),
    "/entry/2022/plan/":                        (LOGIN,  200,    200,    403,   403,   403,   200),
    "/entry/2030/plan/":                        (LOGIN,  404,    404,    403,   403,   403,   404),
    "/entry/2022/plan/3/":                      (LOGIN,  200,    200,    403,   403,   403,   200),
    "/entry/2022/plan/13/":                     (LOGIN,  404,    404,    403,   403,   403,   404),
    "/entry/2022/settlement/":                  (LOGIN,  200,    200,    403,   403,   403,   200),
    "/entry/2030/settlement/":                  (LOGIN,  404,    404,    403,   403,   403,   404),
    "/entry/2022/settlement.xlsx":              (LOGIN,  200,    200,    403,   403,   403,   200),
    "/entry/2022/settlement/approve/":          (405,    405,    405,    405,   405,   405,   405),
    "/entry/2022/settlement/reopen/":           (405,    405,    405,    405,   405,   405,   405),
    "/entry/2022/open-next/":                   (LOGIN,  403,    200,    403,   403,   403,   200),
    "/entry/2030/open-next/":                   (LOGIN,  403,    404,    403,   403,   403,   404),
    "/entry/2022/budget-book/":                 (LOGIN,  403,    200,    403,   403,   403,   200),
    "/entry/2022/budget-book.xlsx":             (LOGIN,  403,    200,    403,   403,   403,   200),
    "/dashboard/":                              (LOGIN,  302,    302,    302,   302,   403,   302),  # to ?year=&as_of=
    "/dashboard/?year=2022&as_of=2022-09":      (LOGIN,  200,    200,    200,   200,   403,   200),
    "/dashboard/?year=2030&as_of=2030-01":      (LOGIN,  400,    400,    400,   400,   403,   400),
    "/dashboard/forecast/?year=2022&as_of=2022-09": (LOGIN, 200, 200,    200,   200,   403,   200),
    "/dashboard/areas/4/?year=2022&as_of=2022-09": (LOGIN, 200,  200,    200,   200,   403,   200),
    "/dashboard/areas/9/?year=2022":            (LOGIN,  404,    404,    404,   404,   403,   404),
    "/dashboard/programs/4-1/?year=2022&as_of=2022-09": (LOGIN, 200, 200, 200, 200,   403,   200),
    "/dashboard/programs/9-9/?year=2022":       (LOGIN,  404,    404,    404,   404,   403,   404),
    "/dashboard/lines/{line}/?as_of=2022-09":   (LOGIN,  200,    200,    200,   200,   403,   200),
    "/dashboard/lines/{missing}/":              (LOGIN,  404,    404,    404,   404,   403,   404),
    "/dashboard/lines/{line}/records/?as_of=2022-09": (LOGIN, 200, 200,  200,   200,   403,   200),
    "/dashboard/records/9/history/":            (LOGIN,  200,    200,    403,   200,   403,   200),  # 4-1's record
    "/dashboard/records/999999/history/":       (LOGIN,  404,    404,    403,   404,   403,   404),
    # The dashboard's two writes are POSTed, role by role, in tests/test_dashboard.py.
    "/dashboard/lines/{line}/explanation/":     (405,    405,    405,    405,   405,   405,   405),
    "/dashboard/target/2022/":                  (405,    405,    405,    405,   405,   405,   405),
    "/reports/2022/execution.csv?as_of=2022-09": (LOGIN, 200,    200,    200,   200,   403,   200),
    "/reports/2030/execution.csv":              (LOGIN,  404,    404,    404,   404,   403,   404),
    "/dashboard/natures.csv?year=2022&as_of=2022-09": (LOGIN, 200, 200,  200,   200,   403,   200),
    "/dashboard/nothing.csv?year=2022&as_of=2022-09": (LOGIN, 404, 404,  404,   404,   403,   404),
    "/entry/2022/publish/":                     (LOGIN,  403,    200,    403,   403,   403,   200),
    "/entry/2030/publish/":                     (LOGIN,  403,    404,    403,   403,   403,   404),
    "/entry/2022/10/publish/":                  (405,    405,    405,    405,   405,   405,   405),
    "/entry/2022/9/unpublish/":                 (405,    405,    405,    405,   405,   405,   405),
    # The open pages: no login, published months only (2022-09 is published in `world`, October is not).
    "/open/":                                   (200,    200,    200,    200,   200,   200,   200),
    "/open/2022/":                              (200,    200,    200,    200,   200,   200,   200),
    "/open/2022/?month=10":                     (404,    404,    404,    404,   404,   404,   404),
    "/open/2021/":                              (404,    404,    404,    404,   404,   404,   404),
    "/open/2022/execution-by-nature.csv":       (200,    200,    200,    200,   200,   200,   200),
    "/open/2022/execution-by-program.csv":      (200,    200,    200,    200,   200,   200,   200),
    "/open/2022/data.json":                     (200,    200,    200,    200,   200,   200,   200),
    "/open/2022/datapackage.json":              (200,    200,    200,    200,   200,   200,   200),
    "/open/2021/data.json":                     (404,    404,    404,    404,   404,   404,   404),
    # The API's documentation page is a page: sign in first. The endpoints themselves are in API below.
    "/api/docs/":                               (LOGIN,  200,    200,    200,   200,   200,   200),
    "/admin/":                                  (ADMIN,  ADMIN,  ADMIN,  ADMIN, ADMIN, ADMIN, 200),
    "/admin/budget/executionrecord/":           (ADMIN,  ADMIN,  ADMIN,  ADMIN, ADMIN, ADMIN, 200),
    "/login/":                                  (200,    200,    200,    200,   200,   200,   200),
    "/logout/":                                 (405,    405,    405,    405,   405,   405,   405),
}

POST = {
    # URL                                       anonymous 재무담당 재무책임 관리자 감사   no_group admin
    "/entry/2022/10/close/":                    (LOGIN,  403,    MONTH,  403,   403,   403,   MONTH),
    "/entry/2022/10/reopen/":                   (LOGIN,  403,    MONTH,  403,   403,   403,   MONTH),
    # Allowed, but refused by the rules (2022 is open, and its months are not all closed): nothing changes.
    "/entry/2022/finish/":                      (LOGIN,  403,    YEAR,   403,   403,   403,   YEAR),
    "/entry/2022/reopen/":                      (LOGIN,  403,    YEAR,   403,   403,   403,   YEAR),
    "/entry/2022/10/":                          (LOGIN,  MONTH,  MONTH,  403,   403,   403,   MONTH),  # save the sheet
    # No file, no token or no fingerprint: refused, nothing saved.
    "/entry/import/":                           (LOGIN,  400,    400,    403,   403,   403,   400),
    "/entry/import/confirm/":                   (LOGIN,  400,    400,    403,   403,   403,   400),
    "/entry/import/plan/":                      (LOGIN,  400,    400,    403,   403,   403,   400),
    "/entry/import/plan/confirm/":              (LOGIN,  400,    400,    403,   403,   403,   400),
    "/entry/import/revenue/":                   (LOGIN,  400,    400,    403,   403,   403,   400),
    "/entry/import/revenue/confirm/":           (LOGIN,  400,    400,    403,   403,   403,   400),
    "/entry/2022/plan/3/":                      (LOGIN,  400,    400,    403,   403,   403,   400),
    "/entry/2022/10/publish/":                  (LOGIN,  403,    PUBLISHED, 403, 403,   403,   PUBLISHED),
    "/entry/2022/9/unpublish/":                 (LOGIN,  403,    PUBLISHED, 403, 403,   403,   PUBLISHED),
}
# fmt: on

# The API (/api/v1/, api/): every endpoint with every role, walked with a session by test_get (the table is
# part of GET) and with a token of each role's user by test_api_with_a_token. An anonymous request is refused
# (401, `WWW-Authenticate: Token`); a user without the page's permission gets 403 before anything is looked
# up; the figures are the pages' figures, in won.
UNAUTHORISED = 401
# fmt: off
API = {
    # URL                                       anonymous 재무담당 재무책임 관리자 감사   no_group admin
    "/api/v1/fiscal-years/":                    (401,    200,    200,    200,   200,   403,   200),
    "/api/v1/fiscal-years/2022/":               (401,    200,    200,    200,   200,   403,   200),
    "/api/v1/fiscal-years/2030/":               (401,    404,    404,    404,   404,   403,   404),
    "/api/v1/accounts/":                        (401,    200,    200,    200,   200,   403,   200),
    "/api/v1/accounts/program/":                (401,    200,    200,    200,   200,   403,   200),
    "/api/v1/policy-areas/":                    (401,    200,    200,    200,   200,   403,   200),
    "/api/v1/policy-areas/4/":                  (401,    200,    200,    200,   200,   403,   200),
    "/api/v1/programs/":                        (401,    200,    200,    200,   200,   403,   200),
    "/api/v1/programs/4-1/":                    (401,    200,    200,    200,   200,   403,   200),
    "/api/v1/budget-lines/?year=2022&month=9":  (401,    200,    200,    200,   200,   403,   200),
    "/api/v1/budget-lines/{line}/?month=9":     (401,    200,    200,    200,   200,   403,   200),
    "/api/v1/budget-lines/{missing}/":          (401,    404,    404,    404,   404,   403,   404),
    "/api/v1/execution/?year=2022&program=4-1": (401,    200,    200,    200,   200,   403,   200),
    "/api/v1/execution/9/":                     (401,    200,    200,    200,   200,   403,   200),  # 4-1's record
    "/api/v1/budget-changes/?year=2022":        (401,    200,    200,    200,   200,   403,   200),
    "/api/v1/budget-changes/999999/":           (401,    404,    404,    404,   404,   403,   404),
    "/api/v1/closed-months/?year=2022":         (401,    200,    200,    200,   200,   403,   200),
    "/api/v1/reports/2022/9/":                  (401,    200,    200,    200,   200,   403,   200),
    "/api/v1/reports/2022/9/execution/":        (401,    200,    200,    200,   200,   403,   200),
    "/api/v1/reports/2022/5/":                  (401,    400,    400,    400,   400,   403,   400),
    "/api/v1/reports/2030/9/":                  (401,    404,    404,    404,   404,   403,   404),
    "/api/schema/":                             (401,    200,    200,    200,   200,   200,   200),  # no figures in it
}
# fmt: on

# The route names of the endpoints above (the guard test compares them with the app's).
API_NAMES = {
    f"api:{name}-{kind}"
    for name in (
        "fiscal-year", "account", "policy-area", "program", "budget-line", "execution", "budget-change",
    )
    for kind in ("list", "detail")
} | {"api:closed-month-list", "api:report", "api:report-table", "api:schema"}  # fmt: skip

GET |= API


# Figures of the 2022 report (세출 합계 in thousands of won; line 4-1's execution): a page that refuses
# someone must not show them.
FIGURES = ("10,202,380", "51,833")

# Published figures, for anyone: the open pages show 2022-09 (in 천원 on the page, in won in the data).
PUBLIC = {url for url in GET if url.startswith("/open/")}

# Pages whose body shows the report's figures to whoever may read them: the check above is not vacuous.
SHOWS_FIGURES = {
    "/reports/2022/?as_of=2022-09", "/programs/", "/programs/4-1/", "/entry/2022/10/",
    "/dashboard/?year=2022&as_of=2022-09", "/open/2022/",
}  # fmt: skip


# ASCII test ids: pytest would print the Korean role names as \uXXXX escapes.
ROLE_IDS = {"재무담당": "finance", "재무책임": "finance_lead", "관리자": "manager", "감사": "auditor"}


def _cases(table):
    return [
        pytest.param(url, role, want, id=f"{url} {ROLE_IDS.get(role, role)}")
        for url, row in table.items()
        for role, want in zip(ROLES, row, strict=True)
    ]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The 2022 report and one user per role, loaded once for the module and rolled back after it.

    Each test still runs in its own savepoint (pytest-django's `db`), so a POST in one case is not seen
    by the next. Users get no password: hashing one costs a second per user.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddata", "report_2022", verbosity=0)  # as the report_2022 fixture does
        call_command("populate_history", "--auto", verbosity=0)
        groups = sync_roles()
        User = get_user_model()
        users = {"admin": User.objects.create_superuser("admin", "admin@example.com", password=None)}
        for role in ROLES[1:-1]:
            users[role] = User.objects.create_user(role if role != "no_group" else "nobody", password=None)
            if role in groups:
                users[role].groups.add(groups[role])
        users["closer"] = User.objects.create_user("closer", password=None)
        users["closer"].groups.add(groups["재무책임"])
        month_publish(year=2022, month=9, user=users["closer"])  # the report's month, on the open pages
        yield {"users": users, "line": BudgetLine.objects.for_year(2022).get(code="4-1")}
        transaction.set_rollback(True)


@pytest.fixture
def line(world, db):
    return world["line"]


@pytest.fixture
def login_as(client, world, db):
    """Log the client in as the user of `role` (anonymous: stay logged out); returns the user."""

    def login(role):
        if role == "anonymous":
            return None
        user = world["users"][role]
        client.force_login(user)
        return user

    return login


def _check(response, want, path):
    """Assert the answer `want` (a status or one of the redirect markers) for a request to `path`."""
    if want == LOGIN:
        assert response.status_code == 302, response.status_code
        assert response["Location"].startswith("/login/?next="), response["Location"]
        assert response["Location"] == "/login/?next=" + quote(path, safe="/")
    elif want == ADMIN:
        assert response.status_code == 302, response.status_code
        assert response["Location"] == "/admin/login/?next=" + quote(path, safe="/")
    elif want == YEAR:
        assert (response.status_code, response["Location"]) == (302, "/entry/2022/")
    elif want == MONTH:
        assert (response.status_code, response["Location"]) == (302, "/entry/2022/10/")
    elif want == PUBLISHED:
        assert (response.status_code, response["Location"]) == (302, "/entry/2022/publish/")
    else:
        assert response.status_code == want, response.status_code


def _assert_no_figures(response):
    body = response.content.decode()
    for figure in FIGURES:
        assert figure not in body


@pytest.mark.parametrize(("url", "role", "want"), _cases(GET))
def test_get(client, login_as, line, fresh_throttles, url, role, want):
    url = url.format(line=line.pk, missing=BudgetLine.objects.order_by("-pk").first().pk + 1000)
    login_as(role)
    response = client.get(url)
    _check(response, want, url)
    if url not in PUBLIC and (role in ("anonymous", "no_group") or want in (403, LOGIN, ADMIN)):
        _assert_no_figures(response)
    if want == 200 and url in SHOWS_FIGURES:
        assert "51,833" in response.content.decode()
    if url.startswith("/api/v1/"):
        if want == UNAUTHORISED:
            assert response["WWW-Authenticate"] == "Token"
        body = response.content.decode()
        if want != 200:
            assert not any(figure in body for figure in API_FIGURES)
        elif url in {u.format(line=line.pk) for u in API_SHOWS_FIGURES}:
            assert "51833000" in body


def _state():
    """Everything a POST to the entry URLs could change."""
    return (
        list(
            MonthStatus.objects.order_by("fiscal_year", "month").values_list(
                "fiscal_year", "month", "closed", "version", "published_at"
            )
        ),
        MonthStatus.history.count(),
        list(ExecutionRecord.objects.order_by("pk").values_list("line", "month", "commitment", "expenditure", "note")),
        ExecutionRecord.history.count(),
    )


def _october(year=2022, month=10):
    return MonthStatus.objects.filter(fiscal_year=year, month=month).first()


@pytest.mark.parametrize(("url", "role", "want"), _cases(POST))
def test_post(client, login_as, line, world, url, role, want):
    if url.endswith(("/10/reopen/", "/10/publish/")):
        month_close(year=2022, month=10, user=world["users"]["closer"])
        data = {"reason": "지출결의 누락분 반영"}
    elif url.endswith(("/close/", "/finish/", "/2022/reopen/", "/unpublish/")):
        data = {"reason": "지출결의 누락분 반영"}
    else:  # the month sheet: 100,000,000 committed to line 4-1, every other line left at zero
        data = {"version": "0", "reason": "10월 계약"}
        for other in BudgetLine.objects.for_year(2022).expenditure():
            data[f"c-{other.pk}"] = data[f"e-{other.pk}"] = "0"
            data[f"n-{other.pk}"] = ""
        data[f"c-{line.pk}"] = "100,000,000"
    user = login_as(role)
    assert bool(_october() and _october().closed) == url.endswith(("/10/reopen/", "/10/publish/"))  # afresh
    before = _state()

    response = client.post(url, data)

    _check(response, want, url)
    if want == PUBLISHED:
        status = MonthStatus.objects.get(fiscal_year=2022, month=10 if url.endswith("/publish/") else 9)
        assert (status.published_at is not None) == url.endswith("/publish/")
        assert status.history.first().history_user == user
        return
    if want != MONTH:  # refused: nothing changed, nothing shown
        assert _state() == before
        _assert_no_figures(response)
        return
    status = _october()
    if url.endswith("/close/"):
        assert status.closed
        assert status.history.first().history_user == user
    elif url.endswith("/10/reopen/"):
        assert not status.closed
        assert status.history.first().history_change_reason == "지출결의 누락분 반영"
        assert status.history.first().history_user == user
    else:
        record = ExecutionRecord.objects.get(line=line, month=10)
        assert (record.commitment, record.expenditure) == (100_000_000, 0)
        assert ExecutionRecord.objects.filter(month=10).count() == 1
        assert status.version == 1
        assert record.history.first().history_user == user


def test_every_url_of_the_app_has_a_row_above():
    """Guard against a URL added to the app without a row in the tables."""
    names = set()

    def walk(patterns, prefix=""):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                walk(p.url_patterns, prefix + (p.namespace + ":" if p.namespace else ""))
            elif p.name:
                names.add(prefix + p.name)

    walk(get_resolver().url_patterns)
    app = {n for n in names if not n.startswith("admin:") and n != "set_language"}
    assert {n for n in names if n.startswith("api:")} == API_NAMES | {"api:docs"}
    assert app == {
        "home", "org", "login", "logout",
        "budget:report", "budget:council-workbook", "programs:list", "programs:detail",
        "entry:index", "entry:year", "entry:month", "entry:close", "entry:reopen",
        "entry:year_finish", "entry:year_reopen",
        "entry:settlement", "entry:settlement-workbook", "entry:settlement-approve", "entry:settlement-reopen",
        "entry:open-next", "entry:budget-book", "entry:budget-book-template",
        "lines:history", "lines:detail", "budget:latest",
        "changes:list", "changes:latest", "changes:approve", "changes:reject",
        "entry:import", "entry:import_template", "entry:import_confirm", "entry:import_plan",
        "entry:import_plan_template", "entry:import_plan_confirm", "entry:plan", "entry:plan_month",
        "entry:revenue_month", "entry:import_revenue", "entry:import_revenue_template", "entry:import_revenue_confirm",
        "dashboard:index", "dashboard:forecast", "dashboard:target", "dashboard:area", "dashboard:program",
        "dashboard:line", "dashboard:records", "dashboard:explain", "dashboard:record-history",
        "budget:report-csv", "dashboard:csv", "entry:publish", "entry:publish_month", "entry:unpublish",
        "opendata:index", "opendata:year", "opendata:nature-csv", "opendata:program-csv", "opendata:json",
        "opendata:datapackage", "api:docs",
    } | API_NAMES  # fmt: skip
# 2022's 세출 계 and line 4-1's 지출액 in won, as the API writes them: a refused answer must not hold them.
API_FIGURES = ("10202380000", "51833000")
API_SHOWS_FIGURES = {"/api/v1/reports/2022/9/", "/api/v1/budget-lines/{line}/?month=9", "/api/v1/execution/9/"}


def _token_cases():
    return [
        pytest.param(url, role, want, id=f"{url} {ROLE_IDS.get(role, role)} token")
        for url, row in API.items()
        for role, want in zip(ROLES, row, strict=True)
        if role != "anonymous"  # anonymous is walked by test_get: no token is no token
    ]


@pytest.fixture
def fresh_throttles():
    """The walk makes many requests as one user; throttling counts in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(("url", "role", "want"), _token_cases())
def test_api_with_a_token(client, world, line, fresh_throttles, url, role, want):
    """The API as a system calls it: no session, the role's user's token (issued in the admin)."""
    url = url.format(line=line.pk, missing=BudgetLine.objects.order_by("-pk").first().pk + 1000)
    token = Token.objects.get_or_create(user=world["users"][role])[0]
    response = client.get(url, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == want, (response.status_code, response.content[:300])
    body = response.content.decode()
    if want != 200:
        for figure in API_FIGURES:
            assert figure not in body
    elif url in {u.format(line=line.pk) for u in API_SHOWS_FIGURES}:
        assert "51833000" in body
