"""A year of 10,000 lines in a real browser: the month sheet, the report and the changes list list a page of
the selected lines at a time with totals for the whole selection, and one cell is saved by posting that
cell alone (a 10,000-line sheet posted whole would be 30,000 fields, refused by Django's field limit).

The year is built with the project's own generate_synthetic_history (bulk inserts; COPY on PostgreSQL):
one year, 10,000 expenditure lines, twelve months of records, October open.
"""

from __future__ import annotations

import io
import time
from urllib.parse import parse_qs

import pytest
from django.core.management import call_command
from django.db.models import Sum
from playwright.sync_api import expect

from budget.core.models import BudgetAmount, BudgetLine, ExecutionRecord
from foundation.models import OrgUnit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2101
LINES = 10_000
OCTOBER = f"/entry/{YEAR}/10/"


@pytest.fixture
def big_year(transactional_db):
    started = time.monotonic()
    call_command(
        "generate_synthetic_history",
        first_year=YEAR,
        years=1,
        lines=LINES,
        plan_share=0.0,
        stdout=io.StringIO(),
    )
    assert BudgetLine.objects.for_year(YEAR).expenditure().count() == LINES
    return time.monotonic() - started


@pytest.fixture
def staff(big_year, make_login_user, login, page, site):
    make_login_user("finance", "재무담당")
    page.goto(site + OCTOBER)
    login(page, "finance")
    return page


def total_row(page) -> list[str]:
    return page.locator("#sheet-total").evaluate("r => [...r.cells].map(c => c.innerText.trim())")


def sums(lines) -> tuple[int, int, int, int, int]:
    """예산현액 at October's end, October's own records and the records through October, for `lines`."""
    budget = BudgetAmount.objects.filter(fiscal_year=YEAR, line__in=lines).aggregate(t=Sum("amount"))["t"]
    month = ExecutionRecord.objects.filter(fiscal_year=YEAR, line__in=lines, month=10).aggregate(
        c=Sum("commitment"), e=Sum("expenditure")
    )
    through = ExecutionRecord.objects.filter(fiscal_year=YEAR, line__in=lines, month__lte=10).aggregate(
        c=Sum("commitment"), e=Sum("expenditure")
    )
    return budget, month["c"], month["e"], through["c"], through["e"]


def assert_total_is(page, lines):
    budget, month_c, month_e, through_c, through_e = sums(lines)
    total = total_row(page)
    assert total[1] == f"{budget:,}", total
    assert total[4:6] == [f"{month_c:,}", f"{month_e:,}"], total
    assert total[7:10] == [f"{through_c:,}", f"{through_e:,}", f"{budget - through_c:,}"], total


def test_one_cell_saved_on_a_year_of_ten_thousand_lines(staff, site, artifacts_dir):
    page = staff
    expect(page.locator("#selection-note")).to_contain_text("라인 10,000개 중 1–100번째")
    assert page.locator("#sheet tr[data-line]").count() == 100
    # The 계 row is the whole year's, not the page's.
    year_lines = BudgetLine.objects.for_year(YEAR).expenditure()
    assert_total_is(page, year_lines)
    expect(page.locator("nav.pager .page-of")).to_have_text("1 / 100쪽")

    # The first row on the page that spent at least 1,000 in October: pay 1,000 less, typed by hand.
    line_id, before = page.locator("#sheet").evaluate(
        """t => {
            for (const row of t.querySelectorAll("tr[data-line]")) {
                const cell = row.querySelector("input[name^='e-']");
                const value = Number(cell.value.replace(/,/g, ""));
                if (!cell.disabled && value >= 1000) return [Number(row.dataset.line), value];
            }
        }"""
    )
    record = ExecutionRecord.objects.get(line_id=line_id, month=10)
    assert record.expenditure == before
    untouched = ExecutionRecord.objects.filter(fiscal_year=YEAR).exclude(pk=record.pk).aggregate(
        c=Sum("commitment"), e=Sum("expenditure")
    )
    cell = page.locator(f"input[name='e-{line_id}']")
    cell.click()
    page.keyboard.type(str(before - 1000))
    expect(cell).to_have_value(f"{before - 1000:,}")
    with page.expect_request(lambda r: r.method == "POST") as posted:
        started = time.monotonic()
        with page.expect_navigation() as navigation:
            page.locator("#save").click()
    saved_in = time.monotonic() - started
    assert navigation.value.ok, page.locator("#sheet-problems").all_inner_texts()
    fields = parse_qs(posted.value.post_data, keep_blank_values=True)
    assert set(fields) == {"csrfmiddlewaretoken", "version", "reason", f"e-{line_id}"}, sorted(fields)

    record.refresh_from_db()
    assert (record.expenditure, record.commitment) == (before - 1000, record.commitment)
    assert (
        ExecutionRecord.objects.filter(fiscal_year=YEAR)
        .exclude(pk=record.pk)
        .aggregate(c=Sum("commitment"), e=Sum("expenditure"))
        == untouched
    )
    expect(page.locator("p.message.success")).to_contain_text(f"지출액 {before - 1000:,}원")
    assert_total_is(page, year_lines)
    page.screenshot(path=str(artifacts_dir / "big-year-sheet.png"))
    assert saved_in < 30, saved_in

    # Filtered by a team: its lines only, a page at a time, and the 계 row is the team's.
    team = OrgUnit.objects.filter(programs__budget_lines__fiscal_year=YEAR).order_by("order").first()
    with page.expect_navigation():
        page.locator("#filter-team").select_option(str(team.pk))
    assert f"team={team.pk}" in page.url
    team_lines = year_lines.filter(program__owner_team=team)
    expect(page.locator("#selection-note")).to_contain_text(f"라인 {team_lines.count():,}개")
    assert_total_is(page, team_lines)

    # The second page of the whole year keeps the year's 계.
    page.goto(site + OCTOBER + "?page=2")
    expect(page.locator("#selection-note")).to_contain_text("라인 10,000개 중 101–200번째")
    assert_total_is(page, year_lines)


def test_the_report_and_the_changes_list_of_a_big_year_are_paged(big_year, make_login_user, login, page, site):
    make_login_user("lead", "재무책임")
    page.goto(f"{site}/reports/{YEAR}/?as_of={YEAR}-10")
    login(page, "lead")
    started = time.monotonic()
    response = page.goto(f"{site}/reports/{YEAR}/?as_of={YEAR}-10")
    assert response.ok
    assert time.monotonic() - started < 20
    expect(page.locator("#selection-note")).to_contain_text("라인 10,000개 중 1–100번째")
    program_rows = page.locator("#budget-by-program tbody tr.row-item")
    assert program_rows.count() == 100
    budget = BudgetAmount.objects.filter(
        fiscal_year=YEAR, line__account__side="expenditure", effective_date__lte=f"{YEAR}-10-31"
    ).aggregate(t=Sum("amount"))["t"]
    total = page.locator("#budget-by-program tr.row-total").evaluate("r => [...r.cells].map(c => c.innerText.trim())")
    assert f"{round(budget / 1000):,}" in total, total

    page.goto(f"{site}/budget/{YEAR}/changes/")
    # The request form offers the lines of a selection, not 10,000 options in each of its rows.
    assert page.locator("#legs select option").count() < 4 * 600
    expect(page.locator("#line-filter")).to_be_visible()
