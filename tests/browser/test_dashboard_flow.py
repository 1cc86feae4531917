"""The execution dashboard in a real browser, as the demo manager (혁신사업본부장) uses it.

Opens 2022 as of 2022-09, finds the report's figures, checks that every chart is drawn (the chart
instance holds the numbers, and the canvas has painted pixels), drills down area → program → line →
records, writes a 사유, and leaves screenshots in $ARTIFACTS_DIR.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DASHBOARD = "/dashboard/?year=2022&as_of=2022-09"

# For each canvas on the page: whether Chart.js drew a chart on it, how many numbers its datasets hold,
# and how many of its pixels are painted (not transparent).
CANVASES = """() => [...document.querySelectorAll('canvas[data-chart]')].map(canvas => {
  const chart = window.Chart && window.Chart.getChart(canvas);
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++;
  const values = chart ? chart.data.datasets.flatMap(d => d.data).filter(v => v !== null && v !== undefined) : [];
  return {id: canvas.id, drawn: Boolean(chart), values: values.length, painted};
})"""


@pytest.fixture
def manager(report_data, make_login_user):
    from foundation.models import OrgUnit, StaffProfile

    user = make_login_user("manager", "관리자", first_name="혁신사업본부장")
    StaffProfile.objects.create(user=user, unit=OrgUnit.objects.get(name="혁신사업본부"))
    return user


@pytest.fixture
def manager_page(page, manager, login):
    # Script errors and refused resources (a Content-Security-Policy refusal is one); the browser's own
    # request for /favicon.ico, which the app does not serve, is not the dashboard's.
    errors = []

    def console(message):
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            errors.append(f"{message.text} ({message.location.get('url')})")

    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    login(page, manager.username)
    page.errors = errors
    return page


def row_cells(page, table_id: str, label: str) -> list[str]:
    rows = page.locator(f"#{table_id}").evaluate(
        "t => [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.innerText.trim()))"
    )
    matches = [r for r in rows if r[0].startswith(label)]
    assert len(matches) == 1, (label, rows)
    return matches[0]


def assert_charts_drawn(page, expected: int):
    page.wait_for_function("() => window.Chart && document.querySelectorAll('canvas[data-chart]').length > 0")
    canvases = page.evaluate(CANVASES)
    assert len(canvases) == expected, canvases
    for canvas in canvases:
        assert canvas["drawn"], canvas
        assert canvas["values"] > 0, canvas
        assert canvas["painted"] > 500, canvas
    return {c["id"]: c for c in canvases}


def test_manager_reads_the_dashboard_and_drills_down_to_the_records(manager_page, site, artifacts_dir):
    page = manager_page
    page.goto(site + "/dashboard/")
    assert page.url == site + DASHBOARD  # every choice is in the address
    expect(page.locator("html")).to_have_attribute("lang", "ko")

    # The report's figures.
    expect(page.locator('[data-kpi="expenditure_rate"]')).to_have_text("51.9%")
    expect(page.locator('[data-kpi="current"]')).to_have_text("10,202,380")
    metaverse = row_cells(page, "areas", "메타버스 서울 시티즌 플랫폼 구축")
    assert metaverse[-3:-1] == ["13.0%", "13.0%"], metaverse
    robot = row_cells(page, "areas", "로봇활용 디지털 역량강화 교육")
    assert robot[-3:-1] == ["96.8%", "96.8%"], robot
    assert row_cells(page, "behind", "메타버스 서울 시티즌 플랫폼 구축")[3:6] == ["75.0%", "13.0%", "62.0%p"]

    # Every chart drawn: the whole curve, natures, programs, teams, nine program curves, the two
    # summaries and the forecast (신속집행 is not drawn: its months are not known in 2022).
    canvases = assert_charts_drawn(page, 16)
    assert "chart-early" not in canvases
    # The curve holds the report's one cumulative point (September), nothing invented before it.
    spent = page.evaluate(
        "() => Chart.getChart(document.getElementById('chart-curve')).data.datasets"
        ".find(d => d.label === '지출 누계').data"
    )
    assert spent == [None] * 8 + [5_290_945] + [None] * 3
    rates = page.evaluate("() => Chart.getChart(document.getElementById('chart-programs')).data")
    assert rates["labels"][-1] == "메타버스 서울 시티즌 플랫폼 구축"
    assert rates["datasets"][1]["data"][-1] == 13.0
    assert page.errors == [], page.errors
    page.screenshot(path=str(artifacts_dir / "dashboard-2022-09.png"), full_page=True)

    # Area → program → line → records.
    page.locator("#areas a", has_text="메타버스 서울 생태계 조성").click()
    expect(page.locator("h1")).to_contain_text("메타버스 서울 생태계 조성")
    expect(page.locator('#area-headline [data-kpi="expenditure_rate"]')).to_have_text("13.0%")
    assert_charts_drawn(page, 3)
    page.screenshot(path=str(artifacts_dir / "dashboard-area-4.png"), full_page=True)

    page.locator("#area-lines a", has_text="메타버스 서울 시티즌 플랫폼 구축").click()
    expect(page.locator("h1")).to_contain_text("4-1. 메타버스 서울 시티즌 플랫폼 구축")
    figures = page.locator("#line-figures tbody tr").first.locator("td").all_inner_texts()
    assert figures == ["400,000", "51,833", "51,833", "13.0%", "13.0%", "348,167", "348,167"]
    assert_charts_drawn(page, 1)
    expect(page.locator("#curve-note")).to_contain_text("9월에 한 점으로")

    # The owner's head writes why it is behind. September went out in the report, so the 사유 is written for
    # October, the first open month, as the form says; the October view shows it, September's stays as it was.
    page.locator("details.explain summary").click()
    expect(page.locator("details.explain")).to_contain_text("9월은 마감되어 사유는 10월 기준으로 적습니다.")
    page.locator("details.explain textarea").fill("플랫폼 구축 계약이 8월에 체결되어 대금은 10월 이후 지급")
    with page.expect_navigation():
        page.locator("details.explain button[type=submit]").click()
    expect(page.locator("p.message.success")).to_contain_text("10월 사유를 저장했습니다. 10월 기준 화면부터 보입니다.")
    expect(page.locator("#explanations")).to_contain_text("작성된 사유가 없습니다.")
    page.goto(site + "/dashboard/programs/4-1/?year=2022&as_of=2022-10")
    expect(page.locator("#explanations")).to_contain_text("플랫폼 구축 계약이 8월에 체결되어")
    expect(page.locator("#explanations")).to_contain_text("혁신사업본부장")
    page.screenshot(path=str(artifacts_dir / "dashboard-program-4-1.png"), full_page=True)
    page.goto(site + "/dashboard/programs/4-1/?year=2022&as_of=2022-09")

    page.locator("#line-link").click()
    expect(page.locator("#months")).to_contain_text("1~9월 누계")
    september = row_cells(page, "months", "1~9월 누계")
    assert september[2:7] == ["51,833", "51,833", "51,833", "51,833", "13.0%"], september
    assert_charts_drawn(page, 1)
    page.screenshot(path=str(artifacts_dir / "dashboard-line-4-1.png"), full_page=True)

    page.locator("#records-link").click()
    record = row_cells(page, "records", "1~9월 누계")
    assert record[1:4] == ["누계 기록", "51,833,000", "51,833,000"], record
    assert record[4:6] == ["51,833", "51,833"], record  # the chart's 천원 beside the stored 원
    assert "월별 내역 없음" in record[6]
    assert_charts_drawn(page, 1)
    page.screenshot(path=str(artifacts_dir / "dashboard-records-4-1.png"), full_page=True)

    page.goto(site + "/dashboard/?year=2022&as_of=2022-10")
    reason = row_cells(page, "behind", "메타버스 서울 시티즌 플랫폼 구축")[-1]
    assert "플랫폼 구축 계약이 8월에 체결되어" in reason
    assert page.errors == [], page.errors


def test_the_dashboard_prints_with_its_tables(manager_page, site, artifacts_dir):
    page = manager_page
    page.goto(site + DASHBOARD)
    assert_charts_drawn(page, 16)
    page.emulate_media(media="print")
    expect(page.locator("#dashboard-filter")).to_be_hidden()
    expect(page.locator("#areas")).to_be_visible()
    pdf = page.pdf(
        path=str(artifacts_dir / "dashboard-2022-09.pdf"), format="A4", landscape=True, print_background=True
    )
    assert pdf.startswith(b"%PDF-")
