"""A year closed by its approved 결산 takes nothing, by any way in, and a refusal saves nothing.

tests/test_settlement.py refuses one month sheet save after approval and tests/test_closing.py every way
in for 2021 (finished without a 결산); here every write there is, on 2022 once its 결산 is approved: the
month sheet and its import, the revenue sheet, a budget change, the plan, a 사유, a month's close and
reopen, the 신속집행 target, the 결산 itself and a 본예산. Each is refused naming the closed year, and every
money table and its history reads the same afterwards.
"""

import datetime

import pytest
from django.db.models import Count, Sum

from budget.changes.services import Leg, change_request
from budget.core.errors import EntryRefused
from budget.core.models import (
    BudgetAmount,
    BudgetChange,
    ExecutionRecord,
    Explanation,
    MonthlyPlan,
    MonthStatus,
    RevenueRecord,
    Settlement,
    SettlementCarryover,
)
from budget.entry.services import Entry, month_close, month_import, month_reopen, month_save
from budget.entry.years import target_set
from budget.opening.services import budget_book_save
from budget.plans.services import plan_save
from budget.plans.sheet import PlanEntry
from budget.receipts.services import Receipt, receipts_save
from budget.settlement.figures import Carry
from budget.settlement.services import settlement_approve, settlement_prepare
from dashboard.services import explanation_save
from tests.year_end import *  # noqa: F403 - the fixtures: 2022 with October–December entered and closed
from tests.year_end import carries

pytestmark = pytest.mark.django_db

FINISHED = "2022 회계연도는 결산이 끝나 닫힌 해입니다."
MONEY = [ExecutionRecord, RevenueRecord, BudgetAmount, BudgetChange, MonthlyPlan, Explanation, SettlementCarryover]


def state():
    """Every money table's rows, sums and history rows, the months' status and the 결산."""
    seen = {}
    for model in MONEY:
        fields = {f.name for f in model._meta.fields}
        sums = {name: Sum(name) for name in ("amount", "commitment", "expenditure", "collected") if name in fields}
        seen[model.__name__] = (
            model.objects.aggregate(rows=Count("pk"), **sums),
            model.history.count(),
        )
    seen["months"] = sorted(MonthStatus.objects.filter(fiscal_year_id=2022).values_list("month", "closed", "version"))
    seen["settlement"] = list(Settlement.objects.values_list("status", "approved_by", "approved_at"))
    return seen


def test_every_write_to_a_settled_year_is_refused_and_saves_nothing(closed, staff, lead):
    settlement_prepare(year=2022, carries=carries(closed), user=staff)
    settlement_approve(year=2022, user=lead)
    before = state()
    assert before["settlement"][0][0] == "approved"
    lines = closed
    day = datetime.date(2022, 12, 20)
    writes = {
        "month sheet": lambda: month_save(
            year=2022, month=12, user=staff, version=0, entries=[Entry(lines["4-1"].pk, 1_000, 1_000)]
        ),
        "import": lambda: month_import(
            year=2022, month=12, user=staff, version=0, entries=[Entry(lines["4-1"].pk, 1_000, 0)], source="x.xlsx"
        ),
        "revenue sheet": lambda: receipts_save(
            year=2022, month=12, receipts=[Receipt(lines["city-contribution"].pk, 1_000)], user=staff, version=0
        ),
        "budget change": lambda: change_request(
            year=2022,
            kind=BudgetChange.Kind.TRANSFER,
            effective_date=day,
            reason="전용",
            legs=[Leg(lines["A-2"].pk, -1_000), Leg(lines["1-2"].pk, 1_000)],
            user=staff,
        ),
        "plan": lambda: plan_save(year=2022, user=staff, entries=[PlanEntry(lines["1-2"].pk, 12, 1_000, 1_000)]),
        "사유": lambda: explanation_save(line=lines["4-1"], month=12, text="늦어짐", user=lead),
        "reopen": lambda: month_reopen(year=2022, month=12, user=lead, reason="고칠 것"),
        "close": lambda: month_close(year=2022, month=12, user=lead),
        "target": lambda: target_set(year=2022, target=50, user=lead),
        "결산": lambda: settlement_prepare(year=2022, carries={lines["4-1"].pk: Carry(accident=1_000)}, user=staff),
        "본예산": lambda: budget_book_save(year=2022, amounts={lines["4-1"].pk: 1_000}, user=lead),
    }
    for name, write in writes.items():
        with pytest.raises(EntryRefused) as refused:
            write()
        assert any(FINISHED in message for message in refused.value.messages), (name, refused.value.messages)
        assert state() == before, name
