from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Case, Q, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from budget import display
from budget.ledger import Ledger
from budget.models import BudgetLine, FiscalYear
from budget.periods import parse_as_of
from foundation.models import OrgUnit, StaffProfile

from .models import Program


def own_teams(user) -> list[int]:
    """The user's unit and the units directly under it (a 본부장 owns the 본부's teams)."""
    unit_id = StaffProfile.objects.filter(user_id=user.pk).values_list("unit_id", flat=True).first()
    if unit_id is None:
        return []
    return [unit_id, *OrgUnit.objects.filter(parent_id=unit_id).values_list("pk", flat=True)]


def _year(request) -> int:
    year = request.GET.get("year")
    if year and year.isdigit() and FiscalYear.objects.filter(year=int(year)).exists():
        return int(year)
    latest = (
        BudgetLine.objects.filter(program__isnull=False)
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .first()
    )
    if latest is None:
        raise Http404("no fiscal year has program lines")
    return latest


def _with_figures(programs, ledger: Ledger):
    lines = {line.program_id: line for line in ledger.lines if line.program_id}
    for program in programs:
        program.line = lines.get(program.pk)
        program.figures = ledger.by("line", program.line.pk) if program.line else None
        if program.figures:
            program.budget_millions = display.in_millions_truncated(program.figures.current)
    return programs


@login_required
@permission_required("programs.view_program", raise_exception=True)
def program_list(request):
    year = _year(request)
    month, error = parse_as_of(request.GET.get("as_of"), year)
    query = request.GET.get("q", "").strip()
    teams = own_teams(request.user)
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
    ledger = Ledger(year, month)
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
    (program,) = _with_figures([program], Ledger(year, month))
    context = {
        "program": program,
        "year": year,
        "month": month,
        "contacts": program.contacts.all(),
        "schedule": program.schedule.all(),
        "indicators": program.indicators.all(),
        "error": error,
    }
    return render(request, "programs/detail.html", context, status=400 if error else 200)
