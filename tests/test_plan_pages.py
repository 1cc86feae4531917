"""The plan pages of a year of any size: a page of lines at a time, chosen like the month sheet's, and a
save that posts only that page changes only what it names."""

from __future__ import annotations

import re

import pytest

from budget.core.models import BudgetLine, MonthlyPlan
from budget.plans import page as plan_page_module
from budget.plans.services import plan_save
from budget.plans.sheet import PlanEntry
from tests.html_tables import table_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines(report_2022):
    return {line.code: line for line in BudgetLine.objects.for_year(2022).expenditure()}


@pytest.fixture
def finance(client, make_user):
    client.force_login(make_user("finance", "재무담당"))
    return client


def shown_lines(html: str, table: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr class="row-item[^"]*" data-line="(\d+)"', html)]


def test_the_plan_pages_show_a_page_of_lines_in_the_reports_order(lines, finance, monkeypatch):
    monkeypatch.setattr(plan_page_module, "PAGE_SIZE", 5)
    everything = shown_lines(finance.get("/entry/2022/plan/?page=1").content.decode(), "plan")
    second = finance.get("/entry/2022/plan/?page=2").content.decode()
    third = finance.get("/entry/2022/plan/?page=3").content.decode()
    # 2022: nine program lines, 인력운영비, 기본경비 and three 예비비 — fourteen lines on pages of 5, 5 and 4.
    assert len(lines) == 14
    pages = [everything, shown_lines(second, "plan"), shown_lines(third, "plan")]
    assert [len(p) for p in pages] == [5, 5, 4]
    assert sorted(pk for p in pages for pk in p) == sorted(line.pk for line in lines.values())
    assert [BudgetLine.objects.get(pk=pk).code for pk in pages[0]] == ["1-1", "1-2", "2-1", "2-2", "2-3"]
    assert "라인 14개 중 6–10번째를 보입니다." in second
    assert 'rel="prev"' in second and 'rel="next"' in second
    month = finance.get("/entry/2022/plan/3/?page=3").content.decode()
    assert shown_lines(month, "sheet") == pages[2]


def test_a_program_chosen_shows_its_line_alone(lines, finance):
    html = finance.get("/entry/2022/plan/3/?program=4-1").content.decode()
    assert shown_lines(html, "sheet") == [lines["4-1"].pk]
    assert "라인 1개 중 1–1번째를 보입니다." in html
    year = finance.get("/entry/2022/plan/?q=메타버스").content.decode()
    assert shown_lines(year, "plan") == [lines["4-1"].pk]


def test_a_page_posted_changes_only_its_lines_and_comes_back_to_the_same_page(lines, finance, monkeypatch):
    monkeypatch.setattr(plan_page_module, "PAGE_SIZE", 5)
    robot, metaverse = lines["2-2"].pk, lines["4-1"].pk
    plan_save(year=2022, entries=[PlanEntry(metaverse, 3, 7_000, 2_000)], user=None)
    page = finance.get("/entry/2022/plan/3/?page=1").content.decode()
    assert metaverse not in shown_lines(page, "sheet")
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', page).group(1)
    data = {"fingerprint": fingerprint, "reason": "1쪽만"}
    for pk in shown_lines(page, "sheet"):
        data[f"c-{pk}"] = data[f"e-{pk}"] = ""
    data[f"c-{robot}"], data[f"e-{robot}"] = "1,000", "400"
    response = finance.post("/entry/2022/plan/3/?page=1&q=", data)
    assert response.status_code == 302
    assert response["Location"] == "/entry/2022/plan/3/"
    stored = {(p.line_id, p.month): (p.commitment, p.expenditure) for p in MonthlyPlan.objects.all()}
    # The line on another page, not posted, keeps its plan; the one typed is saved.
    assert stored == {(metaverse, 3): (7_000, 2_000), (robot, 3): (1_000, 400)}
    assert MonthlyPlan.history.filter(line_id=metaverse).count() == 1
    rows = {r[0]: r for r in table_rows(finance.get("/entry/2022/plan/?program=2-2").content.decode(), "plan")}
    assert rows["로봇활용 디지털 역량강화 교육"][2:4] == ("1,000", "400")


def test_a_post_naming_a_line_of_no_sheet_is_refused_and_saves_nothing(lines, finance):
    page = finance.get("/entry/2022/plan/3/").content.decode()
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', page).group(1)
    other_year = 10**12
    response = finance.post(
        "/entry/2022/plan/3/", {"fingerprint": fingerprint, f"c-{lines['2-2'].pk}": "5", f"c-{other_year}": "5"}
    )
    assert response.status_code == 400
    assert f"2022년 세출 예산에 없는 라인입니다: {other_year}" in response.content.decode()
    assert not MonthlyPlan.objects.exists()
