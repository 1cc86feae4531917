"""/budget/<year>/changes/: the year's budget changes, a request form, approval by the finance lead.

A year of thousands of lines is listed a page of changes at a time, narrowed to the changes touching the
selected lines (area, program, team, nature, code or name); the counts and amounts above the list are the
whole selection's. The request form offers the revenue lines and the selected expenditure lines, never a
list of thousands of options in each of its rows.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from budget.changes.forms import ChangeForm, LegFormSet, legs_from, year_lines
from budget.changes.services import change_approve, change_reject, change_request
from budget.core.errors import EntryRefused
from budget.core.forms import LineSelection
from budget.core.models import BudgetChange, BudgetChangeLeg, FiscalYear
from budget.core.pages import attempt, latest_year_page, show_refusal

latest_changes = latest_year_page("changes:list", "budget.view_budgetchange")

PAGE_SIZE = 50
# More expenditure lines than this are not offered at once: the selection narrows them first.
OFFERED_LINES = 500


def _named(change: BudgetChange) -> str:
    """A change as a message names it: number, kind and date (its status is said by the message itself)."""
    return _("#%(pk)s %(kind)s (%(date)s)") % {
        "pk": change.pk,
        "kind": change.get_kind_display(),
        "date": change.effective_date.isoformat(),
    }


def _offered(year: int, selection: LineSelection, posted) -> tuple[list, int]:
    """The lines the request form offers (revenue lines, the selected expenditure lines, any line already
    chosen in the form) and how many selected expenditure lines were left out for being too many."""
    everything = year_lines(year)
    selected = list(selection.lines().values_list("pk", flat=True)[: OFFERED_LINES + 1])
    left_out = 0
    if len(selected) > OFFERED_LINES:
        left_out, selected = selection.lines().count(), []
    chosen = [int(v) for k, v in posted.items() if k.startswith("leg-") and k.endswith("-line") and v.isdigit()]
    wanted = Q(account__side="revenue") | Q(pk__in=selected + chosen)
    return list(everything.filter(wanted)), left_out


@login_required
@permission_required("budget.view_budgetchange", raise_exception=True)
def change_list(request, year):
    fiscal_year = get_object_or_404(FiscalYear, year=year)
    selection = LineSelection(request.GET, year=year)
    lines, left_out = _offered(year, selection, request.POST)
    form, legs = ChangeForm(), LegFormSet(form_kwargs={"lines": lines}, prefix="leg")
    status = 200
    if request.method == "POST":
        if not request.user.has_perm("budget.add_budgetchange"):
            raise PermissionDenied("budget.add_budgetchange")
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
                        _("예산 변경 %(change)s을(를) 요청했습니다. 재무책임자가 승인하면 예산현액에 반영됩니다.")
                        % {"change": _named(change)},
                    )
                    return redirect(request.get_full_path())
        status = 400
    changes = BudgetChange.objects.filter(fiscal_year=fiscal_year)
    scope_legs = BudgetChangeLeg.objects.filter(change__fiscal_year=fiscal_year)
    if selection.narrowed:
        scope = selection.lines().values("pk")
        changes = changes.filter(legs__line__in=scope).distinct()
        scope_legs = scope_legs.filter(line__in=scope)
    else:
        scope_legs = scope_legs.filter(line__account__side="expenditure")
    counts = changes.aggregate(
        total=Count("pk", distinct=True),
        **{s: Count("pk", filter=Q(status=s), distinct=True) for s in BudgetChange.Status.values},
    )
    moved = scope_legs.filter(change__status=BudgetChange.Status.APPROVED).aggregate(
        added=Sum("amount", filter=Q(amount__gt=0), default=0),
        taken=Sum("amount", filter=Q(amount__lt=0), default=0),
    )
    page = Paginator(
        changes.select_related("requested_by", "decided_by")
        .prefetch_related("legs__line")
        .order_by("-effective_date", "-pk"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    context = {
        "fiscal_year": fiscal_year,
        "changes": page.object_list,
        "pager": {
            "number": page.number,
            "pages": page.paginator.num_pages,
            "previous": page.previous_page_number() if page.has_previous() else None,
            "next": page.next_page_number() if page.has_next() else None,
        },
        "counts": counts,
        "moved": moved,
        "selection": selection,
        "query": selection.query(),
        "left_out": left_out,
        "form": form,
        "legs": legs,
        "can_request": request.user.has_perm("budget.add_budgetchange"),
        "can_approve": request.user.has_perm("budget.approve_budgetchange"),
    }
    return render(request, "budget/changes.html", context, status=status)


def _decide(request, year, pk, decide, done_message):
    change = get_object_or_404(BudgetChange, pk=pk, fiscal_year_id=year)
    note = request.POST.get("note", "")
    done = done_message % {"change": _named(change)}
    attempt(request, lambda: decide(change_id=change.pk, user=request.user, note=note), done)
    return redirect("changes:list", year=year)


@require_POST
@login_required
@permission_required("budget.approve_budgetchange", raise_exception=True)
def change_approve_view(request, year, pk):
    return _decide(request, year, pk, change_approve, _("%(change)s을(를) 승인했습니다. 예산현액에 반영되었습니다."))


@require_POST
@login_required
@permission_required("budget.approve_budgetchange", raise_exception=True)
def change_reject_view(request, year, pk):
    return _decide(request, year, pk, change_reject, _("%(change)s을(를) 반려했습니다. 예산현액은 바뀌지 않습니다."))
