"""The finance lead's page for publishing closed months on the open pages (/open/<year>/), and withdrawing them."""

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from budget.core.models import FiscalYear, MonthStatus
from budget.core.pages import attempt, required_reason
from budget.core.periods import covered_through, offered_months
from budget.entry.publishing import PUBLISH, UNPUBLISH, is_public, month_publish, month_unpublish


class UnpublishForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("공개 중단 사유"), max_length=300)


def _month(year, month):
    get_object_or_404(FiscalYear, year=year)
    if not 1 <= month <= 12:
        raise Http404(_("%(month)s월은 회계연도 밖입니다 (1~12월).") % {"month": month})


@login_required
@permission_required(PUBLISH, raise_exception=True)
def publish_year(request, year):
    """The year's months: which are closed or reported, which are public, and since when."""
    fiscal_year = get_object_or_404(FiscalYear, year=year)
    statuses = {s.month: s for s in MonthStatus.objects.filter(fiscal_year_id=year)}
    covered = covered_through(year)
    offered = offered_months(year)
    months = []
    for m in range(1, 13):
        status = statuses.get(m) or MonthStatus(fiscal_year_id=year, month=m)
        public = is_public(m, status.closed, status.closed_at, status.published_at, covered)
        closed = m == covered or (m > covered and status.closed)
        months.append(
            {
                "month": m,
                "covered": m <= covered,
                "closed": closed,
                "public": public,
                # Published once, then reopened (and maybe closed again): no longer public, still on record.
                "withdrawn": status.published_at is not None and not public,
                "published_at": status.published_at if public else None,
                "can_publish": closed and not public and m in offered,
            }
        )
    context = {
        "fiscal_year": fiscal_year,
        "year": year,
        "months": months,
        "can_unpublish": request.user.has_perm(UNPUBLISH),
        "unpublish_form": UnpublishForm(),
    }
    return render(request, "entry/publish.html", context)


@require_POST
@login_required
@permission_required(PUBLISH, raise_exception=True)
def publish(request, year, month):
    _month(year, month)
    done = _("%(year)s년 %(month)s월을 공개했습니다.") % {"year": year, "month": month}
    attempt(request, lambda: month_publish(year=year, month=month, user=request.user), done)
    return redirect("entry:publish", year=year)


@require_POST
@login_required
@permission_required(UNPUBLISH, raise_exception=True)
def unpublish(request, year, month):
    _month(year, month)
    form = UnpublishForm(request.POST)
    missing = _("공개 중단 사유를 적어야 합니다.")
    attempt(
        request,
        lambda: month_unpublish(year=year, month=month, user=request.user, reason=required_reason(form, missing)),
        _("%(year)s년 %(month)s월 공개를 중단했습니다.") % {"year": year, "month": month},
    )
    return redirect("entry:publish", year=year)
