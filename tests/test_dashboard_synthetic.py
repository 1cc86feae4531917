"""The synthetic history for benchmarks: its size and shape, and that it never mixes with the real data.

Runs the generator small (a few dozen lines); on PostgreSQL it writes with COPY, on SQLite with
bulk_create, so the two test runs cover both paths.
"""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from budget.core.ledger import Ledger
from budget.core.models import BudgetAmount, BudgetLine, ExecutionRecord, FiscalYear, MonthlyPlan, MonthStatus
from programs.models import Program

pytestmark = pytest.mark.django_db

SMALL = {"years": 2, "lines": 40, "programs": 5, "teams": 2, "verbosity": 0}


def test_the_history_has_every_line_every_month(manager_client):
    call_command("generate_synthetic_history", **SMALL)
    assert list(FiscalYear.objects.values_list("year", flat=True)) == [2102, 2101]
    assert ExecutionRecord.objects.count() == 2 * 40 * 12
    assert ExecutionRecord.objects.filter(line__fiscal_year=2102).count() == 40 * 12
    assert BudgetLine.objects.filter(fiscal_year=2102, program__isnull=False).count() == 5
    assert Program.objects.filter(name__startswith="[합성]").count() == 5
    assert MonthlyPlan.objects.filter(line__fiscal_year=2102).count() % 12 == 0
    # Nothing is paid before it is committed, nor committed beyond the budget.
    for line in BudgetLine.objects.filter(fiscal_year=2102).expenditure():
        figures = Ledger(2102, 12).by("line", line.pk)
        assert 0 <= figures.expenditure <= figures.commitment <= figures.current, line
    # The budget balances: revenue equals expenditure.
    sides = dict(
        BudgetAmount.objects.filter(line__fiscal_year=2102)
        .values_list("line__account__side")
        .annotate(total=Sum("amount"))
        .values_list("line__account__side", "total")
    )
    assert sides["revenue"] == sides["expenditure"]
    assert MonthStatus.objects.filter(fiscal_year=2102, closed=True).count() == 9
    assert MonthStatus.objects.filter(fiscal_year=2101, closed=True).count() == 12
    # And the dashboard draws it, comparing 2102 with 2101 line by line.
    response = manager_client.get("/dashboard/?year=2102&as_of=2102-09")
    assert response.status_code == 200
    assert '<table class="report" id="changed">' in response.content.decode()


def test_it_refuses_a_database_with_the_reports_data(report_2022):
    with pytest.raises(CommandError, match=r"fiscal years \[2021, 2022\]"):
        call_command("generate_synthetic_history", **SMALL)
    assert not FiscalYear.objects.filter(year__gt=2100).exists()


def test_it_refuses_years_that_exist():
    call_command("generate_synthetic_history", **SMALL)
    with pytest.raises(CommandError, match="already exist"):
        call_command("generate_synthetic_history", **SMALL)


def test_delete_removes_the_synthetic_history_and_nothing_else(report_2022):
    call_command("generate_synthetic_history", i_know=True, **SMALL)
    before = ExecutionRecord.objects.filter(line__fiscal_year=2022).count()
    call_command("generate_synthetic_history", delete=True, years=2, verbosity=0)
    assert list(FiscalYear.objects.values_list("year", flat=True)) == [2022, 2021]
    assert ExecutionRecord.objects.filter(line__fiscal_year=2022).count() == before == 11
    assert not Program.objects.filter(name__startswith="[합성]").exists()
    assert Program.objects.count() == 9


def test_delete_refuses_a_real_year(report_2022):
    with pytest.raises(CommandError, match="not synthetic"):
        call_command("generate_synthetic_history", delete=True, first_year=2022, years=1, verbosity=0)
    assert ExecutionRecord.objects.filter(line__fiscal_year=2022).count() == 11
