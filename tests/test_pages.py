"""The organisation and program pages, with their live figures."""

import pytest

from budget.core.models import ExecutionRecord
from programs.models import Indicator, Program
from tests.html_tables import table_rows

pytestmark = pytest.mark.django_db


def test_org_page_shows_the_tree_duties_and_inferred_placement(report_2022, manager_client):
    html = manager_client.get("/org/").content.decode()
    assert "혁신사업본부" in html and "주성환" in html
    assert "(추정)" in html  # the report's org chart is an image missing from its text
    assert "[예산·재무회계]" in html
    assert "세입세출예산 및 회계 관리, 급여관리(급여, 퇴직금, 4대 보험 등)" in html
    for team in ["디지털전략팀", "스마트포용팀", "신산업성장팀", "메타버스팀", "기획인사팀", "총무회계팀", "감사팀"]:
        assert team in html


def test_program_list_has_each_programs_figures(report_2022, manager_client):
    html = manager_client.get("/programs/?as_of=2022-09").content.decode()
    rows = table_rows(html, "programs")
    assert len(rows) == 9
    assert rows[3] == ("2-2", "로봇활용 디지털 역량강화 교육", "스마트포용팀", "227,280", "220,047", "220,047", "96.8%")
    assert rows[8] == ("4-1", "메타버스 서울 시티즌 플랫폼 구축", "메타버스팀", "400,000", "51,833", "51,833", "13.0%")


def test_search_finds_a_program_by_the_reports_misspelling(report_2022, manager_client):
    html = manager_client.get("/programs/", {"q": "도사적용"}).content.decode()
    rows = table_rows(html, "programs")
    assert [r[:2] for r in rows] == [("3-2", "스마트도시 솔루션 도시적용 및 확산 지원")]


@pytest.mark.parametrize(
    ("code", "millions"),
    [
        ("1-1", "237"),
        ("1-2", "688"),
        ("2-1", "893"),
        ("2-2", "227"),
        ("2-3", "397"),
        ("3-1", "845"),
        ("3-2", "695"),
        ("3-3", "822"),
        ("4-1", "400"),
    ],
)
def test_program_page_prints_its_budget_in_millions_truncated(report_2022, manager_client, code, millions):
    html = manager_client.get(f"/programs/{code}/").content.decode()
    assert f"<strong>{millions}백만원</strong>" in html


def test_program_page_has_live_figures_and_the_reports_text(report_2022, manager_client):
    html = manager_client.get("/programs/4-1/?as_of=2022-09").content.decode()
    assert table_rows(html, "program-figures") == [
        ("400,000", "51,833", "51,833", "13.0%", "13.0%", "348,167", "0", "348,167")
    ]
    assert "메타버스팀장 : 이승하 ☎4635" in html
    assert "메타버스 윤리 가이드라인 발간 : ~ &#x27;22.11월" in html


def test_program_page_indicators(report_2022, manager_client):
    html = manager_client.get("/programs/2-2/").content.decode()
    assert ("41,374명", "8.26 기준") in [(r[2], r[3]) for r in table_rows(html, "indicators")]
    eudina = Indicator.objects.get(program__code="2-1", value=8727)
    assert (eudina.unit, eudina.as_of.isoformat()) == ("명", "2022-08-31")


def test_ces_results_are_indicators_for_three_years(report_2022):
    ces = Indicator.objects.filter(program__code="3-3", period__startswith="CES")
    assert ces.count() == 18
    assert ces.get(period="CES 2022", name__contains="수출상담금액").value == 1041


def test_program_figures_follow_new_records(report_2022, manager_client):
    line = Program.objects.get(code="4-1").budget_lines.get(fiscal_year=2022)
    ExecutionRecord.objects.create(line=line, month=10, commitment=48_167_000, expenditure=0)
    html = manager_client.get("/programs/4-1/?as_of=2022-10").content.decode()
    assert table_rows(html, "program-figures") == [
        ("400,000", "100,000", "51,833", "25.0%", "13.0%", "300,000", "48,167", "348,167")
    ]


def test_unknown_program_is_not_found(report_2022, manager_client):
    assert manager_client.get("/programs/9-9/").status_code == 404


def test_a_team_head_sees_the_teams_own_programs_first(report_2022, client, make_user):
    from foundation.models import OrgUnit, StaffProfile

    head = make_user("team_head", "관리자")
    StaffProfile.objects.create(user=head, unit=OrgUnit.objects.get(name="메타버스팀"))
    client.force_login(head)
    rows = table_rows(client.get("/programs/").content.decode(), "programs")
    assert [r[0] for r in rows] == ["4-1 우리 팀", "1-1", "1-2", "2-1", "2-2", "2-3", "3-1", "3-2", "3-3"]
    division = make_user("division_head", "관리자")
    StaffProfile.objects.create(user=division, unit=OrgUnit.objects.get(name="혁신사업본부"))
    client.force_login(division)
    rows = table_rows(client.get("/programs/").content.decode(), "programs")
    assert all(r[0].endswith("우리 팀") for r in rows)  # every program is one of the division's teams'
