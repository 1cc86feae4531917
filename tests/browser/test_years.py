"""Years side by side in a real browser: from the 2022 dashboard down to a program's page and its years, to
its line's chain through 2022 and 2023, and the 2023 dashboard's curve against 2022.

2023 is opened from the report's 2022 in the test (tests/years_data.py): every line continues at its 2022
예산현액 and, but for 예비비, pays 5% of it in each of January–March. Program 4-1: 400,000,000 in both years; 51,833,000
paid by September 2022 (13.0%), 60,000,000 by March 2023 (15.0%).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_dashboard_flow import CANVASES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_years(report_data):
    from tests.years_data import continue_2022_into_2023

    return continue_2022_into_2023()


def rows(page, table_id: str) -> list[list[str]]:
    return page.locator(f"#{table_id}").evaluate(
        "t => [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.innerText.trim()))"
    )


def test_from_the_dashboard_to_a_programs_years_and_its_lines_chain(
    page, site, two_years, make_login_user, login, artifacts_dir
):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    make_login_user("manager", "관리자")
    login(page, "manager")
    page.goto(f"{site}/dashboard/?year=2022&as_of=2022-09")
    # 2021 is held by its final budget only: no curve of zeros for it, and the page says so.
    expect(page.locator("#years-none")).to_contain_text("비교할 곡선이 없습니다")

    # Down the policy area to the program, then to the program's page.
    page.locator("#areas a", has_text="메타버스 서울 생태계 조성").click()
    page.locator("#area-lines a", has_text="메타버스 서울 시티즌 플랫폼 구축").click()
    page.get_by_role("link", name="사업 페이지").click()
    expect(page.locator("#program-years")).to_be_visible()
    assert rows(page, "program-years") == [
        ["2022 9월 기준", "4-1 메타버스 서울 시티즌 플랫폼 구축", "400,000", "51,833", "51,833", "13.0%", "13.0%"]
    ]

    # The year's line, and the line through the years.
    page.locator("#program-years").get_by_role("link").click()
    expect(page.locator("#line-years")).to_be_visible()
    assert rows(page, "line-years") == [
        ["2022", "4-1 메타버스 서울 시티즌 플랫폼 구축", "400,000", "51,833", "51,833", "13.0%"],
        ["2023", "4-1 메타버스 서울 시티즌 플랫폼 구축", "400,000", "60,000", "60,000", "15.0%"],
    ]
    page.screenshot(path=str(artifacts_dir / "years-line-chain.png"), full_page=True)
    page.locator("#line-years").get_by_role("link", name="4-1 메타버스 서울 시티즌 플랫폼 구축").click()
    expect(page).to_have_url(f"{site}/budget/lines/{two_years['4-1']}/")
    expect(page.locator("#line-years tr[aria-current=page] th")).to_have_text("2023")

    # The 2023 dashboard, chosen as a person does, draws this year against 2022 at the same months.
    page.goto(f"{site}/dashboard/?year=2022&as_of=2022-09")
    with page.expect_navigation():
        page.locator("select[name=year]").select_option("2023")
    # The month picked for 2022 is not carried over: 2023 opens at its default month, the last with execution.
    expect(page).to_have_url(f"{site}/dashboard/?year=2023&as_of=2023-03")
    expect(page.locator("select[name=as_of]")).to_have_value("2023-03")
    expect(page.locator(".error")).to_have_count(0)
    years = rows(page, "years-curve")
    assert [row[0] for row in years] == ["2023", "2022"]
    # 2023: 10,202,380,000 budgeted, of which 948,793,000 예비비 pays nothing: 462,679,350 a month is paid,
    # 4.53…%, 9.07…%, 13.60…% of it by January, February, March.
    assert years[0][1:4] == ["4.5%", "9.1%", "13.6%"]
    # 2022 is known only as of September (the report's cumulative figure) and has nothing closed after it.
    assert years[1][1:9] == ["-"] * 8 and years[1][10:] == ["-"] * 3
    assert years[1][9] == "51.9%"  # 5,290,945,000 of 10,202,380,000
    chart = next(c for c in page.evaluate(CANVASES) if c["id"] == "chart-years")
    assert chart["drawn"] and chart["values"] == 3 + 1 and chart["painted"] > 1000
    page.locator("#years").screenshot(path=str(artifacts_dir / "years-curve.png"))

    # The 2023 report, from the header, compares each line with the 2022 line it continues.
    page.get_by_role("link", name="예산 보고서").click()
    page.locator("select[name=as_of]").select_option("2023-03")
    expect(page.locator("#budget-by-program-compared")).to_be_visible()
    compared = {row[1]: row for row in rows(page, "budget-by-program-compared")}
    assert compared["메타버스 서울 시티즌 플랫폼 구축"] == [
        "", "메타버스 서울 시티즌 플랫폼 구축", "400,000", "400,000", "0", "0.0%", ""
    ]  # fmt: skip
    assert compared[""][2:6] == ["10,202,380", "10,202,380", "0", "0.0%"]  # 합계
    page.locator("#budget-by-program-compared").screenshot(path=str(artifacts_dir / "years-report-compared.png"))
    assert errors == []
