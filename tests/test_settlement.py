"""결산: 2022 with October–December entered and closed, two lines carrying money into 2023, every figure
computed by hand (tests/year_end.py and below); each refusal saves nothing; approval finishes the year,
reopening undoes it."""

import datetime
import io

import openpyxl
import pytest

from budget.changes.services import Leg, change_request
from budget.core.errors import EntryRefused
from budget.core.models import (
    BudgetAmount,
    BudgetChange,
    BudgetLine,
    ExecutionRecord,
    FiscalYear,
    Settlement,
    SettlementCarryover,
)
from budget.entry.services import Entry, month_close, month_save
from budget.reports.report import report_tables
from budget.settlement.figures import Carry, year_close
from budget.settlement.services import settlement_approve, settlement_prepare, settlement_reopen
from budget.settlement.tables import settlement_tables
from tests.year_end import *  # noqa: F403 - the fixtures: 2022 with October–December entered and closed
from tests.year_end import carries

pytestmark = pytest.mark.django_db


def saved_state():
    return (
        list(Settlement.objects.values_list("fiscal_year", "status", "approved_by")),
        list(SettlementCarryover.objects.values_list("line__code", "accident", "explicit", "reason").order_by("pk")),
        FiscalYear.objects.get(year=2022).finished,
    )


# -- the figures ----------------------------------------------------------------------------------------


def test_every_figure_of_the_close_as_computed_by_hand(closed, staff, django_assert_num_queries):
    settlement_prepare(year=2022, carries=carries(closed), user=staff)
    # the settlement, its carry-overs, the lines, amounts, execution records, receipts
    with django_assert_num_queries(6):
        close = year_close(2022)
    by_code = {line.code: line for line in close.lines}
    metaverse, research = by_code["4-1"], by_code["1-1"]
    assert (metaverse.current, metaverse.commitment, metaverse.expenditure) == (400_000_000, 151_833_000, 81_833_000)
    assert (metaverse.unpaid, metaverse.uncommitted) == (70_000_000, 248_167_000)
    assert metaverse.carryover == 170_000_000
    assert metaverse.lapsed == 400_000_000 - 81_833_000 - 170_000_000 == 148_167_000
    assert (research.expenditure, research.carryover, research.lapsed) == (195_216_000, 42_384_000, 0)
    # A line carrying nothing lapses what it did not spend: 인력운영비 2,690,810,000 − 1,376,145,000.
    assert by_code["A-1"].lapsed == 1_314_665_000
    assert close.total("current") == 10_202_380_000
    assert close.expenditure == 5_370_945_000
    assert close.carryover == 212_384_000
    assert close.total("lapsed") == 10_202_380_000 - 5_370_945_000 - 212_384_000 == 4_619_051_000
    revenue = {r.code: r for r in close.revenues}
    assert (revenue["city-contribution"].current, revenue["city-contribution"].uncollected) == (
        8_041_862_000,
        41_862_000,
    )
    assert revenue["business-income"].uncollected == 193_313_000 - 200_000_000 == -6_687_000
    assert revenue["subsidy"].current == revenue["subsidy"].collected == 0
    assert close.collected == 8_200_000_000
    assert close.surplus == 8_200_000_000 - 5_370_945_000 == 2_829_055_000
    assert close.net_surplus == 2_829_055_000 - 212_384_000 == 2_616_671_000


def test_the_tables_draw_the_same_figures(closed, staff):
    settlement_prepare(year=2022, carries=carries(closed), user=staff)
    expenditure, revenue, surplus, carried = settlement_tables(year_close(2022))
    total = expenditure.rows[0]
    assert (total["current"], total["expenditure"], total["accident"], total["explicit"], total["lapsed"]) == (
        10_202_380_000,
        5_370_945_000,
        70_000_000,
        142_384_000,
        4_619_051_000,
    )
    program = next(row for row in expenditure.rows if row["level"] == "subtotal" and row["label"] == "사업비")
    assert program["carryover"] == 212_384_000
    assert revenue.rows[0]["uncollected"] == 2_002_380_000
    # The report gives no 수납 for January–September 2022: the table says its 수납액 starts in October.
    assert revenue.notes[-1] == (
        "1~9월 수납은 보고서 누계에 없어, 수납액은 10월부터 입력된 수납만 합한 것입니다 (세계잉여금도 같음)."
    )
    assert [row["amount"] for row in surplus.rows] == [
        8_200_000_000,
        5_370_945_000,
        2_829_055_000,
        212_384_000,
        2_616_671_000,
    ]
    assert [(row["code"], row["accident"], row["explicit"], row["reason"]) for row in carried.rows] == [
        ("1-1", 0, 42_384_000, "연구 용역 납기 연장"),
        ("4-1", 70_000_000, 100_000_000, "플랫폼 2단계 구축 지연"),
    ]


# -- prepare, approve, reopen ----------------------------------------------------------------------------


def test_approval_finishes_the_year_and_reopening_is_the_undo(closed, staff, lead):
    settlement = settlement_prepare(year=2022, carries=carries(closed), user=staff)
    assert settlement.status == "prepared"
    before = [t.rows for t in settlement_tables(year_close(2022))]
    reported = {month: [t.rows for t in report_tables(2022, month)] for month in (9, 12)}
    settlement_approve(year=2022, user=lead)
    # The report's own tables read the same; December gains the 결산's four after them.
    assert [t.rows for t in report_tables(2022, 9)] == reported[9]
    assert [t.rows for t in report_tables(2022, 12)][: len(reported[12])] == reported[12]
    settlement.refresh_from_db()
    assert (settlement.status, settlement.approved_by) == ("approved", lead)
    year = FiscalYear.objects.get(year=2022)
    assert year.finished
    assert year.history.first().history_change_reason == "결산 승인"
    # what the close wrote reads the same once approved
    assert [t.rows for t in settlement_tables(year_close(2022))] == before
    # a closed year takes no entry and no new 결산
    with pytest.raises(EntryRefused, match="결산이 끝나 닫힌 해"):
        settlement_prepare(year=2022, carries={}, user=staff)
    settlement_reopen(year=2022, user=lead, reason="감사 지적으로 이월액 정정")
    settlement.refresh_from_db()
    assert (settlement.status, settlement.approved_by, settlement.approved_at) == ("prepared", None, None)
    assert settlement.history.first().history_change_reason == "감사 지적으로 이월액 정정"
    assert not FiscalYear.objects.get(year=2022).finished
    assert SettlementCarryover.objects.filter(settlement=settlement).count() == 2


def test_preparing_again_replaces_the_carry_overs_with_history(closed, staff):
    settlement_prepare(year=2022, carries=carries(closed), user=staff)
    settlement_prepare(year=2022, carries=carries(closed, **{"1-1": None}), user=staff)
    assert list(SettlementCarryover.objects.values_list("line__code", flat=True)) == ["4-1"]
    deleted = SettlementCarryover.history.filter(history_type="-").get()
    assert (deleted.line.code, deleted.history_user) == ("1-1", staff)


# -- refusals: nothing saved -----------------------------------------------------------------------------


def test_an_open_month_refuses_the_close(entered, staff, lead):
    month_close(year=2022, month=10, user=lead)
    with pytest.raises(EntryRefused) as refused:
        settlement_prepare(year=2022, carries=carries(entered), user=staff)
    assert refused.value.messages == [
        "결산할 수 없습니다.",
        "2022년 11월부터 마감되지 않았습니다. 12월까지 모든 달을 마감한 뒤 연도를 마감합니다.",
    ]
    assert saved_state() == ([], [], False)


def test_a_pending_change_refuses_the_close(entered, staff, lead):
    month_close(year=2022, month=10, user=lead)
    month_close(year=2022, month=11, user=lead)
    change = change_request(
        year=2022,
        kind=BudgetChange.Kind.TRANSFER,
        effective_date=datetime.date(2022, 12, 10),
        reason="전용",
        legs=[Leg(entered["A-2"].pk, -1_000_000), Leg(entered["1-2"].pk, 1_000_000)],
        user=staff,
    )
    # December cannot close with the change pending; the close is refused for both reasons.
    with pytest.raises(EntryRefused) as refused:
        settlement_prepare(year=2022, carries=carries(entered), user=staff)
    assert "2022년에 승인 대기 중인 예산 변경이 있습니다. 먼저 결정하세요." in refused.value.messages
    assert saved_state() == ([], [], False)
    assert change.status == "pending"


def test_a_carry_over_above_what_the_line_can_carry_is_refused(closed, staff):
    too_much = {
        "4-1": Carry(accident=70_000_001, explicit=248_167_001, reason="지연"),
        "1-1": Carry(explicit=1_000_000),
        "R-3": Carry(explicit=1_000, reason="예비비"),
    }
    with pytest.raises(EntryRefused) as refused:
        settlement_prepare(year=2022, carries=carries(closed, **too_much), user=staff)
    assert refused.value.messages == [
        "1-1 디지털 전환 정책·서비스 기획 연구: 명시이월에는 사유를 적어야 합니다.",
        "4-1 메타버스 서울 시티즌 플랫폼 구축: 사고이월 70,000,001원이 미지급액(원인행위액 − 지출액) "
        "70,000,000원을 넘습니다.",
        "4-1 메타버스 서울 시티즌 플랫폼 구축: 명시이월 248,167,001원이 원인행위 잔액(예산현액 − 원인행위액) "
        "248,167,000원을 넘습니다.",
        "R-3 일반예비비: 예비비는 다음연도로 이월할 수 없습니다.",
    ]
    assert saved_state() == ([], [], False)
    # Exactly what it can carry is taken.
    settlement_prepare(
        year=2022, carries=carries(closed, **{"4-1": Carry(70_000_000, 248_167_000, "지연")}), user=staff
    )
    assert year_close(2022).by_line()[closed["4-1"].pk].lapsed == 0


def test_a_carry_over_on_a_revenue_line_is_refused(closed, staff):
    with pytest.raises(EntryRefused, match="세출 라인이 아닌 라인에는 이월할 수 없습니다"):
        settlement_prepare(year=2022, carries={closed["surplus"].pk: Carry(explicit=1, reason="x")}, user=staff)
    assert saved_state() == ([], [], False)


def test_only_the_lead_approves_and_never_their_own(closed, staff, lead, make_user):
    with pytest.raises(EntryRefused, match="아직 작성되지 않았습니다"):
        settlement_approve(year=2022, user=lead)
    settlement_prepare(year=2022, carries=carries(closed), user=lead)
    with pytest.raises(EntryRefused, match="결산 승인은 재무책임자만"):
        settlement_approve(year=2022, user=staff)
    with pytest.raises(EntryRefused, match="작성한 사람은 승인할 수 없습니다"):
        settlement_approve(year=2022, user=lead)
    assert Settlement.objects.get().status == "prepared"
    assert not FiscalYear.objects.get(year=2022).finished
    settlement_approve(year=2022, user=make_user("lead2", "재무책임"))
    assert FiscalYear.objects.get(year=2022).finished


def test_approval_checks_again_and_a_finished_year_takes_no_entry(closed, staff, lead):
    settlement_prepare(year=2022, carries=carries(closed), user=staff)
    settlement_approve(year=2022, user=lead)
    with pytest.raises(EntryRefused, match="이미 승인되었습니다"):
        settlement_approve(year=2022, user=lead)
    with pytest.raises(EntryRefused, match="결산이 끝나 닫힌 해"):
        month_save(year=2022, month=12, user=staff, version=0, entries=[Entry(closed["4-1"].pk, 1, 1)])


# -- pages ------------------------------------------------------------------------------------------------


def test_the_page_previews_what_was_typed_without_saving(closed, staff, client):
    client.force_login(staff)
    metaverse = closed["4-1"].pk
    response = client.post(
        "/entry/2022/settlement/", {"action": "preview", f"a-{metaverse}": "70,000,000", f"x-{metaverse}": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "미리보기입니다" in html
    # 불용액 of the total in 천원: 10,202,380 − 5,370,945 − 70,000 = 4,761,435
    assert '<td class="num">4,761,435</td>' in html
    assert saved_state() == ([], [], False)
    response = client.post("/entry/2022/settlement/", {"action": "prepare", f"a-{metaverse}": "70,000,001"})
    assert response.status_code == 400
    assert "사고이월 70,000,001원이 미지급액" in response.content.decode()
    assert saved_state() == ([], [], False)
    response = client.post("/entry/2022/settlement/", {"action": "prepare", f"a-{metaverse}": "70,000,000"})
    assert response.status_code == 302
    assert saved_state()[1] == [("4-1", 70_000_000, 0, "")]


def test_the_page_query_count_is_bounded(closed, staff, client, django_assert_num_queries):
    settlement_prepare(year=2022, carries=carries(closed), user=staff)
    client.force_login(staff)
    # session, user, permissions (2), fiscal year, the settlement with who prepared it, its carry-overs; the
    # lines, amounts, execution and receipts by line (4); closed through (2), pending changes (1): whatever
    # the number of lines
    with django_assert_num_queries(14):
        response = client.get("/entry/2022/settlement/")
    assert "플랫폼 2단계 구축 지연" in response.content.decode()
    expense = closed["A-2"].account
    for n in range(30):
        line = BudgetLine.objects.create(fiscal_year_id=2022, code=f"X-{n}", name=f"추가 {n}", account=expense)
        BudgetAmount.objects.create(line=line, kind="original", effective_date=datetime.date(2022, 1, 1), amount=1_000)
        ExecutionRecord.objects.create(line=line, month=12, commitment=500, expenditure=400)
    with django_assert_num_queries(14):
        response = client.get("/entry/2022/settlement/")
    assert response.content.decode().count('name="a-') == 11 + 30  # every 경비·인건비·사업비 line has its cell


def test_the_preview_workbook_holds_every_figure(closed, staff, client):
    settlement_prepare(year=2022, carries=carries(closed), user=staff)
    client.force_login(staff)
    response = client.get("/entry/2022/settlement.xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["세출 결산", "세입 결산", "세계잉여금", "이월 명세"]
    values = [list(row) for row in wb["세계잉여금"].iter_rows(min_row=4, values_only=True)]
    assert values[:5] == [
        ["세입 수납액 계", 8_200_000],
        ["세출 지출액 계", 5_370_945],
        ["세계잉여금", 2_829_055],
        ["다음연도 이월액", 212_384],
        ["순세계잉여금", 2_616_671],
    ]
    total = next(wb["세출 결산"].iter_rows(min_row=5, max_row=5, values_only=True))
    assert list(total) == ["계", 10_202_380, 5_370_945, 70_000, 142_384, 212_384, 4_619_051]


def test_a_settled_year_shows_its_close_on_the_report_and_in_the_council_workbook(closed, staff, lead, client):
    settlement_prepare(year=2022, carries=carries(closed), user=staff)
    client.force_login(staff)
    before = client.get("/reports/2022/?as_of=2022-12").content.decode()
    assert "세계잉여금" not in before
    settlement_approve(year=2022, user=lead)
    html = client.get("/reports/2022/?as_of=2022-12").content.decode()
    assert 'id="settlement-surplus"' in html
    assert '<td class="num">2,616,671</td>' in html
    # A view as of an earlier month is what was reported then, without the 결산.
    assert "세계잉여금" not in client.get("/reports/2022/?as_of=2022-11").content.decode()
    csv = client.get("/reports/2022/settlement-surplus.csv?as_of=2022-12").content.decode("utf-8-sig")
    assert "순세계잉여금,2616671000" in csv
    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/reports/2022/council.xlsx?as_of=2022-12").content))
    assert {"세출 결산", "세입 결산", "세계잉여금", "이월 명세"} <= set(workbook.sheetnames)
    rows = list(workbook["이월 명세"].iter_rows(min_row=4, values_only=True))
    assert rows[:2] == [
        ("1-1", "디지털 전환 정책·서비스 기획 연구", 0, 0, 42_384, 42_384, "연구 용역 납기 연장"),
        ("4-1", "메타버스 서울 시티즌 플랫폼 구축", 70_000, 70_000, 100_000, 170_000, "플랫폼 2단계 구축 지연"),
    ]


def test_the_admin_shows_a_settlement_and_changes_nothing(closed, staff, client, django_user_model):
    settlement_prepare(year=2022, carries=carries(closed), user=staff)
    client.force_login(django_user_model.objects.create_superuser("admin", password="pw-not-used"))
    html = client.get("/admin/budget/settlement/2022/change/").content.decode()
    assert "70,000,000" in html and "플랫폼 2단계 구축 지연" in html
    assert client.post("/admin/budget/settlement/2022/change/", {"status": "approved"}).status_code == 403
    assert client.get("/admin/budget/settlement/add/").status_code == 403
    assert Settlement.objects.get().status == "prepared"
