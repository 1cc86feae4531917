"""/budget/<year>/changes/: the year's budget changes, a request form, approval by the finance lead."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from budget.changes.forms import ChangeForm, LegFormSet, legs_from, year_lines
from budget.changes.services import change_approve, change_reject, change_request
from budget.core.errors import EntryRefused
from budget.core.models import BudgetChange, FiscalYear
from budget.core.pages import attempt, latest_year_page, show_refusal

latest_changes = latest_year_page("changes:list", "budget.view_budgetchange")


@login_required
@permission_required("budget.view_budgetchange", raise_exception=True)
def change_list(request, year):
    fiscal_year = get_object_or_404(FiscalYear, year=year)
    lines = list(year_lines(year))
    form, legs = ChangeForm(), LegFormSet(form_kwargs={"lines": lines}, prefix="leg")
    status = 200
    if request.method == "POST":
        if not request.user.has_perm("budget.add_budgetchange"):
            raise PermissionDenied
        form = ChangeForm(request.POST)
        legs = LegFormSet(request.POST, form_kwargs={"lines": lines}, prefix="leg")
        if form.is_valid() and legs.is_valid():
            leg_list = legs_from(legs)
            if not any(f.errors for f in legs):
                try:
                    change = change_request(year=year, legs=leg_list, user=request.user, **form.cleaned_data)
                except EntryRefused as refused:
                    show_refusal(request, refused)
                else:
                    messages.success(
                        request,
                        _("예산 변경을 요청했습니다 (%(change)s). 재무책임자의 승인 후 반영됩니다.")
                        % {"change": change},
                    )
                    return redirect("changes:list", year=year)
        status = 400
    changes = (
        BudgetChange.objects.filter(fiscal_year=fiscal_year)
        .select_related("requested_by", "decided_by")
        .prefetch_related("legs__line")
        .order_by("-effective_date", "-pk")
    )
    context = {
        "fiscal_year": fiscal_year,
        "changes": changes,
        "form": form,
        "legs": legs,
        "can_request": request.user.has_perm("budget.add_budgetchange"),
        "can_approve": request.user.has_perm("budget.approve_budgetchange"),
    }
    return render(request, "budget/changes.html", context, status=status)


def _decide(request, year, pk, decide, done_message):
    change = get_object_or_404(BudgetChange, pk=pk, fiscal_year_id=year)
    note = request.POST.get("note", "")
    done = done_message % {"change": change}
    attempt(request, lambda: decide(change_id=change.pk, user=request.user, note=note), done)
    return redirect("changes:list", year=year)


@require_POST
@login_required
@permission_required("budget.approve_budgetchange", raise_exception=True)
def change_approve_view(request, year, pk):
    return _decide(request, year, pk, change_approve, _("승인했습니다: %(change)s"))


@require_POST
@login_required
@permission_required("budget.approve_budgetchange", raise_exception=True)
def change_reject_view(request, year, pk):
    return _decide(request, year, pk, change_reject, _("반려했습니다: %(change)s"))
