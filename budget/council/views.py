from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, render

from budget.core.ledger import Ledger
from budget.core.models import FiscalYear
from budget.core.pages import xlsx_download
from budget.core.periods import parse_as_of
from budget.council.workbook import workbook_checks, write_council_workbook
from budget.reports.report import report_tables


@login_required
@permission_required("budget.view_budgetline", raise_exception=True)
def council_workbook(request, year):
    """The council workbook; a failed check is shown to the user first, who may still download it."""
    get_object_or_404(FiscalYear, year=year)
    month, error = parse_as_of(request.GET.get("as_of"), year)
    if error:
        return render(request, "budget/workbook_checks.html", {"year": year, "error": error}, status=400)
    ledger = Ledger(year, month)
    failures = workbook_checks(ledger, report_tables(year, month, ledger=ledger))
    if failures and request.GET.get("force") != "1":
        context = {"year": year, "month": month, "failures": failures, "as_of": f"{year}-{month:02d}"}
        return render(request, "budget/workbook_checks.html", context, status=409)
    return xlsx_download(
        lambda out: write_council_workbook(year, month, out, checks=failures), f"council-{year}-{month:02d}.xlsx"
    )
