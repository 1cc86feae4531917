"""The revenue month sheet in a real browser: finance staff (재무담당) type a month's 수납, save, and the
report's 세입 집행현황 changes from 자료 없음 to the figures typed. Screenshots go to $ARTIFACTS_DIR
(revenue-*.png).
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from budget.core.receipts import RevenueRecord
from tests.revenue_2023 import YEAR, revenue_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff_page(report_data, make_login_user, login, page, site):
    call_command("populate_history", "--auto", verbosity=0)
    revenue_year({1: 300_000_000})
    make_login_user("finance", "재무담당", first_name="총무회계팀 담당자")
    page.goto(f"{site}/entry/{YEAR}/")
    login(page, "finance")
    return page


def report_total(page, site) -> tuple[str, ...]:
    page.goto(f"{site}/reports/{YEAR}/?as_of={YEAR}-01")
    cells = page.locator("#revenue-execution tbody tr").first.locator("th, td")
    return tuple(text.strip() for text in cells.all_inner_texts())


def test_typing_receipts_changes_the_reports_revenue_table(staff_page, site, artifacts_dir):
    page = staff_page
    assert report_total(page, site) == ("계", "1,200,000", "자료 없음", "자료 없음", "자료 없음")

    # From the year's entry page to January's revenue sheet, as a person gets there.
    page.goto(f"{site}/entry/{YEAR}/")
    with page.expect_navigation():
        page.locator(f'a.revenue-link[href="/entry/{YEAR}/revenue/1/"]').click()
    expect(page.locator("h1")).to_have_text(f"{YEAR}년 1월 수납 입력")

    city = page.locator("#revenue-sheet tr[data-line]", has_text="서울시출연금").locator("input.amount")
    city.click()
    page.keyboard.type("400,000,000")
    page.keyboard.press("Enter")  # down the column to 사업수입, without submitting
    expect(page.locator("h1")).to_have_text(f"{YEAR}년 1월 수납 입력")
    page.keyboard.type("250000000")
    # The row follows the keys: grouped as typed, 미수납액 below zero and marked before anything is saved.
    business = page.locator("#revenue-sheet tr[data-line]", has_text="사업수입")
    expect(business.locator("input.amount")).to_have_value("250,000,000")
    expect(business.locator('[data-out="uncollected"]')).to_have_text("△50,000,000")
    expect(business.locator('[data-out="rate"]')).to_have_text("125.0%")
    expect(business).to_have_class(re.compile(r"\bover-budget\b"))
    expect(page.locator('#revenue-total [data-out="after"]')).to_have_text("650,000,000")
    expect(page.locator('#revenue-total [data-out="rate"]')).to_have_text("54.2%")
    page.screenshot(path=str(artifacts_dir / "revenue-sheet-typed.png"), full_page=True)
    with page.expect_navigation():
        page.locator("#save").click()

    expect(page.locator("body")).to_contain_text(f"{YEAR}년 1월 수납을 저장했습니다 (2개 라인).")
    expect(business.locator(".over-collected")).to_contain_text("50,000,000원 넘습니다 (초과 수납)")
    expect(business.locator("td").nth(4)).to_have_text("250,000,000")
    expect(business.locator("td").nth(5)).to_have_text("△50,000,000")
    page.screenshot(path=str(artifacts_dir / "revenue-sheet-saved.png"), full_page=True)
    assert sorted(RevenueRecord.objects.values_list("line__code", "month", "collected")) == [
        ("business-income", 1, 250_000_000),
        ("city-contribution", 1, 400_000_000),
    ]

    # 650,000천원 of 1,200,000천원: 54.2% (54.1666…), 550,000천원 not yet collected.
    assert report_total(page, site) == ("계", "1,200,000", "650,000", "54.2%", "550,000")
    expect(page.locator("body")).to_contain_text(re.compile(r"초과 수납: 사업수입 수납액 250,000,000원"))
    page.locator("#revenue-execution").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / "revenue-report.png"), full_page=True)
