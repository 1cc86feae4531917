"""The report pages in a real browser, as the demo manager (관리자) sees them.

Logs in through the login form, reads the tables' visible text, switches language with the header's
buttons, and leaves screenshots and a PDF of the 2022-09 report in $ARTIFACTS_DIR.
"""

from __future__ import annotations

import re
import subprocess

import pytest
from playwright.sync_api import expect

# DJANGO_ALLOW_ASYNC_UNSAFE is set by conftest's `browser` fixture for this package only.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT = "/reports/2022/?as_of=2022-09"
TABLES = ["revenue-summary", "expenditure-summary", "budget-by-program", "execution", "staffing", "revenue-execution"]


@pytest.fixture
def manager(report_data, make_login_user):
    return make_login_user("manager", "관리자", first_name="혁신사업본부장")


@pytest.fixture
def manager_page(page, manager, login, site):
    login(page, manager.username)
    return page


def rows_of(page, table_id: str) -> list[list[str]]:
    """The visible text of each body row's cells, as the browser renders them."""
    return page.locator(f"#{table_id}").evaluate(
        "t => [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.innerText.trim()))"
    )


def row_with(page, table_id: str, label: str) -> list[str]:
    matches = [row for row in rows_of(page, table_id) if label in row]
    assert len(matches) == 1, f"{table_id}: {len(matches)} rows with a cell {label!r}: {rows_of(page, table_id)}"
    return matches[0]


def test_anonymous_visit_lands_on_login_without_figures(page, report_data, site):
    response = page.goto(site + REPORT)
    assert response is not None and response.ok
    assert page.url.startswith(f"{site}/login/"), page.url
    assert "next=" in page.url
    expect(page.locator("input[name=username]")).to_be_visible()
    expect(page.locator("input[name=password]")).to_be_visible()
    content = page.content()
    for figure in ("10,202,380", "12,032,786", "5,290,945", "238,215"):
        assert figure not in content
    assert page.locator("table").count() == 0


def test_report_tables_show_the_reports_figures(page, manager, login, site, artifacts_dir):
    # Redirected to the login form by the protected page, then sent back to it.
    page.goto(site + REPORT)
    assert page.url.startswith(f"{site}/login/")
    login(page, manager.username)
    assert page.url == site + REPORT, page.url

    response = page.goto(site + REPORT)
    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    for table_id in TABLES:
        expect(page.locator(f"#{table_id}")).to_be_visible()

    # 세입 요약
    revenue = page.locator("#revenue-summary")
    for text in ("보증금회수수입", "238,215", "순증", "10,202,380", "12,032,786", "△1,830,406", "△15.2%"):
        expect(revenue).to_contain_text(text)
    deposit = row_with(page, "revenue-summary", "보증금회수수입")
    assert "238,215" in deposit and "순증" in deposit, deposit
    assert "0.0%" not in deposit, deposit
    total = row_with(page, "revenue-summary", "계")
    assert total[-4:] == ["10,202,380", "12,032,786", "△1,830,406", "△15.2%"], total

    # 세출 요약
    expenditure = page.locator("#expenditure-summary")
    for text in ("10,202,380", "12,032,786", "△1,830,406", "△15.2%"):
        expect(expenditure).to_contain_text(text)
    assert row_with(page, "expenditure-summary", "계")[-4:] == ["10,202,380", "12,032,786", "△1,830,406", "△15.2%"]

    # 사업별 예산
    by_program = page.locator("#budget-by-program")
    for text in ("메타버스 서울 시티즌 플랫폼 구축", "400,000", "10,202,380"):
        expect(by_program).to_contain_text(text)

    # 집행현황
    execution = page.locator("#execution")
    for text in ("51,833", "13.0%", "96.8%", "5,290,945", "51.9%"):
        expect(execution).to_contain_text(text)
    metaverse = row_with(page, "execution", "메타버스 서울 시티즌 플랫폼 구축")
    assert metaverse[-5:] == ["400,000", "51,833", "51,833", "13.0%", "13.0%"], metaverse
    robot = row_with(page, "execution", "로봇활용 디지털 역량강화 교육")
    assert robot[-2:] == ["96.8%", "96.8%"], robot
    exec_total = row_with(page, "execution", "계")
    assert exec_total[-5:] == ["10,202,380", "5,290,945", "5,290,945", "51.9%", "51.9%"], exec_total

    # 인력: 과부족 cell by cell (계, 이사장, 1급 … 7급)
    gap = row_with(page, "staffing", "과부족")
    assert gap[-9:] == ["△1", "-", "△1", "△1", "+1", "△2", "+3", "-", "△1"], gap
    assert row_with(page, "staffing", "정 원")[-9:] == ["45", "1", "1", "1", "3", "8", "16", "13", "2"]
    assert row_with(page, "staffing", "현 원")[-9:] == ["44", "1", "-", "-", "4", "6", "19", "13", "1"]

    # Two-level headers: a group over its columns, the ungrouped columns spanning both rows.
    change_group = page.locator("#revenue-summary thead th[colspan='2']", has_text=re.compile(r"^\s*증 감\s*$"))
    expect(change_group).to_have_count(1)
    expect(change_group).to_be_visible()
    assert page.locator("#revenue-summary thead tr").count() == 2
    expect(page.locator("#revenue-summary thead th[rowspan='2']").first).to_be_visible()
    expect(page.locator("#execution thead th[colspan='2']")).to_have_count(2)

    # Artifacts: the page as shown, as printed, and as a PDF.
    page.screenshot(path=str(artifacts_dir / "report-2022-09.png"), full_page=True)
    page.emulate_media(media="print")
    expect(page.locator("header.site-header")).to_be_hidden()
    page.screenshot(path=str(artifacts_dir / "report-2022-09-print.png"), full_page=True)
    pdf_path = artifacts_dir / "report-2022-09.pdf"
    pdf = page.pdf(path=str(pdf_path), format="A4", landscape=True, print_background=True)
    page.emulate_media(media="screen")
    assert pdf.startswith(b"%PDF-")
    assert pdf_path.stat().st_size > 10_000


def test_language_switch_to_english_and_back(manager_page, site, artifacts_dir):
    """The header's language form switches to English and back; each button names its language in itself.

    The switch is driven by the buttons' values so that a wrong label is reported on its own, at the end.
    """
    page = manager_page
    page.goto(site + REPORT)
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    language_form = page.locator("form[action$='/i18n/setlang/']")
    english_label_in_korean = language_form.locator("button[name=language][value=en]").inner_text().strip()

    with page.expect_navigation():
        language_form.locator("button[name=language][value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == site + REPORT, page.url
    expect(page.locator("#revenue-summary")).to_contain_text("10,202,380")
    page.screenshot(path=str(artifacts_dir / "report-2022-09-en.png"), full_page=False)
    korean_label_in_english = language_form.locator("button[name=language][value=ko]").inner_text().strip()

    with page.expect_navigation():
        language_form.locator("button[name=language][value=ko]").click()
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.locator("form[action$='/i18n/setlang/'] button[value=ko]")).to_have_attribute("aria-current", "true")

    # A reader who cannot read the current language must still find their own: "English", "한국어".
    assert (english_label_in_korean, korean_label_in_english) == ("English", "한국어")
    expect(language_form.get_by_role("button", name="English", exact=True)).to_be_visible()


def test_program_and_org_pages(manager_page, site, artifacts_dir):
    page = manager_page

    page.goto(f"{site}/programs/4-1/")
    budget = page.locator(".budget-millions strong")
    expect(budget).to_be_visible()
    expect(budget).to_have_text("400백만원")
    figures = page.locator("#program-figures")
    expect(figures).to_be_visible()
    expect(figures).to_contain_text("51,833")
    expect(figures).to_contain_text("13.0%")
    page.screenshot(path=str(artifacts_dir / "program-4-1.png"), full_page=True)

    page.goto(f"{site}/programs/3-3/")
    expect(page.locator(".budget-millions strong")).to_have_text("822백만원")

    page.goto(f"{site}/org/")
    expect(page.get_by_text("혁신사업본부", exact=True).first).to_be_visible()
    expect(page.locator(".org-tree .inferred", has_text="추정").first).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "org.png"), full_page=True)


def pdf_pages(path) -> list[str]:
    """Each page's text as pdftotext lays it out (poppler-utils, installed by bin/install-system-deps)."""
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    count = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    return [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, count + 1)
    ]


def test_the_printed_report_is_laid_out_like_the_council_report(manager_page, site, artifacts_dir):
    """A4 landscape: the two 총괄 together, then 사업별 예산, 사업별 전년 대비 (2022: why there is none), 집행현황
    with 인력, and 세입 집행현황 on a page of its own. No row is cut between pages (every row's cells are on one
    line of one page), and program names print as text."""
    page = manager_page
    page.goto(site + REPORT)
    page.emulate_media(media="print")
    link = page.locator("#execution a").first
    assert link.evaluate("a => getComputedStyle(a).textDecorationLine") == "none"
    assert link.evaluate("a => getComputedStyle(a).color") == page.locator("#execution td").first.evaluate(
        "td => getComputedStyle(td).color"
    )
    expect(page.locator("#line-filter")).to_be_hidden()
    rows = {
        table: [
            "".join(cell.split())
            for cell in page.locator(f"#{table}").evaluate(
                "t => [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.innerText).join(' '))"
            )
        ]
        for table in TABLES
    }
    path = artifacts_dir / "report-2022-09-print.pdf"
    page.pdf(path=str(path), format="A4", landscape=True, print_background=True)
    page.emulate_media(media="screen")
    pages = pdf_pages(path)
    # A picture of each printed page beside the PDF, to look at.
    pictures = artifacts_dir / "report-2022-09-print-page"
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(pictures)], check=True)
    assert len(pages) == 5, [p[:80] for p in pages]
    titles = [
        ["세입 총괄", "세출 총괄"],
        ["2022년 예산"],
        ["사업별 전년 대비"],
        ["세출예산 집행현황", "인력 : 49명"],
        ["세입 집행현황"],
    ]
    for text, expected in zip(pages, titles, strict=True):
        for title in expected:
            assert title.replace(" ", "") in text.replace(" ", ""), (title, text[:200])
    lines = [["".join(line.split()) for line in text.splitlines()] for text in pages]
    where = {
        "revenue-summary": 0,
        "expenditure-summary": 0,
        "budget-by-program": 1,
        "execution": 3,
        "staffing": 3,
        "revenue-execution": 4,
    }
    for table, table_rows in rows.items():
        for row in table_rows:
            # The whole row on one line of the table's page: not cut, not spread over two pages.
            assert row in lines[where[table]], (table, row)
