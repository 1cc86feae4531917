"""The synthetic 2023 demo (manage.py build_demo_year): built through the services on the report's 2022, every
figure computed here by hand from what the command types; refused twice and without 2022; labelled on
every page while the database holds it."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError

from budget.core.models import (
    BudgetAmount,
    BudgetLine,
    ExecutionRecord,
    FiscalYear,
    MonthStatus,
    RevenueRecord,
    Settlement,
)
from budget.management.commands.build_demo_year import MARK, synthetic_years
from budget.reports.report import report_tables
from budget.settlement.figures import year_close
from tests.test_settings_env import load_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(report_2022):
    call_command("build_demo_year", verbosity=0)


def amounts(kind):
    return dict(BudgetAmount.objects.filter(fiscal_year_id=2023, kind=kind).values_list("line__code", "amount"))


def rows(year, month, key):
    return {row["label"]: row for row in next(t for t in report_tables(year, month) if t.key == key).rows}


def test_2022_is_closed_out_with_its_two_carry_overs(demo):
    assert set(MonthStatus.objects.filter(fiscal_year_id=2022, closed=True).values_list("month", flat=True)) >= {
        10,
        11,
        12,
    }
    assert FiscalYear.objects.get(year=2022).finished
    settlement = Settlement.objects.get(fiscal_year_id=2022)
    assert settlement.approved
    assert (settlement.prepared_by.username, settlement.approved_by.username) == (
        "synthetic-demo-finance",
        "synthetic-demo-lead",
    )
    close = year_close(2022, settlement=settlement)
    # 지출액: the report's September 5,290,945,000 + 30,000,000 (Oct) + 50,000,000 (Nov) + 20,000,000 (Dec).
    assert close.expenditure == 5_390_945_000
    # 수납액: 8,000,000,000 (Oct) + 200,000,000 (Nov); 세계잉여금 = 수납 − 지출.
    assert close.collected == 8_200_000_000
    assert close.surplus == 8_200_000_000 - 5_390_945_000 == 2_809_055_000
    # 이월: 4-1 사고 70,000,000 + 명시 100,000,000, 1-1 명시 42,384,000.
    assert close.carryover == 70_000_000 + 100_000_000 + 42_384_000 == 212_384_000
    assert close.net_surplus == 2_809_055_000 - 212_384_000


def test_2023_is_opened_with_its_budget_book_and_the_carry_overs(demo):
    lines = {line.code: line for line in BudgetLine.objects.for_year(2023).select_related("previous")}
    assert len(lines) == BudgetLine.objects.for_year(2022).count() + 1  # every line kept, A-3 added
    assert all(line.name.startswith(MARK) for line in lines.values())
    assert all(line.previous.code == code for code, line in lines.items() if code != "A-3")
    assert lines["A-3"].previous is None
    original = amounts("original")
    revenue = 9_000_000_000 + 500_000_000 + 200_000_000
    spending = 9 * 400_000_000 + 3_000_000_000 + 1_500_000_000 + 300_000_000 + 400_000_000 + 200_000_000 + 700_000_000
    assert revenue == spending == 9_700_000_000
    assert sum(original.values()) == 2 * 9_700_000_000
    assert original["A-3"] == 700_000_000
    carried = amounts("carryover")
    assert carried == {"4-1": 170_000_000, "1-1": 42_384_000, "surplus": 212_384_000}


def test_2023s_report_as_of_february_from_the_months_entered(demo):
    assert set(MonthStatus.objects.filter(fiscal_year_id=2023, closed=True).values_list("month", flat=True)) == {1, 2}
    total = rows(2023, 2, "execution")["계"]
    current = 9_700_000_000 + 212_384_000
    commitment = 30_000_000 + 250_000_000 + 120_000_000 + 250_000_000
    expenditure = 10_000_000 + 250_000_000 + 60_000_000 + 250_000_000
    assert (total["current"], total["commitment"], total["expenditure"]) == (current, 650_000_000, 570_000_000)
    assert (commitment, expenditure) == (650_000_000, 570_000_000)
    assert total["unpaid"] == commitment - expenditure == 80_000_000
    collected = rows(2023, 2, "revenue-execution")["계"]
    assert collected["collected"] == 2_000_000_000 + 1_500_000_000 + 712_384_000 == 4_212_384_000
    assert collected["uncollected"] == current - 4_212_384_000 == 5_700_000_000
    january = rows(2023, 1, "execution")["계"]
    assert (january["commitment"], january["expenditure"]) == (280_000_000, 260_000_000)


def test_every_write_left_its_history_by_the_demo_people(demo):
    records = ExecutionRecord.history.filter(fiscal_year_id__in=(2022, 2023), history_type="+")
    assert {r.history_user.username for r in records if r.history_user} == {"synthetic-demo-finance"}
    receipts = RevenueRecord.history.filter(history_type="+")
    assert receipts.count() == 2 + 3  # 2022: Oct, Nov; 2023: one in January, two in February
    assert {r.history_user.username for r in receipts} == {"synthetic-demo-finance"}
    assert synthetic_years() == [2023]


def test_it_runs_once(demo):
    before = (BudgetAmount.objects.count(), ExecutionRecord.objects.count(), RevenueRecord.objects.count())
    with pytest.raises(CommandError, match="2023 회계연도가 이미 있습니다"):
        call_command("build_demo_year", verbosity=0)
    assert (BudgetAmount.objects.count(), ExecutionRecord.objects.count(), RevenueRecord.objects.count()) == before


def test_it_needs_2022(db):
    with pytest.raises(CommandError, match="2022 회계연도가 없습니다"):
        call_command("build_demo_year", verbosity=0)
    assert not FiscalYear.objects.exists()


def test_every_page_says_the_synthetic_year_is_synthetic(demo, manager_client, settings):
    banner = "합성 데모 자료: 2023년의 수치는 시연을 위해 만든 것이며 재단의 수치가 아닙니다"
    assert banner not in manager_client.get("/reports/2023/").content.decode()
    settings.SYNTHETIC_YEARS = synthetic_years()
    for url in ("/reports/2023/", "/dashboard/", "/reports/2022/"):
        response = manager_client.get(url, follow=True)
        assert response.status_code == 200
        assert banner in response.content.decode(), url
    # The line names say it too, in every output that names a line (here the report's 2023 execution table).
    assert f"{MARK} 디지털 전환 정책·서비스 기획 연구" in manager_client.get("/reports/2023/?as_of=2").content.decode()


def test_the_banner_in_english(demo, manager_client, settings):
    settings.SYNTHETIC_YEARS = [2023]
    manager_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = manager_client.get("/reports/2023/").content.decode()
    assert "Synthetic demo data: the figures of 2023 were made up for a demonstration" in html


@pytest.mark.parametrize(("raw", "years"), [("", []), ("2023", [2023]), (" 2023, 2101 ", [2023, 2101])])
def test_synthetic_years_are_read_strictly(monkeypatch, raw, years):
    monkeypatch.setenv("SECRET_KEY", "tests-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
    monkeypatch.setenv("ALLOWED_HOSTS", "testserver")
    monkeypatch.setenv("SYNTHETIC_YEARS", raw)
    read = load_settings().SYNTHETIC_YEARS
    assert read == years


@pytest.mark.parametrize("raw", ["2023년", "20x3", "-2023"])
def test_a_misspelt_synthetic_year_stops_start_up(monkeypatch, raw):
    monkeypatch.setenv("SECRET_KEY", "tests-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
    monkeypatch.setenv("ALLOWED_HOSTS", "testserver")
    monkeypatch.setenv("SYNTHETIC_YEARS", raw)
    with pytest.raises(ImproperlyConfigured, match="SYNTHETIC_YEARS"):
        load_settings()
