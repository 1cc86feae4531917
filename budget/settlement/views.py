"""결산 pages: the sheet of 이월액 with a preview of every figure, its workbook, approval and reopening."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from budget.core.errors import EntryRefused
from budget.core.models import FiscalYear
from budget.core.pages import show_refusal, xlsx_download, year_decided, year_reopened
from budget.entry.years import year_end_problems
from budget.reports.tables import SpecTable
from budget.settlement.figures import carry_problems, settlement_of, year_close
from budget.settlement.forms import ReasonForm, carries_from
from budget.settlement.services import APPROVE, PREPARE, settlement_approve, settlement_prepare, settlement_reopen
from budget.settlement.tables import settlement_tables
from budget.settlement.workbook import write_settlement_workbook


def _sheet_rows(close, data=None):
    """Each expenditure line with what it can carry and the cells as typed (or as stored)."""
    rows = []
    for line in close.lines:
        if data is not None:
            cells = {key: data.get(f"{key}-{line.line_id}", "") for key in ("a", "x", "r")}
        else:
            carry = line.carry
            cells = {
                "a": f"{carry.accident:,}" if carry.accident else "",
                "x": f"{carry.explicit:,}" if carry.explicit else "",
                "r": carry.reason,
            }
        rows.append({"line": line, "cells": cells, "reserve": line.account_code == "reserve"})
    return rows


@login_required
@permission_required(PREPARE, raise_exception=True)
def settlement_page(request, year):
    """GET: the stored 결산 (or none yet) and its figures. POST `preview`: the figures with the 이월액 as typed,
    nothing saved; POST `prepare`: settlement_prepare, all or nothing."""
    fiscal_year = get_object_or_404(FiscalYear, year=year)
    settlement = settlement_of(year)
    status, errors, typed = 200, [], None
    close = year_close(year, settlement=settlement)
    previewed = False
    if request.method == "POST":
        typed = request.POST
        carries, errors = carries_from(request.POST, close.lines)
        if not errors:
            close = year_close(year, carries=carries, settlement=settlement)
            errors = carry_problems(close)
        if errors:
            status = 400
        elif request.POST.get("action") == "prepare":
            try:
                settlement_prepare(year=year, carries=carries, user=request.user)
            except EntryRefused as refused:
                show_refusal(request, refused)
                status = 400
            else:
                return redirect("entry:settlement", year=year)
        else:
            previewed = True
    context = {
        "year": year,
        "fiscal_year": fiscal_year,
        "settlement": settlement,
        "close": close,
        "rows": _sheet_rows(close, typed),
        "errors": errors,
        "previewed": previewed,
        "problems": [] if fiscal_year.finished else year_end_problems(year),
        "tables": [(spec, SpecTable(spec)) for spec in settlement_tables(close)],
        "can_approve": request.user.has_perm(APPROVE),
        "reason_form": ReasonForm(),
    }
    return render(request, "budget/settlement/settlement.html", context, status=status)


@login_required
@permission_required(PREPARE, raise_exception=True)
def settlement_workbook(request, year):
    """Every figure of the stored 결산 (what approval will write), as a workbook."""
    get_object_or_404(FiscalYear, year=year)
    return xlsx_download(lambda out: write_settlement_workbook(year_close(year), out), f"settlement-{year}.xlsx")


@require_POST
@login_required
@permission_required(APPROVE, raise_exception=True)
def settlement_approve_view(request, year):
    done = _("%(year)s년 결산을 승인했습니다. 이 회계연도는 이제 읽기만 할 수 있습니다.") % {"year": year}
    return year_decided(
        request, year, lambda: settlement_approve(year=year, user=request.user), done, "entry:settlement"
    )


@require_POST
@login_required
@permission_required("budget.reopen_month", raise_exception=True)
def settlement_reopen_view(request, year):
    done = _("%(year)s 회계연도를 다시 열었습니다. 결산은 작성 상태로 돌아갔습니다.") % {"year": year}
    return year_reopened(request, year, ReasonForm(request.POST), settlement_reopen, done, "entry:settlement")
