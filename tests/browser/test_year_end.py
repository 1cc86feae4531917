"""The year's end in a real browser: finance staff prepare 2022's 결산 with two 이월 lines (typed as a
person types), the finance lead approves it, opens 2023 from 2022 (one line renamed) and imports its
본예산 from the budget book. Screenshots of every step go to $ARTIFACTS_DIR (year-end-01-….png, …)."""

from __future__ import annotations

import openpyxl
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from budget.core.models import BudgetAmount, BudgetLine, FiscalYear, RevenueRecord, Settlement
from budget.entry.services import Entry, month_close, month_save

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOOK = {
    "city-contribution": 9_000_000_000,
    "surplus": 500_000_000,
    "business-income": 200_000_000,
    **dict.fromkeys(("1-1", "1-2", "2-1", "2-2", "2-3", "3-1", "3-2", "3-3", "4-1"), 400_000_000),
    "A-1": 3_000_000_000,
    "A-2": 1_500_000_000,
    "R-1": 300_000_000,
    "R-2": 400_000_000,
    "R-3": 200_000_000,
    "A-3": 700_000_000,
}


@pytest.fixture
def people(report_data, make_login_user):
    call_command("populate_history", "--auto", verbosity=0)
    staff = make_login_user("finance", "재무담당", first_name="총무회계팀 담당자")
    lead = make_login_user("finance_lead", "재무책임", first_name="총무회계팀장")
    lines = {line.code: line for line in BudgetLine.objects.for_year(2022)}
    # October–December of 2022, as the month sheets would have saved them (tests/year_end.py's figures).
    month_save(year=2022, month=10, user=staff, version=0, entries=[Entry(lines["4-1"].pk, 100_000_000, 30_000_000)])
    month_save(year=2022, month=11, user=staff, version=0, entries=[Entry(lines["1-1"].pk, 50_000_000, 50_000_000)])
    RevenueRecord.objects.create(line=lines["city-contribution"], month=10, collected=8_000_000_000)
    for month in (10, 11, 12):
        month_close(year=2022, month=month, user=lead)
    return staff, lead, lines


def type_into(page, selector: str, text: str):
    page.locator(selector).click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def cells(page, row_selector: str) -> list[str]:
    return page.locator(row_selector).evaluate("r => [...r.cells].map(c => c.innerText.trim())")


def test_settle_2022_open_2023_and_import_its_budget(browser, people, login, site, artifacts_dir, tmp_path):
    staff, lead, lines = people
    step = iter(range(1, 100))

    def shot(page, name: str):
        page.screenshot(path=str(artifacts_dir / f"year-end-{next(step):02d}-{name}.png"), full_page=True)

    # 1. Finance staff: from the year's entry page to the 결산, two lines' 이월액 typed in.
    context = browser.new_context(locale="ko-KR", viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(site + "/entry/2022/")
    login(page, staff.username)
    page.goto(site + "/entry/2022/")
    with page.expect_navigation():
        page.locator("#settlement-link").click()
    assert page.url == site + "/entry/2022/settlement/"
    metaverse, research = lines["4-1"].pk, lines["1-1"].pk
    type_into(page, f"input[name=a-{metaverse}]", "80,000,000")  # more than its 미지급액 70,000,000
    type_into(page, f"input[name=x-{metaverse}]", "100,000,000")
    type_into(page, f"input[name=r-{metaverse}]", "플랫폼 2단계 구축 지연")
    type_into(page, f"input[name=x-{research}]", "42,384,000")
    type_into(page, f"input[name=r-{research}]", "연구 용역 납기 연장")
    with page.expect_navigation():
        page.locator("#prepare-settlement").click()
    expect(page.locator("#settlement-errors")).to_contain_text(
        "사고이월 80,000,000원이 미지급액(원인행위액 − 지출액) 70,000,000원을 넘습니다"
    )
    shot(page, "refused")
    assert not Settlement.objects.exists()
    type_into(page, f"input[name=a-{metaverse}]", "70,000,000")
    with page.expect_navigation():
        page.locator("#preview-settlement").click()
    expect(page.locator("#previewed")).to_be_visible()
    # 세계잉여금 8,000,000 − 5,370,945 = 2,629,055; 순세계잉여금 − 212,384 = 2,416,671 (천원)
    assert cells(page, "#settlement-surplus tbody tr:nth-child(3)") == ["세계잉여금", "2,629,055"]
    assert cells(page, "#settlement-surplus tbody tr:nth-child(5)") == ["순세계잉여금", "2,416,671"]
    assert not Settlement.objects.exists()
    with page.expect_navigation():
        page.locator("#prepare-settlement").click()
    expect(page.locator("#settlement-status")).to_contain_text("작성됨")
    shot(page, "prepared")
    context.close()

    # 2. The finance lead approves; 2022 is finished.
    context = browser.new_context(locale="ko-KR", viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(site + "/entry/2022/settlement/")
    login(page, lead.username)
    page.goto(site + "/entry/2022/settlement/")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.locator("#approve-settlement").click()
    expect(page.locator("#settlement-status")).to_contain_text("승인됨")
    shot(page, "approved")
    assert FiscalYear.objects.get(year=2022).finished

    # 3. The lead opens 2023: 4-1 renamed by typing, 내부유보금 kept, one new 경비 line.
    page.goto(site + "/entry/2022/")
    with page.expect_navigation():
        page.locator("#open-next-link").click()
    expect(page.locator("#carry-note")).to_contain_text("2022년 결산이 승인되어")
    assert cells(page, "#review-4-1")[4] == "170,000,000"
    type_into(page, f"input[name=name-{metaverse}]", "메타버스 서울 2단계")
    type_into(page, "input[name=new-code-0]", "A-3")
    type_into(page, "input[name=new-name-0]", "청사 이전")
    page.locator("select[name=new-account-0]").select_option("expense")
    shot(page, "review")
    with page.expect_navigation():
        page.locator("#open-year").click()
    assert page.url == site + "/entry/2023/budget-book/"
    new = {line.code: line for line in BudgetLine.objects.for_year(2023)}
    assert (new["4-1"].name, new["4-1"].previous_id) == ("메타버스 서울 2단계", metaverse)
    assert dict(BudgetAmount.objects.filter(fiscal_year_id=2023).values_list("line__code", "amount")) == {
        "4-1": 170_000_000,
        "1-1": 42_384_000,
        "surplus": 212_384_000,
    }

    # 4. The budget book: the template downloaded, filled, uploaded, previewed, confirmed.
    with page.expect_download() as download:
        page.locator("#book-template").click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    wb = openpyxl.load_workbook(template)
    ws = wb["본예산"]
    for row in range(3, ws.max_row + 1):
        ws.cell(row, 3).value = BOOK.get(ws.cell(row, 1).value, 0)
    path = tmp_path / "budget-book-2023.xlsx"
    wb.save(path)
    page.locator("#book-file").set_input_files(str(path))
    with page.expect_navigation():
        page.locator("#book-preview").click()
    assert cells(page, "#book-totals tbody tr:nth-child(1)") == ["세입 계", "9,700,000,000"]
    assert cells(page, "#book-totals tbody tr:nth-child(2)") == ["세출 계", "9,700,000,000"]
    shot(page, "book-preview")
    with page.expect_navigation():
        page.locator("#book-save").click()
    assert page.url.startswith(site + "/reports/2023/")
    # 2023's 세출 총괄: 예산현액 = 본예산 9,700,000 + 이월 212,384; compared with 2022's 10,202,380 (천원).
    expect(page.locator("#expenditure-summary")).to_be_visible()
    assert cells(page, "#expenditure-summary tbody tr:nth-child(1)")[:3] == ["계", "9,912,384", "10,202,380"]
    shot(page, "report-2023")
    context.close()
