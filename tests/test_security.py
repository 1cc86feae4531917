"""What keeps people out: login throttling, the session's length, the security headers (no caching of what a
signed-in user sees among them) and cookies, CSRF on writes, upload limits, the admin for staff only, a
Content-Security-Policy the pages pass, and no URL left out of the role walk.

The settings are production's (tests/settings.py: DEBUG off), served over plain HTTP unless a test asks
for `secure=True`, which is what the TLS-terminating proxy's X-Forwarded-Proto amounts to.
"""

import datetime
import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.admin.sites import site as admin_site
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.static import serve

from budget.core.models import BudgetLine
from config.middleware import PrivatePagesMiddleware, RequestBodyLimitMiddleware, cache_directives

from . import test_roles

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a-long-enough-passphrase-42"

# URLs tests/test_roles.py need not walk, by route, with a URL of each: public on purpose.
EXEMPT = {
    "healthz": "/healthz",  # the database's state, no figure (tests/test_health.py)
    "i18n/setlang/": "/i18n/setlang/",  # POST with a CSRF token; sets only the language cookie
}


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    """These tests log in through the real form many times; the production hasher takes a second each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def finance(make_user):
    user = make_user("finance", "재무담당")
    user.set_password(PASSWORD)
    user.save()
    return user


def attempt(client, username, password, address="127.0.0.1", path="/login/"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client):
    return "_auth_user_id" in client.session


# Login throttling ---------------------------------------------------------------------------------------------


def test_five_failures_lock_the_username_from_that_address_even_for_the_right_password(client, finance):
    statuses = [attempt(client, "finance", "wrong").status_code for _ in range(5)]
    # The first four redraw the form with "wrong password"; the fifth failure is the one that locks.
    assert statuses == [200, 200, 200, 200, 429]

    response = attempt(client, "finance", PASSWORD)  # the sixth, with the right password

    assert response.status_code == 429
    assert not logged_in(client)
    body = response.content.decode()
    assert "로그인에 5번 잇달아 실패해 이 아이디는 지금 접속한 곳에서 15분 동안 로그인할 수 없습니다." in body
    assert 'name="username"' in body  # the login page itself, not an error page


def test_the_lock_holds_for_the_admin_login_too(client, finance):
    finance.is_staff = True
    finance.save()
    for _ in range(5):
        attempt(client, "finance", "wrong")
    assert attempt(client, "finance", PASSWORD, path="/admin/login/").status_code == 429
    assert not logged_in(client)


def test_the_lock_is_per_username_and_address(client, finance, make_user):
    other = make_user("colleague", "재무담당")
    other.set_password(PASSWORD)
    other.save()
    for _ in range(5):
        attempt(client, "finance", "wrong")
    # Someone failing from one address cannot lock a colleague out, nor the same person at another desk.
    assert attempt(Client(), "colleague", PASSWORD).status_code == 302
    assert attempt(Client(), "finance", PASSWORD, address="10.20.30.40").status_code == 302
    assert attempt(Client(), "finance", PASSWORD).status_code == 429


def test_the_lock_ends_after_fifteen_minutes(client, finance):
    for _ in range(5):
        attempt(client, "finance", "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=15, seconds=1))
    assert attempt(client, "finance", PASSWORD).status_code == 302
    assert logged_in(client)


def test_a_successful_login_clears_earlier_failures(client, finance):
    for _ in range(4):
        attempt(client, "finance", "wrong")
    assert attempt(client, "finance", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "finance", "wrong").status_code == 200
    assert attempt(client, "finance", PASSWORD).status_code == 302


DESK, LAPTOP = "192.0.2.10", "192.0.2.11"  # where the account's owner works
ELSEWHERE = [f"198.51.100.{n}" for n in range(1, 12)]
USERNAME_LOCKED = (
    "이 아이디로 여러 곳에서 로그인에 10번 실패해, 이 아이디는 최근에 로그인한 적이 없는 곳에서는 15분 동안 "
    "로그인할 수 없습니다."
)
ADDRESS_LOCKED = (
    "지금 접속한 곳에서 여러 아이디로 로그인에 20번 실패해, 이곳에서는 15분 동안 어느 아이디로도 로그인할 수 없습니다."
)


def test_failures_for_one_username_from_many_addresses_lock_it_except_where_its_owner_signs_in(finance):
    assert attempt(Client(), "finance", PASSWORD, address=DESK).status_code == 302  # the owner, earlier
    statuses = [attempt(Client(), "finance", "wrong", address=address).status_code for address in ELSEWHERE[:10]]
    # One failure from each address, so the lock per username and address never comes into it.
    assert statuses == [200] * 9 + [429]

    refused = attempt(Client(), "finance", PASSWORD, address=ELSEWHERE[10])  # the right password, anywhere new
    assert refused.status_code == 429
    assert USERNAME_LOCKED in refused.content.decode()
    assert attempt(Client(), "finance", PASSWORD, address=ELSEWHERE[0]).status_code == 429
    # The owner is not locked out at their desk, and signing in there does not lift the lock elsewhere: those
    # failures were not theirs.
    assert attempt(Client(), "finance", PASSWORD, address=DESK).status_code == 302
    assert attempt(Client(), "finance", PASSWORD, address=ELSEWHERE[10]).status_code == 429
    # The addresses themselves are not locked for other accounts.
    assert attempt(Client(), "colleague", "wrong", address=ELSEWHERE[0]).status_code == 200


def test_one_password_tried_on_many_usernames_from_one_address_locks_the_address(finance):
    assert attempt(Client(), "finance", PASSWORD, address=DESK).status_code == 302  # an account used from there
    statuses = [attempt(Client(), f"user{n:02}", "Spring2022!", address=DESK).status_code for n in range(20)]
    assert statuses == [200] * 19 + [429]

    refused = attempt(Client(), "finance", PASSWORD, address=DESK)
    assert refused.status_code == 429  # every account, even one that signs in from there
    assert ADDRESS_LOCKED in refused.content.decode()
    assert attempt(Client(), "finance", PASSWORD, address=LAPTOP).status_code == 302  # other addresses are not

    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=15, seconds=1))
    assert attempt(Client(), "finance", PASSWORD, address=DESK).status_code == 302


def test_a_success_clears_that_username_at_that_address_and_nothing_else(finance):
    for _ in range(4):
        attempt(Client(), "finance", "wrong", address=DESK)
        attempt(Client(), "finance", "wrong", address=LAPTOP)
    for n in range(15):  # meanwhile someone at the desk's address tries other accounts
        attempt(Client(), f"user{n:02}", "wrong", address=DESK)

    assert attempt(Client(), "finance", PASSWORD, address=DESK).status_code == 302

    left = {(a.username, a.ip_address): a.failures_since_start for a in AccessAttempt.objects.all()}
    assert ("finance", DESK) not in left  # the owner's own mistakes there
    assert left[("finance", LAPTOP)] == 4
    assert sum(n for (_username, address), n in left.items() if address == DESK) == 15
    # So the laptop is one failure from its lock, and the desk's address five from the address lock.
    assert attempt(Client(), "finance", "wrong", address=LAPTOP).status_code == 429
    statuses = [attempt(Client(), f"other{n}", "wrong", address=DESK).status_code for n in range(5)]
    assert statuses == [200] * 4 + [429]


def test_a_refused_attempt_is_not_counted(finance):
    """While a lock holds no password is checked, so nothing is counted: a person locked out at one desk who
    keeps trying does not push their username into the wider lock."""
    for _ in range(5):
        attempt(Client(), "finance", "wrong", address=DESK)
    for _ in range(10):
        assert attempt(Client(), "finance", "wrong", address=DESK).status_code == 429
    assert AccessAttempt.objects.get().failures_since_start == 5
    assert attempt(Client(), "finance", PASSWORD, address=LAPTOP).status_code == 302


def test_the_password_validators_are_on():
    names = [v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]


# Headers and cookies ------------------------------------------------------------------------------------------

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def directives(header):
    """A policy header as {directive: sources}; django-csp does not keep the settings' order."""
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def test_every_page_has_the_security_headers(manager_client):
    for path in ("/login/", "/programs/", "/healthz", "/no-such-page/"):
        response = manager_client.get(path, secure=True)
        assert directives(response["Content-Security-Policy"]) == CSP, path
        assert response["X-Content-Type-Options"] == "nosniff", path
        assert response["X-Frame-Options"] == "DENY", path
        assert response["Referrer-Policy"] == "same-origin", path
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", path
        assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload", path


def test_hsts_only_over_https(client):
    # Browsers ignore HSTS received over HTTP; Django sends it only on secure requests.
    assert "Strict-Transport-Security" not in client.get("/login/")
    assert "Strict-Transport-Security" in client.get("/login/", secure=True)


def test_session_and_csrf_cookies_are_secure(finance):
    client = Client()
    page = client.get("/login/", secure=True)
    assert page.cookies["csrftoken"]["secure"] is True
    response = client.post("/login/", {"username": "finance", "password": PASSWORD}, secure=True)
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


def test_a_session_lasts_a_working_day_from_login(finance):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    client = Client()
    response = client.post("/login/", {"username": "finance", "password": PASSWORD})
    assert response.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE
    session = Session.objects.get(session_key=response.cookies["sessionid"].value)
    expires = timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert expires - datetime.timedelta(minutes=1) < session.expire_date <= expires
    # Using the site does not push the end further: eight hours after login it is over.
    assert client.get("/").status_code == 200
    assert Session.objects.get(pk=session.pk).expire_date == session.expire_date
    # And the server holds to it even for a client that keeps the cookie longer (a stolen one).
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get("/")["Location"].startswith("/login/")


def test_every_response_to_a_signed_in_user_is_private_and_not_stored(report_2022, finance):
    client = Client()
    login = client.post("/login/", {"username": "finance", "password": PASSWORD})
    pages = ["/", "/programs/", "/reports/2022/?as_of=2022-09", "/reports/2022/council.xlsx?as_of=2022-09"]
    responses = {"POST /login/": login} | {path: client.get(path) for path in pages + ["/no-such-page/"]}
    assert [response.status_code for response in responses.values()] == [302, 200, 200, 200, 200, 404]
    for what, response in responses.items():
        assert {"private", "no-store"} <= cache_directives(response), what
        assert "public" not in cache_directives(response), what


def test_a_views_own_cache_directives_are_kept_but_public_is_dropped(rf, finance):
    def view(request):
        response = HttpResponse()
        patch_cache_control(response, public=True, max_age=600, must_revalidate=True)
        return response

    request = rf.get("/")
    request.user = finance
    response = PrivatePagesMiddleware(view)(request)
    assert cache_directives(response) == {"private", "no-store", "max-age", "must-revalidate"}


def test_anonymous_responses_are_left_as_their_view_made_them(client):
    # Nothing with a figure reaches an anonymous user: a redirect to the login page, the login page itself
    # (never_cache, as Django's LoginView makes it), /healthz (never_cache too).
    redirect = client.get("/programs/")
    assert redirect.status_code == 302
    assert "Cache-Control" not in redirect
    assert {"private", "no-store"} <= cache_directives(client.get("/login/"))
    assert client.get("/healthz")["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_healthz_and_static_files_are_untouched_for_a_signed_in_user_too(manager_client, settings, tmp_path):
    with CaptureQueriesContext(connection) as queries:
        response = manager_client.get("/healthz")
    assert len(queries) == 1  # its SELECT 1: not even the session is looked up
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert "Cookie" not in response["Vary"]  # the session was not read

    settings.STATIC_ROOT = tmp_path
    call_command("collectstatic", "--noinput", verbosity=0)
    client = Client()  # whitenoise reads STATIC_ROOT when the client builds its middleware
    client.force_login(get_user_model().objects.get(username="manager"))
    static = client.get("/static/css/app.css")
    assert static.status_code == 200
    assert "no-store" not in cache_directives(static)
    assert "public" in cache_directives(static)


# CSRF -----------------------------------------------------------------------------------------------------------


def test_a_post_without_the_csrf_token_is_refused(report_2022, finance):
    client = Client(enforce_csrf_checks=True)
    client.force_login(finance)
    line = BudgetLine.objects.for_year(2022).get(code="4-1")
    data = {"version": "0", f"c-{line.pk}": "1,000", f"e-{line.pk}": "0"}

    assert client.post("/entry/2022/10/", data).status_code == 403

    # The same form with the token the page hands out is saved: the 403 above was the missing token.
    client.get("/entry/2022/10/")
    data["csrfmiddlewaretoken"] = client.cookies["csrftoken"].value
    assert client.post("/entry/2022/10/", data).status_code == 302


def _patterns(patterns=None, prefix=""):
    """(route, URLPattern) for every URL of the URLconf, named or not, inside includes too."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, route)
        else:
            assert isinstance(pattern, URLPattern)
            yield route, pattern


def test_every_url_refuses_a_post_without_the_csrf_token():
    """Every URL of the role walk and the exempt ones: a view that reads the body itself (the Excel import
    sets its upload handler first) is csrf_exempt for the middleware but must check the token on its own."""
    client = Client(enforce_csrf_checks=True)
    placeholders = defaultdict(lambda: "1")
    urls = [url.format_map(placeholders) for url in [*test_roles.GET, *test_roles.POST]] + [*EXEMPT.values()]
    answers = {url: client.post(url, {"anything": "1"}).status_code for url in urls}
    assert {url: status for url, status in answers.items() if status != 403} == {}


# Uploads --------------------------------------------------------------------------------------------------------


def test_upload_limits_let_a_5_mb_file_through_and_keep_it_in_memory():
    assert settings.UPLOAD_MAX_BYTES == 5 * 1024 * 1024
    # Up to the limit an upload is read into memory: no temporary file on the server's disk.
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == settings.REQUEST_BODY_MAX_BYTES
    upload = SimpleUploadedFile("execution.xlsx", b"x" * settings.UPLOAD_MAX_BYTES)
    request = RequestFactory().post("/entry/import/", {"file": upload, "note": "10월분"})
    seen = {}

    def view(request):
        seen["file"] = request.FILES["file"]
        return HttpResponse()

    assert RequestBodyLimitMiddleware(view)(request).status_code == 200
    assert isinstance(seen["file"], InMemoryUploadedFile)
    assert seen["file"].size == settings.UPLOAD_MAX_BYTES


def test_a_body_larger_than_the_limit_is_refused_unread(client):
    too_big = b"x" * (settings.REQUEST_BODY_MAX_BYTES + 1)
    response = client.generic("POST", "/login/", too_big, content_type="application/octet-stream")
    assert response.status_code == 413
    assert "5MB" in response.content.decode()
    # A 5 MB file goes through the guard (to the view, which here does not take POST).
    upload = SimpleUploadedFile("execution.xlsx", b"x" * settings.UPLOAD_MAX_BYTES)
    assert client.post("/healthz", {"file": upload}).status_code == 405


def test_uploads_are_never_served_back(client):
    assert not settings.MEDIA_ROOT  # nowhere to keep an upload
    assert [route for route, pattern in _patterns() if pattern.callback is serve] == []
    assert client.get("/media/execution.xlsx").status_code == 404


# The admin ----------------------------------------------------------------------------------------------------


def _admin_urls():
    """Every admin page that takes no argument: the index, each app, each model's list and add form."""
    urls = [reverse("admin:index")]
    for model in admin_site._registry:
        opts = model._meta
        urls.append(reverse("admin:app_list", args=[opts.app_label]))
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    return sorted(set(urls))


def test_no_admin_page_for_anyone_but_staff(client, make_user):
    # A user holding every permission but not marked staff is still no admin.
    powerful = make_user("powerful", "재무책임")
    powerful.user_permissions.set(Permission.objects.all())
    for who in (None, powerful):
        client.logout()
        if who:
            client.force_login(who)
        for url in _admin_urls():
            response = client.get(url)
            assert response.status_code == 302, (url, who)
            assert response["Location"].startswith("/admin/login/?next="), (url, who)


def test_the_admin_login_refuses_a_user_who_is_not_staff(client, finance):
    response = client.post("/admin/login/", {"username": "finance", "password": PASSWORD})
    assert response.status_code == 200  # the form again, with its error
    assert not logged_in(client)


# Every URL is in the role walk ----------------------------------------------------------------------------------


def _route_of(url):
    return resolve(url.split("?")[0]).route


def test_every_url_is_walked_by_role_or_exempt_with_a_reason():
    """A URL added to the app is either in tests/test_roles.py's tables, every role tried, or listed above.

    Unlike test_roles' own guard this also sees unnamed URLs. The admin's URLs are Django's own and each
    asks for a staff login (test_no_admin_page_for_anyone_but_staff).
    """
    placeholders = defaultdict(lambda: "1")
    walked = {_route_of(url.format_map(placeholders)) for url in [*test_roles.GET, *test_roles.POST]}
    routes = {route for route, _pattern in _patterns() if not route.startswith("admin/")}
    assert routes - walked - set(EXEMPT) == set()
    assert set(EXEMPT) <= routes  # no stale exemption


# Content-Security-Policy: the pages pass it ---------------------------------------------------------------------


class InlineCode(HTMLParser):
    """Everything in a page that `script-src 'self'; style-src 'self'` would block or that loads from elsewhere."""

    DATA_SCRIPTS = {"application/json", "application/ld+json"}  # json_script blocks: data, never executed

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        where = f"line {self.getpos()[0]}: <{tag}"
        if tag == "style":
            self.found.append(f"{where}> block")
        if tag == "script" and not attrs.get("src") and attrs.get("type") not in self.DATA_SCRIPTS:
            self.found.append(f"{where}> inline script")
        for name, value in attrs.items():
            if name == "style":
                self.found.append(f"{where} style={value!r}>")
            if name.startswith("on"):
                self.found.append(f"{where} {name}= handler>")
            if name in ("src", "href", "action") and value and value.strip().lower().startswith("javascript:"):
                self.found.append(f"{where} {name}=javascript:>")
            if name == "src" and value and not value.startswith("/"):
                self.found.append(f"{where} src={value!r}> from another site")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def test_the_parser_finds_what_csp_blocks():
    page = (
        '<p style="color:red" onclick="x()"><script>alert(1)</script><style>p{}</style>'
        '<script src="https://cdn.example/x.js"></script><a href="javascript:x()">'
        '<script id="d" type="application/json">{"ok": 1}</script><script src="/static/js/app.js"></script>'
    )
    assert len(inline_code(page)) == 6


def test_every_page_passes_the_content_security_policy(report_2022, client, finance):
    """Every page of the role walk, as the superuser (who sees them all), plus the admin and login pages.

    A browser would silently drop what this finds: an inline handler that no longer runs, a style not applied.
    """
    admin = get_user_model().objects.create_superuser("admin", "admin@example.com", password=None)
    line = BudgetLine.objects.for_year(2022).get(code="4-1")
    placeholders = defaultdict(lambda: "1", line=line.pk)
    urls = [url.format_map(placeholders) for url in test_roles.GET] + _admin_urls()
    urls += [reverse("admin:budget_budgetline_change", args=[line.pk])]
    found, checked = {}, []
    for url in ["/login/"] + [u for u in urls if u != "/login/"]:
        if url != "/login/":
            client.force_login(admin)
        response = client.get(url, follow=True)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        checked.append(url)
        if problems := inline_code(response.content.decode()):
            found[url] = problems
    for _ in range(5):  # and the lockout page
        attempt(client, "finance", "wrong")
    found_lockout = inline_code(attempt(client, "finance", "wrong").content.decode())
    assert found == {}
    assert found_lockout == []
    assert {"/login/", "/reports/2022/?as_of=2022-09", "/entry/2022/10/", "/admin/"} <= set(checked)


TEMPLATE_PATTERNS = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I),
    "style block": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I),
    "event handler": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
}


def test_no_template_has_inline_script_or_style():
    """The same rule on the templates' source, for pages the walk above does not reach (error states)."""
    found = [
        f"{path.relative_to(ROOT)}:{number}: {what}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for number, text in enumerate(path.read_text().splitlines(), start=1)
        for what, pattern in TEMPLATE_PATTERNS.items()
        if pattern.search(text)
    ]
    assert found == []
