"""The October 2022 month sheet in a real browser, as finance staff (재무담당) use it.

One scenario, as the issue's acceptance describes it: open the sheet, type three programs' amounts with
the keyboard and watch the computed cells follow, be refused for a commitment one won over the budget,
correct it and save, have the finance lead close the month (finance staff cannot), fail to edit the closed
month, and read the saved figures in the report. A full-page screenshot of every step goes to
$ARTIFACTS_DIR (entry-01-open.png, …).
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from budget.core.models import ExecutionRecord

# DJANGO_ALLOW_ASYNC_UNSAFE is set by conftest's `browser` fixture for this package only.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OCTOBER = "/entry/2022/10/"
REPORT = "/reports/2022/?as_of=2022-10"
DIGITAL = "디지털 전환 정책·서비스 기획 연구"
ROBOT = "로봇활용 디지털 역량강화 교육"
METAVERSE = "메타버스 서울 시티즌 플랫폼 구축"


@pytest.fixture
def entry_data(report_data):
    """The 2022 report (conftest's report_data) with its history rows, as `tests/conftest.py` loads it."""
    call_command("populate_history", "--auto", verbosity=0)


@pytest.fixture
def finance_staff(entry_data, make_login_user):
    return make_login_user("finance", "재무담당", first_name="총무회계팀 담당자")


def sheet_row(page, name: str):
    """The sheet's row whose heading is the line's name (the heading also holds the 이력 link)."""
    heading = page.locator("th", has_text=re.compile(r"^\s*" + re.escape(name) + r"(\s|$)"))
    row = page.locator("#sheet tr[data-line]").filter(has=heading)
    expect(row).to_have_count(1)
    return row


def cell(row, name: str):
    return row.locator(f'[data-out="{name}"]')


def amount_input(row, prefix: str):
    """c- (this month's commitment), e- (expenditure) or n- (note) input of a sheet row."""
    return row.locator(f"input[name='{prefix}-{row.get_attribute('data-line')}']")


def rows_of(page, table_id: str) -> list[list[str]]:
    return page.locator(f"#{table_id}").evaluate(
        "t => [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.innerText.trim()))"
    )


def row_with(page, table_id: str, label: str) -> list[str]:
    matches = [row for row in rows_of(page, table_id) if label in row]
    assert len(matches) == 1, f"{table_id}: {len(matches)} rows with a cell {label!r}: {rows_of(page, table_id)}"
    return matches[0]


def october_amounts() -> dict[str, tuple[int, int]]:
    return {
        record.line.name: (record.commitment, record.expenditure)
        for record in ExecutionRecord.objects.filter(month=10).select_related("line")
    }


def test_finance_staff_enter_october_the_lead_closes_it_and_it_shows_in_the_report(
    page, browser, finance_staff, make_login_user, login, site, artifacts_dir
):
    def shot(name: str):
        page.screenshot(path=str(artifacts_dir / f"entry-{name}.png"), full_page=True)

    problems: list[str] = []  # deviations that let the scenario go on; asserted at the end

    # 1. The sheet, reached through the login form.
    page.goto(site + OCTOBER)
    assert page.url.startswith(f"{site}/login/"), page.url
    login(page, finance_staff.username)
    assert page.url == site + OCTOBER, page.url
    expect(page.locator("h1")).to_contain_text("2022년 10월 집행 입력")
    metaverse, digital, robot = (sheet_row(page, name) for name in (METAVERSE, DIGITAL, ROBOT))
    expect(cell(metaverse, "uncommitted")).to_have_text("348,167,000")
    expect(cell(metaverse, "rate")).to_have_text("13.0%")
    expect(metaverse).not_to_have_class(re.compile(r"\bover-budget\b"))
    expect(page.locator("#sheet input:not([disabled])").first).to_be_visible()
    shot("01-open")

    # 2. Typing, with Tab and Enter to move between cells; the computed cells follow the keys.
    digital_c, digital_e = amount_input(digital, "c"), amount_input(digital, "e")
    digital_c.click()
    digital_c.press_sequentially("10,000,000")
    digital_c.press("Enter")
    # Enter moves down the column instead of submitting
    expect(amount_input(sheet_row(page, "데이터 창출·분석 및 활용 확산"), "c")).to_be_focused()
    assert page.url == site + OCTOBER
    digital_e.click()
    page.keyboard.type("5,000,000")
    expect(digital_e).to_have_value("5,000,000")

    robot_c, robot_e = amount_input(robot, "c"), amount_input(robot, "e")
    robot_c.fill("7,233,000")
    robot_c.press("Tab")
    expect(robot_e).to_be_focused()
    page.keyboard.type("7,233,000")  # tabbing into a field selects its content
    expect(robot_e).to_have_value("7,233,000")

    metaverse_c, metaverse_e = amount_input(metaverse, "c"), amount_input(metaverse, "e")
    metaverse_c.fill("348,167,001")

    expect(cell(robot, "rate")).to_have_text("100.0%")
    expect(cell(robot, "uncommitted")).to_have_text("0")
    expect(cell(digital, "commitment-after")).to_have_text("155,216,000")
    expect(cell(metaverse, "uncommitted")).to_have_text("△1")
    expect(metaverse).to_have_class(re.compile(r"\bover-budget\b"))
    expect(cell(metaverse, "rate")).to_have_text("13.0%")
    shot("02-typed")

    # 3. Saving: the server refuses the whole sheet, naming the line, the month and what is left.
    with page.expect_navigation() as navigation:
        page.locator("#save").click()
    assert navigation.value is not None and navigation.value.status == 400, navigation.value
    error = page.locator("#sheet-problems").filter(has_text=f"{METAVERSE} · 2022년 10월")
    expect(error).to_have_count(1)
    expect(error).to_be_visible()
    expect(error).to_contain_text("원인행위 가능 잔액은 348,167,000원입니다")
    assert ExecutionRecord.objects.filter(month=10).count() == 0
    metaverse, digital, robot = (sheet_row(page, name) for name in (METAVERSE, DIGITAL, ROBOT))
    expect(metaverse).to_have_class(re.compile(r"\bover-budget\b"))  # still marked on the redrawn sheet
    expect(cell(metaverse, "uncommitted")).to_have_text("△1")
    shot("03-refused")

    # 4. Correcting the one line: the others are kept by the refused form (re-typed if not, and reported).
    kept = {
        (DIGITAL, "c"): "10,000,000",
        (DIGITAL, "e"): "5,000,000",
        (ROBOT, "c"): "7,233,000",
        (ROBOT, "e"): "7,233,000",
        (METAVERSE, "c"): "348,167,001",
    }
    rows = {DIGITAL: digital, ROBOT: robot, METAVERSE: metaverse}
    for (name, prefix), value in kept.items():
        field = amount_input(rows[name], prefix)
        if field.input_value() != value:
            problems.append(f"the refused sheet did not keep {name} {prefix}: {field.input_value()!r} != {value!r}")
            field.fill(value)
    metaverse_c, metaverse_e = amount_input(metaverse, "c"), amount_input(metaverse, "e")
    metaverse_c.fill("100,000,000")
    metaverse_c.press("Tab")
    expect(metaverse_e).to_be_focused()
    page.keyboard.type("25,000,000")
    expect(metaverse_e).to_have_value("25,000,000")
    expect(metaverse).not_to_have_class(re.compile(r"\bover-budget\b"))
    expect(cell(metaverse, "uncommitted")).to_have_text("248,167,000")
    expect(cell(metaverse, "rate")).to_have_text("19.2%")
    shot("04-corrected")

    with page.expect_navigation() as navigation:
        page.locator("#save").click()
    assert navigation.value is not None and navigation.value.ok, navigation.value
    assert page.url == site + OCTOBER, page.url
    expect(page.locator("p.message.success")).to_contain_text("2022년 10월 집행을 저장했습니다. 3개 라인")
    expect(page.locator("p.message.success")).to_contain_text(
        f"{METAVERSE} (원인행위액 100,000,000원, 지출액 25,000,000원)"
    )
    expect(page.locator("p.message.error, #sheet-problems")).to_have_count(0)
    saved = {
        DIGITAL: (10_000_000, 5_000_000),
        ROBOT: (7_233_000, 7_233_000),
        METAVERSE: (100_000_000, 25_000_000),
    }
    assert october_amounts() == saved
    expect(amount_input(sheet_row(page, METAVERSE), "c")).to_have_value("100,000,000")
    expect(cell(sheet_row(page, METAVERSE), "commitment-after")).to_have_text("151,833,000")
    shot("05-saved")

    # 5. Finance staff have no close button: the finance lead closes October, in a browser of their own.
    # Closing asks for confirmation first (it cannot be undone but by reopening). It locks the sheet; an edit
    # forced past the disabled inputs is refused too.
    expect(page.locator("#close-month")).to_have_count(0)
    make_login_user("lead", "재무책임", first_name="총무회계팀장")
    lead_context = browser.new_context(locale="ko-KR", viewport={"width": 1400, "height": 1000})
    lead_page = lead_context.new_page()
    lead_page.goto(site + OCTOBER)
    login(lead_page, "lead")
    dialogs = []
    lead_page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    with lead_page.expect_navigation():
        lead_page.locator("#close-month").click()
    assert "10월을 마감하면 재무책임자가 해제하기 전까지 고칠 수 없습니다" in dialogs[0]
    expect(lead_page.locator("p.message.success")).to_have_text("2022년 10월을 마감했습니다.")
    lead_context.close()
    page.reload()
    expect(page.locator("p#locked")).to_have_text("2022년 10월은 마감되었습니다.")
    inputs = page.locator("#sheet input")
    assert inputs.count() == 3 * 14, inputs.count()
    expect(page.locator("#sheet input:not([disabled])")).to_have_count(0)
    expect(page.locator("#save")).to_have_count(0)
    expect(page.locator("#close-month")).to_have_count(0)
    shot("06-closed")

    # (a) As a page would after its disabled attributes were removed by hand.
    with page.expect_navigation() as navigation:
        page.evaluate(
            """([line]) => {
                const form = document.getElementById("month-sheet");
                form.querySelectorAll("input[disabled]").forEach((i) => i.removeAttribute("disabled"));
                form.querySelector(`input[name="c-${line}"]`).value = "200,000,000";
                form.submit();
            }""",
            [sheet_row(page, METAVERSE).get_attribute("data-line")],
        )
    assert navigation.value is not None and navigation.value.status == 400, navigation.value
    expect(page.locator("#sheet-problems")).to_contain_text("저장하지 않았습니다.")
    expect(page.locator("#sheet-problems")).to_contain_text("마감되었습니다")
    expect(page.locator("p#locked")).to_have_text("2022년 10월은 마감되었습니다.")
    expect(page.locator("#sheet input:not([disabled])")).to_have_count(0)
    shot("07-edit-refused")

    # (b) As a script would, posting the form straight to the server with the session's cookies.
    metaverse_pk = sheet_row(page, METAVERSE).get_attribute("data-line")
    data = page.locator("#month-sheet").evaluate(
        "f => Object.fromEntries([...f.elements].filter(e => e.name).map(e => [e.name, e.value]))"
    )
    data[f"c-{metaverse_pk}"] = "1"
    data[f"e-{metaverse_pk}"] = "1"
    response = page.request.post(site + OCTOBER, form=data, headers={"Referer": site + OCTOBER}, max_redirects=0)
    assert response.status == 400, (response.status, response.url)
    assert "마감되었습니다" in response.text()
    assert october_amounts() == saved

    # 6. The report as of October: the saved figures (thousands of won) and October counted as closed.
    response = page.goto(site + REPORT)
    assert response is not None and response.status == 200
    expect(page.locator("#execution")).to_be_visible()
    assert row_with(page, "execution", METAVERSE)[-4:] == ["151,833", "76,833", "38.0%", "19.2%"]
    robot_row = row_with(page, "execution", ROBOT)
    assert robot_row[-5:] == ["227,280", "227,280", "227,280", "100.0%", "100.0%"], robot_row
    closed_note = page.locator("#closed-through")
    expect(closed_note).to_contain_text("2022년 10월까지 확정(마감)된 집행 실적")
    expect(closed_note).not_to_contain_text("입력 중")
    shot("08-report")

    assert not problems, problems
