"""The program pages: each program's text, contacts, schedule and indicators with its live budget and
execution, drawn over the reference data of programs/ and the budget's ledger."""

from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Case, Q, Value, When
from django.shortcuts import get_object_or_404, render

from budget.core import display
from budget.core.ledger import Ledger
from budget.core.models import BudgetLine, FiscalYear
from budget.core.periods import default_year, parse_as_of
from foundation.units import own_units
from programs.models import Program

from .years import program_years


def _year(request) -> int:
    year = request.GET.get("year")
    if year and year.isdigit() and FiscalYear.objects.filter(year=int(year)).exists():
        return int(year)
    return default_year()


def _with_figures(programs, ledger: Ledger):
    # The line rows the figures are added up from anyway: no model instance per line.
    lines = {row["program_id"]: row["id"] for row in ledger.line_rows() if row["program_id"]}
    for program in programs:
        line_id = lines.get(program.pk)
        program.figures = ledger.by("line", line_id) if line_id else None
        if program.figures:
            program.budget_millions = display.in_millions_truncated(program.figures.current)
    return programs


@login_required
@permission_required("programs.view_program", raise_exception=True)
def program_list(request):
    year = _year(request)
    month, error = parse_as_of(request.GET.get("as_of"), year)
    query = request.GET.get("q", "").strip()
    teams = own_units(request.user)
    # A team head sees the team's own programs first (a division head: those of the division's teams).
    programs = (
        Program.objects.select_related("area", "owner_team")
        .annotate(own=Case(When(owner_team_id__in=teams, then=Value(True)), default=Value(False)))
        .order_by("-own", "code")
    )
    if query:
        # The report spells some programs in other ways; a search for its spelling still finds them.
        programs = programs.filter(
            Q(name__icontains=query) | Q(report_names__icontains=query) | Q(code__icontains=query)
        )
    # The figures of the listed programs' lines only: a year of thousands of lines costs what the list shows.
    ledger = Ledger(year, month, lines=BudgetLine.objects.filter(fiscal_year_id=year, program__in=programs))
    context = {
        "programs": _with_figures(list(programs), ledger),
        "year": year,
        "month": month,
        "query": query,
        "error": error,
    }
    return render(request, "programs/list.html", context, status=400 if error else 200)


@login_required
@permission_required("programs.view_program", raise_exception=True)
def program_detail(request, code):
    program = get_object_or_404(Program.objects.select_related("area", "owner_team"), code=code)
    year = _year(request)
    month, error = parse_as_of(request.GET.get("as_of"), year)
    ledger = Ledger(year, month, lines=BudgetLine.objects.filter(fiscal_year_id=year, program=program))
    (program,) = _with_figures([program], ledger)
    context = {
        "program": program,
        "year": year,
        "month": month,
        "contacts": program.contacts.all(),
        "schedule": program.schedule.all(),
        "indicators": program.indicators.all(),
        "error": error,
        "years": program_years(program, year, month),
    }
    return render(request, "programs/detail.html", context, status=400 if error else 200)
