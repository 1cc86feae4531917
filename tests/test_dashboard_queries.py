"""Each dashboard page runs the same number of queries whatever the number of lines, records, plans and
explanations: asserted with ten times the 2022 data."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from budget.core.models import BudgetLine, ExecutionRecord, Explanation, MonthlyPlan
from foundation.models import OrgUnit, StaffProfile
from tests.test_query_counts import count_queries, multiply_data

pytestmark = pytest.mark.django_db

PAGES = [
    "/dashboard/?year=2022&as_of=2022-09",
    "/dashboard/?year=2022&as_of=2022-09&team={team}&nature={nature}",
    "/dashboard/?year=2022&as_of=2022-10",
    "/dashboard/forecast/?year=2022&as_of=2022-09",
    "/dashboard/areas/4/?year=2022&as_of=2022-09",
    "/dashboard/areas/admin/?year=2022&as_of=2022-09",
    "/dashboard/programs/4-1/?year=2022&as_of=2022-09",
    "/dashboard/lines/{line}/?as_of=2022-09",
    "/dashboard/lines/{line}/records/?as_of=2022-09",
    "/dashboard/records/{record}/history/",
]


def multiply_everything(factor: int) -> int:
    """multiply_data's copies of every 2022 line, each also with a twelve-month plan and a 사유."""
    added = multiply_data(factor)
    copies = list(BudgetLine.objects.filter(code__contains="-x"))
    MonthlyPlan.objects.bulk_create(
        MonthlyPlan(line=line, month=month, commitment=1_000, expenditure=1_000)
        for line in copies
        for month in range(1, 13)
    )
    writer = get_user_model().objects.create_user("writer")
    Explanation.objects.bulk_create(Explanation(line=line, month=9, text="사유", written_by=writer) for line in copies)
    return added


@pytest.fixture
def manager_with_unit(client, make_user):
    user = make_user("manager", "관리자")
    # Managers do not read the audit trail; this one may, so that the history page is counted too.
    user.user_permissions.add(Permission.objects.get(codename="view_history"))
    StaffProfile.objects.create(user=user, unit=OrgUnit.objects.get(name="혁신사업본부"))
    client.force_login(user)
    return client


@pytest.mark.parametrize("url", PAGES)
def test_dashboard_queries_do_not_grow_with_the_data(
    report_2022, manager_with_unit, url, django_assert_max_num_queries
):
    line = BudgetLine.objects.get(fiscal_year_id=2022, code="4-1")
    url = url.format(
        line=line.pk,
        record=ExecutionRecord.objects.get(line=line).pk,
        team=OrgUnit.objects.get(name="메타버스팀").pk,
        nature=line.account_id,
    )
    before = count_queries(manager_with_unit, url)
    added = multiply_everything(10)
    assert added["lines"] == 14 * 9
    with django_assert_max_num_queries(before):
        assert manager_with_unit.get(url).status_code == 200


def test_dashboard_query_budget(report_2022, manager_client, django_assert_num_queries):
    # session, user, permissions (2: the user's, the groups'), the year's first budget month (1: the months
    # offered and checked), the year's choice validated (1), the user's unit (1: none, so no unit tree);
    # the cumulative cover (1); whether September lies in the report's cumulative figure (1: it does, so
    # the view reads no plan: the report came with none); last year's finals by code, newest 사유 (2);
    # the ledger: the lines (1), 예산현액 and execution by line, each also through June for 신속집행 (2),
    # everything else added up from them; closed through (1: the closed months, on the cover read above);
    # execution by program and month for the curves (1); 세입·세출 총괄: every account's two years, the
    # accounts, whether last year is held (3); the filter form's choices: years, teams, natures (3: each read
    # once, its rows kept for the second look a required <select> takes at its first choice); whether the
    # year's execution is held (none: the year is not finished, as its choice already said); the curve of
    # years: 예산현액 and execution by year and month, how far each year's cumulative records reach, the closed
    # months (4). 세입 집행현황 and the cash position: the year's 수납 by line and month (1; its budget is the
    # 총괄's).
    with django_assert_num_queries(27):
        manager_client.get("/dashboard/?year=2022&as_of=2022-09")
