"""Opening 2023 from 2022: the lines reviewed (one retired, one renamed, one added), each continuing line
knowing its 2022 line, 2022's approved 이월액 on 2023's lines and on 잉여금(이월금)수입, the 본예산 from the
budget book; 2022's report and council workbook unchanged; every refusal saves nothing."""

import io
import re

import openpyxl
import pytest

from budget.core.errors import EntryRefused
from budget.core.models import BudgetAmount, BudgetLine, FiscalYear, Settlement
from budget.council.workbook import write_council_workbook
from budget.entry.years import year_reopen
from budget.opening.book import preview_book
from budget.opening.services import Keep, New, budget_book_save, year_open
from budget.reports.report import report_tables
from budget.settlement.services import settlement_approve, settlement_prepare
from tests.year_end import *  # noqa: F403 - the fixtures: 2022 with October–December entered and closed
from tests.year_end import carries

pytestmark = pytest.mark.django_db

# The 2023 본예산 the budget book carries, by line code (won): 세입 9,700,000,000 = 세출 9,700,000,000.
BOOK = {
    "city-contribution": 9_000_000_000,
    "surplus": 500_000_000,
    "business-income": 200_000_000,
    "subsidy": 0,
    "deposit-refund": 0,
    **dict.fromkeys(("1-1", "1-2", "2-1", "2-2", "2-3", "3-1", "3-2", "3-3", "4-1"), 400000000),
    "A-1": 3_000_000_000,
    "A-2": 1_500_000_000,
    "R-1": 300_000_000,
    "R-3": 200_000_000,
    "A-3": 1_100_000_000,
}


def review(lines, retire=("R-2",), **renamed):
    keep = [
        Keep(line.pk, line.code, renamed.get(line.code, line.name))
        for line in lines.values()
        if line.code not in retire
    ]
    return keep, [New("A-3", "청사 이전", "expense")]


def settled(lines, staff, lead):
    settlement_prepare(year=2022, carries=carries(lines), user=staff)
    settlement_approve(year=2022, user=lead)


def figures_2022():
    """Every row of 2022's report as of September and December, and every cell of its council workbook."""
    rows = {month: [table.rows for table in report_tables(2022, month)] for month in (9, 12)}
    out = io.BytesIO()
    write_council_workbook(2022, 12, out)
    wb = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    cells = {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    return rows, cells


def lines_2023():
    return {line.code: line for line in BudgetLine.objects.for_year(2023).select_related("previous")}


def carried_2023():
    return dict(BudgetAmount.objects.filter(fiscal_year_id=2023, kind="carryover").values_list("line__code", "amount"))


def saved_2023():
    return (
        FiscalYear.objects.filter(year=2023).exists(),
        BudgetLine.objects.filter(fiscal_year_id=2023).count(),
        BudgetAmount.objects.filter(fiscal_year_id=2023).count(),
    )


def test_opening_carries_the_lines_and_the_approved_carry_overs(closed, staff, lead):
    settled(closed, staff, lead)
    before = figures_2022()
    keep, add = review(closed, **{"4-1": "메타버스 서울 2단계"})
    year_open(year=2022, user=lead, keep=keep, add=add)
    new = lines_2023()
    # the 19 lines of 2022, 내부유보금 retired, 청사 이전 added
    assert len(new) == 19
    assert "R-2" not in new
    assert (new["4-1"].name, new["4-1"].previous_id, new["4-1"].program_id) == (
        "메타버스 서울 2단계",
        closed["4-1"].pk,
        closed["4-1"].program_id,
    )
    assert new["A-3"].previous is None and new["A-3"].account.code == "expense"
    assert all(new[code].previous_id == closed[code].pk for code in new if code != "A-3")
    # 4-1: 사고이월 70,000,000 + 명시이월 100,000,000; 1-1: 명시이월 42,384,000; their sum funds them.
    assert carried_2023() == {"4-1": 170_000_000, "1-1": 42_384_000, "surplus": 212_384_000}
    assert BudgetAmount.objects.get(line=new["surplus"], kind="carryover").history.get().history_user == lead
    # What 2022 reported, on the page and in the council workbook, is what it reports now.
    assert figures_2022() == before


def test_opening_twice_is_refused_and_saves_nothing(closed, staff, lead):
    settled(closed, staff, lead)
    year_open(year=2022, user=lead, keep=review(closed)[0], add=[])
    state = saved_2023()
    with pytest.raises(EntryRefused) as refused:
        year_open(year=2022, user=lead, keep=review(closed)[0], add=[])
    assert refused.value.messages == ["2023 회계연도는 이미 열려 있습니다. 한 해는 한 번만 엽니다."]
    assert saved_2023() == state


def test_the_review_is_refused_whole(closed, staff, lead):
    settled(closed, staff, lead)
    keep, add = review(closed, retire=("R-2", "4-1"))
    with pytest.raises(EntryRefused) as refused:
        year_open(
            year=2022,
            user=lead,
            keep=keep,
            add=[*add, New("1-1", "중복", "program"), New("X", "사업 중복", "program", "2-1")],
        )
    assert refused.value.messages == [
        "2023년에 코드 1-1인 라인이 2개입니다. 코드는 한 해에 하나입니다.",
        "X: 사업 2-1은(는) 이미 다른 라인이 있습니다. 사업 하나에 한 해 한 라인입니다.",
    ]
    with pytest.raises(EntryRefused) as refused:
        year_open(year=2022, user=lead, keep=keep, add=add)
    assert refused.value.messages == [
        "2022년 결산이 이월하는 라인이 2023년에 없습니다: 4-1 메타버스 서울 시티즌 플랫폼 구축. "
        "이 라인을 이어 가야 합니다."
    ]
    with pytest.raises(EntryRefused, match="재무책임자만"):
        year_open(year=2022, user=staff, keep=review(closed)[0], add=[])
    assert saved_2023() == (False, 0, 0)


def test_a_settlement_approved_after_opening_carries_then_and_reopening_takes_it_back(closed, staff, lead):
    settlement_prepare(year=2022, carries=carries(closed), user=staff)
    year_open(year=2022, user=lead, keep=review(closed)[0], add=[])
    assert carried_2023() == {}
    settlement_approve(year=2022, user=lead)
    assert carried_2023() == {"4-1": 170_000_000, "1-1": 42_384_000, "surplus": 212_384_000}
    year_reopen(year=2022, user=lead, reason="이월액 정정")
    assert carried_2023() == {}
    removed = BudgetAmount.history.filter(history_type="-", line__code="surplus").get()
    assert (removed.history_user, removed.history_change_reason) == (lead, "이월액 정정")


def book_file(client, year=2023, amounts=BOOK, **changes) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(client.get(f"/entry/{year}/budget-book.xlsx").content))
    ws = wb["본예산"]
    header = [cell.value for cell in ws[2]]
    code, amount = header.index("코드") + 1, header.index("본예산") + 1
    for row in range(3, ws.max_row + 1):
        value = ws.cell(row, code).value
        ws.cell(row, amount).value = changes.get(value, amounts.get(value))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def opened(closed, staff, lead, client):
    settled(closed, staff, lead)
    keep, add = review(closed)
    year_open(year=2022, user=lead, keep=keep, add=add)
    client.force_login(lead)
    return client


def test_the_budget_book_template_lists_every_line(opened):
    wb = openpyxl.load_workbook(io.BytesIO(opened.get("/entry/2023/budget-book.xlsx").content))
    ws = wb["본예산"]
    assert [cell.value for cell in ws[1]][:2] == ["회계연도", 2023]
    assert [cell.value for cell in ws[2]][:4] == ["코드", "사업명", "본예산", "구분"]
    rows = [(row[0], row[1], row[3]) for row in ws.iter_rows(min_row=3, values_only=True)]
    assert rows[:5] == [
        ("city-contribution", "서울시출연금", "세입"),
        ("surplus", "잉여금(이월금)수입", "세입"),
        ("business-income", "사업수입", "세입"),
        ("subsidy", "보조금수입", "세입"),
        ("deposit-refund", "보증금회수수입", "세입"),
    ]
    assert {row[0] for row in rows} == set(BOOK)


def test_the_budget_book_is_imported_and_2023_compares_with_2022s_own_data(opened):
    response = opened.post("/entry/2023/budget-book/", {"file": _upload(book_file(opened))})
    html = response.content.decode()
    assert response.status_code == 200, html
    assert '<td class="num">9,700,000,000</td>' in html
    token = response.context["token"]
    response = opened.post("/entry/2023/budget-book/", {"token": token})
    assert response.status_code == 302
    original = dict(
        BudgetAmount.objects.filter(fiscal_year_id=2023, kind="original").values_list("line__code", "amount")
    )
    assert original == {code: won for code, won in BOOK.items() if won}
    summary = {t.key: t for t in report_tables(2023, 1)}
    spending = {row["label"]: row for row in summary["expenditure-summary"].rows}
    # 2023 예산현액 = 본예산 + 이월; the comparison column is 2022's own amounts to 31 December.
    assert (spending["계"]["current"], spending["계"]["previous"]) == (9_912_384_000, 10_202_380_000)
    assert (spending["사업비"]["current"], spending["사업비"]["previous"]) == (3_812_384_000, 5_207_453_000)
    revenue = {row["label"]: row for row in summary["revenue-summary"].rows}
    assert (revenue["잉여금(이월금)수입"]["current"], revenue["잉여금(이월금)수입"]["previous"]) == (
        712_384_000,
        1_728_990_000,
    )
    # Imported once: the second time is refused.
    with pytest.raises(EntryRefused, match="이미 들어 있습니다"):
        budget_book_save(year=2023, amounts={}, user=response.wsgi_request.user)


def _upload(data: bytes, name="budget-book-2023.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def test_an_unbalanced_book_is_refused_and_nothing_saved(opened, lead):
    data = book_file(opened, **{"A-3": 1_100_000_001})
    preview = preview_book(data, "book.xlsx", year=2023)
    assert (preview.revenue, preview.expenditure, preview.ok) == (9_700_000_000, 9_700_000_001, False)
    response = opened.post("/entry/2023/budget-book/", {"file": _upload(data)})
    assert response.status_code == 400
    assert "세입 계와 세출 계가 달라 넣을 수 없습니다" in response.content.decode()
    assert response.context["token"] == ""
    pks = {line.code: line.pk for line in BudgetLine.objects.for_year(2023)}
    with pytest.raises(EntryRefused) as refused:
        budget_book_save(year=2023, amounts={pks[c]: BOOK[c] + (c == "A-3") for c in BOOK}, user=lead)
    assert refused.value.messages == [
        "세입 계 9,700,000,000원과 세출 계 9,700,000,001원이 다릅니다 (차이 -1원). "
        "본예산은 세입과 세출이 같아야 합니다."
    ]
    assert not BudgetAmount.objects.filter(fiscal_year_id=2023, kind="original").exists()


def test_the_preview_names_each_rows_errors(opened):
    data = book_file(opened, **{"1-1": "일억", "A-1": -5})
    preview = preview_book(data, "book.xlsx", year=2023)
    # 1-1 is the sixth line of the book (after the five revenue lines), row 8; A-1 follows the programs.
    assert [str(p) for p in preview.problems] == [
        "8행 C열(본예산): '일억'은(는) 금액이 아닙니다. 숫자와 쉼표만 씁니다.",
        "17행 C열(본예산): 본예산은 0 이상이어야 합니다 (A-1).",
    ]
    assert not preview.ok
    response = opened.post("/entry/2023/budget-book/", {"file": _upload(data)})
    assert response.status_code == 400
    assert "8행 C열(본예산)" in response.content.decode()
    assert not BudgetAmount.objects.filter(fiscal_year_id=2023, kind="original").exists()


def test_the_year_end_pages_in_english(closed, staff, lead, client):
    from tests.test_english import data_values, stray_hangul

    settlement_prepare(year=2022, carries=carries(closed), user=staff)
    client.force_login(lead)
    client.cookies["django_language"] = "en"
    # Data: what people typed (line names, the carry-overs' reasons) stays as written.
    data = [*data_values(), "플랫폼 2단계 구축 지연", "연구 용역 납기 연장"]
    found = {}
    for url in ("/entry/2022/", "/entry/2022/settlement/", "/entry/2022/open-next/"):
        found[url] = stray_hangul(client.get(url).content.decode(), data)
    settlement_approve(year=2022, user=make_second_lead())
    report = client.get("/reports/2022/?as_of=2022-12").content.decode()
    sections = re.findall(r'<section class="report-section" aria-labelledby="settlement-.*?</section>', report, re.S)
    assert len(sections) == 4
    found["report"] = stray_hangul("<div>" + "".join(sections) + "</div>", data)
    keep, add = review(closed)
    year_open(year=2022, user=lead, keep=keep, add=add)
    data = [*data_values(), *data]  # 2023's new line's name too
    upload = _upload(book_file(client, **{"A-3": 1}))
    found["book"] = stray_hangul(client.post("/entry/2023/budget-book/", {"file": upload}).content.decode(), data)
    assert not any(found.values()), found


def make_second_lead():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(username="lead2", password="pw-not-used")
    user.groups.add(Group.objects.get(name="재무책임"))
    return user


def test_the_opening_pages_query_counts_are_bounded(closed, staff, lead, client, django_assert_max_num_queries):
    settled(closed, staff, lead)
    client.force_login(lead)
    # session, user, permissions (2), fiscal year, the year's lines, whether N+1 is open, the settlement and its
    # carry-overs, the accounts, the programs
    with django_assert_max_num_queries(11):
        response = client.get("/entry/2022/open-next/")
    assert response.content.decode().count('type="checkbox" name="keep-') == 19
    keep, add = review(closed)
    year_open(year=2022, user=lead, keep=keep, add=add)
    upload = _upload(book_file(client))
    # session, user, permissions (2), fiscal year, the year's lines with their accounts, whether it has a 본예산
    with django_assert_max_num_queries(7):
        response = client.post("/entry/2023/budget-book/", {"file": upload})
    assert response.context["preview"].ok


def test_2023_compares_each_line_with_the_line_it_continues(opened):
    from budget.core.figures import NEW
    from budget.core.ledger import Ledger
    from budget.reports.years import budget_by_program_compared

    token = opened.post("/entry/2023/budget-book/", {"file": _upload(book_file(opened))}).context["token"]
    opened.post("/entry/2023/budget-book/", {"token": token})
    rows = {row["label"]: row for row in budget_by_program_compared(Ledger(2023, 1)).rows}
    # The two carrying lines: 본예산 400,000,000 + their 이월, against their 2022 finals.
    research = rows["디지털 전환 정책·서비스 기획 연구"]
    assert (research["current"], research["previous"]) == (442_384_000, 237_600_000)
    metaverse = rows["메타버스 서울 시티즌 플랫폼 구축"]
    assert (metaverse["current"], metaverse["previous"], metaverse["change"]) == (570_000_000, 400_000_000, 170_000_000)
    # 내부유보금 stopped: 0 this year against its 401,919,000; 청사 이전 is new.
    assert (rows["내부유보금"]["current"], rows["내부유보금"]["previous"]) == (0, 401_919_000)
    assert (rows["청사 이전"]["current"], rows["청사 이전"]["change_rate"]) == (1_100_000_000, NEW)


def test_once_a_month_of_2023_is_closed_2022_carries_nothing_more_and_does_not_reopen(closed, staff, lead):
    from budget.entry.services import month_close

    settled(closed, staff, lead)
    year_open(year=2022, user=lead, keep=review(closed)[0], add=[])
    month_close(year=2023, month=1, user=lead)
    with pytest.raises(EntryRefused) as refused:
        year_reopen(year=2022, user=lead, reason="정정")
    assert refused.value.messages == ["2023년은 1월까지 마감되어 2022년의 이월액을 반영하거나 되돌릴 수 없습니다."]
    # Nothing moved: 2022 still finished and settled, 2023 still holds what it was given.
    assert FiscalYear.objects.get(year=2022).finished
    assert Settlement.objects.get(fiscal_year=2022).status == "approved"
    assert carried_2023() == {"4-1": 170_000_000, "1-1": 42_384_000, "surplus": 212_384_000}
