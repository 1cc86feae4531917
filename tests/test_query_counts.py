"""Each page runs the same number of queries whatever the number of lines, records and programs."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budget.core.models import BudgetAmount, BudgetLine, ExecutionRecord
from programs.models import Contact, Indicator, PolicyArea, Program, ScheduleItem

pytestmark = pytest.mark.django_db

FACTOR = 10
# Each page, and what on it shows that the data grew: a copied line or program, a copy of 4-1's schedule.
PAGES = {
    "/reports/2022/?as_of=2022-09": "메타버스 서울 시티즌 플랫폼 구축 9",
    "/programs/": "메타버스 서울 시티즌 플랫폼 구축 9",
    "/programs/4-1/": "메타버스 윤리 가이드라인 발간 9",
    "/org/": ">4-1-x9<",
}


def multiply_data(factor: int) -> dict[str, int]:
    """Add (factor − 1) copies of every 2022 expenditure line, each with an amount and twelve months.

    A copy of a program's line is budgeted for a program of its own, as every program line is: copy k of
    each program, in a new policy area k (so the report has more sections too), run by the same team. And
    each of the nine programs gets (factor − 1) copies of its contacts, schedule and indicators, which its
    own page lists.
    """
    originals = list(BudgetLine.objects.for_year(2022).expenditure().select_related("program"))
    copies = range(1, factor)
    areas = PolicyArea.objects.bulk_create(PolicyArea(code=f"9{copy}", name=f"정책분야 {copy}") for copy in copies)
    programs = Program.objects.bulk_create(
        Program(
            code=f"{line.program.code}-x{copy}",
            name=f"{line.program.name} {copy}",
            area=areas[copy - 1],
            owner_team_id=line.program.owner_team_id,
            purpose=line.program.purpose,
        )
        for line in originals
        if line.program
        for copy in copies
    )
    program_of = {program.code: program for program in programs}
    lines = BudgetLine.objects.bulk_create(
        BudgetLine(
            fiscal_year_id=2022,
            code=f"{line.code}-x{copy}",
            name=f"{line.name} {copy}",
            account_id=line.account_id,
            program=program_of[f"{line.program.code}-x{copy}"] if line.program else None,
            order=line.order,
        )
        for line in originals
        for copy in copies
    )
    BudgetAmount.objects.bulk_create(
        BudgetAmount(line=line, kind="original", effective_date=datetime.date(2022, 1, 1), amount=1_000_000)
        for line in lines
    )
    ExecutionRecord.objects.bulk_create(
        ExecutionRecord(line=line, month=month, commitment=10_000, expenditure=5_000)
        for line in lines
        for month in range(1, 13)
    )
    for model, label in ((Contact, "name"), (ScheduleItem, "text"), (Indicator, "name")):
        model.objects.bulk_create(
            copy_of(item, **{label: f"{getattr(item, label)} {copy}"})
            for item in model.objects.all()
            for copy in copies
        )
    return {"lines": len(lines), "programs": len(programs), "areas": len(areas)}


def copy_of(item, **changes):
    fields = {field.attname: getattr(item, field.attname) for field in item._meta.concrete_fields}
    return type(item)(**{**fields, "id": None, **changes})


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", PAGES)
def test_query_count_does_not_grow_with_the_data(report_2022, manager_client, url, django_assert_max_num_queries):
    before = count_queries(manager_client, url)
    assert PAGES[url] not in manager_client.get(url).content.decode()
    added = multiply_data(FACTOR)
    # 14 expenditure lines in 2022, nine copies of each; the copies of the 9 program lines have a program each.
    assert added == {"lines": 14 * 9, "programs": 9 * 9, "areas": 9}
    assert ExecutionRecord.objects.count() == 11 + added["lines"] * 12
    assert Program.objects.count() == 9 * FACTOR
    with django_assert_max_num_queries(before):
        response = manager_client.get(url)
    assert PAGES[url] in response.content.decode()  # the page did draw the added data


def test_the_program_list_draws_every_program_with_its_figures(report_2022, manager_client):
    multiply_data(FACTOR)
    html = manager_client.get("/programs/").content.decode()
    assert html.count('<td class="num">1,000</td>') == 9 * 9  # each copy's 1,000,000 won budget, in 천원
    assert "이 연도 예산 없음" not in html


def test_report_page_query_budget(report_2022, manager_client, django_assert_num_queries):
    # session, user, permissions (2: user's, group's), fiscal year, the year's first budget month (1: the
    # months offered and checked), closed through (2: the cumulative cover, the closed months);
    # 세입·세출 총괄: every account's two years (1), the accounts (1), whether last year is held (1);
    # the ledger: 예산현액 by line, execution by line (2), the lines as rows to add them up (1) and as
    # models to draw them (1), whether the year's execution is held (1: the year is not finished);
    # staffing: latest date, counts by grade, outside staff (3: the totals added up from the rows); 세입
    # 집행현황: the year's 수납 by line and month, the cumulative cover carried along (1)
    with django_assert_num_queries(20):
        manager_client.get("/reports/2022/?as_of=2022-09")
