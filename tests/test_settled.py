"""A settled year before the one viewed is read once (budget.core.settled): what is kept equals what a new
read gives, and a change the rules let through (a reopen, a new figure, a new close) is read again."""

from fractions import Fraction

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budget.core.models import FiscalYear, MonthStatus
from budget.core.years import year_curves
from budget.entry.services import Entry, month_close, month_reopen, month_save
from tests.years_data import build_two_years

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines(db):
    return build_two_years()


def curves_and_sql(*args, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        curves = year_curves(*args, **kwargs)
    return curves, " ".join(q["sql"] for q in queries.captured_queries)


def reads_records_of(sql: str, year: int) -> bool:
    return f'"budget_executionrecord"."fiscal_year_id" = {year}' in sql


def test_a_settled_year_is_read_once_and_kept_as_read(lines):
    first, sql = curves_and_sql(2302, 2)
    assert reads_records_of(sql, 2301) and reads_records_of(sql, 2302)
    again, sql = curves_and_sql(2302, 2)
    assert not reads_records_of(sql, 2301)  # closed throughout, and kept
    assert reads_records_of(sql, 2302)
    assert again == first
    cache.clear()
    assert year_curves(2302, 2) == first


def test_a_year_with_an_open_month_is_read_each_time(lines):
    MonthStatus.objects.filter(fiscal_year_id=2301, month=12).update(closed=False)
    year_curves(2302, 2)
    _curves, sql = curves_and_sql(2302, 2)
    assert reads_records_of(sql, 2301)


def test_a_narrowed_curve_is_read_each_time(lines):
    team = lines["p1"].program.owner_team_id
    year_curves(2302, 2, team=team)
    _curves, sql = curves_and_sql(2302, 2, team=team)
    assert reads_records_of(sql, 2301)


def test_a_reopened_changed_and_closed_again_month_is_read_anew(lines, make_user):
    lead = make_user("lead", "재무책임")
    before, _this = year_curves(2302, 2)
    assert before.spent[12] == 210_000_000
    # The year's 결산 undone (a finished year takes no write), December reopened, 5,000,000 more paid, closed.
    FiscalYear.objects.filter(year=2301).update(finished=False)
    month_reopen(year=2301, month=12, user=lead, reason="누락된 지출")
    month_save(
        year=2301, month=12, entries=[Entry(lines["a1"].pk, 15_000_000, 15_000_000)], user=lead,
        version=MonthStatus.objects.get(fiscal_year_id=2301, month=12).version,
    )
    month_close(year=2301, month=12, user=lead)
    after, _this = year_curves(2302, 2)
    assert after.spent[12] == 215_000_000
    assert after.at(12) == Fraction(215_000_000 * 100, 400_000_000)
    cache.clear()
    assert year_curves(2302, 2)[0] == after
