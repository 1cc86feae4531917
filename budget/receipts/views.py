"""Finance staff's 세입 수납 entry: the revenue month sheet and its save."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from budget.core.errors import EntryRefused, StaleSheet
from budget.core.models import FiscalYear
from budget.receipts.forms import RevenueForm
from budget.receipts.services import receipts_save
from budget.receipts.sheet import revenue_sheet


def _saved_message(year: int, month: int, saved) -> str:
    return _("%(year)s년 %(month)s월 수납을 저장했습니다 (%(count)s개 라인).") % {
        "year": year,
        "month": month,
        "count": saved.changed,
    }


# Whoever enters expenditure enters 수납: the finance staff's one monthly job (foundation.roles).
@login_required
@permission_required("budget.change_executionrecord", raise_exception=True)
def revenue_month(request, year, month):
    """The revenue sheet of a month: every revenue line's 수납 before it, in it, and after it. A save goes
    through receipts_save (all or nothing); 수납 beyond 예산현액 is saved and flagged."""
    get_object_or_404(FiscalYear, year=year)
    if not 1 <= month <= 12:
        raise Http404(_("%(month)s월은 회계연도 밖입니다 (1~12월).") % {"month": month})
    sheet = revenue_sheet(year, month)
    status, problems, refusals = 200, [], {}
    if request.method == "POST":
        form = RevenueForm(request.POST, sheet=sheet)
        if not form.is_valid():
            status, problems = 400, form.problems()
        elif not form.receipts():
            if sheet.locked:
                status, problems = 400, [sheet.locked]
            else:
                messages.info(request, _("바뀐 값이 없어 저장하지 않았습니다."))
                return redirect("entry:revenue_month", year=year, month=month)
        else:
            data = form.cleaned_data
            try:
                saved = receipts_save(
                    year=year,
                    month=month,
                    receipts=form.receipts(),
                    user=request.user,
                    version=data["version"],
                    reason=data["reason"],
                )
            except StaleSheet as refused:
                status, problems = 409, refused.messages
            except EntryRefused as refused:
                status, problems, refusals = 400, refused.messages, refused.by_line
            else:
                messages.success(request, _saved_message(year, month, saved))
                for flag in saved.flags:
                    messages.warning(request, flag)
                return redirect("entry:revenue_month", year=year, month=month)
    if status in (200, 409):  # 409: someone saved first, so the stored figures, not the stale input
        sheet = revenue_sheet(year, month) if status == 409 else sheet
        form = RevenueForm(sheet=sheet)
    context = {"sheet": sheet, "form": form, "rows": form.rows(refusals), "problems": problems}
    return render(request, "budget/receipts/month.html", context, status=status)
