import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from foundation.roles import sync_roles


@pytest.fixture(autouse=True)
def korean_outside_requests():
    """A request in English leaves English active on the thread (the locale middleware activates a language
    and nothing deactivates it), so a test after it that draws rows outside a request would read English
    labels: each test starts in the site's language."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def nothing_kept_from_another_test():
    """What a settled year's figures are kept under (budget.core.settled) holds for one database; each test
    builds its own, whose months may have the same versions and close times as another test's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def report_2022(db):
    """The foundation's 2022 report, loaded from the fixtures exactly as `loaddata report_2022` does."""
    call_command("loaddata", "report_2022", verbosity=0)
    call_command("populate_history", "--auto", verbosity=0)


@pytest.fixture
def roles(db):
    return sync_roles()


@pytest.fixture
def make_user(roles):
    def make(username, role=None, **extra):
        user = get_user_model().objects.create_user(username=username, password="pw-not-used", **extra)
        if role:
            user.groups.add(roles[role])
        return user

    return make


@pytest.fixture
def manager_client(client, make_user):
    client.force_login(make_user("manager", "관리자"))
    return client
