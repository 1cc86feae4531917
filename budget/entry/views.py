"""Finance staff's monthly entry: the month sheet, month close and reopen."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from budget.core.models import FiscalYear, MonthStatus
from budget.core.pages import attempt, latest_year_page, required_reason, sheet_saved
from budget.core.periods import closed_through, covered_through
from budget.entry.forms import MonthForm, ReopenForm
from budget.entry.services import month_close, month_reopen, month_save
from budget.entry.sheet import month_sheet
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
    months = [
        {
            "month": m,
            "closed": m in statuses and statuses[m].closed,
            "covered": m <= covered,
            # A month nobody has saved yet is not "being entered": it has not started.
            "started": m in statuses and statuses[m].version > 0,
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
    get_object_or_404(FiscalYear, year=year)
    done = _("%(year)s 회계연도를 마감했습니다. 이제 읽기만 할 수 있습니다.") % {"year": year}
    attempt(request, lambda: year_finish(year=year, user=request.user), done)
    return redirect("entry:year", year=year)


@require_POST
@login_required
@permission_required("budget.reopen_month", raise_exception=True)
def entry_year_reopen(request, year):
    get_object_or_404(FiscalYear, year=year)
    form = ReopenForm(request.POST)
    missing = _("연도 재개 사유를 적어야 합니다.")
    attempt(
        request,
        lambda: year_reopen(year=year, user=request.user, reason=required_reason(form, missing)),
        _("%(year)s 회계연도를 다시 열었습니다.") % {"year": year},
    )
    return redirect("entry:year", year=year)


@login_required
@permission_required("budget.change_executionrecord", raise_exception=True)
def entry_month(request, year, month):
    _month(year, month)
    sheet = month_sheet(year, month)
    status = 200
    line_errors: dict[int, list[str]] = {}
    if request.method == "POST":
        form = MonthForm(request.POST, sheet=sheet)
        if form.is_valid():
            refused = sheet_saved(
                request,
                lambda: month_save(
                    year=year,
                    month=month,
                    entries=form.entries(),
                    user=request.user,
                    version=form.cleaned_data["version"],
                    reason=form.cleaned_data["reason"],
                ),
                _("%(year)s년 %(month)s월 집행을 저장했습니다.") % {"year": year, "month": month},
            )
            if refused is None:
                return redirect("entry:month", year=year, month=month)
            status, line_errors = refused
            if status == 409:
                sheet = month_sheet(year, month)
                form = MonthForm(sheet=sheet)  # the current figures, not the stale ones
        else:
            status = 400
    else:
        form = MonthForm(sheet=sheet)
    rows = [
        (
            label,
            [
                (line, *form.amount_fields(line.line), form[f"n-{line.line.pk}"], line_errors.get(line.line.pk, []))
                for line in lines
            ],
        )
        for label, lines in sheet.groups
    ]
    context = {
        "sheet": sheet,
        "form": form,
        "rows": rows,
        "errors": [e for field, errs in form.errors.items() if field != "__all__" for e in errs],
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
