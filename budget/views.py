import datetime
import io

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from . import display
from .changes import build_up
from .entry import closed_through
from .history import line_history
from .ledger import Ledger
from .models import BudgetLine, ExecutionRecord, FiscalYear
from .reports import report_tables
from .tables import SpecTable
from .workbook import workbook_checks, write_council_workbook


def parse_as_of(value: str | None, year: int) -> tuple[int, str | None]:
    """`as_of=YYYY-MM` to a month of `year`; the error names the field and what was wrong."""
    if not value:
        return latest_month(year), None
    try:
        day = datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        return latest_month(year), _("기준월(as_of) '%(value)s'은(는) YYYY-MM 형식이어야 합니다.") % {"value": value}
    if day.year != year:
        return latest_month(year), _("기준월(as_of) %(value)s은(는) %(year)s 회계연도 밖입니다.") % {
            "value": value,
            "year": year,
        }
    return day.month, None


def latest_month(year: int) -> int:
    """The last month with execution recorded, or December for a year with none."""
    month = (
        ExecutionRecord.objects.filter(line__fiscal_year_id=year)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    return month or 12


def latest_year() -> int:
    year = FiscalYear.objects.order_by("-year").values_list("year", flat=True).first()
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
    month, error = parse_as_of(request.GET.get("as_of"), year)
    context = {
        "fiscal_year": fiscal_year,
        "month": month,
        "as_of": f"{year}-{month:02d}",
        "months": range(1, 13),
        "error": error,
        "closed_through": closed_through(year),
        "tables": [(spec, SpecTable(spec)) for spec in report_tables(year, month)],
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
