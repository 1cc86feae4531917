"""Opening the next year: the review of its lines, then its 본예산 from the budget book."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from budget.core.errors import EntryRefused
from budget.core.models import Account, BudgetAmount, BudgetLine, FiscalYear
from budget.core.pages import show_refusal, xlsx_download
from budget.opening.book import book_template, preview_book, sign_amounts, unsign_amounts
from budget.opening.forms import new_rows, review_from, review_rows
from budget.opening.services import OPEN, budget_book_save, year_open
from budget.settlement.figures import settlement_of, stored_carries
from programs.models import Program


@login_required
@permission_required(OPEN, raise_exception=True)
def open_next(request, year):
    """Year `year`'s lines, to keep (renamed or not) or retire, and new ones to add; POST opens year+1."""
    fiscal_year = get_object_or_404(FiscalYear, year=year)
    lines = list(
        BudgetLine.objects.for_year(year)
        .select_related("account", "program")
        .order_by("account__side", "order", "code")
    )
    opened = BudgetLine.objects.for_year(year + 1).exists()
    status, data = 200, None
    if request.method == "POST" and not opened:
        keep, add = review_from(request.POST, lines)
        try:
            year_open(year=year, user=request.user, keep=keep, add=add)
        except EntryRefused as refused:
            show_refusal(request, refused)
            status, data = 400, request.POST
        else:
            messages.success(request, _("%(next)s 회계연도를 열었습니다. 이제 본예산을 넣습니다.") % {"next": year + 1})
            return redirect("entry:budget-book", year=year + 1)
    elif request.method == "POST":
        messages.error(
            request, _("%(next)s 회계연도는 이미 열려 있습니다. 한 해는 한 번만 엽니다.") % {"next": year + 1}
        )
        status = 400
    settlement = settlement_of(year)
    carries = stored_carries(settlement) if settlement and settlement.approved else {}
    rows = review_rows(lines, data)
    for row in rows:
        row["carry"] = carries[row["line"].pk].total if row["line"].pk in carries else 0
    context = {
        "year": year,
        "next_year": year + 1,
        "fiscal_year": fiscal_year,
        "opened": opened,
        "rows": rows,
        "new_rows": new_rows(data),
        "settled": bool(settlement and settlement.approved),
        "accounts": Account.objects.order_by("side", "order"),
        "programs": Program.objects.order_by("code"),
    }
    return render(request, "budget/opening/open_next.html", context, status=status)


@login_required
@permission_required(OPEN, raise_exception=True)
def budget_book_template(request, year):
    get_object_or_404(FiscalYear, year=year)
    return xlsx_download(lambda out: book_template(year, out), f"budget-book-{year}.xlsx")


@login_required
@permission_required(OPEN, raise_exception=True)
def budget_book(request, year):
    """Upload the budget book: a preview (rows, errors, the two sides' totals), then confirm to write."""
    fiscal_year = get_object_or_404(FiscalYear, year=year)
    status, preview, token = 200, None, ""
    if request.method == "POST" and request.POST.get("token"):
        amounts = unsign_amounts(request.POST["token"], year, request.user.pk)
        if amounts is None:
            messages.error(request, _("미리 보기가 만료되었거나 올바르지 않습니다. 파일을 다시 올리세요."))
            status = 400
        else:
            try:
                total = budget_book_save(year=year, amounts=amounts, user=request.user)
            except EntryRefused as refused:
                show_refusal(request, refused)
                status = 400
            else:
                messages.success(
                    request, _("%(year)s년 본예산 %(total)s원을 넣었습니다.") % {"year": year, "total": f"{total:,}"}
                )
                return redirect("budget:report", year=year)
    elif request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("예산서 파일을 골라 올리세요."))
            status = 400
        else:
            preview = preview_book(upload.read(), upload.name, year=year)
            if preview.ok:
                token = sign_amounts(year, preview.amounts, request.user.pk)
            else:
                status = 400
    context = {
        "year": year,
        "fiscal_year": fiscal_year,
        "preview": preview,
        "token": token,
        "has_budget": BudgetAmount.objects.filter(fiscal_year_id=year, kind=BudgetAmount.Kind.ORIGINAL).exists(),
    }
    return render(request, "budget/opening/budget_book.html", context, status=status)
