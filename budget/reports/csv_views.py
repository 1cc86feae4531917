"""Each table of the report page as CSV: the same rows the page and the council workbook draw, as data."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from budget.core.csvfile import csv_response
from budget.core.ledger import Ledger
from budget.core.models import Account, FiscalYear
from budget.core.periods import parse_as_of
from budget.reports.report import budget_by_program, execution, side_summary, staffing
from budget.reports.revenue import KEY as REVENUE_EXECUTION
from budget.reports.revenue import revenue_execution
from budget.reports.years import KEY as COMPARED
from budget.reports.years import compared_or_missing
from budget.settlement.tables import SHEET_NAMES as SETTLEMENT_SHEETS
from budget.settlement.tables import settled_table

# Each table by its key (the page's table id), built alone: a download reads only what its table needs.
TABLES = {
    "revenue-summary": lambda ledger: side_summary(ledger, Account.Side.REVENUE),
    "expenditure-summary": lambda ledger: side_summary(ledger, Account.Side.EXPENDITURE),
    "budget-by-program": budget_by_program,
    COMPARED: compared_or_missing,
    "execution": execution,
    REVENUE_EXECUTION: revenue_execution,
    "staffing": lambda ledger: staffing(ledger.as_of),
}


@login_required
@permission_required("budget.view_budgetline", raise_exception=True)
def table_csv(request, year, key):
    """/reports/<year>/<key>.csv?as_of=YYYY-MM, as the report page is asked for."""
    get_object_or_404(FiscalYear, year=year)
    if key not in TABLES and key not in SETTLEMENT_SHEETS:
        raise Http404
    month, error = parse_as_of(request.GET.get("as_of"), year)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    # A settled year's 결산 tables, beside the report's on its view as of December.
    table = TABLES[key](Ledger(year, month)) if key in TABLES else settled_table(year, month, key)
    if table.missing:  # the page says why there is no table; a file of headers alone would say nothing
        return HttpResponse(table.missing, status=404, content_type="text/plain; charset=utf-8")
    return csv_response(table, f"{key}-{year}-{month:02d}.csv")
