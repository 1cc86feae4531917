"""The Excel import of November 2022 in a real browser, as finance staff (재무담당) use it.

One scenario, as the issue's acceptance describes it: download the November template, fill it with
openpyxl, upload it, read the preview, confirm, and see the report change; upload the same file again
and see that nothing changes; upload a file with one bad row and see it refused, naming that row,
with nothing saved. A full-page screenshot of every step goes to $ARTIFACTS_DIR (import-01-page.png, …).
"""

from __future__ import annotations

import openpyxl
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from budget.core.models import ExecutionRecord, MonthStatus

# DJANGO_ALLOW_ASYNC_UNSAFE is set by conftest's `browser` fixture for this package only.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT = "/reports/2022/?as_of=2022-11"
DIGITAL = "디지털 전환 정책·서비스 기획 연구"
ROBOT = "로봇활용 디지털 역량강화 교육"
METAVERSE = "메타버스 서울 시티즌 플랫폼 구축"
# Rows of the template: row 3 is the first line (1-1); the lines come in the report's order.
ROWS = {"1-1": 3, "2-2": 6, "2-3": 7, "4-1": 11}


@pytest.fixture
def finance_staff(report_data, make_login_user):
    call_command("populate_history", "--auto", verbosity=0)
    return make_login_user("finance", "재무담당", first_name="총무회계팀 담당자")


def rows_of(page, table_id: str) -> list[list[str]]:
    return page.locator(f"#{table_id}").evaluate(
        "t => [...t.tBodies].flatMap(b => [...b.rows]).map(r => [...r.cells].map(c => c.innerText.trim()))"
    )


def row_with(page, table_id: str, label: str) -> list[str]:
    matches = [row for row in rows_of(page, table_id) if label in row]
    assert len(matches) == 1, f"{table_id}: {len(matches)} rows with {label!r}"
    return matches[0]


def november() -> dict[str, tuple[int, int, str]]:
    return {
        r.line.code: (r.commitment, r.expenditure, r.note)
        for r in ExecutionRecord.objects.filter(month=11).select_related("line")
    }


def saved_state():
    """Everything an import may write: the month's records, their history, the month's version."""
    status = MonthStatus.objects.filter(fiscal_year_id=2022, month=11).first()
    return november(), ExecutionRecord.history.filter(month=11).count(), status.version if status else 0


def upload(page, site, path):
    page.goto(site + "/entry/import/")
    page.locator("#upload-year").select_option("2022")
    page.locator("#upload-month").select_option("11")
    page.locator("#upload-file").set_input_files(str(path))
    with page.expect_navigation():
        page.locator("#upload").click()


def test_finance_staff_import_november_from_the_template(page, finance_staff, login, site, artifacts_dir, tmp_path):
    def shot(name: str):
        page.screenshot(path=str(artifacts_dir / f"import-{name}.png"), full_page=True)

    # The report before: 4-1 as of September's cumulative figure.
    page.goto(site + "/entry/import/")
    login(page, finance_staff.username)
    assert page.url == site + "/entry/import/", page.url
    page.goto(site + REPORT)
    assert row_with(page, "execution", METAVERSE)[-4:] == ["51,833", "51,833", "13.0%", "13.0%"]

    # 1. The import page, reached from the header; the November template downloaded.
    page.locator("header nav a", has_text="엑셀 가져오기").click()
    expect(page.locator("h1")).to_have_text("엑셀 가져오기")
    page.locator("#template-year").select_option("2022")
    page.locator("#template-month").select_option("11")
    shot("01-page")
    with page.expect_download() as download_info:
        page.locator("#download-template").click()
    download = download_info.value
    assert download.suggested_filename == "execution-2022-11.xlsx"
    template = tmp_path / "execution-2022-11.xlsx"
    download.save_as(template)

    # 2. Filled as a person would, in the template's own cells.
    wb = openpyxl.load_workbook(template)
    ws = wb["집행실적"]
    assert [c.value for c in ws[2]] == ["코드", "사업명", "원인행위액", "지출액", "비고"]
    assert {code: ws.cell(row, 1).value for code, row in ROWS.items()} == {code: code for code in ROWS}
    ws.cell(ROWS["1-1"], 3).value, ws.cell(ROWS["1-1"], 4).value = 10_000_000, 5_000_000
    ws.cell(ROWS["1-1"], 5).value = "11월 용역 계약"
    ws.cell(ROWS["2-2"], 3).value = ws.cell(ROWS["2-2"], 4).value = 7_233_000
    ws.cell(ROWS["4-1"], 3).value, ws.cell(ROWS["4-1"], 4).value = 100_000_000, 25_000_000
    filled = tmp_path / "november.xlsx"
    wb.save(filled)

    # 3. Uploaded: the preview says what will change, line by line; nothing is saved yet.
    upload(page, site, filled)
    expect(page.locator("h1")).to_have_text("2022년 11월 집행 실적 가져오기 미리 보기")
    expect(page.locator("#summary")).to_have_text(
        "3개 라인이 바뀝니다. 11개 라인은 변경 없음."
    )
    assert row_with(page, "changes", "4-1") == [
        "11",
        "4-1",
        METAVERSE,
        "0 → 100,000,000",
        "0 → 25,000,000",
        "",
        "변경",
    ]
    assert row_with(page, "changes", "1-1")[3:] == ["0 → 10,000,000", "0 → 5,000,000", "→ 11월 용역 계약", "변경"]
    assert row_with(page, "changes", "3-1")[-1] == "변경 없음"
    assert november() == {}
    shot("02-preview")

    # 4. Confirmed: saved through the month's rules, and the month sheet shows it.
    with page.expect_navigation():
        page.locator("#confirm").click()
    assert page.url == site + "/entry/2022/11/", page.url
    expect(page.locator("p.message.success")).to_have_text(
        "2022년 11월 집행을 november.xlsx에서 가져왔습니다: 3개 라인 변경."
    )
    assert november() == {
        "1-1": (10_000_000, 5_000_000, "11월 용역 계약"),
        "2-2": (7_233_000, 7_233_000, ""),
        "4-1": (100_000_000, 25_000_000, ""),
    }
    shot("03-confirmed")

    # 5. The report as of November changed accordingly (thousands of won).
    page.goto(site + REPORT)
    assert row_with(page, "execution", METAVERSE)[-4:] == ["151,833", "76,833", "38.0%", "19.2%"]
    assert row_with(page, "execution", ROBOT)[-5:] == ["227,280", "227,280", "227,280", "100.0%", "100.0%"]
    shot("04-report")
    after_first = saved_state()

    # 6. The same file again: the preview says nothing changes, and confirming changes nothing.
    upload(page, site, filled)
    expect(page.locator("#summary")).to_contain_text("변경 없음: 파일의 값이 지금 저장된 값과 모두 같습니다.")
    assert {row[-1] for row in rows_of(page, "changes")} == {"변경 없음"}
    shot("05-same-file-preview")
    with page.expect_navigation():
        page.locator("#confirm").click()
    expect(page.locator("p.message.info")).to_contain_text("바뀐 것이 없습니다")
    assert saved_state() == after_first
    page.goto(site + REPORT)
    assert row_with(page, "execution", METAVERSE)[-4:] == ["151,833", "76,833", "38.0%", "19.2%"]
    shot("06-same-file-unchanged")

    # 7. One bad row (a fraction in 2-3's commitment, row 7) among good changes: refused, nothing saved.
    wb = openpyxl.load_workbook(filled)
    ws = wb["집행실적"]
    ws.cell(ROWS["4-1"], 3).value = 120_000_000
    ws.cell(ROWS["2-3"], 3).value = "1,000.5"
    bad = tmp_path / "november-bad.xlsx"
    wb.save(bad)
    upload(page, site, bad)
    expect(page.locator("#refused")).to_contain_text(
        "가져올 수 없습니다: 1건을 고쳐 다시 올리세요. 아무것도 저장하지 않았습니다."
    )
    problems = rows_of(page, "problems")
    assert problems == [
        ["7", "C (원인행위액)", "7행 C열(원인행위액): 원 단위 미만(소수)은 입력할 수 없습니다: '1,000.5'"]
    ], problems
    expect(page.locator("#confirm")).to_have_count(0)
    assert saved_state() == after_first
    shot("07-bad-row-refused")
