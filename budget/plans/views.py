"""월별 집행계획 pages: the year's plan by line, and the sheet of one month's plan for every line."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from budget.core.errors import EntryRefused, StaleSheet
from budget.core.models import FiscalYear
from budget.plans.forms import PlanMonthForm
from budget.plans.page import plan_page
from budget.plans.services import plan_save
from budget.plans.sheet import MONTHS, plan_sheet


@login_required
@permission_required("budget.change_monthlyplan", raise_exception=True)
def plan_year(request, year):
    """The year's plan by line: 예산현액 at year end, planned commitment and expenditure, what is left."""
    get_object_or_404(FiscalYear, year=year)
    sheet = plan_sheet(year)
    plan = plan_page(request.GET, sheet)
    context = {"sheet": sheet, "plan": plan, "page": plan.page, "selection": plan.selection, "year": year}
    return render(request, "entry/plan.html", {**context, "months": MONTHS, "query": plan.selection.query()})


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("budget.change_monthlyplan", raise_exception=True)
def plan_month(request, year, month):
    get_object_or_404(FiscalYear, year=year)
    if month not in MONTHS:
        raise Http404(_("%(month)s월은 회계연도 밖입니다 (1~12월).") % {"month": month})
    sheet = plan_sheet(year)
    # As on the month sheet, a refusal is said once, above the form (nothing saved, what to fix), and
    # each line's problem again on its row.
    status, line_errors, problems = 200, {}, []
    if request.method == "POST":
        form = PlanMonthForm(request.POST, sheet=sheet, month=month)
        if form.is_valid():
            try:
                plan_save(
                    year=year,
                    entries=form.entries(),
                    user=request.user,
                    fingerprint=form.cleaned_data["fingerprint"],
                    reason=form.cleaned_data["reason"],
                )
            except StaleSheet as refused:
                status, problems = 409, refused.messages
                sheet = plan_sheet(year)
                form = PlanMonthForm(sheet=sheet, month=month)  # the stored plan, not the stale input
            except EntryRefused as refused:
                status, problems, line_errors = 400, refused.messages, refused.by_line
            else:
                done = _("%(year)s년 %(month)s월 집행계획을 저장했습니다.") % {"year": year, "month": month}
                messages.success(request, done)
                query = plan_page(request.GET, sheet).query
                return redirect(reverse("entry:plan_month", args=[year, month]) + (f"?{query}" if query else ""))
        else:
            status = 400
            problems = [e for errors in form.errors.values() for e in errors]
    else:
        form = PlanMonthForm(sheet=sheet, month=month)
    plan = plan_page(request.GET, sheet)
    rows = [
        (
            label,
            [
                (pl, pl.through(month - 1), *form.amount_fields(pl.line), line_errors.get(pl.line.pk, []))
                for pl in lines
            ],
        )
        for label, lines in plan.groups
    ]
    context = {
        "sheet": sheet,
        "year": year,
        "month": month,
        "months": MONTHS,
        "form": form,
        "rows": rows,
        "problems": problems,
        "page": plan.page,
        "selection": plan.selection,
        "query": plan.selection.query(),
    }
    return render(request, "entry/plan_month.html", context, status=status)
