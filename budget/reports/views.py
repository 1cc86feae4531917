from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, render

from budget.core.forms import LineSelection, asks_for_lines, page_of
from budget.core.ledger import Ledger
from budget.core.models import FiscalYear
from budget.core.pages import latest_year_page
from budget.core.periods import closed_through, offered_months, parse_as_of
from budget.reports.paging import rows_on_page
from budget.reports.report import report_tables
from budget.reports.tables import SpecTable
from budget.reports.years import KEY as COMPARED
from budget.reports.years import with_comparison

latest_report = latest_year_page("budget:report", "budget.view_budgetline")

# Lines a page of the line tables lists: a year of thousands of lines is read a page at a time.
PAGE_SIZE = 100
# The printed report's pages, as the council report groups its tables: the two 총괄 on one page.
PRINT_PAGES = [
    ("revenue-summary", "expenditure-summary"),
    ("budget-by-program",),
    (COMPARED,),
    ("execution", "staffing"),
]


def print_pages(tables):
    """The tables grouped by printed page, in the report's order; a table of no listed page gets its own."""
    by_key = {spec.key: (spec, table) for spec, table in tables}
    pages = [[by_key.pop(key) for key in keys if key in by_key] for keys in PRINT_PAGES]
    return [page for page in pages if page] + [[rest] for rest in by_key.values()]


@login_required
@permission_required("budget.view_budgetline", raise_exception=True)
def report(request, year):
    fiscal_year = get_object_or_404(FiscalYear, year=year)
    months = offered_months(year)
    month, error = parse_as_of(request.GET.get("as_of"), year, months)
    as_of = f"{year}-{month:02d}"
    page, tables = None, []
    # The summaries are by account for the whole year; the line tables are the selection's, totals included.
    # Unfiltered, the choices come from the year's line rows the ledger reads anyway.
    if asks_for_lines(request.GET):
        selection = LineSelection(request.GET, year=year)
        ledger = Ledger(year, month, lines=selection.lines())
    else:
        ledger = Ledger(year, month)
        selection = LineSelection(request.GET, year=year, line_rows=ledger.line_rows() if months else [])
    # A year with no budget figure yet has no table to show: not a table of zeros.
    if months:
        page = page_of(ledger.line_rows(), request.GET.get("page"), PAGE_SIZE)
        specs = with_comparison(report_tables(year, month, ledger=ledger), ledger)
        if page.pages > 1:
            specs = [rows_on_page(spec, set(page.ids)) for spec in specs]
        tables = [(spec, SpecTable(spec)) for spec in specs]
    context = {
        "fiscal_year": fiscal_year,
        "month": month,
        "as_of": as_of,
        "months": months,
        "error": error,
        # As of the month viewed: months closed after it do not change what a view as of it says.
        "closed_through": min(closed_through(year), month),
        "tables": tables,
        "print_pages": print_pages(tables),
        "selection": selection,
        "page": page,
        "query": selection.query(as_of=as_of),
        "keep": [("as_of", as_of)],
        "keep_query": f"as_of={as_of}",
    }
    return render(request, "budget/report.html", context, status=400 if error else 200)
