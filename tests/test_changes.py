"""Budget changes: requested by finance staff, approved by the lead, reflected in 예산현액 everywhere."""

import datetime

import pytest

from budget.changes.services import Leg, change_approve, change_reject, change_request
from budget.core.errors import EntryRefused
from budget.core.ledger import Ledger
from budget.core.models import Account, BudgetAmount, BudgetChange, BudgetLine
from budget.entry.services import Entry, month_save
from budget.reports.report import side_summary
from tests.html_tables import table_rows

pytestmark = pytest.mark.django_db

DAY = datetime.date(2022, 10, 4)


@pytest.fixture
def lines(report_2022):
    return {line.code: line for line in BudgetLine.objects.for_year(2022)}


@pytest.fixture
def staff(make_user):
    return make_user("finance", "재무담당", first_name="총무회계팀 담당자")


@pytest.fixture
def lead(make_user):
    return make_user("lead", "재무책임", first_name="총무회계팀장")


def current(line, month=12):
    return Ledger(2022, month).by("line", line.pk).current


def transfer(lines, staff, amount=10_000_000, giver="R-3", taker="4-1"):
    """Money moved between two lines: from 일반예비비 (R-3) it is a 예비비 사용, between programs a 전용."""
    reserve = "R-3" in (giver, taker)
    return change_request(
        year=2022,
        kind=BudgetChange.Kind.RESERVE_USE if reserve else BudgetChange.Kind.TRANSFER,
        effective_date=DAY,
        reason="메타버스 콘텐츠 추가 제작",
        reference="재무-2022-101",
        user=staff,
        legs=[Leg(lines[giver].pk, -amount), Leg(lines[taker].pk, amount)],
    )


def test_a_transfer_moves_budget_only_once_approved(lines, staff, lead):
    change = transfer(lines, staff)
    assert change.status == "pending"
    assert current(lines["4-1"]) == 400_000_000  # requested, not yet in force
    change_approve(change_id=change.pk, user=lead)
    assert current(lines["4-1"]) == 410_000_000
    assert current(lines["R-3"]) == 267_148_000
    assert current(lines["4-1"], month=9) == 400_000_000  # as of before its date, nothing moved
    ledger = Ledger(2022, 10)
    revenue = side_summary(ledger, Account.Side.REVENUE).rows[0]["current"]
    spending = side_summary(ledger, Account.Side.EXPENDITURE).rows[0]["current"]
    assert revenue == spending == 10_202_380_000  # the totals stay equal
    amount = BudgetAmount.objects.get(line=lines["4-1"], change=change)
    assert amount.history.get().history_user == lead


def test_the_build_up_of_both_lines_shows_the_transfer_and_its_approver(lines, staff, lead, client):
    change_approve(change_id=transfer(lines, staff).pk, user=lead)
    client.force_login(lead)
    for code, amount, after in (("4-1", "10,000,000", "410,000,000"), ("R-3", "△10,000,000", "267,148,000")):
        html = client.get(f"/budget/lines/{lines[code].pk}/").content.decode()
        rows = table_rows(html, "buildup")
        assert rows[-1][:4] == ("2022-10-04", "예비비 사용", amount, after)
        assert rows[-1][4:7] == ("메타버스 콘텐츠 추가 제작", "재무-2022-101", "총무회계팀 담당자")
        assert rows[-1][7].startswith("총무회계팀장")
        opening = {"4-1": "400,000,000", "R-3": "277,148,000"}[code]  # the report's 예산현액, before the transfer
        assert rows[0][:4] == ("2022-09-30", "예산현액(보고서)", opening, opening)
        assert 'id="buildup-data"' in html


def test_a_transfer_must_net_to_zero(lines, staff):
    with pytest.raises(EntryRefused, match="전입과 전출의 차이가 1,000원입니다"):
        change_request(
            year=2022,
            kind="transfer",
            effective_date=DAY,
            reason="x",
            user=staff,
            legs=[Leg(lines["R-3"].pk, -10_000_000), Leg(lines["4-1"].pk, 10_001_000)],
        )
    assert not BudgetChange.objects.exists()


def test_a_change_may_not_leave_a_line_below_its_commitments(lines, staff):
    with pytest.raises(EntryRefused) as refused:
        transfer(lines, staff, amount=350_000_000, giver="4-1", taker="1-1")
    assert refused.value.messages == [
        "메타버스 서울 시티즌 플랫폼 구축 · 2022년 10월: 변경 후 예산현액 50,000,000원이(가) "
        "원인행위 누계 51,833,000원보다 1,833,000원 적습니다."
    ]


def test_approval_checks_again_against_commitments_made_since_the_request(lines, staff, lead):
    change = transfer(lines, staff, amount=340_000_000, giver="4-1", taker="1-1")  # leaves 60,000,000: fine today
    month_save(year=2022, month=10, user=staff, version=0, entries=[Entry(lines["4-1"].pk, 20_000_000, 0)])
    with pytest.raises(EntryRefused, match="원인행위 누계 71,833,000원보다 11,833,000원 적습니다"):
        change_approve(change_id=change.pk, user=lead)
    change.refresh_from_db()
    assert change.status == "pending" and not change.amounts.exists()


def test_a_supplementary_budget_keeps_revenue_and_expenditure_balanced(lines, staff, lead):
    with pytest.raises(EntryRefused, match="세입 변경 합계 0원과 세출 변경 합계 50,000,000원이 같아야 합니다"):
        change_request(
            year=2022,
            kind="supplementary",
            effective_date=DAY,
            reason="2회 추경",
            user=staff,
            legs=[Leg(lines["4-1"].pk, 50_000_000)],
        )
    change = change_request(
        year=2022,
        kind="supplementary",
        effective_date=DAY,
        reason="2회 추경",
        user=staff,
        legs=[Leg(lines["city-contribution"].pk, 50_000_000), Leg(lines["4-1"].pk, 50_000_000)],
    )
    change_approve(change_id=change.pk, user=lead)
    ledger = Ledger(2022, 10)
    assert side_summary(ledger, Account.Side.REVENUE).rows[0]["current"] == 10_252_380_000
    assert side_summary(ledger, Account.Side.EXPENDITURE).rows[0]["current"] == 10_252_380_000


def test_reserve_use_takes_only_from_a_reserve_line(lines, staff):
    with pytest.raises(EntryRefused, match="예비비 사용에서 감액되는 라인은 예비비 라인이어야 합니다"):
        change_request(
            year=2022,
            kind="reserve_use",
            effective_date=DAY,
            reason="x",
            user=staff,
            legs=[Leg(lines["1-1"].pk, -1_000_000), Leg(lines["4-1"].pk, 1_000_000)],
        )


def test_a_date_outside_the_year_and_a_zero_leg_are_refused(lines, staff):
    with pytest.raises(EntryRefused) as refused:
        change_request(
            year=2022,
            kind="transfer",
            effective_date=datetime.date(2023, 1, 2),
            reason="x",
            user=staff,
            legs=[Leg(lines["R-3"].pk, 0), Leg(lines["4-1"].pk, 0)],
        )
    assert refused.value.messages[0] == "기준일 2023-01-02은(는) 2022 회계연도 밖입니다."
    assert "메타버스 서울 시티즌 플랫폼 구축: 금액 0원은 변경이 아닙니다." in refused.value.messages


def test_nobody_approves_their_own_request(lines, lead):
    change = transfer(lines, lead)
    with pytest.raises(EntryRefused, match="자신이 요청한 변경은 승인할 수 없습니다"):
        change_approve(change_id=change.pk, user=lead)


def test_rejecting_needs_a_reason_and_changes_nothing(lines, staff, lead):
    change = transfer(lines, staff)
    with pytest.raises(EntryRefused, match="반려 사유를 적어야 합니다"):
        change_reject(change_id=change.pk, user=lead, note=" ")
    change_reject(change_id=change.pk, user=lead, note="근거 서류 미비")
    change.refresh_from_db()
    assert (change.status, change.decision_note, change.decided_by) == ("rejected", "근거 서류 미비", lead)
    assert current(lines["4-1"]) == 400_000_000
    with pytest.raises(EntryRefused, match="이미 반려된 변경입니다"):
        change_approve(change_id=change.pk, user=lead)


def test_the_changes_page_requests_and_the_lead_approves(lines, staff, lead, client):
    client.force_login(staff)
    data = {
        "kind": "reserve_use",
        "effective_date": "2022-10-04",
        "reason": "메타버스 콘텐츠 추가 제작",
        "reference": "",
        "leg-TOTAL_FORMS": "4",
        "leg-INITIAL_FORMS": "0",
        "leg-MIN_NUM_FORMS": "0",
        "leg-MAX_NUM_FORMS": "12",
        "leg-0-line": str(lines["R-3"].pk),
        "leg-0-amount": "-10,000,000",
        "leg-1-line": str(lines["4-1"].pk),
        "leg-1-amount": "10,000,000",
        "leg-2-line": "",
        "leg-2-amount": "",
        "leg-3-line": "",
        "leg-3-amount": "",
    }
    assert client.post("/budget/2022/changes/", data).status_code == 302
    change = BudgetChange.objects.get()
    assert client.post(f"/budget/2022/changes/{change.pk}/approve/").status_code == 403  # staff cannot approve
    bad = {**data, "leg-1-amount": "9,000,000"}
    response = client.post("/budget/2022/changes/", bad)
    assert response.status_code == 400
    assert "전입과 전출의 차이가 △1,000,000원입니다" not in response.content.decode()
    assert "전입과 전출의 차이가 -1,000,000원입니다" in response.content.decode()
    client.force_login(lead)
    client.post(f"/budget/2022/changes/{change.pk}/approve/", {"note": "확인"})
    assert current(lines["4-1"]) == 410_000_000
    html = client.get("/reports/2022/?as_of=2022-10").content.decode()
    execution = {row[0]: row for row in table_rows(html, "execution")}
    assert execution["메타버스 서울 시티즌 플랫폼 구축"][1:] == ("410,000", "51,833", "51,833", "12.6%", "12.6%")
    assert execution["예비비"][1] == "938,793"
    assert execution["계"][1] == "10,202,380"
