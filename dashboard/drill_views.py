"""The drill-down from the overview: a policy area, a program, a line, its records and a record's history."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from budget.core.history import in_order, record_version
from budget.core.history import version_changes as record_changes
from budget.core.ledger import Ledger
from budget.core.models import BudgetLine, ExecutionRecord, Explanation, FiscalYear
from budget.core.periods import covered_through
from budget.lines.access import may_read_history
from budget.reports.report import as_of_caption
from dashboard import charts
from dashboard.access import can_explain
from dashboard.figures import cumulative_curve
from dashboard.forms import ExplanationForm
from dashboard.overview import build, month_rows
from dashboard.pages import (
    AREA_PAGE,
    RULES,
    curve_note,
    expenditure_line,
    explanation_month,
    line_month,
    mark_explainable,
    period,
    query,
    section_lines,
)
from dashboard.statuses import line_statuses
from dashboard.tables import ExecutionTable
from foundation.units import own_units
from programs.models import Program


@login_required
@permission_required("budget.view_budgetline", raise_exception=True)
def area(request, code):
    fiscal_year, month, error = period(request)
    year = fiscal_year.year
    units = own_units(request.user)
    ledger = Ledger(year, month, lines=section_lines(year, code))
    overview = build(
        ledger, fiscal_year, own_units=units, summaries=False, early=False, program_curves=60, section_lines=None
    )
    if not overview.statuses:
        raise Http404(f"no line in section {code} of {year}")
    mark_explainable(request, overview.statuses, units)
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
        "table": ExecutionTable("area-lines", rows, first=_("사업·라인"), period=query(year, month)),
        "page": page,
        "statuses": [row["status"] for row in rows],
        "year": year,
        "month": month,
        "caption": as_of_caption(year, month),
        "period": query(year, month),
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
        "period": query(year, month),
        "rules": RULES,
        "explanation_month": explanation_month(year, month),
    }


@login_required
@permission_required("budget.view_budgetline", raise_exception=True)
def program(request, code):
    fiscal_year, month, error = period(request)
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


@login_required
@permission_required("budget.view_budgetline", raise_exception=True)
def line(request, pk):
    line = expenditure_line(pk)
    month, error = line_month(request, line)
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
    line = expenditure_line(pk)
    month, error = line_month(request, line)
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
        "period": query(line.fiscal_year_id, month),
        "error": error,
        "chart": chart,
        "total_commitment": sum(r.commitment for r in stored),
        "total_expenditure": sum(r.expenditure for r in stored),
        "can_read_history": may_read_history(request.user, line),
    }
    return render(request, "dashboard/records.html", context, status=400 if error else 200)


@login_required
@permission_required("budget.view_budgetline", raise_exception=True)
def record_history(request, pk):
    """Every saved version of one execution record: who, when, before and after, why. Finance and audit
    read every record's; a program's owners their own lines' (budget.lines.access), and for them a record
    that does not exist is as forbidden as another team's, so that ids cannot be probed."""
    record = ExecutionRecord.objects.select_related("line__program", "line__fiscal_year").filter(pk=pk).first()
    if record is None and request.user.has_perm("budget.view_history"):
        raise Http404(f"no execution record {pk}")
    if record is None or not may_read_history(request.user, record.line):
        raise PermissionDenied
    changes = record_changes(
        in_order(ExecutionRecord.history.filter(id=record.pk)), ["commitment", "expenditure"], record_version
    )
    changes.reverse()  # newest first, as the line's history page lists them
    month = record.month
    context = {
        "record": record,
        "line": record.line,
        "changes": changes,
        "year": record.line.fiscal_year_id,
        "period": query(record.line.fiscal_year_id, month),
        "chart": charts.versions(
            changes, title=_("%(line)s %(m)s월") % {"line": record.line.name, "m": record.month}
        ),
    }
    return render(request, "dashboard/record_history.html", context)
