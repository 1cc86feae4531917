"""The 결산 page runs as many queries with five years held, four of them settled, as with its own year alone.

The years are the synthetic history's (budget/management/commands/generate_synthetic_history.py), small,
every month closed, each line linked to the line of the same code the year before.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budget.core.models import Settlement
from budget.settlement.services import settlement_approve, settlement_prepare
from tests.years_data import link_synthetic_years

pytestmark = pytest.mark.django_db

SMALL = {"lines": 30, "programs": 5, "teams": 2, "closed_through": 12, "verbosity": 0}
FIRST = 2101


def settlement_queries(client, year: int) -> tuple[int, str]:
    url = f"/entry/{year}/settlement/"
    client.get(url)  # the session and the caches of the first request are not what is measured
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_settlement_page_does_not_grow_with_the_years_held(make_user, client, django_assert_max_num_queries):
    staff, lead = make_user("finance", "재무담당"), make_user("lead", "재무책임")
    client.force_login(staff)
    call_command("generate_synthetic_history", first_year=FIRST + 4, years=1, **SMALL)
    settlement_prepare(year=FIRST + 4, carries={}, user=staff)
    one, html = settlement_queries(client, FIRST + 4)
    # Every 인건비·경비·사업비 line of the year has its carry-over cells (예비비 carries nothing).
    cells_one = html.count('name="a-')
    assert cells_one > 0
    assert one <= 14  # as tests/test_settlement.py pins it for 2022

    call_command("generate_synthetic_history", first_year=FIRST, years=4, i_know=True, **SMALL)
    link_synthetic_years(FIRST, 5)
    for year in range(FIRST, FIRST + 4):
        settlement_prepare(year=year, carries={}, user=staff)
        settlement_approve(year=year, user=lead)
    assert Settlement.objects.filter(status=Settlement.Status.APPROVED).count() == 4
    five, html = settlement_queries(client, FIRST + 4)
    assert five == one, (one, five)
    assert html.count('name="a-') == cells_one
    with django_assert_max_num_queries(one):
        client.get(f"/entry/{FIRST + 2}/settlement/")
