"""What was reported stays reported: every output as of a closed month reads the same whatever happens later.

October 2022 is entered (execution, a budget change, a plan, a 사유) and closed; September is the report's
own month. Then hypothesis applies random sequences of what users do afterwards — month entries and
imports (October's included: they must be refused), budget changes with any date, closes and reopens of
later months, plan revisions, 사유, the 신속집행 target — and every output as of September and as of
October must be exactly what it was: the report page, the council workbook (every cell of every sheet),
the dashboard and its drill-down, and the program pages. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime
import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from budget.changes.services import Leg, change_approve, change_request
from budget.core.errors import EntryRefused
from budget.core.models import BudgetChange, BudgetLine, MonthStatus
from budget.council.workbook import write_council_workbook
from budget.entry.services import Entry, month_close, month_import, month_reopen, month_save
from budget.entry.years import target_set
from budget.plans.services import plan_save
from budget.plans.sheet import PlanEntry
from dashboard.services import explanation_save
from foundation.models import OrgUnit, StaffProfile

pytestmark = pytest.mark.django_db

CODES = ["1-1", "1-2", "2-1", "2-2", "2-3", "3-1", "3-2", "3-3", "4-1", "A-1", "A-2", "R-1", "R-2", "R-3"]
PAGES = [
    "/reports/2022/?as_of={as_of}",
    "/dashboard/?year=2022&as_of={as_of}",
    "/dashboard/forecast/?year=2022&as_of={as_of}",
    "/dashboard/areas/4/?year=2022&as_of={as_of}",
    "/dashboard/areas/reserve/?year=2022&as_of={as_of}",
    "/dashboard/programs/4-1/?year=2022&as_of={as_of}",
    "/dashboard/lines/{line}/?as_of={as_of}",
    "/dashboard/lines/{line}/records/?as_of={as_of}",
    "/programs/?year=2022&as_of={as_of}",
    "/programs/4-1/?year=2022&as_of={as_of}",
]
REPORTED = ("2022-09", "2022-10")

# Forms are what a user may do now (a 사유 for the first open month, the CSRF token), not what was reported.
_FORMS = re.compile(r"<form\b.*?</form>|<details class=\"explain.*?</details>", re.DOTALL)


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return _FORMS.sub("", response.content.decode())


def _workbook(month: int) -> dict[str, list[tuple]]:
    out = io.BytesIO()
    write_council_workbook(2022, month, out)
    wb = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def outputs(client, line_pk: int) -> dict:
    seen = {}
    for as_of in REPORTED:
        for url in PAGES:
            seen[url.format(as_of=as_of, line=line_pk)] = _page(client, url.format(as_of=as_of, line=line_pk))
        seen[f"council-{as_of}.xlsx"] = _workbook(int(as_of[-2:]))
    return seen


amounts = st.integers(min_value=-2_000, max_value=400_000).map(lambda thousands: thousands * 1_000)
months = st.sampled_from([10, 11, 12])
codes = st.sampled_from(CODES)
days = st.dates(min_value=datetime.date(2022, 9, 25), max_value=datetime.date(2022, 12, 31))
actions = st.one_of(
    st.tuples(st.just("entry"), months, codes, amounts, amounts),
    st.tuples(st.just("import"), months, codes, amounts, amounts),
    st.tuples(st.just("change"), days, st.sampled_from(BudgetChange.Kind.values), codes, codes, amounts),
    st.tuples(st.just("close")),
    st.tuples(st.just("reopen")),
    st.tuples(st.just("plan"), st.integers(1, 12), codes, amounts, amounts),
    st.tuples(st.just("explain"), months, codes, st.text(min_size=1, max_size=20)),
    st.tuples(st.just("target"), st.integers(0, 100)),
)


def apply(action, lines, staff, lead) -> str:
    """Do what a user would; return what happened (for hypothesis' statistics)."""
    kind, *args = action
    try:
        if kind == "entry":
            month, code, commitment, expenditure = args
            version = MonthStatus.objects.filter(fiscal_year=2022, month=month).values_list("version", flat=True)
            entry = Entry(lines[code].pk, commitment, expenditure, "정정" if min(commitment, expenditure) < 0 else "")
            month_save(year=2022, month=month, entries=[entry], user=staff, version=version.first() or 0)
        elif kind == "import":
            month, code, commitment, expenditure = args
            version = MonthStatus.objects.filter(fiscal_year=2022, month=month).values_list("version", flat=True)
            entry = Entry(lines[code].pk, commitment, expenditure, "가져오기")
            month_import(
                year=2022, month=month, entries=[entry], user=staff, version=version.first() or 0, source="f.xlsx"
            )
        elif kind == "change":
            day, change_kind, giver, taker, amount = args
            if giver == taker or amount == 0:
                return "no change"
            legs = [Leg(lines[giver].pk, -abs(amount)), Leg(lines[taker].pk, abs(amount))]
            if change_kind in (BudgetChange.Kind.SUPPLEMENTARY, BudgetChange.Kind.CARRYOVER):
                legs = [Leg(lines["city-contribution"].pk, abs(amount)), Leg(lines[taker].pk, abs(amount))]
            change = change_request(
                year=2022, kind=change_kind, effective_date=day, reason="변경", legs=legs, user=staff
            )
            change_approve(change_id=change.pk, user=lead)
        elif kind == "close":
            month = 1 + max(MonthStatus.objects.filter(fiscal_year=2022, closed=True).values_list("month", flat=True))
            month_close(year=2022, month=month, user=lead)
        elif kind == "reopen":
            month = max(MonthStatus.objects.filter(fiscal_year=2022, closed=True).values_list("month", flat=True))
            if month <= 10:  # October itself is what is being kept; only later months come and go
                return "nothing later to reopen"
            month_reopen(year=2022, month=month, user=lead, reason="정정")
        elif kind == "plan":
            month, code, commitment, expenditure = args
            plan_save(
                year=2022,
                user=staff,
                entries=[PlanEntry(lines[code].pk, month, abs(commitment), min(abs(expenditure), abs(commitment)))],
            )
        elif kind == "explain":
            month, code, text = args
            explanation_save(line=lines[code], month=month, text=text, user=lead)
        elif kind == "target":
            target_set(year=2022, target=args[0], user=lead)
    except EntryRefused:
        return f"{kind} refused"
    return f"{kind} done"


@pytest.fixture
def people(roles, make_user):
    staff = make_user("finance", "재무담당")
    lead = make_user("lead", "재무책임")
    manager = make_user("manager", "관리자")
    # The records page of the drill-down is for those who may read the audit trail.
    manager.user_permissions.add(Permission.objects.get(codename="view_history"))
    return staff, lead, manager


def test_every_output_of_a_closed_month_is_unchanged_by_what_comes_after(report_2022, people, client):
    staff, lead, manager = people
    StaffProfile.objects.create(user=manager, unit=OrgUnit.objects.get(name="혁신사업본부"))
    lines = {line.code: line for line in BudgetLine.objects.for_year(2022)}
    # October as the finance office would leave it when it closes: entries, a 예비비 사용, a plan, a 사유.
    month_save(
        year=2022,
        month=10,
        user=staff,
        version=0,
        entries=[Entry(lines["4-1"].pk, 100_000_000, 20_000_000), Entry(lines["1-1"].pk, 50_000_000, 10_000_000)],
    )
    change = change_request(
        year=2022,
        kind=BudgetChange.Kind.RESERVE_USE,
        effective_date=datetime.date(2022, 10, 5),
        reason="긴급 보수",
        legs=[Leg(lines["R-3"].pk, -5_000_000), Leg(lines["2-2"].pk, 5_000_000)],
        user=staff,
    )
    change_approve(change_id=change.pk, user=lead)
    plan_save(
        year=2022,
        user=staff,
        entries=[PlanEntry(lines["4-1"].pk, m, 50_000_000, 40_000_000) for m in (10, 11, 12)],
    )
    explanation_save(line=lines["4-1"], month=10, text="계약 지연", user=lead)
    month_close(year=2022, month=10, user=lead)
    client.force_login(manager)
    before = outputs(client, lines["4-1"].pk)
    assert "151,833" in before["/reports/2022/?as_of=2022-10"]  # 51,833 + October's 100,000 (천원)

    @settings(
        max_examples=20,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.lists(actions, min_size=1, max_size=6))
    # Every kind of later action succeeds at least once, whatever hypothesis draws besides.
    @example(
        [
            ("entry", 11, "4-1", 30_000_000, 25_000_000),
            ("import", 12, "1-1", 1_000_000, 0),
            ("change", datetime.date(2022, 11, 2), "transfer", "1-2", "4-1", 7_000_000),
            ("change", datetime.date(2022, 12, 1), "supplementary", "4-1", "2-1", 3_000_000),
            ("plan", 11, "4-1", 80_000_000, 10_000_000),
            ("explain", 11, "4-1", "11월 사유"),
            ("close",),
            ("reopen",),
        ]
    )
    # And what must be refused is tried: October's own figures, budget and 사유, and the target.
    @example(
        [
            ("entry", 10, "4-1", 1_000, 0),
            ("import", 10, "2-1", 5_000, 0),
            ("change", datetime.date(2022, 10, 31), "transfer", "1-2", "4-1", 7_000_000),
            ("explain", 10, "4-1", "고친 사유"),
            ("target", 50),
        ]
    )
    def later(steps):
        with transaction.atomic():
            done = [apply(step, lines, staff, lead) for step in steps]
            outcomes.update(done)
            after = outputs(client, lines["4-1"].pk)
            for key, value in before.items():
                assert after[key] == value, (key, done)
            transaction.set_rollback(True)

    outcomes: set[str] = set()
    later()
    # The property was tested on data that moved: every later action happened, every forbidden one was refused.
    later_kinds = ("entry", "import", "change", "plan", "explain", "close", "reopen")
    assert {f"{kind} done" for kind in later_kinds} <= outcomes
    assert {"entry refused", "import refused", "change refused", "explain refused", "target refused"} <= outcomes
