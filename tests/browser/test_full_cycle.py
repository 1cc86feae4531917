"""The whole fiscal year in a real browser, as the people who do it click and type: finance staff enter
2022's October–December on the month sheets and their 수납 on the revenue sheets, the finance lead closes
each month; staff prepare the 결산 with two 이월 lines, the lead approves it, opens 2023 and imports its
본예산 from the budget book; January 2023 is entered and closed. Then 2023's report page, its dashboard and
its council workbook (opened with openpyxl, and as LibreOffice shows it, converted to CSV) hold every figure
of that cycle, each computed below by hand from what was typed. Screenshots: $ARTIFACTS_DIR/cycle-*.png.

The settlement, opening and budget-book steps follow tests/browser/test_year_end.py (its helpers and its
budget book), here reached from months entered through the pages rather than the services.
"""

from __future__ import annotations

import csv
import shutil
import subprocess

import openpyxl
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from budget.core.models import BudgetAmount, ExecutionRecord, FiscalYear, RevenueRecord, Settlement
from tests.browser.test_month_entry import DIGITAL, METAVERSE, amount_input, row_with, sheet_row
from tests.browser.test_year_end import BOOK, cells, type_into

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INCLUSION = "디지털 소외계층 맞춤형 역량강화"  # 2-1
PERSONNEL = "인력운영비"
CITY, BUSINESS = "서울시출연금", "사업수입"
# What is typed, month by month: 지출 lines (원인행위, 지출) and 수납, in won.
SPENT = {
    (2022, 10): {METAVERSE: (100_000_000, 30_000_000)},
    (2022, 11): {DIGITAL: (50_000_000, 50_000_000)},
    (2022, 12): {INCLUSION: (20_000_000, 20_000_000)},
    (2023, 1): {DIGITAL: (30_000_000, 10_000_000), PERSONNEL: (250_000_000, 250_000_000)},
}
COLLECTED = {(2022, 10): {CITY: 8_000_000_000}, (2022, 11): {BUSINESS: 200_000_000}, (2023, 1): {CITY: 2_000_000_000}}

# ---- By hand. 2022 (the report's September, then what is typed above) ----
# 4-1: 예산현액 400,000,000; 원인행위 51,833,000 + 100,000,000; 지출 51,833,000 + 30,000,000 → 미지급 70,000,000.
# 1-1: 예산현액 237,600,000; 원인행위 = 지출 = 145,216,000 + 50,000,000 → 원인행위 잔액 42,384,000.
ACCIDENT_41, EXPLICIT_41, EXPLICIT_11 = 70_000_000, 100_000_000, 42_384_000
CARRIED = ACCIDENT_41 + EXPLICIT_41 + EXPLICIT_11  # 212,384,000
SPENT_2022 = 5_290_945_000 + 30_000_000 + 50_000_000 + 20_000_000  # 5,390,945,000
COLLECTED_2022 = 8_000_000_000 + 200_000_000
SURPLUS_2022 = COLLECTED_2022 - SPENT_2022  # 세계잉여금 2,809,055,000
NET_SURPLUS_2022 = SURPLUS_2022 - CARRIED  # 순세계잉여금 2,596,671,000
FINAL_2022 = 10_202_380_000  # 2022's 최종예산, the comparison column of 2023's 총괄
# ---- 2023 as of January: 본예산 from the book plus 2022's 이월 ----
# 세출: nine program lines at 400,000,000, A-1 3,000,000,000, A-2 1,500,000,000, R-1/2/3 and A-3 (청사 이전).
ORIGINAL_2023 = 9 * 400_000_000 + 3_000_000_000 + 1_500_000_000 + 300_000_000 + 400_000_000 + 200_000_000 + 700_000_000
assert ORIGINAL_2023 == BOOK["city-contribution"] + BOOK["surplus"] + BOOK["business-income"] == 9_700_000_000
CURRENT_2023 = ORIGINAL_2023 + CARRIED  # 9,912,384,000 on either side
COMMITTED_JAN = 30_000_000 + 250_000_000
PAID_JAN = 10_000_000 + 250_000_000
COLLECTED_JAN = 2_000_000_000
PROGRAMS_2023 = 9 * 400_000_000 + CARRIED  # 사업비: nine program lines, and both lines that carry are programs
DIGITAL_2023 = 400_000_000 + EXPLICIT_11
METAVERSE_2023 = 400_000_000 + ACCIDENT_41 + EXPLICIT_41
SURPLUS_LINE_2023 = BOOK["surplus"] + CARRIED


def k(won: int) -> str:
    """천원, grouped, △ below zero, as the pages show money."""
    text = f"{abs(won) // 1000:,}"
    return "△" + text if won < 0 else text


def pct(part: int, whole: int) -> str:
    """Half-up to one decimal, from the exact amounts."""
    tenths = (part * 1000 * 2 + whole) // (whole * 2)
    return f"{tenths // 10}.{tenths % 10}%"


@pytest.fixture
def people(report_data, make_login_user):
    call_command("populate_history", "--auto", verbosity=0)
    staff = make_login_user("finance", "재무담당", first_name="총무회계팀 담당자")
    lead = make_login_user("finance_lead", "재무책임", first_name="총무회계팀장")
    return staff, lead


def signed_in(browser, login, site, username):
    context = browser.new_context(locale="ko-KR", viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(site + "/login/")
    login(page, username)
    return page


def enter_month(page, site, year, month):
    page.goto(f"{site}/entry/{year}/{month}/")
    for name, (commitment, paid) in SPENT.get((year, month), {}).items():
        row = sheet_row(page, name)
        amount_input(row, "c").click()
        page.keyboard.type(f"{commitment:,}")
        amount_input(row, "e").click()
        page.keyboard.type(str(paid))  # grouped as typed
    with page.expect_navigation():
        page.locator("#save").click()
    expect(page.locator("p.message.success")).to_contain_text(f"{year}년 {month}월 집행을 저장했습니다")


def collect_month(page, site, year, month):
    page.goto(f"{site}/entry/{year}/")
    with page.expect_navigation():
        page.locator(f'a.revenue-link[href="/entry/{year}/revenue/{month}/"]').click()
    received = COLLECTED[(year, month)]
    for name, won in received.items():
        page.locator("#revenue-sheet tr[data-line]", has_text=name).locator("input.amount").click()
        page.keyboard.type(f"{won:,}")
    with page.expect_navigation():
        page.locator("#save").click()
    expect(page.locator("body")).to_contain_text(f"{year}년 {month}월 수납을 저장했습니다 ({len(received)}개 라인).")


def close_month(page, site, year, month):
    page.goto(f"{site}/entry/{year}/{month}/")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.locator("#close-month").click()
    expect(page.locator("p.message.success")).to_have_text(f"{year}년 {month}월을 마감했습니다.")


def as_shown(xlsx, tmp_path) -> dict[str, list[list[str]]]:
    """Every sheet as LibreOffice shows it (cell text as formatted), through its CSV export of all sheets."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is needed: bin/install-system-deps installs libreoffice-calc-nogui"
    out = tmp_path / "csv"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            # UTF-8, every sheet to its own file (-1), cell content as shown (the 8th token)
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(out),
            str(xlsx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    stem = xlsx.stem + "-"
    return {
        path.stem.removeprefix(stem): list(csv.reader(path.open(encoding="utf-8")))
        for path in sorted(out.glob("*.csv"))
    }


def sheet_row_of(rows, label):
    found = [row for row in rows if label in row]
    assert len(found) == 1, f"{label!r}: {found}"
    return found[0]


def test_the_whole_fiscal_year_through_the_pages(browser, people, login, site, artifacts_dir, tmp_path):
    staff, lead = people
    step = iter(range(1, 100))

    def shot(page, name: str):
        page.screenshot(path=str(artifacts_dir / f"cycle-{next(step):02d}-{name}.png"), full_page=True)

    staff_page = signed_in(browser, login, site, staff.username)
    lead_page = signed_in(browser, login, site, lead.username)

    # 1. October–December 2022: 지출 on the month sheet, 수납 on the revenue sheet, each month closed.
    for month in (10, 11, 12):
        enter_month(staff_page, site, 2022, month)
        if (2022, month) in COLLECTED:
            collect_month(staff_page, site, 2022, month)
        close_month(lead_page, site, 2022, month)
    shot(lead_page, "december-closed")
    assert ExecutionRecord.objects.filter(fiscal_year_id=2022, month__gte=10).count() == 3
    assert sum(RevenueRecord.objects.filter(fiscal_year_id=2022).values_list("collected", flat=True)) == COLLECTED_2022

    # 2. The 결산: two lines carry, typed by finance staff; previewed; prepared; approved by the lead.
    page = staff_page
    page.goto(f"{site}/entry/2022/")
    with page.expect_navigation():
        page.locator("#settlement-link").click()
    metaverse = sheet_id(page, METAVERSE)
    digital = sheet_id(page, DIGITAL)
    type_into(page, f"input[name=a-{metaverse}]", f"{ACCIDENT_41:,}")
    type_into(page, f"input[name=x-{metaverse}]", f"{EXPLICIT_41:,}")
    type_into(page, f"input[name=r-{metaverse}]", "플랫폼 2단계 구축 지연")
    type_into(page, f"input[name=x-{digital}]", f"{EXPLICIT_11:,}")
    type_into(page, f"input[name=r-{digital}]", "연구 용역 납기 연장")
    with page.expect_navigation():
        page.locator("#preview-settlement").click()
    assert cells(page, "#settlement-surplus tbody tr:nth-child(3)") == ["세계잉여금", k(SURPLUS_2022)]
    assert cells(page, "#settlement-surplus tbody tr:nth-child(5)") == ["순세계잉여금", k(NET_SURPLUS_2022)]
    with page.expect_navigation():
        page.locator("#prepare-settlement").click()
    expect(page.locator("#settlement-status")).to_contain_text("작성됨")
    shot(page, "settlement-prepared")
    page = lead_page
    page.goto(f"{site}/entry/2022/settlement/")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.locator("#approve-settlement").click()
    expect(page.locator("#settlement-status")).to_contain_text("승인됨")
    assert Settlement.objects.get(fiscal_year_id=2022).approved and FiscalYear.objects.get(year=2022).finished

    # 3. The lead opens 2023 (every line kept, 청사 이전 added) and imports its 본예산 from the budget book.
    page.goto(f"{site}/entry/2022/")
    with page.expect_navigation():
        page.locator("#open-next-link").click()
    assert cells(page, "#review-4-1")[4] == f"{ACCIDENT_41 + EXPLICIT_41:,}"
    type_into(page, "input[name=new-code-0]", "A-3")
    type_into(page, "input[name=new-name-0]", "청사 이전")
    page.locator("select[name=new-account-0]").select_option("expense")
    with page.expect_navigation():
        page.locator("#open-year").click()
    assert page.url == f"{site}/entry/2023/budget-book/"
    with page.expect_download() as download:
        page.locator("#book-template").click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    wb = openpyxl.load_workbook(template)
    ws = wb["본예산"]
    for row in range(3, ws.max_row + 1):
        ws.cell(row, 3).value = BOOK.get(ws.cell(row, 1).value, 0)
    book = tmp_path / "budget-book-2023.xlsx"
    wb.save(book)
    page.locator("#book-file").set_input_files(str(book))
    with page.expect_navigation():
        page.locator("#book-preview").click()
    assert cells(page, "#book-totals tbody tr:nth-child(1)") == ["세입 계", f"{ORIGINAL_2023:,}"]
    assert cells(page, "#book-totals tbody tr:nth-child(2)") == ["세출 계", f"{ORIGINAL_2023:,}"]
    with page.expect_navigation():
        page.locator("#book-save").click()
    assert page.url.startswith(f"{site}/reports/2023/")
    assert sum(BudgetAmount.objects.filter(fiscal_year_id=2023).values_list("amount", flat=True)) == 2 * CURRENT_2023

    # 4. January 2023 entered and closed through the same pages.
    enter_month(staff_page, site, 2023, 1)
    collect_month(staff_page, site, 2023, 1)
    close_month(lead_page, site, 2023, 1)

    # 5. 2023's report page as of January.
    page = staff_page
    page.goto(f"{site}/reports/2023/?as_of=2023-01")
    shot(page, "report-2023")
    assert row_with(page, "expenditure-summary", "계")[:4] == [
        "계",
        k(CURRENT_2023),
        k(FINAL_2022),
        k(CURRENT_2023 - FINAL_2022),
    ]
    assert row_with(page, "expenditure-summary", "사업비")[1] == k(PROGRAMS_2023)
    assert row_with(page, "revenue-summary", "잉여금(이월금)수입")[1] == k(SURPLUS_LINE_2023)
    total = row_with(page, "execution", "계")
    assert total[1:4] == [k(CURRENT_2023), k(COMMITTED_JAN), k(PAID_JAN)]
    assert pct(COMMITTED_JAN, CURRENT_2023) in total and pct(PAID_JAN, CURRENT_2023) in total
    assert row_with(page, "revenue-execution", "계")[1:] == [
        k(CURRENT_2023),
        k(COLLECTED_JAN),
        pct(COLLECTED_JAN, CURRENT_2023),
        k(CURRENT_2023 - COLLECTED_JAN),
    ]
    budget = row_with(page, "budget-by-program", DIGITAL)
    assert k(DIGITAL_2023) in budget
    assert k(METAVERSE_2023) in row_with(page, "budget-by-program", METAVERSE)

    # 6. 2023's dashboard as of January.
    page.goto(f"{site}/dashboard/?year=2023&as_of=2023-01")
    shot(page, "dashboard-2023")
    headline = page.locator("#headline").inner_text()
    for figure in (k(CURRENT_2023), k(COMMITTED_JAN), k(PAID_JAN), k(CURRENT_2023 - PAID_JAN)):
        assert figure in headline, (figure, headline)
    assert pct(PAID_JAN, CURRENT_2023) in headline
    assert row_with(page, "revenue-execution", "계")[1:] == [
        k(CURRENT_2023),
        k(COLLECTED_JAN),
        pct(COLLECTED_JAN, CURRENT_2023),
        k(CURRENT_2023 - COLLECTED_JAN),
    ]
    assert row_with(page, "cash-position", "1월") == ["1월", k(COLLECTED_JAN), k(PAID_JAN), k(COLLECTED_JAN - PAID_JAN)]
    assert row_with(page, "natures", "사업비")[1:4] == [k(PROGRAMS_2023), k(30_000_000), k(10_000_000)]

    # 7. 2023's council workbook, downloaded from the report page: its cells, and what LibreOffice shows.
    page.goto(f"{site}/reports/2023/?as_of=2023-01")
    with page.expect_download() as download:
        page.locator('a[href*="council.xlsx"]').first.click()
    xlsx = tmp_path / download.value.suggested_filename
    download.value.save_as(xlsx)
    wb = openpyxl.load_workbook(xlsx)
    values = {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    shown = as_shown(xlsx, tmp_path)
    thousands = {
        "세출 총괄": ("계", [CURRENT_2023, FINAL_2022, CURRENT_2023 - FINAL_2022]),
        "세입 총괄": ("잉여금(이월금)수입", [SURPLUS_LINE_2023]),
        "세출예산 집행현황": ("계", [CURRENT_2023, COMMITTED_JAN, PAID_JAN]),
        "세입 집행현황": ("계", [CURRENT_2023, COLLECTED_JAN]),
    }
    for title, (label, figures) in thousands.items():
        cells_ = sheet_row_of(values[title], label)
        assert cells_[1 : 1 + len(figures)] == [won // 1000 for won in figures], title
        text = sheet_row_of(shown[title], label)
        assert [int(t.replace(",", "").replace("△", "-")) for t in text[1 : 1 + len(figures)]] == [
            won // 1000 for won in figures
        ], title
    assert sheet_row_of(values["세입 집행현황"], "계")[4] == (CURRENT_2023 - COLLECTED_JAN) // 1000
    monthly = sheet_row_of(values["월별 집행"], "1-1")
    assert monthly[2:4] == [30_000, 10_000]
    carried = {row[2]: row[3] for row in values["예산 변경"] if row[1] == "이월"}
    assert carried == {
        DIGITAL: EXPLICIT_11 // 1000,
        METAVERSE: (ACCIDENT_41 + EXPLICIT_41) // 1000,
        "잉여금(이월금)수입": CARRIED // 1000,
    }
    shown_carried = {row[2]: row[3] for row in shown["예산 변경"] if len(row) > 3 and row[1] == "이월"}
    assert {name: int(text.replace(",", "")) for name, text in shown_carried.items()} == carried


def sheet_id(page, name: str) -> str:
    """The settlement table's line id for a line name (the inputs are named by it)."""
    row = page.locator("tr", has_text=name).filter(has=page.locator("input[name^=a-]")).first
    return row.locator("input[name^=a-]").get_attribute("name").removeprefix("a-")
