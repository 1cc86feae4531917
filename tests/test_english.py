"""Every page in English, as each role sees it: no Hangul outside the data.

Data is what users and the report wrote (names, notes, reasons, the program pages' text): it stays as
written, and the fields it comes from are listed here, field by field (DATA_FIELDS). Categories the code
or the fixtures define (natures, revenue sources, grades, kinds of outside staff, roles, statuses, month
names) are not data: they must read in English. An element marked lang="ko" says of itself that it is
Korean on purpose (the language switch's 한국어, the Excel sheet names a file must keep).
"""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.apps import apps
from lxml import html as lxml_html

from budget.changes.services import Leg, change_approve, change_request
from budget.core.models import BudgetChange, BudgetLine, ExecutionRecord, Explanation
from budget.entry.services import Entry, month_save
from foundation.models import OrgUnit, StaffProfile

pytestmark = pytest.mark.django_db

HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")

# The fields whose values are data, shown as written in any language.
DATA_FIELDS = {
    "budget.BudgetLine": ["name"],
    "budget.ExecutionRecord": ["note"],
    "budget.Explanation": ["text"],
    "budget.BudgetChange": ["reason", "reference", "decision_note"],
    "budget.BudgetAmount": ["reason", "reference"],
    "programs.PolicyArea": ["name", "report_names"],
    "programs.Program": ["name", "report_names", "purpose", "background", "contents", "achievements"],
    "programs.Contact": ["role", "name"],
    "programs.ScheduleItem": ["text", "period"],
    "programs.Indicator": ["name", "period", "unit", "note"],
    "programs.Statement": ["text"],
    "programs.ManagementGoal": ["text"],
    "programs.StrategicGoal": ["text", "keyword"],
    "foundation.OrgUnit": ["name", "head_title", "head_name"],
    "foundation.Duty": ["heading", "items"],
    "auth.User": ["first_name", "last_name"],
}
# A history row's reason is what its writer typed (or the default reason of the language they wrote in).
HISTORY_REASONS = [
    "budget.HistoricalExecutionRecord",
    "budget.HistoricalBudgetAmount",
    "budget.HistoricalBudgetChange",
    "budget.HistoricalMonthStatus",
]
ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "data-confirm")


def data_values() -> list[str]:
    values = set()
    fields = {**DATA_FIELDS, **{label: ["history_change_reason"] for label in HISTORY_REASONS}}
    for label, names in fields.items():
        for row in apps.get_model(label).objects.values_list(*names):
            for value in row:
                for part in [value or "", *(value or "").splitlines()]:
                    part = part.strip().lstrip("-▪•·※ ").strip()
                    if part:
                        values.add(part)
    return sorted(values, key=len, reverse=True)  # the longest first, so that a name inside another goes too


def stray_hangul(page: str, data: list[str]) -> list[str]:
    """Every piece of visible text, label or chart text of a page that has Hangul once the data is taken out."""
    doc = lxml_html.fromstring(page)
    for element in doc.xpath("//*[@lang='ko']"):
        element.drop_tree()
    texts = []
    for script in doc.xpath("//script"):
        if script.get("type") == "application/json":  # chart data: its labels are drawn on the page
            texts += list(_strings(json.loads(script.text or "null")))
        script.drop_tree()
    texts += doc.text_content().splitlines()
    texts += [element.get(name) for element in doc.iter() for name in ATTRIBUTES if element.get(name)]
    found = []
    for text in texts:
        rest = text
        for value in data:
            if value in rest:
                rest = rest.replace(value, " ")
        if HANGUL.search(rest):
            found.append(" ".join(rest.split())[:120])
    return sorted(set(found))


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != "unit":  # an identifier the script reads ("%" or 천원), not a word it draws
                yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@pytest.fixture
def year_in_use(report_2022, make_user):
    """2022 as finance staff and the lead leave it in October: a month entered with a correction's note, a
    budget change approved and one pending, a reason written for a line behind pace."""
    staff, lead = make_user("finance", "재무담당"), make_user("lead", "재무책임")
    lines = {line.code: line for line in BudgetLine.objects.for_year(2022)}
    month_save(
        year=2022,
        month=10,
        user=staff,
        version=0,
        entries=[
            Entry(lines["4-1"].pk, 100_000_000, 25_000_000),
            Entry(lines["2-1"].pk, -1_000, -1_000, note="9월 중복 지출 정정"),
        ],
    )
    day = datetime.date(2022, 10, 4)
    approved = change_request(
        year=2022,
        kind=BudgetChange.Kind.RESERVE_USE,
        effective_date=day,
        reason="메타버스 콘텐츠 추가 제작",
        reference="재무-2022-101",
        user=staff,
        legs=[Leg(lines["R-3"].pk, -10_000_000), Leg(lines["4-1"].pk, 10_000_000)],
    )
    change_approve(change_id=approved.pk, user=lead, note="확인")
    change_request(
        year=2022,
        kind=BudgetChange.Kind.TRANSFER,
        effective_date=day,
        reason="교육 일정 조정",
        user=staff,
        legs=[Leg(lines["2-3"].pk, -1_000_000), Leg(lines["2-2"].pk, 1_000_000)],
    )
    Explanation.objects.create(line=lines["1-2"], month=9, text="하반기 계약 예정", written_by=lead)
    return lines


def pages(lines) -> list[str]:
    metaverse = lines["4-1"]
    record = ExecutionRecord.objects.filter(line=metaverse, month=10).get()
    period = "year=2022&as_of=2022-10"
    return [
        "/",
        "/reports/2022/?as_of=2022-10",
        "/reports/2022/?as_of=2022-10&area=4",
        "/reports/2021/",
        f"/dashboard/?{period}",
        "/dashboard/?year=2021&as_of=2021-12",
        f"/dashboard/forecast/?{period}",
        f"/dashboard/areas/4/?{period}",
        f"/dashboard/programs/4-1/?{period}",
        f"/dashboard/lines/{metaverse.pk}/?{period}",
        f"/dashboard/lines/{lines['1-2'].pk}/?{period}",
        f"/dashboard/lines/{metaverse.pk}/records/?{period}",
        f"/dashboard/records/{record.pk}/history/",
        "/programs/",
        "/programs/4-1/",
        "/org/",
        "/entry/2022/",
        "/entry/2021/",
        "/entry/2022/10/",
        "/entry/2022/9/",
        "/entry/2022/10/?nature=program",
        "/entry/import/",
        "/entry/2022/plan/",
        "/entry/2022/plan/10/",
        "/budget/2022/changes/",
        f"/budget/lines/{metaverse.pk}/",
        f"/budget/lines/{lines['R-3'].pk}/",
        f"/budget/lines/{metaverse.pk}/history/",
        "/entry/2022/13/",  # not found
        "/reports/1999/",  # not found
    ]


@pytest.mark.parametrize("role", ["재무담당", "재무책임", "관리자", "감사"])
def test_every_page_in_english_has_no_hangul_outside_the_data(year_in_use, client, make_user, role):
    user = make_user(f"user-{role}", role, first_name="Reader")
    if role == "관리자":  # a team head: their own programs' pages and line history too
        StaffProfile.objects.create(user=user, unit=OrgUnit.objects.get(name="메타버스팀"))
    client.force_login(user)
    client.cookies["django_language"] = "en"
    data = data_values()
    found = {}
    statuses = {}
    for url in pages(year_in_use):
        response = client.get(url)
        statuses[url] = response.status_code
        assert response.status_code in (200, 400, 403, 404), (url, response.status_code)
        assert '<html lang="en"' in response.content.decode(), url
        stray = stray_hangul(response.content.decode(), data)
        if stray:
            found[url] = stray
    # A refused month sheet (finance roles only): the refusal's box and messages in English too.
    if role in ("재무담당", "재무책임"):
        line = year_in_use["1-1"]
        response = client.post("/entry/2022/10/", {"version": "1", "reason": "", f"c-{line.pk}": "12.5"})
        assert response.status_code == 400
        stray = stray_hangul(response.content.decode(), data)
        if stray:
            found["POST /entry/2022/10/"] = stray
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)
    # Managers and auditors meet the forbidden page (the entry pages); it is English too (checked above).
    if role in ("관리자", "감사"):
        assert statuses["/entry/2022/10/"] == 403, statuses


def test_the_login_page_in_english(client, db):
    client.cookies["django_language"] = "en"
    response = client.get("/login/")
    assert stray_hangul(response.content.decode(), ["한국어"]) == []
