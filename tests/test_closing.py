"""Closed means closed: months close in order and only by the finance lead; a month reopens only while no
later month is closed; a budget change takes effect only after the last closed month; a finished year is
read-only until the lead reopens it with a reason. Each rule holds for every way in."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from budget.changes.services import Leg, change_approve, change_request
from budget.core.errors import EntryRefused
from budget.core.ledger import Ledger
from budget.core.models import BudgetChange, BudgetLine, FiscalYear, MonthlyPlan, MonthStatus
from budget.entry.services import Entry, month_close, month_reopen, month_save
from budget.entry.years import year_finish, year_reopen
from budget.plans.services import plan_save
from budget.plans.sheet import PlanEntry
from dashboard.services import explanation_save
from tests.fixtures_2022 import *  # noqa: F403 - the 2022 report's lines by code, staff and lead

pytestmark = pytest.mark.django_db


def closed():
    return sorted(MonthStatus.objects.filter(fiscal_year=2022, closed=True).values_list("month", flat=True))


# -- months close in order, by the lead -----------------------------------------------------------------


def test_finance_staff_cannot_close_a_month(lines, staff):
    with pytest.raises(EntryRefused, match="월 마감은 재무책임자만 할 수 있습니다"):
        month_close(year=2022, month=10, user=staff)
    assert closed() == []


def test_months_close_in_order(lines, lead):
    with pytest.raises(EntryRefused) as refused:
        month_close(year=2022, month=12, user=lead)
    assert refused.value.messages == [
        "2022년 12월보다 앞선 10월, 11월이(가) 아직 마감되지 않았습니다. 달은 순서대로 마감합니다."
    ]
    month_close(year=2022, month=10, user=lead)
    month_close(year=2022, month=11, user=lead)
    month_close(year=2022, month=12, user=lead)
    assert closed() == [10, 11, 12]
    assert MonthStatus.objects.get(fiscal_year=2022, month=10).closed_at is not None


def test_a_month_reopens_only_while_no_later_month_is_closed(lines, lead):
    month_close(year=2022, month=10, user=lead)
    month_close(year=2022, month=11, user=lead)
    with pytest.raises(EntryRefused) as refused:
        month_reopen(year=2022, month=10, user=lead, reason="정정")
    assert refused.value.messages == ["2022년 11월이 마감되어 있어 10월을 해제할 수 없습니다. 뒤의 달부터 해제하세요."]
    month_reopen(year=2022, month=11, user=lead, reason="정정")
    month_reopen(year=2022, month=10, user=lead, reason="정정")
    assert closed() == []


def test_a_month_with_a_pending_change_dated_in_it_cannot_close(lines, staff, lead):
    change = change_request(
        year=2022,
        kind=BudgetChange.Kind.RESERVE_USE,
        effective_date=datetime.date(2022, 10, 20),
        reason="긴급",
        user=staff,
        legs=[Leg(lines["R-3"].pk, -1_000), Leg(lines["4-1"].pk, 1_000)],
    )
    waiting = f"승인 대기 예산 변경을 먼저 승인하거나 반려하세요: #{change.pk} \\(2022-10-20\\)"
    with pytest.raises(EntryRefused, match=waiting):
        month_close(year=2022, month=10, user=lead)
    change_approve(change_id=change.pk, user=lead)
    month_close(year=2022, month=10, user=lead)
    assert closed() == [10]


def test_the_previous_years_december_closes_first(report_2022, lead):
    FiscalYear.objects.create(year=2023)
    FiscalYear.objects.filter(year=2022).update(finished=False)
    with pytest.raises(EntryRefused, match="2022년 12월이 마감되지 않아 2023년 1월을 마감할 수 없습니다"):
        month_close(year=2023, month=1, user=lead)
    for month in (10, 11, 12):
        month_close(year=2022, month=month, user=lead)
    month_close(year=2023, month=1, user=lead)


# -- budget changes take effect only in open months --------------------------------------------------------


@pytest.mark.parametrize("day", [datetime.date(2022, 9, 30), datetime.date(2022, 3, 1)])
def test_a_change_dated_in_the_reported_months_is_refused(lines, staff, day):
    with pytest.raises(EntryRefused) as refused:
        change_request(
            year=2022,
            kind=BudgetChange.Kind.TRANSFER,
            effective_date=day,
            reason="소급",
            user=staff,
            legs=[Leg(lines["1-1"].pk, -1_000), Leg(lines["4-1"].pk, 1_000)],
        )
    assert refused.value.messages == [
        f"기준일 {day.isoformat()}은(는) 이미 마감(또는 보고)된 2022년 9월까지의 기간 안에 있습니다. "
        "예산 변경은 2022년 10월 1일 이후 날짜로만 할 수 있습니다."
    ]


def test_a_change_dated_in_a_closed_month_is_refused(lines, staff, lead):
    month_close(year=2022, month=10, user=lead)
    with pytest.raises(EntryRefused, match="이미 마감\\(또는 보고\\)된 2022년 10월까지의 기간 안에 있습니다"):
        change_request(
            year=2022,
            kind=BudgetChange.Kind.TRANSFER,
            effective_date=datetime.date(2022, 10, 31),
            reason="소급",
            user=staff,
            legs=[Leg(lines["1-1"].pk, -1_000), Leg(lines["4-1"].pk, 1_000)],
        )


def test_a_change_requested_in_an_open_month_is_not_approved_once_that_month_is_closed(lines, staff, lead):
    change = change_request(
        year=2022,
        kind=BudgetChange.Kind.TRANSFER,
        effective_date=datetime.date(2022, 11, 15),
        reason="11월 전용",
        user=staff,
        legs=[Leg(lines["1-1"].pk, -1_000), Leg(lines["4-1"].pk, 1_000)],
    )
    month_close(year=2022, month=10, user=lead)
    with pytest.raises(EntryRefused, match="승인 대기 예산 변경"):
        month_close(year=2022, month=11, user=lead)  # the services keep November open while it waits
    # A November closed all the same (a database from before this rule) still keeps the change out.
    MonthStatus.objects.update_or_create(fiscal_year_id=2022, month=11, defaults={"closed": True})
    november = Ledger(2022, 11).by("line", lines["4-1"].pk).current
    with pytest.raises(EntryRefused, match="이미 마감\\(또는 보고\\)된 2022년 11월까지의 기간 안에 있습니다"):
        change_approve(change_id=change.pk, user=lead)
    assert Ledger(2022, 11).by("line", lines["4-1"].pk).current == november == 400_000_000
    change.refresh_from_db()
    assert change.status == "pending"


# -- a finished year ----------------------------------------------------------------------------------------


FINISHED = "2021 회계연도는 결산이 끝나 닫힌 해입니다. 재무책임자가 사유를 적어 다시 열기 전에는 바꿀 수 없습니다."


def test_2021_is_a_finished_year_and_takes_no_entry(report_2022, staff, client):
    line = BudgetLine.objects.get(fiscal_year=2021, code="personnel")
    with pytest.raises(EntryRefused, match=FINISHED):
        month_save(year=2021, month=12, user=staff, version=0, entries=[Entry(line.pk, 1_000, 0)])
    client.force_login(staff)
    response = client.get("/entry/2021/12/")
    assert FINISHED in response.content.decode()
    assert "disabled" in response.content.decode()


def test_a_finished_year_takes_no_change_plan_close_or_reason(report_2022, staff, lead):
    lines = {line.code: line for line in BudgetLine.objects.for_year(2021)}
    with pytest.raises(EntryRefused, match=FINISHED):
        change_request(
            year=2021,
            kind=BudgetChange.Kind.TRANSFER,
            effective_date=datetime.date(2021, 12, 1),
            reason="x",
            user=staff,
            legs=[Leg(lines["personnel"].pk, -1), Leg(lines["expense"].pk, 1)],
        )
    with pytest.raises(EntryRefused, match=FINISHED):
        plan_save(year=2021, user=staff, entries=[PlanEntry(lines["expense"].pk, 1, 1, 0)])
    with pytest.raises(EntryRefused, match=FINISHED):
        month_close(year=2021, month=1, user=lead)
    with pytest.raises(EntryRefused, match=FINISHED):
        explanation_save(line=lines["expense"], month=12, text="x", user=lead)
    assert not MonthlyPlan.objects.exists()


def test_the_lead_reopens_a_finished_year_with_a_reason_and_it_is_audited(report_2022, staff, lead):
    with pytest.raises(EntryRefused, match="연도 재개 사유를 적어야 합니다"):
        year_reopen(year=2021, user=lead, reason=" ")
    with pytest.raises(EntryRefused, match="재무책임자만"):
        year_reopen(year=2021, user=staff, reason="결산 수정")
    year_reopen(year=2021, user=lead, reason="결산 수정")
    fiscal_year = FiscalYear.objects.get(year=2021)
    assert not fiscal_year.finished
    latest = fiscal_year.history.first()
    assert (latest.history_user, latest.history_change_reason) == (lead, "결산 수정")


def test_a_year_finishes_only_when_every_month_is_closed(lines, lead):
    with pytest.raises(EntryRefused, match="2022년 10월부터 마감되지 않았습니다"):
        year_finish(year=2022, user=lead)
    for month in (10, 11, 12):
        month_close(year=2022, month=month, user=lead)
    year_finish(year=2022, user=lead)
    assert FiscalYear.objects.get(year=2022).finished
    with pytest.raises(EntryRefused, match="2022 회계연도는 결산이 끝나 닫힌 해입니다"):
        month_reopen(year=2022, month=12, user=lead, reason="정정")


def test_the_year_pages_finish_and_reopen(lines, lead, client):
    client.force_login(lead)
    for month in (10, 11, 12):
        client.post(f"/entry/2022/{month}/close/")
    assert closed() == [10, 11, 12]
    assert 'id="finish-year"' in client.get("/entry/2022/").content.decode()
    client.post("/entry/2022/finish/")
    html = client.get("/entry/2022/").content.decode()
    assert "2022 회계연도는 마감된 해입니다." in html and 'id="reopen-year"' in html
    client.post("/entry/2022/reopen/", {"reason": "이월 정정"})
    assert not FiscalYear.objects.get(year=2022).finished


@pytest.mark.django_db(transaction=True)
def test_upgrading_a_database_marks_final_only_years_finished_and_dates_closed_months():
    """Migration 0004 on a database as 0003 left it: 2021 (held only as the report's final budget) becomes a
    finished year, 2022 stays open, and a month closed before gets the moment its history closed it."""
    executor = MigrationExecutor(connection)
    before, after = [("budget", "0003_changes_plans_explanations")], [("budget", "0004_year_finished_month_closed_at")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    account = old.get_model("budget", "Account").objects.create(
        code="personnel", side="expenditure", name="인건비", order=1
    )
    for year in (2021, 2022):
        old.get_model("budget", "FiscalYear").objects.create(year=year)
    line = old.get_model("budget", "BudgetLine").objects.create(
        fiscal_year_id=2021, code="p", name="인건비", account=account
    )
    old.get_model("budget", "BudgetAmount").objects.create(
        line=line, kind="reported_final", effective_date=datetime.date(2021, 12, 31), amount=1_000
    )
    status = old.get_model("budget", "MonthStatus").objects.create(fiscal_year_id=2022, month=10, closed=True)
    closed_at = datetime.datetime(2022, 11, 3, 9, 0, tzinfo=datetime.UTC)
    old.get_model("budget", "HistoricalMonthStatus").objects.create(
        id=status.pk, fiscal_year_id=2022, month=10, closed=True, version=1, history_date=closed_at, history_type="~"
    )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    years = dict(new.get_model("budget", "FiscalYear").objects.values_list("year", "finished"))
    assert years == {2021: True, 2022: False}
    assert new.get_model("budget", "MonthStatus").objects.get(pk=status.pk).closed_at == closed_at
    call_command("migrate", verbosity=0)  # leave the database as the other tests expect it


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", "사유를 적으세요."),
        ("계약\x00지연", "사유에 쓸 수 없는 문자(NUL)가 들어 있습니다."),
        ("가" * 1001, "사유는 1000자까지 적을 수 있습니다 (1001자)."),
    ],
)
def test_a_reason_the_form_would_refuse_is_refused_by_the_service_too(lines, lead, text, message):
    # Found by test_reported_stays on PostgreSQL: a NUL in a 사유 written without the page's form was a 500.
    from budget.core.models import Explanation

    with pytest.raises(EntryRefused) as refused:
        explanation_save(line=lines["4-1"], month=10, text=text, user=lead)
    assert refused.value.messages == [message]
    assert not Explanation.objects.exists()
    assert explanation_save(line=lines["4-1"], month=10, text="  계약 지연 ", user=lead).text == "계약 지연"
