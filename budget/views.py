import io

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from . import display, periods
from .changes import build_up
from .entry import closed_through
from .history import line_history
from .ledger import Ledger
from .models import BudgetLine, FiscalYear
from .periods import offered_months, parse_as_of
from .reports import report_tables
from .tables import SpecTable
from .workbook import workbook_checks, write_council_workbook


def latest_year() -> int:
    year = periods.latest_year()
    if year is None:
        raise Http404("no fiscal year yet")
    return year


@login_required
@permission_required("budget.view_budgetline", raise_exception=True)
def latest_report(request):
    return redirect("budget:report", year=latest_year())


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
    buffer = io.BytesIO()
    write_council_workbook(year, month, buffer, checks=failures)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"council-{year}-{month:02d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@permission_required("budget.view_history", raise_exception=True)
def line_history_view(request, pk):
    line = get_object_or_404(BudgetLine.objects.select_related("account", "program"), pk=pk)
    return render(request, "budget/line_history.html", {"line": line, "changes": line_history(line)})


@login_required
@permission_required("budget.view_budgetline", raise_exception=True)
def line_detail(request, pk):
    """A line's 예산현액 and how it came to be: every amount and change, with who approved it."""
    line = get_object_or_404(BudgetLine.objects.select_related("account", "program", "fiscal_year"), pk=pk)
    steps = build_up(line)
    chart = {
        "labels": [f"{s['date']:%m-%d} {s['kind']}" for s in steps],
        "ranges": [[display.in_thousands(s["start"]), display.in_thousands(s["end"])] for s in steps],
    }
    context = {"line": line, "steps": steps, "chart": chart, "total": steps[-1]["end"] if steps else 0}
    return render(request, "budget/line_detail.html", context)
