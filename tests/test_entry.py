"""Monthly entry: the month sheet, its rules, month close and reopen, history, concurrency."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budget.core.errors import EntryRefused, StaleSheet
from budget.core.models import BudgetAmount, BudgetLine, ExecutionRecord, MonthStatus
from budget.entry.services import Entry, month_close, month_save
from tests.html_tables import table_rows

pytestmark = pytest.mark.django_db

OCTOBER = "/entry/2022/10/"


@pytest.fixture
def lines(report_2022):
    return {line.code: line for line in BudgetLine.objects.for_year(2022).expenditure()}


@pytest.fixture
def finance(client, make_user):
    client.force_login(make_user("finance", "재무담당", first_name="총무회계팀 담당자"))
    return client


def sheet_post(lines, version=0, reason="", **values):
    """Form data for the October sheet: values like c_4_1="1,000" (commitment of line 4-1)."""
    data = {"version": str(version), "reason": reason}
    for line in lines.values():
        data[f"c-{line.pk}"] = data[f"e-{line.pk}"] = "0"
        data[f"n-{line.pk}"] = ""
    for key, value in values.items():
        prefix, code = key.split("_", 1)
        data[f"{prefix}-{lines[code.replace('_', '-')].pk}"] = value
    return data


def october(line):
    return ExecutionRecord.objects.filter(line=line, month=10).values_list("commitment", "expenditure").first()


def test_the_sheet_lists_every_line_with_its_remaining_budget(lines, finance):
    html = finance.get(OCTOBER).content.decode()
    rows = [r for r in table_rows(html, "sheet") if len(r) > 1]
    assert len(rows) == 14 + 1  # and the 계 row
    # The 계 row: the 2022 report's 세출 계 (10,202,380천원, 5,290,945천원 spent, 51.9%), nothing yet in October.
    assert rows[-1] == (
        "계",
        "10,202,380,000",
        "5,290,945,000",
        "5,290,945,000",
        "0",
        "0",
        "",
        "5,290,945,000",
        "5,290,945,000",
        "4,911,435,000",
        "51.9%",
    )
    metaverse = next(r for r in rows if r[0].startswith("메타버스 서울 시티즌 플랫폼 구축"))
    # 예산현액, commitments and expenditure to date, (inputs), after, 원인행위 잔액, rate
    assert metaverse[1:4] == ("400,000,000", "51,833,000", "51,833,000")
    assert metaverse[7:] == ("51,833,000", "51,833,000", "348,167,000", "13.0%")


def test_saving_three_programs_in_one_go(lines, finance):
    data = sheet_post(
        lines,
        c_1_1="10,000,000",
        e_1_1="5,000,000",
        c_2_2="7,233,000",
        e_2_2="7,233,000",
        c_4_1="100,000,000",
        e_4_1="25,000,000",
    )
    response = finance.post(OCTOBER, data)
    assert response.status_code == 302
    assert october(lines["1-1"]) == (10_000_000, 5_000_000)
    assert october(lines["2-2"]) == (7_233_000, 7_233_000)
    assert october(lines["4-1"]) == (100_000_000, 25_000_000)
    assert ExecutionRecord.objects.filter(month=10).count() == 3  # lines left at zero get no record
    assert MonthStatus.objects.get(fiscal_year=2022, month=10).version == 1
    html = finance.get("/reports/2022/?as_of=2022-10").content.decode()
    execution = {r[0]: r for r in table_rows(html, "execution")}
    assert execution["메타버스 서울 시티즌 플랫폼 구축"] == (
        "메타버스 서울 시티즌 플랫폼 구축",
        "400,000",
        "151,833",
        "76,833",
        "38.0%",
        "19.2%",
    )
    assert execution["로봇활용 디지털 역량강화 교육"][1:] == ("227,280", "227,280", "227,280", "100.0%", "100.0%")


def test_commitment_beyond_the_budget_is_refused_with_the_remaining_amount(lines, finance):
    data = sheet_post(lines, c_1_1="10,000,000", c_4_1="348,167,001")
    response = finance.post(OCTOBER, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        "메타버스 서울 시티즌 플랫폼 구축 · 2022년 10월 · 원인행위액 348,167,001원: 원인행위 누계 400,000,001원이(가) "
        "예산현액 400,000,000원을(를) 넘습니다. 원인행위 가능 잔액은 348,167,000원입니다." in html
    )
    assert ExecutionRecord.objects.filter(month=10).count() == 0  # the valid line is not saved either
    assert not MonthStatus.objects.filter(month=10, version__gt=0).exists()


def test_commitment_up_to_the_budget_exactly_is_accepted(lines, finance):
    assert finance.post(OCTOBER, sheet_post(lines, c_4_1="348,167,000")).status_code == 302
    assert october(lines["4-1"]) == (348_167_000, 0)


def test_expenditure_beyond_commitments_is_refused(lines, finance):
    response = finance.post(OCTOBER, sheet_post(lines, c_1_1="1,000", e_1_1="1,001"))
    assert response.status_code == 400
    assert (
        "디지털 전환 정책·서비스 기획 연구 · 2022년 10월 · 지출액 1,001원: 지출 누계 145,217,001원이(가) "
        "원인행위 누계 145,217,000원을(를) 넘습니다." in response.content.decode()
    )
    assert october(lines["1-1"]) is None


def test_a_negative_amount_needs_a_reason(lines, finance):
    response = finance.post(OCTOBER, sheet_post(lines, c_1_1="-5,000,000", e_1_1="-5,000,000"))
    assert response.status_code == 400
    assert "원인행위액 △5,000,000원: 음수는 정정이므로 사유를 적어야 합니다." not in response.content.decode()
    assert "원인행위액 -5,000,000원: 음수는 정정이므로 사유를 적어야 합니다." in response.content.decode()
    assert october(lines["1-1"]) is None
    data = sheet_post(lines, c_1_1="-5,000,000", e_1_1="-5,000,000", n_1_1="9월 계약 해지분 정정")
    assert finance.post(OCTOBER, data).status_code == 302
    assert october(lines["1-1"]) == (-5_000_000, -5_000_000)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("abc", "'abc'은(는) 금액이 아닙니다. 숫자와 쉼표만 씁니다."),
        ("1.5", "원 단위 미만(소수)은 입력할 수 없습니다: &#x27;1.5&#x27;"),
        ("1,000,000,000,001", "1,000,000,000,001원은 입력할 수 있는 금액(±1,000,000,000,000원)을 넘습니다."),
        ("12,34", "'12,34'은(는) 금액이 아닙니다. 숫자와 쉼표만 씁니다."),
    ],
)
def test_amounts_that_are_not_whole_won_are_refused_naming_the_line(lines, finance, typed, reason):
    response = finance.post(OCTOBER, sheet_post(lines, c_2_3=typed, c_1_1="1,000"))
    assert response.status_code == 400
    html = response.content.decode().replace("&#x27;", "'")
    assert f"데이터 시티즌십 교육 · 2022년 10월 · 원인행위액: {reason.replace('&#x27;', chr(39))}" in html
    assert ExecutionRecord.objects.filter(month=10).count() == 0


def test_amounts_are_read_as_people_type_them(lines, finance):
    data = sheet_post(lines, c_1_1=" 1,234,000 ", e_1_1="1234000", c_1_2="2000000원")
    assert finance.post(OCTOBER, data).status_code == 302
    assert october(lines["1-1"]) == (1_234_000, 1_234_000)
    assert october(lines["1-2"]) == (2_000_000, 0)


def test_a_month_outside_the_year_does_not_exist(lines, finance):
    assert finance.get("/entry/2022/13/").status_code == 404
    assert finance.get("/entry/2022/0/").status_code == 404
    assert finance.get("/entry/2030/1/").status_code == 404
    with pytest.raises(EntryRefused, match="13월은 회계연도 밖입니다"):
        month_save(year=2022, month=13, entries=[], user=None, version=0)


def test_months_the_report_gives_only_as_a_cumulative_figure_are_read_only(lines, finance):
    response = finance.get("/entry/2022/5/")
    assert "2022년 1~9월 집행은 보고서의 누계로만 있어 월별로 입력할 수 없습니다." in response.content.decode()
    response = finance.post("/entry/2022/5/", sheet_post(lines, c_1_1="1,000"))
    assert response.status_code == 400
    assert not ExecutionRecord.objects.filter(month=5).exists()


def test_a_closed_month_cannot_be_changed_until_the_lead_reopens_it(lines, make_user, client):
    staff, lead = make_user("finance", "재무담당"), make_user("lead", "재무책임")
    client.force_login(staff)
    assert client.post(OCTOBER, sheet_post(lines, c_1_1="1,000")).status_code == 302
    # Finance staff enter the month; closing it is the lead's.
    assert client.post("/entry/2022/10/close/").status_code == 403
    assert not MonthStatus.objects.get(month=10).closed
    client.force_login(lead)
    client.post("/entry/2022/10/close/")
    assert MonthStatus.objects.get(month=10).closed
    client.force_login(staff)
    response = client.post(OCTOBER, sheet_post(lines, version=2, c_1_1="2,000"))
    assert response.status_code == 400
    assert "2022년 10월은 마감되었습니다." in response.content.decode()
    assert october(lines["1-1"]) == (1_000, 0)
    # Finance staff cannot reopen; the lead can, with a reason.
    assert client.post("/entry/2022/10/reopen/", {"reason": "정정"}).status_code == 403
    client.force_login(lead)
    client.post("/entry/2022/10/reopen/", {"reason": ""})
    assert MonthStatus.objects.get(month=10).closed
    client.post("/entry/2022/10/reopen/", {"reason": "지출결의 누락분 반영"})
    status = MonthStatus.objects.get(month=10)
    assert not status.closed
    assert status.history.first().history_change_reason == "지출결의 누락분 반영"
    assert status.history.first().history_user.username == "lead"
    assert client.post(OCTOBER, sheet_post(lines, version=status.version, c_1_1="2,000")).status_code == 302
    assert october(lines["1-1"]) == (2_000, 0)


def test_the_report_says_up_to_which_month_figures_are_closed(lines, finance, make_user):
    html = finance.get("/reports/2022/?as_of=2022-10").content.decode()
    assert "2022년 9월까지 확정(마감)된 집행 실적" in html
    month_close(year=2022, month=10, user=make_user("lead", "재무책임"))
    html = finance.get("/reports/2022/?as_of=2022-10").content.decode()
    assert "2022년 10월까지 확정(마감)된 집행 실적" in html
    # As of September, a later close changes nothing the page says.
    html = finance.get("/reports/2022/?as_of=2022-09").content.decode()
    assert "2022년 9월까지 확정(마감)된 집행 실적" in html


def test_a_stale_sheet_is_refused_and_shows_the_current_figures(lines, client, make_user):
    first, second = make_user("first", "재무담당"), make_user("second", "재무담당")
    month_save(year=2022, month=10, user=first, version=0, entries=[Entry(lines["4-1"].pk, 100_000_000, 0)])
    client.force_login(second)
    response = client.post(OCTOBER, sheet_post(lines, version=0, c_4_1="50,000,000"))
    assert response.status_code == 409
    html = response.content.decode()
    assert "다른 사용자가 이 달을 먼저 저장했습니다." in html
    assert 'value="100,000,000"' in html  # the first save's figure, not the stale input
    assert october(lines["4-1"]) == (100_000_000, 0)
    with pytest.raises(StaleSheet):
        month_save(year=2022, month=10, user=second, version=0, entries=[])


def test_history_of_a_line_after_three_changes(lines, finance, make_user, client):
    metaverse = lines["4-1"]
    finance.post(OCTOBER, sheet_post(lines, version=0, c_4_1="100,000,000", reason="10월 계약"))
    finance.post(OCTOBER, sheet_post(lines, version=1, c_4_1="120,000,000", e_4_1="30,000,000"))
    finance.post(OCTOBER, sheet_post(lines, version=2, c_4_1="90,000,000", e_4_1="30,000,000"))
    client.force_login(make_user("auditor", "감사"))
    html = client.get(f"/budget/lines/{metaverse.pk}/history/").content.decode()
    rows = table_rows(html, "history")
    changes = [(r[1], r[2], r[3], r[4], r[5]) for r in rows]
    assert changes[:3] == [
        ("총무회계팀 담당자", "집행 10월", "수정", "120,000,000 / 30,000,000", "90,000,000 / 30,000,000"),
        ("총무회계팀 담당자", "집행 10월", "수정", "100,000,000 / 0", "120,000,000 / 30,000,000"),
        ("총무회계팀 담당자", "집행 10월", "생성", "", "100,000,000 / 0"),
    ]
    # The report's figures, recorded when the data was loaded (same moment, either order).
    assert set(changes[3:]) == {
        ("(시스템·데이터 적재)", "집행 9월 (누계)", "생성", "", "51,833,000 / 51,833,000"),
        ("(시스템·데이터 적재)", "예산 예산현액(보고서) 2022-09-30", "생성", "", "400,000,000"),
    }
    assert rows[2][6] == "10월 계약"


def test_saving_a_month_takes_a_bounded_number_of_queries(lines, finance):
    def save_all(version, amount):
        data = sheet_post(lines, version=version)
        for line in BudgetLine.objects.for_year(2022).expenditure():
            data[f"c-{line.pk}"] = amount
            data[f"n-{line.pk}"] = ""
        with CaptureQueriesContext(connection) as queries:
            assert finance.post(OCTOBER, data).status_code == 302
        return len(queries)

    few = save_all(0, "1")  # creates 14 records
    again = save_all(1, "2")  # updates them
    extra = [
        BudgetLine(fiscal_year_id=2022, code=f"X-{i}", name=f"추가 {i}", account=lines["A-2"].account, order=99)
        for i in range(140)
    ]
    BudgetLine.objects.bulk_create(extra)
    BudgetAmount.objects.bulk_create(
        BudgetAmount(line=line, kind="original", effective_date=datetime.date(2022, 1, 1), amount=1_000_000)
        for line in BudgetLine.objects.filter(code__startswith="X-")
    )
    lines.update({line.code: line for line in BudgetLine.objects.filter(code__startswith="X-")})
    many = save_all(2, "0")  # 154 lines: zeroes the old ones, no record for the new
    more = save_all(3, "1")  # creates 140, updates 14
    # The view and the save each read only the posted lines (one query for their ids), so that a save of one
    # cell on a year of thousands of lines stays cheap. The save reads the cumulative cover with the month's
    # lock, before the lines, so that a stale or closed month is refused without reading any.
    assert max(few, again, many, more) <= 43, (few, again, many, more)
    assert more - few <= 2  # bulk writes: batches, not a query per line


@pytest.mark.parametrize("typed", ["12 34", "１２３４", "1,٢٣٤", "1,234.", "1_000"])
def test_parse_amount_refuses_what_is_not_plainly_a_won_amount(typed):
    from django.core.exceptions import ValidationError

    from budget.core.amounts import parse_amount

    with pytest.raises(ValidationError):
        parse_amount(typed)


def test_a_post_of_only_the_changed_cells_keeps_everything_else_as_stored(lines, finance, make_user):
    """The page posts only the cells that changed; each line is saved with what is stored in its other cells
    (note included) and checked by month_save over its whole year; lines not posted are not touched."""
    month_save(
        year=2022,
        month=10,
        user=make_user("first", "재무담당"),
        version=0,
        entries=[Entry(lines["4-1"].pk, 100_000_000, 25_000_000, "10월 계약"), Entry(lines["1-1"].pk, 1_000, 0)],
    )
    metaverse = lines["4-1"].pk
    response = finance.post(OCTOBER, {"version": "1", "reason": "", f"e-{metaverse}": "30,000,000"})
    assert response.status_code == 302
    record = ExecutionRecord.objects.get(line=lines["4-1"], month=10)
    assert (record.commitment, record.expenditure, record.note) == (100_000_000, 30_000_000, "10월 계약")
    assert october(lines["1-1"]) == (1_000, 0)
    assert record.history.first().history_type == "~"
    assert ExecutionRecord.history.filter(line_id=lines["1-1"].pk, month=10).count() == 1  # not rewritten
    message = [m.message for m in response.wsgi_request._messages]
    assert message == [
        "2022년 10월 집행을 저장했습니다. 1개 라인: 메타버스 서울 시티즌 플랫폼 구축 (지출액 30,000,000원)"
    ]
    # A note alone is a change too; a correction's reason posted with the amount it explains.
    response = finance.post(OCTOBER, {"version": "2", f"c-{metaverse}": "-100,000,000", f"n-{metaverse}": ""})
    assert response.status_code == 400  # the stored note was cleared: a negative needs its reason
    assert "음수는 정정이므로 사유를 적어야 합니다" in response.content.decode()
    assert october(lines["4-1"]) == (100_000_000, 30_000_000)


def test_a_post_that_changes_nothing_saves_nothing(lines, finance):
    reserve = lines["R-3"].pk  # a 예비비 line takes no input: what a page posts for it is ignored
    response = finance.post(OCTOBER, {"version": "0", f"c-{lines['1-1'].pk}": "0", f"c-{reserve}": "1,000"})
    assert response.status_code == 302
    assert [m.message for m in response.wsgi_request._messages] == ["바뀐 값이 없어 저장하지 않았습니다."]
    assert not ExecutionRecord.objects.filter(month=10).exists()
    assert not MonthStatus.objects.filter(month=10, version__gt=0).exists()


def test_a_line_that_is_not_the_years_is_refused(lines, finance, report_2022):
    revenue = BudgetLine.objects.for_year(2022).revenue().first()
    response = finance.post(OCTOBER, {"version": "0", f"c-{revenue.pk}": "1,000"})
    assert response.status_code == 400
    assert f"2022년 10월 시트에 없는 라인입니다: {revenue.pk}" in response.content.decode()
    assert not ExecutionRecord.objects.filter(month=10).exists()


def test_a_stale_post_says_what_was_not_saved(lines, finance, make_user):
    first = make_user("first", "재무담당")
    month_save(year=2022, month=10, user=first, version=0, entries=[Entry(lines["4-1"].pk, 1, 0)])
    response = finance.post(OCTOBER, {"version": "0", f"c-{lines['1-1'].pk}": "5,000"})
    assert response.status_code == 409
    html = response.content.decode()
    problems = html[html.index('id="sheet-problems"') :]
    assert "저장하지 않았습니다." in problems
    assert "디지털 전환 정책·서비스 기획 연구 (원인행위액 5,000원)" in problems
    assert october(lines["1-1"]) is None


def test_the_sheet_lists_a_selection_a_page_at_a_time_with_the_selections_totals(lines, finance, monkeypatch):
    # 사업비 only: the nine programs, and the 계 of the report's 사업비 row (5,207,453천원, 3,114,931천원).
    html = finance.get(OCTOBER, {"nature": "program"}).content.decode()
    rows = [r for r in table_rows(html, "sheet") if len(r) > 1]
    assert len(rows) == 9 + 1
    assert rows[-1][0] == "계 (고른 라인 9개)"
    assert rows[-1][1:4] == ("5,207,453,000", "3,114,931,000", "3,114,931,000")
    assert rows[-1][-2:] == ("2,092,522,000", "59.8%")
    # A page of five lines: the 계 row is still the whole selection's (the report's 세출 계).
    monkeypatch.setattr("budget.entry.month_page.PAGE_SIZE", 5)
    html = finance.get(OCTOBER, {"page": "2"}).content.decode()
    rows = [r for r in table_rows(html, "sheet") if len(r) > 1]
    assert [r[0].split(" 이력")[0] for r in rows[:-1]] == [
        "서울 스마트시티센터 운영",
        "스마트도시 솔루션 도시적용 및 확산 지원",
        "기술기업 해외진출 지원",
        "메타버스 서울 시티즌 플랫폼 구축",
        "인력운영비",
    ]
    assert rows[-1][1:4] == ("10,202,380,000", "5,290,945,000", "5,290,945,000")
    assert "라인 14개 중 6–10번째를 보입니다." in html
    assert 'href="?page=3"' in html
    # A search by code or name; a choice that is not the year's is said, not obeyed.
    html = finance.get(OCTOBER, {"q": "메타버스", "area": "9"}).content.decode()
    rows = [r for r in table_rows(html, "sheet") if len(r) > 1]
    assert [r[0].split(" 이력")[0] for r in rows[:-1]] == ["메타버스 서울 시티즌 플랫폼 구축"]
    assert "정책분야: " in html


def test_the_month_list_says_entering_only_once_a_figure_is_in(lines, client, make_user):
    lead = make_user("lead", "재무책임")
    client.force_login(lead)
    month_close(year=2022, month=10, user=lead)
    client.post("/entry/2022/10/reopen/", {"reason": "확인"})
    months = dict(table_rows(client.get("/entry/2022/").content.decode(), "months"))
    assert months["2022-10"] == "입력 전"  # closed and reopened, but nothing entered
    assert months["2022-09"] == "보고서 누계"
    month_save(year=2022, month=11, user=lead, version=0, entries=[Entry(lines["4-1"].pk, 1_000, 0)])
    months = dict(table_rows(client.get("/entry/2022/").content.decode(), "months"))
    assert months["2022-11"] == "입력 중"


def test_a_stale_save_is_refused_before_any_line_is_read(lines, finance):
    """The commonest refusal on a busy month costs the lock and the version, not the figures: month_save
    reads no line, amount or record when the sheet was drawn at an older version."""
    assert finance.post(OCTOBER, sheet_post(lines, version=0, c_4_1="1")).status_code == 302  # now version 1
    with CaptureQueriesContext(connection) as queries, pytest.raises(StaleSheet):
        month_save(year=2022, month=10, entries=[Entry(lines["4-1"].pk, 5, 0)], user=None, version=0)
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert "budget_monthstatus" in read
    for table in ("budget_budgetline", "budget_budgetamount", '"budget_executionrecord"."line_id"'):
        assert table not in read, table


def test_a_sheet_drawn_from_the_pages_ledger_is_the_sheet_drawn_from_its_lines(lines, finance):
    """The one-page sheet takes its figures from the ledger its totals were read from; a paged one reads the
    lines it shows. Both give the same rows, figure for figure."""
    from budget.core.ledger import Ledger
    from budget.entry.sheet import month_sheet

    assert finance.post(OCTOBER, sheet_post(lines, version=0, c_4_1="30,000,000", e_4_1="1,000")).status_code == 302

    def rows(sheet):
        return [
            (s.line.code, s.current, s.commitment_before, s.expenditure_before, s.commitment, s.expenditure, s.entered)
            for s in sheet.lines
        ]

    from_ledger = month_sheet(2022, 10, ledger=Ledger(2022, 10))
    from_lines = month_sheet(2022, 10, lines=BudgetLine.objects.filter(pk__in=[line.pk for line in lines.values()]))
    assert rows(from_ledger) == rows(from_lines)
    assert ("4-1", 30_000_000, 1_000) in [(code, c, e) for code, _cur, _cb, _eb, c, e, _entered in rows(from_ledger)]
    assert (from_ledger.version, from_ledger.locked) == (from_lines.version, from_lines.locked) == (1, "")
    with pytest.raises(ValueError):
        month_sheet(2022, 10, ledger=Ledger(2022, 9))
