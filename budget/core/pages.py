"""What the budget's pages share: a write's refusal shown as the page's messages, a year's decision from
its page's button, a workbook sent as a download, and the page that sends a bare address to the default
year's."""

from __future__ import annotations

import io
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from .errors import EntryRefused, StaleSheet
from .models import FiscalYear
from .periods import default_year

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def show_refusal(request, refused: EntryRefused) -> None:
    for message in refused.messages:
        messages.error(request, message)


def attempt(request, write: Callable[[], object], done: str) -> bool:
    """Run a write (one service call): its refusal becomes the page's error messages, its success `done`.
    Returns whether it was done."""
    try:
        write()
    except EntryRefused as refused:
        show_refusal(request, refused)
        return False
    messages.success(request, done)
    return True


def sheet_saved(request, save: Callable[[], object], done: str) -> tuple[int, dict[int, list[str]]] | None:
    """Run a sheet's save. None when it saved; else the status to answer with (409: someone saved first,
    so the page must show the stored figures again; 400: a rule refused it) and the refusals by line."""
    try:
        save()
    except StaleSheet as refused:
        show_refusal(request, refused)
        return 409, {}
    except EntryRefused as refused:
        show_refusal(request, refused)
        return 400, refused.by_line
    messages.success(request, done)
    return None


def required_reason(form, missing: str) -> str:
    """A decision form's reason, or the refusal that names what is missing."""
    if not form.is_valid():
        raise EntryRefused([missing])
    return form.cleaned_data["reason"]


def year_decided(request, year: int, write: Callable[[], object], done: str, back: str):
    """A year's decision posted from its page (finish, approve, reopen): `write` through attempt, then back
    to the page `back` of the year."""
    get_object_or_404(FiscalYear, year=year)
    attempt(request, write, done)
    return redirect(back, year=year)


def year_reopened(request, year: int, form, reopen: Callable[..., object], done: str, back: str):
    """A finished year reopened from its page: `reopen(year=, user=, reason=)` with the reason the form
    must carry, then back to the page `back` of the year."""
    missing = _("연도 재개 사유를 적어야 합니다.")
    return year_decided(
        request,
        year,
        lambda: reopen(year=year, user=request.user, reason=required_reason(form, missing)),
        done,
        back,
    )


def xlsx_download(write: Callable[[io.BytesIO], object], filename: str) -> HttpResponse:
    """The workbook `write(out)` writes, sent as the attachment `filename`."""
    buffer = io.BytesIO()
    write(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def latest_year_page(url_name: str, permission: str):
    """The view of a bare address (/reports/, /entry/, /budget/changes/): the default year's page."""

    @login_required
    @permission_required(permission, raise_exception=True)
    def view(request):
        return redirect(url_name, year=default_year())

    return view
