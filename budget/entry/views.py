"""Finance staff's monthly entry: the month sheet, month close and reopen."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from budget.core.errors import EntryRefused, StaleSheet
from budget.core.models import ExecutionRecord, FiscalYear, MonthStatus
from budget.core.pages import attempt, latest_year_page, required_reason, year_decided, year_reopened
from budget.core.periods import closed_through, covered_through
from budget.entry.forms import MonthForm, ReopenForm, changes_of, posted_lines, saved_message
from budget.entry.month_page import rows, sheet_of, sheet_page
from budget.entry.services import month_close, month_reopen, month_save
from budget.entry.years import year_finish, year_reopen


def _month(year, month):
    get_object_or_404(FiscalYear, year=year)
    if not 1 <= month <= 12:
        raise Http404(_("%(month)s월은 회계연도 밖입니다 (1~12월).") % {"month": month})


entry_index = latest_year_page("entry:year", "budget.change_executionrecord")


@login_required
@permission_required("budget.change_executionrecord", raise_exception=True)
def entry_year(request, year):
    fiscal_year = get_object_or_404(FiscalYear, year=year)
    statuses = {s.month: s for s in MonthStatus.objects.filter(fiscal_year_id=year)}
    covered = covered_through(year)
    # A month is being entered once it holds a figure: a close and a reopen alone enter nothing.
    entered = set(ExecutionRecord.objects.filter(fiscal_year_id=year).values_list("month", flat=True).distinct())
    months = [
        {
            "month": m,
            "closed": m in statuses and statuses[m].closed,
            "covered": m <= covered,
            "started": m in entered,
        }
        for m in range(1, 13)
    ]
    context = {
        "year": year,
        "fiscal_year": fiscal_year,
        "months": months,
        "closed_through": closed_through(year),
        "can_close": request.user.has_perm("budget.close_month"),
        "can_reopen": request.user.has_perm("budget.reopen_month"),
        "reopen_form": ReopenForm(),
    }
    return render(request, "entry/year.html", context)


@require_POST
@login_required
@permission_required("budget.close_month", raise_exception=True)
def entry_year_finish(request, year):
    done = _("%(year)s 회계연도를 마감했습니다. 이제 읽기만 할 수 있습니다.") % {"year": year}
    return year_decided(request, year, lambda: year_finish(year=year, user=request.user), done, "entry:year")


@require_POST
@login_required
@permission_required("budget.reopen_month", raise_exception=True)
def entry_year_reopen(request, year):
    done = _("%(year)s 회계연도를 다시 열었습니다.") % {"year": year}
    return year_reopened(request, year, ReopenForm(request.POST), year_reopen, done, "entry:year")


STALE = gettext_lazy(
    "다른 사용자가 이 달을 먼저 저장했습니다. 지금 저장된 값을 다시 보여 드리니 확인하고 다시 입력하세요."
)


def _save(request, year, month, sheet, entries, data):
    """month_save of the changed lines: (302, …) when saved, else the status, problems, refusals by line and
    what was typed but not saved (a stale sheet is drawn again with the stored figures)."""
    try:
        month_save(
            year=year, month=month, entries=entries, user=request.user, version=data["version"], reason=data["reason"]
        )
    except StaleSheet as refused:
        return 409, refused.messages, {}, changes_of(sheet, entries)
    except EntryRefused as refused:
        return 400, refused.messages, refused.by_line, []
    messages.success(request, saved_message(sheet, entries))
    return 302, [], {}, []


@login_required
@permission_required("budget.change_executionrecord", raise_exception=True)
def entry_month(request, year, month):
    """The month sheet, a page of the selected lines at a time. A save posts only the cells that changed;
    month_save checks the lines they touch over the whole year and the month's version, all or nothing."""
    _month(year, month)
    status, problems, refusals, lost = 200, [], {}, []
    if request.method == "POST":
        sheet = sheet_of(year, month, posted_lines(request.POST))
        form = MonthForm(request.POST, sheet=sheet)
        if form.is_valid():
            entries = form.entries()
            # Nothing changed writes nothing (no new version, as an import of the same file), but a
            # closed month or a stale sheet is still said: the page must not look saved when it could not be.
            if not entries and sheet.locked:
                status, problems = 400, [sheet.locked]
            elif not entries and form.cleaned_data["version"] != sheet.version:
                status, problems = 409, [STALE]
            elif not entries:
                messages.info(request, _("바뀐 값이 없어 저장하지 않았습니다."))
                return redirect(request.get_full_path())
            else:
                status, problems, refusals, lost = _save(request, year, month, sheet, entries, form.cleaned_data)
                if status == 302:
                    return redirect(request.get_full_path())
        else:
            status, problems = 400, form.problems()
    page = sheet_page(request, year, month)
    if status in (200, 409):  # 409: someone saved first, so the stored figures, not the stale input
        sheet = page.sheet(year, month, page.page.ids)
        form = MonthForm(sheet=sheet)
    else:  # the refused input again, on the page's lines and any other line it named
        sheet = page.sheet(year, month, set(page.page.ids) | posted_lines(request.POST))
        form = MonthForm(request.POST, sheet=sheet)
        form.is_valid()
    context = {
        "sheet": sheet,
        "form": form,
        "rows": rows(sheet, form, page.page.ids, refusals),
        "selection": page.selection,
        "query": page.selection.query(),
        "page": page.page,
        "totals": page.totals,
        "problems": problems,
        "lost": lost,
        "can_reopen": request.user.has_perm("budget.reopen_month"),
        "can_close": request.user.has_perm("budget.close_month"),
        "reopen_form": ReopenForm(),
    }
    return render(request, "entry/month.html", context, status=status)


@require_POST
@login_required
@permission_required("budget.close_month", raise_exception=True)
def entry_close(request, year, month):
    _month(year, month)
    done = _("%(year)s년 %(month)s월을 마감했습니다.") % {"year": year, "month": month}
    attempt(request, lambda: month_close(year=year, month=month, user=request.user), done)
    return redirect("entry:month", year=year, month=month)


@require_POST
@login_required
@permission_required("budget.reopen_month", raise_exception=True)
def entry_reopen(request, year, month):
    _month(year, month)
    form = ReopenForm(request.POST)
    missing = _("마감 해제 사유를 적어야 합니다.")
    attempt(
        request,
        lambda: month_reopen(year=year, month=month, user=request.user, reason=required_reason(form, missing)),
        _("%(year)s년 %(month)s월 마감을 해제했습니다.") % {"year": year, "month": month},
    )
    return redirect("entry:month", year=year, month=month)
