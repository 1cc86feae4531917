"""Every output of 2022 reads the same before and after 2023 is opened, budgeted and its January closed.

2022 is settled first (October–December entered and closed, the 결산 approved with its two 이월), and then
everything 2022 shows is kept: for each month a view of 2022 may be asked for, the report page, the
dashboard and its drill-down, the program pages, every CSV of the report and of the dashboard, every cell
of every sheet of the council workbook and the API's report rows; and the 결산 page. 2023 is then opened
from 2022 through the service (every line kept, one added), its 본예산 written from the budget book, and
its January entered and closed. Nothing of the above may change.
"""

from __future__ import annotations

import io

import openpyxl
import pytest

from budget.core.models import BudgetLine
from budget.core.periods import offered_months
from budget.entry.services import Entry, month_close, month_save
from budget.management.commands.build_demo_year import BOOK_2023
from budget.opening.services import Keep, New, budget_book_save, year_open
from budget.reports.csv_views import TABLES as REPORT_CSVS
from budget.reports.years import KEY as COMPARED
from budget.settlement.services import settlement_approve, settlement_prepare
from budget.settlement.tables import SHEET_NAMES as SETTLEMENT_CSVS
from dashboard.csv_tables import TABLES as DASHBOARD_CSVS
from dashboard.years import KEY as YEARS_CURVE
from tests.test_reported_stays import PAGES, _page
from tests.year_end import *  # noqa: F403 - the fixtures: 2022 with October–December entered and closed
from tests.year_end import carries

pytestmark = pytest.mark.django_db


def _get(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content


def _csv(client, url: str) -> tuple[int, bytes]:
    """A download as answered: 2022 has no line-by-line comparison (2021 holds no lines), and says so."""
    response = client.get(url)
    assert response.status_code in (200, 404), url
    return response.status_code, response.content


def _workbook(data: bytes) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def outputs_2022(client, finance_client, line_pk: int) -> dict:
    seen = {}
    months = list(offered_months(2022))
    assert months == [9, 10, 11, 12]  # the report's September, then the months entered
    for month in months:
        as_of = f"2022-{month:02d}"
        for url in PAGES:
            url = url.format(as_of=as_of, line=line_pk)
            seen[url] = _page(client, url)
        for key in [*REPORT_CSVS, *SETTLEMENT_CSVS]:
            url = f"/reports/2022/{key}.csv?as_of={as_of}"
            seen[url] = _csv(client, url)
        for key in [*DASHBOARD_CSVS, YEARS_CURVE]:
            url = f"/dashboard/{key}.csv?year=2022&as_of={as_of}"
            seen[url] = _csv(client, url)
        url = f"/reports/2022/council.xlsx?as_of={as_of}"
        seen[url] = _workbook(_get(client, url))
        url = f"/api/v1/reports/2022/{month}/"
        seen[url] = client.get(url).json()
    seen["settlement"] = _page(finance_client, "/entry/2022/settlement/")
    return seen


def test_every_2022_output_is_unchanged_by_opening_2023(closed, staff, lead, manager_client, client):
    settlement_prepare(year=2022, carries=carries(closed), user=staff)
    settlement_approve(year=2022, user=lead)
    client.force_login(staff)
    metaverse = closed["4-1"].pk
    before = outputs_2022(manager_client, client, metaverse)
    # The snapshot holds 2022's figures (천원): 지출액 계 5,370,945 as of December (tests/year_end.py), and on
    # the 결산 page 세계잉여금 = 수납 8,200,000 − 지출 5,370,945 = 2,829,055.
    assert "5,370,945" in before["/reports/2022/?as_of=2022-12"]
    assert "2,829,055" in before["settlement"]
    assert before["/api/v1/reports/2022/12/"] != before["/api/v1/reports/2022/9/"]
    answered = {key for key, value in before.items() if isinstance(value, tuple) and value[0] == 200}
    # Every table of the report as of every month (2022 compares with no lines of 2021, so that one says so),
    # the 결산 tables as of December (the view they belong to).
    for month in (9, 10, 11, 12):
        for key in REPORT_CSVS:
            assert (f"/reports/2022/{key}.csv?as_of=2022-{month:02d}" in answered) == (key != COMPARED)
        for key in SETTLEMENT_CSVS:
            assert (f"/reports/2022/{key}.csv?as_of=2022-{month:02d}" in answered) == (month == 12)
    assert len(before) == 4 * (len(PAGES) + len(REPORT_CSVS) + len(SETTLEMENT_CSVS) + len(DASHBOARD_CSVS) + 3) + 1

    keep = [Keep(line.pk, line.code, line.name) for line in closed.values()]
    year_open(year=2022, user=lead, keep=keep, add=[New("A-3", "청사 이전", "expense")])
    lines = dict(BudgetLine.objects.for_year(2023).values_list("code", "pk"))
    assert budget_book_save(year=2023, amounts={pk: BOOK_2023.get(code, 0) for code, pk in lines.items()}, user=lead)
    month_save(year=2023, month=1, user=staff, version=0, entries=[Entry(lines["4-1"], 90_000_000, 45_000_000)])
    month_close(year=2023, month=1, user=lead)

    after = outputs_2022(manager_client, client, metaverse)
    assert after.keys() == before.keys()
    changed = [key for key in before if after[key] != before[key]]
    assert changed == []
