
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, render

from budget.core.models import FiscalYear
from budget.core.pages import latest_year_page
from budget.core.periods import closed_through, offered_months, parse_as_of
from budget.reports.report import report_tables
from budget.reports.tables import SpecTable

latest_report = latest_year_page("budget:report", "budget.view_budgetline")


@login_required
@permission_required("budget.view_budgetline", raise_exception=True)
def report(request, year):
    fiscal_year = get_object_or_404(FiscalYear, year=year)
    months = offered_months(year)
    month, error = parse_as_of(request.GET.get("as_of"), year, months)
    context = {
        "fiscal_year": fiscal_year,
        "month": month,
        "as_of": f"{year}-{month:02d}",
        "months": months,
        "error": error,
        # As of the month viewed: months closed after it do not change what a view as of it says.
        "closed_through": min(closed_through(year), month),
        # A year with no budget figure yet has no table to show: not a table of zeros.
        "tables": [(spec, SpecTable(spec)) for spec in report_tables(year, month)] if months else [],
    }
    return render(request, "budget/report.html", context, status=400 if error else 200)


