"""The execution dashboards: the overview, and the drill-down area → program → line → records → history.

Views are thin: read the choices from the URL, build the rows (dashboard.overview), render. Every page
runs a fixed number of queries whatever the number of lines (tests/test_dashboard_queries.py).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from budget.entry import closed_through, covered_through
from budget.errors import EntryRefused
from budget.history import version_changes as record_changes
from budget.ledger import Ledger, section_expression
from budget.models import Account, BudgetLine, ExecutionRecord, Explanation, FiscalYear
from budget.periods import latest_month, latest_year, parse_as_of
from budget.reports import as_of_caption
from budget.tables import SpecTable
from budget.years import target_set
from programs.models import Program

from . import charts
from .access import can_explain, explainer, own_units
from .figures import LARGE_CHANGE, NEARLY_COMMITTED, PACE_MARGIN, PLAN_MARGIN
from .filters import DashboardFilter
from .forms import ExplanationForm, TargetForm
from .overview import build, cumulative_curve, line_statuses, month_rows
from .services import explanation_save

# How many rows the overview lists per attention list and in the forecast; the rest are one click away.
LIST_LIMIT = 20
FORECAST_PAGE = 100
AREA_PAGE = 100

RULES = {
    "pace_margin": PACE_MARGIN,
    "plan_margin": PLAN_MARGIN,
    "nearly_committed": NEARLY_COMMITTED,
    "large_change": LARGE_CHANGE,
}


def _latest_year() -> int:
    year = latest_year()
    if year is None:
        raise Http404("no fiscal year has budget lines")
    return year


def _canonical(request) -> str | None:
    """Where a dashboard URL missing its year or month is sent: the same choices, filled in, so that
    what is on the screen is always in the address bar."""
    if request.GET.get("year") and request.GET.get("as_of"):
        return None
    year = request.GET.get("year", "")
    as_of = request.GET.get("as_of", "")
    if not year.isdigit():
        year = as_of[:4] if as_of[:4].isdigit() else str(_latest_year())
    if not as_of:
        as_of = f"{year}-{latest_month(int(year)):02d}"
    query = {"year": year, "as_of": as_of}
    query.update({k: request.GET[k] for k in ("team", "nature") if request.GET.get(k)})
    return f"{request.path}?{urlencode(query)}"


def _period(request) -> tuple[FiscalYear, int, str | None]:
    """The fiscal year and month of a drill-down page, from ?year= and ?as_of= (either gives the year)."""
    as_of = request.GET.get("as_of", "")
    year = request.GET.get("year", "") or as_of[:4]
    if not year.isdigit():
        year = str(_latest_year())
    fiscal_year = get_object_or_404(FiscalYear, year=int(year))
    month, error = parse_as_of(as_of or None, fiscal_year.year)
    return fiscal_year, month, error


def _query(year: int, month: int, **extra) -> str:
    return urlencode({"year": year, "as_of": f"{year}-{month:02d}", **{k: v for k, v in extra.items() if v}})


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def explanation_month(year: int, month: int, through: int | None = None) -> int | None:
    """The month a 사유 written on a view as of `month` is for: that month while it is open; once it is
    closed (its 사유 went out with it), the first open month; None when the whole year is closed.
    `through` is the year's closed-through month where the caller has it."""
    through = closed_through(year) if through is None else through
    if month > through:
        return month
    return through + 1 if through < 12 else None


def _mark_explainable(request, statuses, units):
    may = explainer(request.user, units)
    for status in statuses:
        status.can_explain = may(status.line["team_id"])


@login_required
@permission_required("budget.view_budgetline", raise_exception=True)
def index(request):
    canonical = _canonical(request)
    if canonical:
        return redirect(canonical)
    filterset = DashboardFilter(request.GET, queryset=BudgetLine.objects.all())
    if not filterset.is_valid():
        return render(request, "dashboard/index.html", {"filter": filterset, "invalid": True}, status=400)
    data = filterset.form.cleaned_data
    fiscal_year, month = data["year"], filterset.form.month
    year = fiscal_year.year
    units = own_units(request.user)
    ledger = Ledger(year, month, lines=filterset.qs if filterset.narrowed else None)
    overview = build(ledger, fiscal_year, own_units=units)
    _mark_explainable(request, overview.statuses, units)
    team, nature = data.get("team"), data.get("nature")
    period = _query(year, month)
    programs = [row for row in overview.areas if row["level"] == "item" and row["status"].line["program_id"]]
    context = {
        "filter": filterset,
        "o": overview,
        "year": year,
        "month": month,
        "as_of": f"{year}-{month:02d}",
        "caption": as_of_caption(year, month),
        "period": period,
        "full_query": _query(year, month, team=team.pk if team else "", nature=nature.pk if nature else ""),
        "team": team,
        "nature": nature,
        "rules": RULES,
        "limit": LIST_LIMIT,
        "explanation_month": explanation_month(year, month, overview.closed_now),
        "charts": {
            "natures": charts.amounts(overview.natures[:-1], title=_("성질별 집행 (예비비 제외)")),
            "programs": charts.rates(
                [{**row, "label": row["status"].name} for row in programs], title=_("사업별 원인행위율·집행률")
            ),
            "teams": charts.amounts(overview.teams, title=_("담당 팀별 집행"), horizontal=True),
            "curve": charts.curve(
                overview.curve,
                title=_("누적 집행 곡선"),
                budget=overview.headline.current,
                note=curve_note(year, month, overview.covered),
            ),
            "program_curves": [
                (
                    status,
                    charts.curve(points, title=status.name, budget=status.figures.current, compact=True),
                    points,
                )
                for status, points in overview.program_curves
            ],
            "early": charts.early(overview.early, title=_("상반기 신속집행")) if overview.early else None,
            "forecast": charts.forecast(overview.forecast_rows, title=_("성질별 연말 집행 전망")),
        },
        "summaries": [
            (
                table,
                SpecTable(table),
                charts.comparison(
                    table.rows,
                    title=table.title,
                    current=_("%(year)s 예산현액") % {"year": year},
                    previous=_("%(year)s 최종예산") % {"year": year - 1},
                ),
            )
            for table in overview.summaries
        ],
        # The target is set before the first month closes (budget.years.target_set), and only then offered.
        "target_form": TargetForm(instance=fiscal_year)
        if request.user.has_perm("budget.change_fiscalyear") and not overview.closed_now and not fiscal_year.finished
        else None,
    }
    return render(request, "dashboard/index.html", context)


def curve_note(year: int, month: int, covered: int) -> str:
    """What a curve must say when its months before `covered` exist only as one cumulative figure."""
    if covered > month:
        return _(
            "%(year)s년 1~%(covered)s월 집행은 %(covered)s월 누계로만 있어 %(month)s월 기준 실적을 알 수 없습니다."
        ) % {
            "year": year,
            "covered": covered,
            "month": month,
        }
    if covered > 1:
        return _(
            "1~%(covered)s월 실적은 보고서의 %(covered)s월 누계 하나뿐이어서 %(covered)s월에 한 점으로 표시합니다 "
            "(월별로 나누지 않음)."
        ) % {"covered": covered}
    return ""


@login_required
@permission_required("budget.view_budgetline", raise_exception=True)
def forecast_list(request):
    """Every line's year-end forecast and flags, the largest projected 불용액 first, a page at a time."""
    canonical = _canonical(request)
    if canonical:
        return redirect(canonical)
    filterset = DashboardFilter(request.GET, queryset=BudgetLine.objects.all())
    if not filterset.is_valid():
        return render(request, "dashboard/forecast.html", {"filter": filterset, "invalid": True}, status=400)
    data = filterset.form.cleaned_data
    year, month = data["year"].year, filterset.form.month
    units = own_units(request.user)
    ledger = Ledger(year, month, lines=filterset.qs if filterset.narrowed else None)
    known = month >= covered_through(year)
    statuses = line_statuses(ledger, own_units=units, known=known)
    ordered = sorted(statuses, key=lambda s: (s.reserve, -(s.forecast.lapse if s.forecast else 0)))
    page = Paginator(ordered, FORECAST_PAGE).get_page(request.GET.get("page"))
    team, nature = data.get("team"), data.get("nature")
    context = {
        "filter": filterset,
        "year": year,
        "month": month,
        "caption": as_of_caption(year, month),
        "period": _query(year, month),
        "full_query": _query(year, month, team=team.pk if team else "", nature=nature.pk if nature else ""),
        "page": page,
        "known": known,
        "rules": RULES,
    }
    return render(request, "dashboard/forecast.html", context)


def section_lines(year: int, code: str):
    """The year's expenditure lines of one 구분 of 사업별 예산, by the report's own rule (section_expression)."""
    return BudgetLine.objects.for_year(year).expenditure().annotate(section=section_expression()).filter(section=code)


@login_required
@permission_required("budget.view_budgetline", raise_exception=True)
def area(request, code):
    fiscal_year, month, error = _period(request)
    year = fiscal_year.year
    units = own_units(request.user)
    ledger = Ledger(year, month, lines=section_lines(year, code))
    overview = build(
        ledger, fiscal_year, own_units=units, summaries=False, early=False, program_curves=60, section_lines=None
    )
    if not overview.statuses:
        raise Http404(f"no line in section {code} of {year}")
    _mark_explainable(request, overview.statuses, units)
    label = overview.areas[0]["label"] if overview.areas else _("예비비")
    # A 구분 of thousands of lines (a synthetic year) is listed a page at a time; its totals and curve
    # are the whole 구분's.
    page = Paginator(overview.areas[1:] if overview.areas else overview.reserve[1:], AREA_PAGE).get_page(
        request.GET.get("page")
    )
    rows = list(page)
    context = {
        "o": overview,
        "code": code,
        "label": label,
        "rows": rows,
        "page": page,
        "statuses": [row["status"] for row in rows],
        "year": year,
        "month": month,
        "caption": as_of_caption(year, month),
        "period": _query(year, month),
        "error": error,
        "rules": RULES,
        "explanation_month": explanation_month(year, month, overview.closed_now),
        "charts": {
            "rates": charts.rates([{**row, "label": row["status"].name} for row in rows], title=label),
            "curve": charts.curve(
                overview.curve,
                title=label,
                budget=overview.headline.current,
                note=curve_note(year, month, overview.covered),
            ),
            "program_curves": [
                (status, charts.curve(points, title=status.name, budget=status.figures.current, compact=True), points)
                for status, points in overview.program_curves
            ],
        },
    }
    return render(request, "dashboard/area.html", context, status=400 if error else 200)


def _line_context(request, line: BudgetLine, fiscal_year: FiscalYear, month: int) -> dict:
    """A single line's status, curve and months: the shared part of the program and line pages."""
    year = fiscal_year.year
    units = own_units(request.user)
    ledger = Ledger(year, month, lines=BudgetLine.objects.filter(pk=line.pk))
    covered = covered_through(year)
    (status,) = line_statuses(ledger, own_units=units, known=month >= covered)
    status.can_explain = can_explain(request.user, status.line["team_id"], units)
    series = ledger.monthly().get(None)
    plan = ledger.plan_monthly().get(None)
    points = cumulative_curve(series, month, plan, status.figures.current, covered)
    # A view as of a month knows the 사유 written for it and before, none written for a later month.
    explanations = list(
        Explanation.objects.filter(line=line, month__lte=month).select_related("written_by").order_by("-month")
    )
    return {
        "line": line,
        "status": status,
        "points": points,
        "months": month_rows(series, plan, month, covered),
        "covered": covered,
        "known": month >= covered,
        "explanations": explanations,
        "year": year,
        "month": month,
        "caption": as_of_caption(year, month),
        "period": _query(year, month),
        "rules": RULES,
        "explanation_month": explanation_month(year, month),
    }


@login_required
@permission_required("budget.view_budgetline", raise_exception=True)
def program(request, code):
    fiscal_year, month, error = _period(request)
    program = get_object_or_404(Program.objects.select_related("area", "owner_team"), code=code)
    line = get_object_or_404(
        BudgetLine.objects.select_related("account", "fiscal_year"), fiscal_year=fiscal_year, program=program
    )
    context = _line_context(request, line, fiscal_year, month)
    context.update(
        program=program,
        error=error,
        section=program.area.code,
        chart=charts.curve(
            context["points"],
            title=program.name,
            budget=context["status"].figures.current,
            note=curve_note(fiscal_year.year, month, context["covered"]),
        ),
    )
    return render(request, "dashboard/program.html", context, status=400 if error else 200)


def _expenditure_line(pk: int) -> BudgetLine:
    return get_object_or_404(
        BudgetLine.objects.select_related("account", "fiscal_year", "program__area", "program__owner_team"),
        pk=pk,
        account__side=Account.Side.EXPENDITURE,
    )


def _line_month(request, line: BudgetLine) -> tuple[int, str | None]:
    return parse_as_of(request.GET.get("as_of") or None, line.fiscal_year_id)


@login_required
@permission_required("budget.view_budgetline", raise_exception=True)
def line(request, pk):
    line = _expenditure_line(pk)
    month, error = _line_month(request, line)
    context = _line_context(request, line, line.fiscal_year, month)
    context.update(
        error=error,
        chart=charts.monthly(context["months"], title=line.name),
        form=ExplanationForm(initial={"month": month}),
    )
    return render(request, "dashboard/line.html", context, status=400 if error else 200)


@login_required
@permission_required("budget.view_executionrecord", raise_exception=True)
def records(request, pk):
    """The line's execution records as stored through the month viewed: one per month, or the report's one
    cumulative figure. A later month's records are not part of a view as of this one."""
    line = _expenditure_line(pk)
    month, error = _line_month(request, line)
    stored = list(ExecutionRecord.objects.filter(line=line, month__lte=month).order_by("month"))
    rows = [
        {
            "record": r,
            "label": _("1~%(month)s월 누계") % {"month": r.month}
            if r.cumulative
            else _("%(month)s월") % {"month": r.month},
        }
        for r in stored
    ]
    chart = {
        "type": "bar",
        "unit": "천원",
        "title": line.name,
        "labels": [row["label"] for row in rows],
        "datasets": [
            charts.series(_("원인행위액"), "commitment", [charts.thousands(r.commitment) for r in stored]),
            charts.series(_("지출액"), "expenditure", [charts.thousands(r.expenditure) for r in stored]),
        ],
    }
    context = {
        "line": line,
        "rows": rows,
        "year": line.fiscal_year_id,
        "month": month,
        "caption": as_of_caption(line.fiscal_year_id, month),
        "period": _query(line.fiscal_year_id, month),
        "error": error,
        "chart": chart,
        "total_commitment": sum(r.commitment for r in stored),
        "total_expenditure": sum(r.expenditure for r in stored),
    }
    return render(request, "dashboard/records.html", context, status=400 if error else 200)


@login_required
@permission_required("budget.view_history", raise_exception=True)
def record_history(request, pk):
    """Every saved version of one execution record: who, when, before and after, why."""
    record = get_object_or_404(ExecutionRecord.objects.select_related("line", "line__fiscal_year"), pk=pk)
    versions = (
        ExecutionRecord.history.filter(id=record.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    changes = record_changes(
        versions,
        ["commitment", "expenditure"],
        lambda v: (
            _("%(month)s월%(cumulative)s") % {"month": v.month, "cumulative": _(" (누계)") if v.cumulative else ""}
        ),
    )
    changes.reverse()  # newest first, as the line's history page lists them
    month = record.month
    context = {
        "record": record,
        "line": record.line,
        "changes": changes,
        "year": record.line.fiscal_year_id,
        "period": _query(record.line.fiscal_year_id, month),
        "chart": charts.versions(changes, title=str(record)),
    }
    return render(request, "dashboard/record_history.html", context)


@require_POST
@login_required
@permission_required("budget.add_explanation", raise_exception=True)
def explain(request, pk):
    """A 사유 for a line: by the owner of its program (or the finance lead), for the month viewed."""
    line = _expenditure_line(pk)
    team_id = line.program.owner_team_id if line.program else None
    if not can_explain(request.user, team_id, own_units(request.user)):
        raise PermissionDenied(_("이 사업의 담당 조직만 사유를 쓸 수 있습니다."))
    form = ExplanationForm(request.POST)
    fallback = reverse("dashboard:line", args=[line.pk])
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{line.name}: {error}")
        return redirect(_safe_next(request, fallback))
    month = form.cleaned_data["month"]
    exists = Explanation.objects.filter(line=line, month=month).exists()
    if exists and not request.user.has_perm("budget.change_explanation"):
        raise PermissionDenied
    try:
        explanation_save(line=line, month=month, text=form.cleaned_data["text"], user=request.user)
    except EntryRefused as refused:
        for message in refused.messages:
            messages.error(request, message)
    else:
        saved = _("%(line)s · %(month)s월 사유를 저장했습니다.") % {"line": line.name, "month": month}
        viewed = request.POST.get("viewed", "")
        if viewed.isdigit() and int(viewed) != month:
            saved += " " + _("%(month)s월 기준 화면부터 보입니다.") % {"month": month}
        messages.success(request, saved)
    return redirect(_safe_next(request, fallback))


@require_POST
@login_required
@permission_required("budget.change_fiscalyear", raise_exception=True)
def set_target(request, year):
    """The finance lead sets the year's 신속집행 target (%, blank for none)."""
    fiscal_year = get_object_or_404(FiscalYear, year=year)
    form = TargetForm(request.POST, instance=fiscal_year)
    fallback = f"{reverse('dashboard:index')}?year={year}"
    if form.is_valid():
        target = form.cleaned_data["early_execution_target"]
        try:
            target_set(year=year, target=target, user=request.user)
        except EntryRefused as refused:
            for message in refused.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(year)s년 신속집행 목표를 %(target)s(으)로 정했습니다.")
                % {"year": year, "target": f"{target}%" if target is not None else _("없음")},
            )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, _("신속집행 목표: %(error)s") % {"error": error})
    return redirect(_safe_next(request, fallback))
