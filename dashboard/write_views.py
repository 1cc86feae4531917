"""What the dashboards write: a line's 사유 (by its program's owner) and the year's 신속집행 target (by the lead)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from budget.core.models import Explanation, FiscalYear
from budget.core.pages import attempt
from budget.entry.years import target_set
from dashboard.access import can_explain
from dashboard.forms import ExplanationForm, TargetForm
from dashboard.pages import expenditure_line, safe_next
from dashboard.services import explanation_save
from foundation.units import own_units


@require_POST
@login_required
@permission_required("budget.add_explanation", raise_exception=True)
def explain(request, pk):
    """A 사유 for a line: by the owner of its program (or the finance lead), for the month viewed."""
    line = expenditure_line(pk)
    team_id = line.program.owner_team_id if line.program else None
    if not can_explain(request.user, team_id, own_units(request.user)):
        raise PermissionDenied(_("이 사업의 담당 조직만 사유를 쓸 수 있습니다."))
    form = ExplanationForm(request.POST)
    fallback = reverse("dashboard:line", args=[line.pk])
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{line.name}: {error}")
        return redirect(safe_next(request, fallback))
    month = form.cleaned_data["month"]
    exists = Explanation.objects.filter(line=line, month=month).exists()
    if exists and not request.user.has_perm("budget.change_explanation"):
        raise PermissionDenied
    saved = _("%(line)s · %(month)s월 사유를 저장했습니다.") % {"line": line.name, "month": month}
    viewed = request.POST.get("viewed", "")
    if viewed.isdigit() and int(viewed) != month:
        saved += " " + _("%(month)s월 기준 화면부터 보입니다.") % {"month": month}
    text = form.cleaned_data["text"]
    attempt(request, lambda: explanation_save(line=line, month=month, text=text, user=request.user), saved)
    return redirect(safe_next(request, fallback))


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
        done = _("%(year)s년 신속집행 목표를 %(target)s(으)로 정했습니다.") % {
            "year": year,
            "target": f"{target}%" if target is not None else _("없음"),
        }
        attempt(request, lambda: target_set(year=year, target=target, user=request.user), done)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, _("신속집행 목표: %(error)s") % {"error": error})
    return redirect(safe_next(request, fallback))
