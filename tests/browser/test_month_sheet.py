"""The October 2022 month sheet as a spreadsheet, in a real browser, as finance staff (재무담당) use it.

Each test clicks and types as a person does and then reads what was stored: the amounts typed are the
amounts saved; a block pasted from a spreadsheet fills six cells; Enter never leaves the page; leaving with
unsaved changes asks first; the 계 row is the sum of the records; the sheet fits a 1280-px laptop screen and
reads at 390 px. Screenshots go to $ARTIFACTS_DIR (sheet-*.png).
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.db.models import Sum
from playwright.sync_api import expect

from budget.core.models import BudgetAmount, ExecutionRecord

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OCTOBER = "/entry/2022/10/"
DIGITAL = "디지털 전환 정책·서비스 기획 연구"
DATA = "데이터 창출·분석 및 활용 확산"
INCLUSION = "디지털 소외계층 맞춤형 역량강화"
METAVERSE = "메타버스 서울 시티즌 플랫폼 구축"


@pytest.fixture
def staff_page(report_data, make_login_user, login, page, site):
    call_command("populate_history", "--auto", verbosity=0)
    make_login_user("finance", "재무담당", first_name="총무회계팀 담당자")
    page.goto(site + OCTOBER)
    login(page, "finance")
    assert page.url == site + OCTOBER, page.url
    return page


def row(page, name: str):
    heading = page.locator("th .name", has_text=re.compile(r"^\s*" + re.escape(name) + r"\s*$"))
    found = page.locator("#sheet tr[data-line]").filter(has=heading)
    expect(found).to_have_count(1)
    return found


def cell(row_, prefix: str):
    """c- (this month's commitment), e- (expenditure) or n- (note) input of a row."""
    return row_.locator(f"input.cell[name^='{prefix}-'], input.cell[data-name^='{prefix}-']")


def out(row_, name: str):
    return row_.locator(f'[data-out="{name}"]')


def october(name: str):
    record = ExecutionRecord.objects.filter(month=10, line__name=name, line__fiscal_year=2022).first()
    return None if record is None else (record.commitment, record.expenditure, record.note)


def save(page):
    with page.expect_navigation() as navigation:
        page.locator("#save").click()
    return navigation.value


def test_clicking_a_cell_and_typing_saves_exactly_what_was_typed(staff_page, artifacts_dir):
    page = staff_page
    metaverse = row(page, METAVERSE)
    commitment, expenditure = cell(metaverse, "c"), cell(metaverse, "e")
    # A month with nothing entered shows blanks, not a 0 the caret would land before (30000000 → 300,000,000).
    expect(commitment).to_have_value("")
    commitment.click()
    page.keyboard.type("30000000")
    # Separators appear while typing; the caret stays at the end, so the digits are the ones typed.
    expect(commitment).to_have_value("30,000,000")
    expect(out(metaverse, "commitment-after")).to_have_text("81,833,000")
    expect(out(metaverse, "uncommitted")).to_have_text("318,167,000")
    page.keyboard.press("Tab")
    expect(expenditure).to_be_focused()
    page.keyboard.type("5000000")
    expect(out(metaverse, "expenditure-after")).to_have_text("56,833,000")
    expect(out(metaverse, "rate")).to_have_text("14.2%")
    # A cell with a value: clicking selects all of it, so typing replaces it (no 10× amount).
    commitment.click()
    page.keyboard.type("12,5")
    expect(commitment).to_have_value("125")
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    page.keyboard.type("30000000")
    expect(commitment).to_have_value("30,000,000")
    # Typing in the middle keeps the caret after the digit typed: 30,000,000 → 300,000,000 → 30,000,000.
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.type("0")
    expect(commitment).to_have_value("300,000,000")
    page.keyboard.press("Backspace")
    expect(commitment).to_have_value("30,000,000")
    page.screenshot(path=str(artifacts_dir / "sheet-01-typed.png"))
    response = save(page)
    assert response.ok, response.status
    assert october(METAVERSE) == (30_000_000, 5_000_000, "")
    assert ExecutionRecord.objects.filter(month=10).count() == 1
    message = page.locator("p.message.success")
    expect(message).to_contain_text("2022년 10월 집행을 저장했습니다. 1개 라인")
    expect(message).to_contain_text(f"{METAVERSE} (원인행위액 30,000,000원, 지출액 5,000,000원)")
    expect(cell(row(page, METAVERSE), "c")).to_have_value("30,000,000")


def test_enter_moves_down_a_column_and_arrows_move_between_cells(staff_page):
    page = staff_page
    digital, data, inclusion = row(page, DIGITAL), row(page, DATA), row(page, INCLUSION)
    cell(digital, "c").click()
    page.keyboard.type("1000")
    page.keyboard.press("Enter")
    expect(cell(data, "c")).to_be_focused()
    page.keyboard.type("2000")
    page.keyboard.press("Enter")
    expect(cell(inclusion, "c")).to_be_focused()
    page.keyboard.press("ArrowRight")  # the whole (empty) value is selected: the arrow moves on
    expect(cell(inclusion, "e")).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(cell(data, "e")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(cell(data, "c")).to_be_focused()
    # Entered by the keyboard, the cell's whole value is selected: typing replaces 2,000.
    page.keyboard.type("3000")
    expect(cell(data, "c")).to_have_value("3,000")
    page.keyboard.press("Shift+Enter")
    expect(cell(digital, "c")).to_be_focused()
    assert page.url.endswith(OCTOBER)
    save(page)
    assert october(DIGITAL) == (1_000, 0, "")
    assert october(DATA) == (3_000, 0, "")


def test_a_block_pasted_from_a_spreadsheet_fills_six_cells(staff_page, artifacts_dir):
    page = staff_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    digital, data, inclusion = row(page, DIGITAL), row(page, DATA), row(page, INCLUSION)
    # Three rows of two columns as Excel copies them: tabs and newlines, with and without separators, △ and -.
    block = "10,000,000\t5,000,000\r\n2000000\t1000000\r\n△1,000\t-1,000\r\n"
    cell(digital, "c").click()
    page.evaluate("text => navigator.clipboard.writeText(text)", block)
    page.keyboard.press("Control+V")
    expect(cell(digital, "c")).to_have_value("10,000,000")
    expect(cell(digital, "e")).to_have_value("5,000,000")
    expect(cell(data, "c")).to_have_value("2,000,000")
    expect(cell(data, "e")).to_have_value("1,000,000")
    expect(cell(inclusion, "c")).to_have_value("-1,000")
    expect(cell(inclusion, "e")).to_have_value("-1,000")
    expect(page.locator("#sheet-status")).to_contain_text("붙여넣은 칸: 6")
    expect(out(digital, "commitment-after")).to_have_text("155,216,000")
    expect(out(inclusion, "commitment-after")).to_have_text("546,610,000")
    # Each pasted value is checked like a typed one: one that is not an amount is kept and marked.
    cell(row(page, METAVERSE), "c").click()
    page.evaluate("text => navigator.clipboard.writeText(text)", "12.5\t7")
    page.keyboard.press("Control+V")
    expect(cell(row(page, METAVERSE), "c")).to_have_value("12.5")
    expect(cell(row(page, METAVERSE), "c")).to_have_class(re.compile(r"\binvalid\b"))
    cell(row(page, METAVERSE), "c").click()  # already the focused cell: the click places the caret
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    cell(row(page, METAVERSE), "e").click()
    page.keyboard.press("Delete")
    # A correction needs its reason; typed into the note cell of the corrected line.
    cell(inclusion, "n").click()
    page.keyboard.type("9월 중복 지출 정정")
    page.screenshot(path=str(artifacts_dir / "sheet-02-pasted.png"))
    response = save(page)
    assert response.ok, page.locator("#sheet-problems").all_inner_texts()
    assert october(DIGITAL) == (10_000_000, 5_000_000, "")
    assert october(DATA) == (2_000_000, 1_000_000, "")
    assert october(INCLUSION) == (-1_000, -1_000, "9월 중복 지출 정정")
    assert october(METAVERSE) is None


def test_enter_on_any_element_of_the_sheet_never_leaves_the_page(staff_page, site):
    page = staff_page
    cell(row(page, DIGITAL), "c").click()
    page.keyboard.type("1000")
    page.evaluate("window.stayed = true")
    elements = page.locator("#month-sheet input:not([type=hidden]):not([disabled]), #month-sheet a, #sheet a")
    count = elements.count()
    assert count > 3 * 11, count
    for index in range(count):
        element = elements.nth(index)
        element.focus()
        element.press("Enter")
        assert page.evaluate("window.stayed === true"), f"Enter on element {index} left the page"
    assert page.url == site + OCTOBER
    assert len(page.context.pages) == 1  # no history link opened either
    expect(cell(row(page, DIGITAL), "c")).to_have_value("1,000")
    assert october(DIGITAL) is None


def test_leaving_with_unsaved_changes_asks_first(staff_page, site):
    page = staff_page
    cell(row(page, METAVERSE), "c").click()
    page.keyboard.type("1000")
    asked = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.once("dialog", stay)
    page.get_by_role("link", name="월 목록").click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert page.url == site + OCTOBER
    expect(cell(row(page, METAVERSE), "c")).to_have_value("1,000")
    page.once("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    with page.expect_navigation():
        page.get_by_role("link", name="월 목록").click()
    assert page.url == site + "/entry/2022/"
    assert asked == ["beforeunload", "beforeunload"]
    assert october(METAVERSE) is None
    # With nothing typed, nothing asks.
    page.goto(site + OCTOBER)
    with page.expect_navigation():
        page.get_by_role("link", name="월 목록").click()
    assert asked == ["beforeunload", "beforeunload"]


def sheet_total(page) -> list[str]:
    return page.locator("#sheet-total").evaluate("r => [...r.cells].map(c => c.innerText.trim())")


def test_the_total_row_follows_typing_and_matches_the_records(staff_page):
    page = staff_page
    # Before: the report's September figures (세출 계 10,202,380천원, 5,290,945천원 spent, 51.9%).
    assert sheet_total(page) == [
        "계",
        "10,202,380,000",
        "5,290,945,000",
        "5,290,945,000",
        "0",
        "0",
        "",
        "5,290,945,000",
        "5,290,945,000",
        "4,911,435,000",
        "51.9%",
    ]
    cell(row(page, DIGITAL), "c").click()
    page.keyboard.type("10000000")
    page.keyboard.press("Tab")
    page.keyboard.type("5000000")
    cell(row(page, METAVERSE), "c").click()
    page.keyboard.type("100000000")
    page.keyboard.press("Tab")
    page.keyboard.type("25000000")
    total = sheet_total(page)
    assert total[4:6] == ["110,000,000", "30,000,000"], total
    assert total[7:] == ["5,400,945,000", "5,320,945,000", "4,801,435,000", "52.2%"], total
    save(page)
    october_sums = ExecutionRecord.objects.filter(fiscal_year=2022, month=10).aggregate(
        c=Sum("commitment"), e=Sum("expenditure")
    )
    to_date = ExecutionRecord.objects.filter(fiscal_year=2022, month__lte=10).aggregate(
        c=Sum("commitment"), e=Sum("expenditure")
    )
    budget = BudgetAmount.objects.filter(fiscal_year=2022, line__account__side="expenditure").aggregate(
        t=Sum("amount")
    )["t"]
    total = sheet_total(page)
    assert total[1] == f"{budget:,}"
    assert total[4:6] == [f"{october_sums['c']:,}", f"{october_sums['e']:,}"] == ["110,000,000", "30,000,000"]
    assert total[7:9] == [f"{to_date['c']:,}", f"{to_date['e']:,}"]
    assert total[9] == f"{budget - to_date['c']:,}"


def test_a_refusal_says_nothing_was_saved_and_what_to_fix(staff_page, artifacts_dir):
    page = staff_page
    cell(row(page, DIGITAL), "c").click()
    page.keyboard.type("10000000")
    cell(row(page, METAVERSE), "c").click()
    page.keyboard.type("348167001")
    cell(row(page, DATA), "c").click()
    page.keyboard.type("12.5")
    response = save(page)
    assert response.status == 400
    problems = page.locator("#sheet-problems")
    expect(problems).to_be_visible()
    expect(problems).to_contain_text("저장하지 않았습니다.")
    expect(problems).to_contain_text("고칠 곳이 1개 있습니다.")
    expect(problems).to_contain_text(f"{DATA} · 2022년 10월 · 원인행위액: 원 단위 미만(소수)은 입력할 수 없습니다")
    # The same problem beside its cell; the typed values are all kept.
    expect(row(page, DATA).locator(".cell-error")).to_contain_text("원 단위 미만(소수)")
    expect(cell(row(page, DATA), "c")).to_have_value("12.5")
    expect(cell(row(page, METAVERSE), "c")).to_have_value("348,167,001")
    expect(cell(row(page, DIGITAL), "c")).to_have_value("10,000,000")
    assert ExecutionRecord.objects.filter(month=10).count() == 0
    # Fixed, the rules refuse the one over the budget: again at the top, and beside its row.
    cell(row(page, DATA), "c").click()
    page.keyboard.press("Delete")
    response = save(page)
    assert response.status == 400
    expect(problems).to_contain_text("저장하지 않았습니다.")
    expect(problems).to_contain_text("고칠 곳이 1개 있습니다.")
    expect(problems).to_contain_text("원인행위 가능 잔액은 348,167,000원입니다")
    expect(row(page, METAVERSE).locator(".row-error")).to_contain_text("원인행위 가능 잔액은 348,167,000원입니다")
    expect(page.locator("p.message.error")).to_have_count(0)  # one place, not two
    page.screenshot(path=str(artifacts_dir / "sheet-03-refused.png"), full_page=True)
    assert ExecutionRecord.objects.filter(month=10).count() == 0
    cell(row(page, METAVERSE), "c").click()
    page.keyboard.type("348167000")
    assert save(page).ok
    assert october(METAVERSE) == (348_167_000, 0, "")
    assert october(DIGITAL) == (10_000_000, 0, "")
    expect(page.locator("p.message.success")).to_contain_text("2개 라인")


@pytest.mark.parametrize(("language", "width"), [("ko", 1280), ("en", 1280), ("ko", 390), ("en", 390)])
def test_the_sheet_fits_a_laptop_and_reads_on_a_phone(staff_page, site, artifacts_dir, language, width):
    page = staff_page
    if language == "en":
        with page.expect_navigation():
            page.locator("button[name=language][value=en]").click()
        expect(page.locator("h1")).to_have_text("Execution entry for 10/2022")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site + OCTOBER)
    # The page never scrolls sideways; only the table's own frame may, and at 1280 px it does not.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    frame = page.locator(".sheet-scroll")
    scroll, client = frame.evaluate("f => [f.scrollWidth, f.clientWidth]")
    if width >= 1280:
        assert scroll <= client, (scroll, client)
        rate = page.locator("#sheet-total [data-out=rate]").bounding_box()
        assert rate["x"] + rate["width"] <= width
    else:
        # On a phone the line names stay in view while the figures scroll under them.
        frame.evaluate("f => f.scrollLeft = 400")
        name = row(page, METAVERSE).locator("th").bounding_box()
        assert 0 <= name["x"] < 40, name
    # Korean words are not broken inside a syllable run in the header (예산 보고 / 서).
    for link in page.locator(".site-header nav a").all():
        box = link.bounding_box()
        assert box["height"] < 40, (link.inner_text(), box)
    page.screenshot(path=str(artifacts_dir / f"sheet-{language}-{width}.png"), full_page=True)
