"""Headless Chromium through Playwright, against pytest-django's live server.

Chromium is the system one (/usr/bin/chromium or $CHROMIUM): `playwright install` cannot download here.
Screenshots and PDFs go to $ARTIFACTS_DIR (default artifacts/screenshots in the project folder).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "browser-test-pw-1234"  # noqa: S105 - a test-database account only


def _chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    path = Path(os.environ.get("ARTIFACTS_DIR") or PROJECT_DIR / "artifacts" / "screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="package")
def allow_orm_beside_playwright():
    """Set DJANGO_ALLOW_ASYNC_UNSAFE while Playwright runs, and restore it after this package.

    Playwright's sync API keeps an event loop running in the test's thread, so Django's ORM would
    refuse to run there (SynchronousOnlyOperation). The variable is set here rather than at import
    so that it does not leak to the rest of the suite: `manage.py check --deploy` run from a test
    fails with async.E001 when it is set.
    """
    name = "DJANGO_ALLOW_ASYNC_UNSAFE"
    before = os.environ.get(name)
    os.environ[name] = "true"
    yield
    if before is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = before


@pytest.fixture(scope="package")
def browser(allow_orm_beside_playwright):
    """Headless Chromium for this package's tests (one launch; a session-long one would keep
    Playwright's event loop, and so the need for DJANGO_ALLOW_ASYNC_UNSAFE, over the whole suite)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = _chromium()
    if executable is None:
        pytest.skip("no Chromium: apt-get install chromium, or set CHROMIUM to its path")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="package")
def http_live_server_settings():
    """Let the plain-http live server work whatever DEBUG the settings were loaded with.

    With DEBUG off the settings redirect to https, mark cookies Secure and want a collected static
    manifest; none of that exists for http://localhost in a test. Only the settings in that state are
    overridden, for this package's tests, and before the live server builds its handler
    (SecurityMiddleware reads SECURE_SSL_REDIRECT once, when the server starts).
    """
    from django.conf import settings
    from django.test import override_settings

    overrides = {
        name: False
        for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE")
        if getattr(settings, name)
    }
    if "Manifest" in settings.STORAGES["staticfiles"]["BACKEND"]:
        overrides["STORAGES"] = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    if not overrides:
        yield
        return
    with override_settings(**overrides):
        yield


@pytest.fixture
def site(http_live_server_settings, live_server) -> str:
    """The live server's base URL, without a trailing slash."""
    return live_server.url.rstrip("/")


@pytest.fixture
def page(browser, site):
    context = browser.new_context(locale="ko-KR", viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def report_data(transactional_db):
    """The 2022 report's figures, loaded from the app's fixtures (org, budget, programs)."""
    from django.core.management import call_command

    call_command("loaddata", "report_2022", verbosity=0)


@pytest.fixture
def make_login_user(transactional_db):
    """make_login_user(username, role) -> a user in the role's group whose password is PASSWORD.

    Named apart from tests/conftest.py's make_user, whose users are never meant to type a password.
    """
    from django.contrib.auth import get_user_model

    from foundation.roles import sync_roles

    def make(username: str, role: str | None, **extra):
        groups = sync_roles()
        user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
        if role is not None:
            user.groups.add(groups[role])
        return user

    return make


@pytest.fixture
def login(site):
    """login(page, username) fills and submits the real login form, then waits to leave it."""

    def do_login(page, username: str, password: str = PASSWORD, next_path: str | None = None):
        url = f"{site}/login/" + (f"?next={next_path}" if next_path else "")
        if not page.url.startswith(f"{site}/login/"):
            page.goto(url)
        page.locator("input[name=username]").fill(username)
        page.locator("input[name=password]").fill(password)
        with page.expect_navigation():
            page.locator("form[action$='/login/'] button[type=submit]").click()
        assert "/login/" not in page.url, f"login as {username} failed: still on {page.url}"
        return page

    return do_login
