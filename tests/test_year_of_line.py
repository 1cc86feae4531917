"""The year repeated on the rows under a line (amounts, execution records, plans) is always the line's:
filled by every way of writing, and held by the database (a foreign key on PostgreSQL, triggers on SQLite)."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from budget.core.models import BudgetAmount, BudgetLine, ExecutionRecord, MonthlyPlan

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def line(report_2022):
    return BudgetLine.objects.get(fiscal_year=2022, code="4-1")


def test_every_way_of_writing_fills_the_line_s_year(line):
    record = ExecutionRecord.objects.create(line=line, month=11, commitment=1_000)
    plans = MonthlyPlan.objects.bulk_create(
        [MonthlyPlan(line=line, month=m, commitment=1, expenditure=1) for m in (1, 2)]
    )
    amount = BudgetAmount(line=line, kind="original", effective_date=datetime.date(2022, 1, 1), amount=5)
    amount.save()
    assert record.fiscal_year_id == amount.fiscal_year_id == 2022
    assert {plan.fiscal_year_id for plan in plans} == {2022}
    # The report's rows came from the fixtures with their year.
    assert set(ExecutionRecord.objects.values_list("fiscal_year_id", flat=True)) == {2022}
    assert set(BudgetAmount.objects.filter(line__fiscal_year=2021).values_list("fiscal_year_id", flat=True)) == {2021}


@pytest.mark.parametrize("model", [ExecutionRecord, BudgetAmount, MonthlyPlan])
def test_the_database_refuses_a_year_other_than_the_line_s(line, model):
    row = model.objects.filter(line__fiscal_year=2022).first() or model.objects.create(
        line=line, month=1, commitment=1, expenditure=1
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(fiscal_year_id=2021)
        connection.check_constraints()  # PostgreSQL's key is checked at commit; ask for it now
    row.refresh_from_db()
    assert row.fiscal_year_id == 2022
