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


def test_a_programs_owners_read_its_records_history_and_no_one_elses(report_2022, client, make_user):
    from foundation.models import OrgUnit, StaffProfile

    head = make_user("team_head", "관리자")
    StaffProfile.objects.create(user=head, unit=OrgUnit.objects.get(name="메타버스팀"))
    client.force_login(head)
    own = ExecutionRecord.objects.get(line__program__code="4-1")
    other = ExecutionRecord.objects.filter(line__program__code="1-1").first()
    assert client.get(f"/dashboard/records/{own.pk}/history/").status_code == 200
    assert "dashboard/records/" in client.get(f"/dashboard/lines/{own.line_id}/records/").content.decode()
    assert client.get(f"/dashboard/records/{other.pk}/history/").status_code == 403
    assert "dashboard/records/" not in client.get(f"/dashboard/lines/{other.line_id}/records/").content.decode()
    # An id that names no record is as forbidden to them as another team's; finance is told it is not there.
    assert client.get("/dashboard/records/999999/history/").status_code == 403
    client.force_login(make_user("finance", "재무담당"))
    assert client.get("/dashboard/records/999999/history/").status_code == 404


def test_the_report_narrowed_to_an_area_totals_its_lines(report_2022, manager_client):
    """Filtered, the line tables are the selection's, their 소계 and 합계 included; the 총괄 stay the year's."""
    html = manager_client.get("/reports/2022/", {"as_of": "2022-09", "area": "4"}).content.decode()
    assert table_rows(html, "budget-by-program") == [
        ("메타버스 서울 생태계 조성", "소 계", "400,000", "100.0%", ""),
        ("", "메타버스 서울 시티즌 플랫폼 구축", "400,000", "100.0%", ""),
        ("합계", "", "400,000", "100.0%", ""),
    ]
    assert table_rows(html, "execution") == [
        ("계", "400,000", "51,833", "51,833", "13.0%", "13.0%"),
        ("사업비", "400,000", "51,833", "51,833", "13.0%", "13.0%"),
        ("메타버스 서울 시티즌 플랫폼 구축", "400,000", "51,833", "51,833", "13.0%", "13.0%"),
    ]
    assert table_rows(html, "expenditure-summary")[0][:2] == ("계", "10,202,380")
    assert "라인 1개 중 1–1번째를 보입니다." in html


def test_the_report_pages_its_lines_and_keeps_the_totals(report_2022, manager_client, monkeypatch):
    monkeypatch.setattr("budget.reports.views.PAGE_SIZE", 4)
    html = manager_client.get("/reports/2022/", {"as_of": "2022-09", "page": "2"}).content.decode()
    rows = table_rows(html, "budget-by-program")
    # Lines 5–8 in the report's order, under their own 소계 rows, and the year's 합계.
    assert [r[:3] for r in rows] == [
        ("시민 디지털 역량강화를 통한 스마트 시티즌 확대", "소 계", "1,518,275"),
        ("", "데이터 시티즌십 교육", "397,700"),
        ("스마트시티 솔루션 기업의 디지털 대전환 및 지원", "소 계", "2,363,178"),
        ("", "서울 스마트시티센터 운영", "845,200"),
        ("", "스마트도시 솔루션 도시적용 및 확산 지원", "695,478"),
        ("", "기술기업 해외진출 지원", "822,500"),
        ("합계", "", "10,202,380"),
    ]
    execution = table_rows(html, "execution")
    assert execution[0] == ("계", "10,202,380", "5,290,945", "5,290,945", "51.9%", "51.9%")
    assert [r[0] for r in execution[1:]] == [
        "인건비",
        "경비",
        "사업비",
        "데이터 시티즌십 교육",
        "서울 스마트시티센터 운영",
        "스마트도시 솔루션 도시적용 및 확산 지원",
        "기술기업 해외진출 지원",
        "예비비",
    ]
    assert "라인 14개 중 5–8번째를 보입니다." in html
    assert 'href="?as_of=2022-09&amp;page=3"' in html


def test_the_changes_list_narrows_to_the_selected_lines(report_2022, client, make_user):
    import datetime

    from budget.changes.services import Leg, change_approve, change_request
    from budget.core.models import BudgetLine

    staff, lead = make_user("finance", "재무담당"), make_user("lead", "재무책임")
    lines = {line.code: line for line in BudgetLine.objects.for_year(2022)}
    day = datetime.date(2022, 10, 4)
    first = change_request(
        year=2022, kind="reserve_use", effective_date=day, reason="콘텐츠", user=staff,
        legs=[Leg(lines["R-3"].pk, -10_000_000), Leg(lines["4-1"].pk, 10_000_000)],
    )  # fmt: skip
    change_approve(change_id=first.pk, user=lead)
    change_request(
        year=2022, kind="transfer", effective_date=day, reason="교육", user=staff,
        legs=[Leg(lines["2-3"].pk, -1_000_000), Leg(lines["2-2"].pk, 1_000_000)],
    )  # fmt: skip
    client.force_login(staff)
    html = client.get("/budget/2022/changes/").content.decode()
    assert len(table_rows(html, "changes")) == 2
    assert "2건 (승인 대기 1, 승인 1, 반려 0)" in " ".join(html.split())
    html = client.get("/budget/2022/changes/", {"area": "4"}).content.decode()
    rows = table_rows(html, "changes")
    assert len(rows) == 1 and "4-1 메타버스 서울 시티즌 플랫폼 구축 10,000,000" in rows[0][2]
    summary = " ".join(html.split())
    assert "고른 라인에 걸친 변경: 1건 (승인 대기 0, 승인 1, 반려 0)" in summary
    assert "승인된 변경이 고른 라인에 더한 금액 10,000,000, 뺀 금액 0" in summary
    # The request form offers the area's lines and the revenue lines, not every line of the year.
    offered = html[html.index('name="leg-0-line"') :].split("</select>")[0]
    assert "4-1 · 메타버스 서울 시티즌 플랫폼 구축 (사업비)" in offered
    assert "1-1 · " not in offered and "city-contribution · 서울시출연금" in offered


def test_the_forbidden_page_names_the_roles_and_the_way_back(report_2022, client, make_user):
    client.force_login(make_user("manager", "관리자"))
    response = client.get("/entry/2022/10/", HTTP_REFERER="http://testserver/reports/2022/")
    assert response.status_code == 403
    html = response.content.decode()
    assert '<header class="site-header no-print">' in html
    assert "이 페이지는 재무담당, 재무책임 역할만 볼 수 있습니다." in html
    assert "지금 계정의 역할: 관리자." in html
    assert 'href="http://testserver/reports/2022/" id="go-back"' in html
    # Another site's address is no way back.
    response = client.get("/entry/2022/10/", HTTP_REFERER="https://elsewhere.example/")
    assert 'id="go-back"' not in response.content.decode()


def test_every_protected_view_names_its_permission_to_the_forbidden_page():
    """The forbidden page reads a view's permission from its decorators: every view behind
    permission_required is found, so none says only "forbidden"."""
    from django.urls import get_resolver

    from config.errors import required_permissions

    found = {}

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                found[prefix + str(pattern.pattern)] = required_permissions(pattern.callback)

    walk(get_resolver().url_patterns)
    assert found["entry/<int:year>/<int:month>/"] == ("budget.change_executionrecord",)
    assert found["entry/<int:year>/<int:month>/close/"] == ("budget.close_month",)
    assert found["budget/<int:year>/changes/<int:pk>/approve/"] == ("budget.approve_budgetchange",)
    # Finance and audit read every record's history, a program's owners their own (budget.lines.access).
    assert found["dashboard/records/<int:pk>/history/"] == ("budget.view_budgetline",)
    assert found["reports/<int:year>/"] == ("budget.view_budgetline",)
    assert found["budget/lines/<int:pk>/history/"] == ()  # says its own reason (own programs' lines too)
