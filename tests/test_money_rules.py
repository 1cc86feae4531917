"""The money rules over a line's whole year, for every way in: the month sheet, the import, budget changes,
the admin. Each test failed on the code before the rules were checked at every later month."""

import datetime

import pytest

from budget import imports
from budget.changes.services import Leg, change_approve, change_request
from budget.core.errors import EntryRefused
from budget.core.models import BudgetAmount, BudgetChange, BudgetLine, ExecutionRecord
from budget.entry.services import Entry, month_check, month_import, month_save
from budget.entry.sheet import month_sheet
from tests.fixtures_2022 import *  # noqa: F403 - the 2022 report's lines by code, staff and lead
from tests.html_tables import table_rows
from tests.test_import import token_of, upload, xlsx

pytestmark = pytest.mark.django_db

METAVERSE = "메타버스 서울 시티즌 플랫폼 구축"  # line 4-1: 예산현액 400,000,000; 51,833,000 committed and paid by Sep


def save(line, month, commitment, expenditure, user, note=""):
    version = month_sheet(2022, month).version
    return month_save(
        year=2022, month=month, user=user, version=version, entries=[Entry(line.pk, commitment, expenditure, note)]
    )


def stored(line):
    return {r.month: (r.commitment, r.expenditure) for r in ExecutionRecord.objects.filter(line=line, cumulative=False)}


# -- a save is checked at every later month ---------------------------------------------------------------


def test_adding_to_an_earlier_month_cannot_push_a_later_month_over_its_budget(lines, staff):
    save(lines["4-1"], 11, 348_167_000, 0, staff)  # November commits everything that is left
    with pytest.raises(EntryRefused) as refused:
        save(lines["4-1"], 10, 1, 0, staff)  # October alone is fine: 51,833,001 of 400,000,000
    assert refused.value.messages == [
        f"{METAVERSE} · 2022년 11월: 원인행위 누계 400,000,001원이(가) 11월 말 예산현액 400,000,000원을(를) "
        "1원 넘게 됩니다 (2022년 10월 입력으로)."
    ]
    assert stored(lines["4-1"]) == {11: (348_167_000, 0)}


def test_lowering_an_earlier_commitment_cannot_leave_later_spending_uncommitted(lines, staff):
    save(lines["4-1"], 10, 10_000_000, 0, staff)
    save(lines["4-1"], 11, 0, 10_000_000, staff)  # November pays everything committed by October
    with pytest.raises(EntryRefused) as refused:
        save(lines["4-1"], 10, 4_000_000, 0, staff)
    assert refused.value.messages == [
        f"{METAVERSE} · 2022년 11월: 지출 누계 61,833,000원이(가) 원인행위 누계 55,833,000원을(를) "
        "넘게 됩니다 (2022년 10월 입력으로)."
    ]
    assert stored(lines["4-1"]) == {10: (10_000_000, 0), 11: (0, 10_000_000)}


def test_an_earlier_month_cannot_undercut_a_later_correction(lines, staff):
    save(lines["4-1"], 10, 10_000_000, 0, staff)
    save(lines["4-1"], 11, -10_000_000, 0, staff, note="10월 계약 해지")  # back to what September committed
    with pytest.raises(EntryRefused) as refused:
        save(lines["4-1"], 10, 9_999_999, 0, staff)
    assert refused.value.messages == [
        f"{METAVERSE} · 2022년 11월: 지출 누계 51,833,000원이(가) 원인행위 누계 51,832,999원을(를) "
        "넘게 됩니다 (2022년 10월 입력으로)."
    ]


def test_the_month_sheet_shows_the_later_month_it_would_break(lines, staff, client):
    save(lines["4-1"], 11, 348_167_000, 0, staff)
    client.force_login(staff)
    data = {"version": "0", "reason": ""}
    for line in BudgetLine.objects.for_year(2022).expenditure():
        data[f"c-{line.pk}"] = data[f"e-{line.pk}"] = "0"
        data[f"n-{line.pk}"] = ""
    data[f"c-{lines['4-1'].pk}"] = "5,000"
    response = client.post("/entry/2022/10/", data)
    assert response.status_code == 400
    assert "2022년 11월: 원인행위 누계 400,005,000원이(가) 11월 말 예산현액 400,000,000원을(를) 5,000원" in (
        response.content.decode()
    )
    assert not ExecutionRecord.objects.filter(month=10).exists()


def test_the_import_is_checked_at_every_later_month_too(lines, staff, client):
    save(lines["4-1"], 12, 348_167_000, 0, staff)
    file = xlsx([["4-1", "", 1, 0, ""]])  # November: 1 won more would break December
    sheet = month_sheet(2022, 11)
    problems = month_check(sheet=sheet, entries=[Entry(lines["4-1"].pk, 1, 0)])
    assert problems[lines["4-1"].pk] == [
        f"{METAVERSE} · 2022년 12월: 원인행위 누계 400,000,001원이(가) 12월 말 예산현액 400,000,000원을(를) "
        "1원 넘게 됩니다 (2022년 11월 입력으로)."
    ]
    preview = imports.preview_execution(file, "november.xlsx", year=2022, month=11)
    assert not preview.ok
    assert any("2022년 12월: 원인행위 누계 400,000,001원" in str(p) for p in preview.problems)
    with pytest.raises(EntryRefused, match="2022년 12월"):
        month_import(year=2022, month=11, entries=[Entry(lines["4-1"].pk, 1, 0)], user=staff, version=0, source="f")
    client.force_login(staff)
    response = upload(client, file)
    assert response.status_code == 400
    assert "2022년 12월: 원인행위 누계 400,000,001원" in response.content.decode()
    assert not ExecutionRecord.objects.filter(month=11).exists()


def test_a_file_within_every_month_still_imports(lines, staff, client):
    save(lines["4-1"], 12, 348_167_000 - 10, 0, staff)
    client.force_login(staff)
    response = upload(client, xlsx([["4-1", "", 10, 0, ""]]))
    assert response.status_code == 200
    client.post("/entry/import/confirm/", {"token": token_of(response)})
    assert stored(lines["4-1"]) == {11: (10, 0), 12: (348_166_990, 0)}


def test_a_budget_cut_is_checked_at_every_month_from_its_date(lines, staff, lead):
    save(lines["4-1"], 12, 48_167_000, 0, staff)  # 100,000,000 committed by December
    with pytest.raises(EntryRefused) as refused:
        change_request(
            year=2022,
            kind=BudgetChange.Kind.TRANSFER,
            effective_date=datetime.date(2022, 11, 1),
            reason="사업 축소",
            user=staff,
            legs=[Leg(lines["4-1"].pk, -300_000_001), Leg(lines["1-1"].pk, 300_000_001)],
        )
    # November alone would be fine (51,833,000 committed); December is where it breaks.
    assert refused.value.messages == [
        f"{METAVERSE} · 2022년 12월: 변경 후 예산현액 99,999,999원이(가) 원인행위 누계 100,000,000원보다 1원 적습니다."
    ]
    assert not BudgetChange.objects.exists()


# -- 예비비 ---------------------------------------------------------------------------------------------


def test_no_execution_on_a_reserve_line(lines, staff):
    with pytest.raises(EntryRefused) as refused:
        save(lines["R-3"], 10, 1_000_000, 0, staff)
    assert refused.value.messages == [
        "일반예비비 · 2022년 10월: 예비비 라인에는 원인행위·지출을 입력할 수 없습니다. "
        "예비비 사용으로 쓸 라인에 옮긴 뒤 그 라인에서 집행하세요."
    ]
    assert not ExecutionRecord.objects.filter(line=lines["R-3"], month=10).exists()


def test_the_month_sheet_takes_no_input_for_a_reserve_line(lines, staff, client):
    client.force_login(staff)
    html = client.get("/entry/2022/10/").content.decode()
    reserve = lines["R-3"].pk
    cell = f'name="c-{reserve}" value="" inputmode="numeric" autocomplete="off" aria-label="일반예비비 원인행위액"'
    assert cell + " disabled" in html
    data = {"version": "0", "reason": ""}
    for line in BudgetLine.objects.for_year(2022).expenditure():
        data[f"c-{line.pk}"] = data[f"e-{line.pk}"] = "0"
        data[f"n-{line.pk}"] = ""
    data[f"c-{reserve}"] = "9,000,000"  # a hand-made post: the disabled field keeps its stored value
    data[f"c-{lines['4-1'].pk}"] = "1,000"
    assert client.post("/entry/2022/10/", data).status_code == 302
    assert not ExecutionRecord.objects.filter(line=lines["R-3"], month=10).exists()
    assert stored(lines["4-1"]) == {10: (1_000, 0)}


def test_the_import_refuses_execution_on_a_reserve_line(lines, staff):
    preview = imports.preview_execution(xlsx([["R-3", "", 1_000, 0, ""]]), "f.xlsx", year=2022, month=11)
    assert not preview.ok
    assert [str(p) for p in preview.problems] == [
        "3행 코드 R-3: 일반예비비 · 2022년 11월: 예비비 라인에는 원인행위·지출을 입력할 수 없습니다. "
        "예비비 사용으로 쓸 라인에 옮긴 뒤 그 라인에서 집행하세요."
    ]


@pytest.mark.parametrize(("giver", "taker"), [("R-3", "4-1"), ("4-1", "R-3"), ("R-1", "R-3")])
def test_a_transfer_never_moves_money_into_or_out_of_a_reserve(lines, staff, giver, taker):
    with pytest.raises(EntryRefused, match="전용으로는 예비비 라인으로도, 예비비 라인에서도 예산을 옮길 수 없습니다"):
        change_request(
            year=2022,
            kind=BudgetChange.Kind.TRANSFER,
            effective_date=datetime.date(2022, 10, 4),
            reason="x",
            user=staff,
            legs=[Leg(lines[giver].pk, -1_000_000), Leg(lines[taker].pk, 1_000_000)],
        )
    assert not BudgetChange.objects.exists()


def test_reserve_use_moves_money_out_of_a_reserve_and_never_into_one(lines, staff, lead):
    with pytest.raises(EntryRefused, match="예비비 라인으로는 옮길 수 없습니다: 내부유보금"):
        change_request(
            year=2022,
            kind=BudgetChange.Kind.RESERVE_USE,
            effective_date=datetime.date(2022, 10, 4),
            reason="x",
            user=staff,
            legs=[Leg(lines["R-3"].pk, -1_000_000), Leg(lines["R-2"].pk, 1_000_000)],
        )
    change = change_request(
        year=2022,
        kind=BudgetChange.Kind.RESERVE_USE,
        effective_date=datetime.date(2022, 10, 4),
        reason="긴급 보수",
        user=staff,
        legs=[Leg(lines["R-3"].pk, -1_000_000), Leg(lines["A-2"].pk, 1_000_000)],
    )
    change_approve(change_id=change.pk, user=lead)
    assert BudgetAmount.objects.filter(change=change).count() == 2


def test_a_supplementary_budget_cannot_take_money_from_a_reserve(lines, staff):
    with pytest.raises(EntryRefused, match="예비비는 '예비비 사용'으로만"):
        change_request(
            year=2022,
            kind=BudgetChange.Kind.SUPPLEMENTARY,
            effective_date=datetime.date(2022, 10, 4),
            reason="감액 추경",
            user=staff,
            legs=[Leg(lines["R-3"].pk, -1_000_000), Leg(lines["city-contribution"].pk, -1_000_000)],
        )


# -- the admin shows money, never changes it ----------------------------------------------------------------


@pytest.mark.parametrize("model", ["executionrecord", "budgetamount", "budgetchange", "monthstatus", "monthlyplan"])
def test_the_admin_cannot_add_or_change_money(lines, admin_client, model):
    assert admin_client.get(f"/admin/budget/{model}/").status_code == 200
    assert admin_client.get(f"/admin/budget/{model}/add/").status_code == 403


def test_the_admin_cannot_edit_an_execution_record(lines, admin_client):
    record = ExecutionRecord.objects.get(line=lines["4-1"])
    page = admin_client.get(f"/admin/budget/executionrecord/{record.pk}/change/")
    assert page.status_code == 200  # shown, read-only
    assert 'name="commitment"' not in page.content.decode()
    response = admin_client.post(
        f"/admin/budget/executionrecord/{record.pk}/change/",
        {"line": lines["4-1"].pk, "month": 9, "commitment": 999_000_000, "expenditure": 0, "note": ""},
    )
    assert response.status_code == 403
    record.refresh_from_db()
    assert (record.commitment, record.expenditure) == (51_833_000, 51_833_000)
    assert admin_client.post(f"/admin/budget/executionrecord/{record.pk}/delete/", {"post": "yes"}).status_code == 403


def test_the_admin_cannot_move_a_line_to_another_nature(lines, admin_client):
    line = lines["4-1"]
    page = admin_client.get(f"/admin/budget/budgetline/{line.pk}/change/").content.decode()
    assert 'name="account"' not in page and 'name="program"' not in page and 'name="fiscal_year"' not in page
    execution = table_rows(admin_client.get("/reports/2022/?as_of=2022-09").content.decode(), "execution")
    assert execution[0][1] == "10,202,380"
