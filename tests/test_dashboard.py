"""The execution dashboards: the report's figures, the rules on a hand-checkable year, who may write a 사유,
the 신속집행 target, and the drill-down from the overview to a record's history."""

import datetime
import re
from decimal import Decimal

import pytest

from budget.core.ledger import latest_explanations
from budget.core.models import Account, BudgetAmount, BudgetLine, ExecutionRecord, Explanation, FiscalYear, MonthlyPlan
from foundation.models import OrgUnit, StaffProfile
from tests.html_tables import table_rows

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/?year=2022&as_of=2022-09"


def kpi(html: str, name: str) -> str:
    match = re.search(rf'data-kpi="{name}">([^<]*)<', html)
    assert match, f"no headline figure {name}"
    return match.group(1).strip()


def row(rows, label):
    found = [r for r in rows if r[0].startswith(label)]
    assert len(found) == 1, (label, rows)
    return found[0]


@pytest.fixture
def staff(make_user):
    """staff(username, role, unit name) -> a user in the role's group working in that unit."""

    def make(username, role, unit=None, **extra):
        user = make_user(username, role, **extra)
        if unit:
            StaffProfile.objects.create(user=user, unit=OrgUnit.objects.get(name=unit))
        return user

    return make


def line(code, year=2022):
    return BudgetLine.objects.get(fiscal_year_id=year, code=code)


# -- the 2022 report on the dashboard -----------------------------------------------------------------


def test_a_bare_dashboard_url_is_sent_to_one_that_carries_every_choice(report_2022, manager_client):
    response = manager_client.get("/dashboard/")
    assert (response.status_code, response["Location"]) == (302, DASHBOARD)
    response = manager_client.get("/dashboard/?year=2022&team=7")
    assert response["Location"] == "/dashboard/?year=2022&as_of=2022-09&team=7"


def test_headline_is_the_reports(report_2022, manager_client):
    html = manager_client.get(DASHBOARD).content.decode()
    assert kpi(html, "current") == "10,202,380"
    assert kpi(html, "commitment") == "5,290,945"
    assert kpi(html, "expenditure") == "5,290,945"
    assert kpi(html, "expenditure_rate") == "51.9%"
    assert kpi(html, "commitment_rate") == "51.9%"
    assert kpi(html, "remaining") == "4,911,435"  # 10,202,380 − 5,290,945
    # 5,290,945 ÷ (10,202,380 − 948,793) = 57.18% without the reserve
    assert kpi(html, "rate_without_reserve") == "57.2%"
    assert kpi(html, "closed_through") == "9월까지"  # the report's cumulative figure stands for Jan–Sep


def test_programs_by_area_carry_the_reports_rates(report_2022, manager_client):
    rows = table_rows(manager_client.get(DASHBOARD).content.decode(), "areas")
    assert row(rows, "메타버스 서울 시티즌 플랫폼 구축")[1:] == (
        "400,000", "51,833", "51,833", "13.0%", "13.0%", "348,167",
    )  # fmt: skip
    assert row(rows, "로봇활용 디지털 역량강화 교육")[1:] == (
        "227,280",
        "220,047",
        "220,047",
        "96.8%",
        "96.8%",
        "7,233",
    )
    assert row(rows, "메타버스 서울 생태계 조성")[1:] == ("400,000", "51,833", "51,833", "13.0%", "13.0%", "348,167")
    assert row(rows, "행정운영경비")[1:] == ("4,046,134", "2,176,014", "2,176,014", "53.8%", "53.8%", "1,870,120")
    assert not [r for r in rows if r[0].startswith("예비비")]  # 예비비 is shown apart


def test_natures_without_the_reserve_and_the_reserve_apart(report_2022, manager_client):
    html = manager_client.get(DASHBOARD).content.decode()
    natures = table_rows(html, "natures")
    assert [r[0] for r in natures] == ["인건비", "경비", "사업비", "예비비 제외 계"]
    assert natures[2][1:] == ("5,207,453", "3,114,931", "3,114,931", "59.8%", "59.8%", "2,092,522")
    assert natures[3][1:] == ("9,253,587", "5,290,945", "5,290,945", "57.2%", "57.2%", "3,962,642")
    reserve = table_rows(html, "reserve")
    assert reserve[0] == ("예비비", "948,793", "0", "0", "0.0%", "0.0%", "948,793")
    assert [r[0] for r in reserve[1:]] == ["인력증원 봉급예비비", "내부유보금", "일반예비비"]


def test_teams_own_their_programs(report_2022, manager_client):
    rows = table_rows(manager_client.get(DASHBOARD).content.decode(), "teams")
    assert [r[0] for r in rows] == [
        "디지털전략팀 (사업 2개)",
        "스마트포용팀 (사업 3개)",
        "신산업성장팀 (사업 3개)",
        "메타버스팀 (사업 1개)",
    ]
    assert rows[3][1:] == ("400,000", "51,833", "51,833", "13.0%", "13.0%", "348,167")


def test_last_year_by_nature_and_source_is_the_reports_summary(report_2022, manager_client):
    html = manager_client.get(DASHBOARD).content.decode()
    assert table_rows(html, "revenue-summary")[0] == ("계", "10,202,380", "12,032,786", "△1,830,406", "△15.2%")
    assert row(table_rows(html, "revenue-summary"), "보증금회수수입")[-1] == "순증"
    assert row(table_rows(html, "expenditure-summary"), "예비비")[1:] == ("948,793", "477,071", "471,722", "98.9%")


def test_the_curve_shows_the_reports_cumulative_figure_as_one_point(report_2022, manager_client):
    html = manager_client.get(DASHBOARD).content.decode()
    rows = table_rows(html, "curve")
    assert [r[2] for r in rows] == ["-"] * 8 + ["5,290,945"] + ["-"] * 3
    assert rows[8] == ("9월", "5,290,945", "5,290,945", "51.9%", "7,651,785")  # even pace: 10,202,380 × 9 ÷ 12
    assert "9월 누계 하나뿐이어서 9월에 한 점으로 표시합니다" in html
    metaverse = row(table_rows(html, "program-curves"), "메타버스 서울 시티즌 플랫폼 구축")
    assert metaverse[1:] == ("400,000",) + ("-",) * 8 + ("51,833",) + ("-",) * 3


def test_attention_lists_for_september_2022(report_2022, manager_client):
    html = manager_client.get(DASHBOARD).content.decode()
    # No plans in 2022: behind when 집행률 is under 75% − 15%p = 60%, the reserve not judged.
    behind = table_rows(html, "behind")
    assert [r[0] for r in behind] == [
        "메타버스 서울 시티즌 플랫폼 구축",
        "데이터 창출·분석 및 활용 확산",
        "기술기업 해외진출 지원",
        "인력운영비",
        "기본경비",
    ]
    assert behind[0][1:6] == ("메타버스팀", "경과 기간 대비", "75.0%", "13.0%", "62.0%p")
    assert table_rows(html, "committed") == [
        ("로봇활용 디지털 역량강화 교육", "거의 소진", "227,280", "220,047", "96.8%", "7,233")
    ]
    # 2021 is known by nature only: no line of 2022 can be compared with last year's.
    assert "라인별 전년 대비 변동을 판정할 수 없습니다" in html
    early = table_rows(html, "early")
    assert early == [("-", "-", "-", "미설정", "-", "-")]
    assert "상반기 실적을 알 수 없습니다" in html


def test_forecast_from_the_pace_so_far_in_2022(report_2022, manager_client):
    html = manager_client.get(DASHBOARD).content.decode()
    # 51,833,000 won in 9 months × 12 = 69,110,666.67 → 69,110,667 won; 400,000,000 − that = 330,889,333.
    assert row(table_rows(html, "forecast"), "메타버스 서울 시티즌 플랫폼 구축")[1:] == (
        "400,000", "51,833", "현재 속도", "69,111", "17.3%", "330,889",
    )  # fmt: skip
    # 220,047천원 × 12 ÷ 9 = 293,396 > 227,280: it stops at the budget.
    assert row(table_rows(html, "forecast"), "로봇활용 디지털 역량강화 교육")[4:] == ("227,280", "100.0%", "0")
    assert "지금까지의 지출액 ÷ 경과 월 수 × 12" in html


def test_a_month_before_the_first_budget_figure_is_refused_not_shown_as_zero(report_2022, manager_client):
    # The report gives 2022's 예산현액 only as of September: June would read 0 on every line.
    response = manager_client.get("/dashboard/?year=2022&as_of=2022-06")
    assert response.status_code == 400
    html = response.content.decode()
    assert "2022년 예산은 9월 말 기준부터 있어 9월부터 볼 수 있습니다." in html
    assert 'value="2022-06"' not in html and 'value="2022-09"' in html  # not offered in the month choice


def test_a_team_head_sees_the_teams_programs_first(report_2022, client, staff):
    client.force_login(staff("team_head", "관리자", "메타버스팀"))
    html = client.get(DASHBOARD).content.decode()
    areas = table_rows(html, "areas")
    assert areas[0][0] == "메타버스 서울 생태계 조성"
    assert areas[1][0] == "메타버스 서울 시티즌 플랫폼 구축 내 소관"
    assert table_rows(html, "behind")[0][0] == "메타버스 서울 시티즌 플랫폼 구축 내 소관"
    assert table_rows(html, "teams")[0][0].startswith("메타버스팀")
    assert table_rows(html, "program-curves")[0][0] == "메타버스 서울 시티즌 플랫폼 구축"


def test_a_division_head_owns_the_programs_of_its_teams(report_2022, client, staff):
    client.force_login(staff("manager", "관리자", "혁신사업본부"))
    areas = table_rows(client.get(DASHBOARD).content.decode(), "areas")
    assert areas[0][0] == "빅데이터·AI 기반의 스마트도시 정책 개발 및 적용"  # report order: all nine are own
    assert sum(1 for r in areas if r[0].endswith("내 소관")) == 9


def test_filters_narrow_the_lines(report_2022, manager_client):
    team = OrgUnit.objects.get(name="메타버스팀").pk
    html = manager_client.get(f"{DASHBOARD}&team={team}").content.decode()
    assert (kpi(html, "current"), kpi(html, "expenditure_rate")) == ("400,000", "13.0%")
    assert "전년 대비 표는 재단 전체입니다" in html
    assert table_rows(html, "revenue-summary")[0][1] == "10,202,380"  # the summaries stay foundation-wide
    personnel = Account.objects.get(code="personnel").pk
    html = manager_client.get(f"{DASHBOARD}&nature={personnel}").content.decode()
    assert (kpi(html, "current"), kpi(html, "expenditure_rate")) == ("2,690,810", "51.1%")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("year=2022&as_of=2021-09", "2022 회계연도 밖입니다"),
        ("year=2022&as_of=2022-13", "2022-13"),
        ("year=2030&as_of=2030-01", "2030"),
        ("year=2022&as_of=2022-09&team=999", "999"),
    ],
)
def test_a_bad_choice_is_refused_with_the_reason(report_2022, manager_client, query, message):
    response = manager_client.get(f"/dashboard/?{query}")
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


# -- a year built by hand: plan, no plan, no spending, no previous year --------------------------------


@pytest.fixture
def year_2030(db):
    """Fiscal year 2030 as of June, with no 2029: five lines whose every figure can be checked by hand.

    A 사업비 1,200,000,000 planned at 100,000,000 a month; paid 50,000,000 a month.
    B 사업비   600,000,000 without plan; committed 570,000,000 in January, paid 40,000,000 a month.
    C 사업비   300,000,000 without plan; nothing.
    P 인건비 1,000,000,000 without plan; paid 80,000,000 a month.
    R 예비비   100,000,000; nothing.
    """
    FiscalYear.objects.create(year=2030, early_execution_target=Decimal("55.5"))
    natures = (("personnel", "인건비", 1), ("program", "사업비", 3), ("reserve", "예비비", 4))
    accounts = {}
    for code, name, order in natures:
        accounts[code], _ = Account.objects.get_or_create(
            code=code, defaults={"side": "expenditure", "name": name, "order": order}
        )
    specs = [
        ("A", "계획 사업", "program", 1_200_000_000),
        ("B", "계획 없는 사업", "program", 600_000_000),
        ("C", "집행 없는 사업", "program", 300_000_000),
        ("P", "인력운영비", "personnel", 1_000_000_000),
        ("R", "일반예비비", "reserve", 100_000_000),
    ]
    lines = {}
    for order, (code, name, nature, amount) in enumerate(specs):
        lines[code] = BudgetLine.objects.create(
            fiscal_year_id=2030, code=code, name=name, account=accounts[nature], order=order
        )
        BudgetAmount.objects.create(
            line=lines[code], kind="original", effective_date=datetime.date(2030, 1, 1), amount=amount
        )
    for month in range(1, 13):
        MonthlyPlan.objects.create(line=lines["A"], month=month, commitment=100_000_000, expenditure=100_000_000)
    for month in range(1, 7):
        ExecutionRecord.objects.create(
            line=lines["A"], month=month, commitment=600_000_000 if month == 1 else 0, expenditure=50_000_000
        )
        ExecutionRecord.objects.create(
            line=lines["B"], month=month, commitment=570_000_000 if month == 1 else 0, expenditure=40_000_000
        )
        ExecutionRecord.objects.create(line=lines["P"], month=month, commitment=80_000_000, expenditure=80_000_000)
    return lines


URL_2030 = "/dashboard/?year=2030&as_of=2030-06"


def test_hand_checked_headline_and_flags(year_2030, manager_client):
    html = manager_client.get(URL_2030).content.decode()
    assert kpi(html, "current") == "3,200,000"
    assert kpi(html, "expenditure") == "1,020,000"  # 300,000 + 240,000 + 480,000 (천원)
    assert kpi(html, "expenditure_rate") == "31.9%"  # 31.875%
    behind = table_rows(html, "behind")
    # C: nothing paid at 50% of the year (> 15%p). A: plan to June 600,000,000, paid 300,000,000:
    # 25%p short of the plan (> 10%p). B (40%) and P (48%) are within 15%p. The furthest behind first.
    assert [r[0] for r in behind] == ["집행 없는 사업", "계획 사업"]
    assert behind[0][2:6] == ("경과 기간 대비", "50.0%", "0.0%", "50.0%p")
    assert behind[1][2:6] == ("월별 계획 대비", "50.0%", "25.0%", "25.0%p")
    assert table_rows(html, "committed") == [("계획 없는 사업", "거의 소진", "600,000", "570,000", "95.0%", "30,000")]


def test_hand_checked_forecast(year_2030, manager_client):
    html = manager_client.get(URL_2030).content.decode()
    forecast = {r[0]: r[1:] for r in table_rows(html, "forecast")}
    # A from its plan: 300,000,000 paid + 600,000,000 planned for July–December.
    assert forecast["계획 사업"] == ("1,200,000", "300,000", "계획", "900,000", "75.0%", "300,000")
    # B from its pace: 240,000,000 × 12 ÷ 6.
    assert forecast["계획 없는 사업"] == ("600,000", "240,000", "현재 속도", "480,000", "80.0%", "120,000")
    # C spent nothing: all of it lapses.
    assert forecast["집행 없는 사업"] == ("300,000", "0", "현재 속도", "0", "0.0%", "300,000")
    assert forecast["인력운영비"] == ("1,000,000", "480,000", "현재 속도", "960,000", "96.0%", "40,000")
    assert "일반예비비" not in forecast  # the reserve is forecast apart
    totals = table_rows(html, "forecast-totals")
    assert totals == [
        ("인건비", "1,000,000", "480,000", "960,000", "96.0%", "40,000"),
        ("사업비", "2,100,000", "540,000", "1,380,000", "65.7%", "720,000"),
        ("예비비 제외 계", "3,100,000", "1,020,000", "2,340,000", "75.5%", "760,000"),
        ("예비비 (따로)", "100,000", "0", "0", "0.0%", "100,000"),
    ]


def test_hand_checked_early_execution(year_2030, manager_client):
    html = manager_client.get(URL_2030).content.decode()
    # Eligible: the three 사업비 lines (not 인건비, not 예비비): 540,000,000 of 2,100,000,000 = 25.714%.
    # The target 55.5% needs 1,165,500,000: 625,500,000 more.
    assert table_rows(html, "early") == [("2,100,000", "540,000", "25.7%", "55.5%", "미달", "625,500")]


def test_a_year_without_a_previous_year(year_2030, manager_client):
    html = manager_client.get(URL_2030).content.decode()
    assert "2029년 예산은 라인(사업)별로 알려져 있지 않아" in html
    # 2029 is not held: no comparison at all, rather than 순증 on every row.
    assert table_rows(html, "expenditure-summary")[0] == ("계", "3,200,000")
    assert "2029 회계연도 자료가 없어 전년도와 비교하지 않습니다." in html


def test_the_curve_against_the_plan(year_2030, manager_client):
    rows = table_rows(manager_client.get(URL_2030).content.decode(), "curve")
    # month, plan to date (A only), committed, paid, rate, even pace
    assert rows[0] == ("1월", "100,000", "1,250,000", "170,000", "5.3%", "266,667")
    assert rows[5] == ("6월", "600,000", "1,650,000", "1,020,000", "31.9%", "1,600,000")
    assert rows[6] == ("7월", "700,000", "-", "-", "-", "1,866,667")


def test_large_change_from_the_same_line_last_year(year_2030, manager_client):
    FiscalYear.objects.create(year=2029)
    last = BudgetLine.objects.create(
        fiscal_year_id=2029, code="C", name="집행 없는 사업", account=year_2030["C"].account
    )
    BudgetAmount.objects.create(
        line=last, kind="original", effective_date=datetime.date(2029, 1, 1), amount=200_000_000
    )
    rows = table_rows(manager_client.get(URL_2030).content.decode(), "changed")
    assert [r[:5] for r in rows] == [("집행 없는 사업", "300,000", "200,000", "100,000", "50.0%")]


# -- 사유 -------------------------------------------------------------------------------------------


# September 2022 went out in the report: its 사유 are written for October, the first open month.
OCTOBER = "/dashboard/?year=2022&as_of=2022-10"


def explain(client, code, text="계약 지연: 10월 착수", month=10):
    return client.post(
        f"/dashboard/lines/{line(code).pk}/explanation/", {"month": month, "text": text, "next": OCTOBER}
    )


def test_the_owner_writes_a_reason_and_the_dashboard_shows_it(report_2022, client, staff):
    user = staff("team_head", "관리자", "메타버스팀", first_name="메타버스팀장")
    client.force_login(user)
    response = explain(client, "4-1")
    assert (response.status_code, response["Location"]) == (302, OCTOBER)
    explanation = Explanation.objects.get(line=line("4-1"), month=10)
    assert (explanation.text, explanation.written_by) == ("계약 지연: 10월 착수", user)
    assert explanation.history.first().history_user == user
    behind = table_rows(client.get(OCTOBER).content.decode(), "behind")
    assert "계약 지연: 10월 착수 — 메타버스팀장, 10월 기준" in behind[0][-1]
    # As of September, reported before it was written, the 사유 is not there.
    assert "계약 지연" not in client.get(DASHBOARD).content.decode()


def test_a_reported_month_keeps_its_reasons(report_2022, client, staff):
    client.force_login(staff("team_head", "관리자", "메타버스팀"))
    html = client.get(DASHBOARD).content.decode()
    assert 'name="month" value="10"' in html and "10월 기준 사유" in html  # the form writes for October
    explain(client, "4-1", "9월에 고쳐 쓰려는 사유", month=9)
    assert not Explanation.objects.exists()
    html = client.get(DASHBOARD).content.decode()
    assert "2022년 9월은 마감되어 그 달의 사유를 바꿀 수 없습니다. 다음 달 사유로 적으세요." in html


def test_rewriting_a_reason_keeps_its_history(report_2022, client, staff):
    client.force_login(staff("team_head", "관리자", "메타버스팀"))
    explain(client, "4-1", "첫 사유")
    explain(client, "4-1", "고친 사유")
    explanation = Explanation.objects.get(line=line("4-1"), month=10)
    assert explanation.text == "고친 사유"
    assert [h.text for h in explanation.history.order_by("history_date")] == ["첫 사유", "고친 사유"]


def test_a_team_head_explains_only_the_teams_programs(report_2022, client, staff):
    client.force_login(staff("team_head", "관리자", "메타버스팀"))
    assert explain(client, "1-2").status_code == 403  # 디지털전략팀's
    assert explain(client, "A-1").status_code == 403  # 인력운영비 belongs to no team
    assert not Explanation.objects.exists()


def test_a_division_head_explains_the_programs_of_its_teams(report_2022, client, staff):
    client.force_login(staff("manager", "관리자", "혁신사업본부"))
    assert explain(client, "1-2").status_code == 302
    assert explain(client, "A-1").status_code == 403


def test_a_manager_with_no_unit_explains_nothing(report_2022, manager_client):
    assert explain(manager_client, "4-1").status_code == 403


def test_the_finance_lead_explains_any_line(report_2022, client, staff):
    client.force_login(staff("finance_lead", "재무책임", "총무회계팀"))
    assert explain(client, "A-1").status_code == 302
    assert explain(client, "4-1").status_code == 302


@pytest.mark.parametrize("role", ["감사", "재무담당"])
def test_auditor_and_finance_staff_cannot_write_a_reason(report_2022, client, staff, role):
    client.force_login(staff("someone", role, "메타버스팀"))
    assert explain(client, "4-1").status_code == 403
    assert not Explanation.objects.exists()


def test_an_empty_reason_is_refused_and_nothing_saved(report_2022, client, staff):
    client.force_login(staff("team_head", "관리자", "메타버스팀"))
    response = explain(client, "4-1", text="   ")
    assert response.status_code == 302
    assert not Explanation.objects.exists()
    assert "사유를 적어 주세요" in client.get(DASHBOARD).content.decode()


def test_a_reason_from_elsewhere_cannot_redirect_off_site(report_2022, client, staff):
    client.force_login(staff("team_head", "관리자", "메타버스팀"))
    response = client.post(
        f"/dashboard/lines/{line('4-1').pk}/explanation/", {"month": 9, "text": "사유", "next": "https://evil.example/"}
    )
    assert response["Location"] == f"/dashboard/lines/{line('4-1').pk}/"


def test_the_form_shows_only_where_the_user_may_write(report_2022, client, staff):
    client.force_login(staff("team_head", "관리자", "메타버스팀"))
    html = client.get(DASHBOARD).content.decode()
    assert html.count('action="/dashboard/lines/') == 1
    assert f'action="/dashboard/lines/{line("4-1").pk}/explanation/"' in html


def test_the_workbook_query_gives_the_newest_reason_up_to_the_month(report_2022, make_user):
    user = make_user("writer")
    Explanation.objects.create(line=line("4-1"), month=3, text="3월 사유", written_by=user)
    Explanation.objects.create(line=line("4-1"), month=9, text="9월 사유", written_by=user)
    Explanation.objects.create(line=line("1-2"), month=9, text="데이터 사유", written_by=user)
    as_of_june = {e.line.code: e.text for e in latest_explanations(2022, 6).select_related("line")}
    assert as_of_june == {"4-1": "3월 사유"}
    as_of_september = {e.line.code: e.text for e in latest_explanations(2022, 9).select_related("line")}
    assert as_of_september == {"1-2": "데이터 사유", "4-1": "9월 사유"}


# -- the 신속집행 target ------------------------------------------------------------------------------


def test_the_finance_lead_sets_the_target_before_the_first_month_closes(year_2030, client, staff):
    client.force_login(staff("finance_lead", "재무책임"))
    response = client.post("/dashboard/target/2030/", {"early_execution_target": "60", "next": URL_2030})
    assert response["Location"] == URL_2030
    fiscal_year = FiscalYear.objects.get(year=2030)
    assert fiscal_year.early_execution_target == Decimal("60")
    assert fiscal_year.history.first().history_user.username == "finance_lead"
    assert table_rows(client.get(URL_2030).content.decode(), "early")[0][3] == "60.0%"


def test_the_target_is_fixed_once_a_month_is_closed_or_reported(report_2022, client, staff):
    client.force_login(staff("finance_lead", "재무책임"))
    assert 'id="target-form"' not in client.get(DASHBOARD).content.decode()  # 2022: reported through September
    client.post("/dashboard/target/2022/", {"early_execution_target": "55.5", "next": DASHBOARD})
    assert FiscalYear.objects.get(year=2022).early_execution_target is None
    assert "목표는 첫 달 마감 전에 정합니다" in client.get(DASHBOARD).content.decode()


def test_a_target_outside_0_to_100_is_refused(year_2030, client, staff):
    client.force_login(staff("finance_lead", "재무책임"))
    client.post("/dashboard/target/2030/", {"early_execution_target": "150", "next": URL_2030})
    assert FiscalYear.objects.get(year=2030).early_execution_target == Decimal("55.5")


@pytest.mark.parametrize("role", ["관리자", "재무담당", "감사"])
def test_only_the_finance_lead_sets_the_target(report_2022, client, staff, role):
    client.force_login(staff("someone", role))
    assert client.post("/dashboard/target/2022/", {"early_execution_target": "50"}).status_code == 403
    assert 'id="target-form"' not in client.get(DASHBOARD).content.decode()


# -- drill-down --------------------------------------------------------------------------------------


def test_area_page(report_2022, manager_client):
    html = manager_client.get("/dashboard/areas/2/?year=2022&as_of=2022-09").content.decode()
    rows = table_rows(html, "area-lines")
    assert [r[0] for r in rows] == [
        "디지털 소외계층 맞춤형 역량강화",
        "로봇활용 디지털 역량강화 교육",
        "데이터 시티즌십 교육",
    ]
    assert rows[1][-2] == "96.8%"
    assert 'id="chart-area-curve"' in html
    assert manager_client.get("/dashboard/areas/9/?year=2022").status_code == 404


def test_program_page(report_2022, manager_client):
    html = manager_client.get("/dashboard/programs/4-1/?year=2022&as_of=2022-09").content.decode()
    assert table_rows(html, "line-figures") == [("400,000", "51,833", "51,833", "13.0%", "13.0%", "348,167", "348,167")]
    assert table_rows(html, "line-status")[0][:3] == ("지연 (경과 기간 대비)", "75.0%", "62.0%p")
    assert table_rows(html, "program-curve")[8] == ("9월", "51,833", "51,833", "13.0%", "300,000")
    assert manager_client.get("/dashboard/programs/9-9/?year=2022").status_code == 404


def test_line_page_months(report_2022, manager_client):
    html = manager_client.get(f"/dashboard/lines/{line('2-2').pk}/?as_of=2022-09").content.decode()
    months = table_rows(html, "months")
    assert months[0] == ("1월", "-", "-", "-", "-", "-", "-", "-")
    assert months[8] == ("1~9월 누계", "-", "220,047", "220,047", "220,047", "220,047", "96.8%", "-")
    assert months[9][0] == "10월"


def test_records_page_lists_the_stored_records(report_2022, client, staff):
    client.force_login(staff("auditor", "감사"))
    html = client.get(f"/dashboard/lines/{line('4-1').pk}/records/?as_of=2022-09").content.decode()
    rows = table_rows(html, "records")
    assert rows[0][:4] == ("1~9월 누계", "누계 기록", "51,833,000", "51,833,000")
    assert "이력 보기" in rows[0][-1]


def test_record_history(report_2022, client, staff):
    client.force_login(staff("auditor", "감사"))
    record = ExecutionRecord.objects.get(line=line("4-1"))
    html = client.get(f"/dashboard/records/{record.pk}/history/").content.decode()
    rows = table_rows(html, "record-history")
    assert len(rows) == 1 and rows[0][2] == "생성" and rows[0][4] == "51,833,000 / 51,833,000"


# -- who sees what ------------------------------------------------------------------------------------

PAGES = [
    DASHBOARD,
    "/dashboard/forecast/?year=2022&as_of=2022-09",
    "/dashboard/areas/4/?year=2022&as_of=2022-09",
    "/dashboard/programs/4-1/?year=2022&as_of=2022-09",
    "/dashboard/lines/{line}/?as_of=2022-09",
    "/dashboard/lines/{line}/records/?as_of=2022-09",
]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("role", ["재무담당", "재무책임", "관리자", "감사"])
def test_every_role_reads_the_dashboards(report_2022, client, staff, url, role):
    client.force_login(staff("someone", role))
    response = client.get(url.format(line=line("4-1").pk))
    assert response.status_code == 200
    assert "51,833" in response.content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_no_role_no_dashboard(report_2022, client, staff, url):
    url = url.format(line=line("4-1").pk)
    assert client.get(url)["Location"].startswith("/login/")
    client.force_login(staff("nobody", None))
    response = client.get(url)
    assert response.status_code == 403
    assert "51,833" not in response.content.decode()


@pytest.mark.parametrize(("role", "status"), [("관리자", 403), ("감사", 200), ("재무담당", 200)])
def test_record_history_is_for_those_who_see_history(report_2022, client, staff, role, status):
    client.force_login(staff("someone", role))
    record = ExecutionRecord.objects.get(line=line("4-1"))
    assert client.get(f"/dashboard/records/{record.pk}/history/").status_code == status
