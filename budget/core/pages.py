"""What the budget's pages share: a write's refusal shown as the page's messages, and the page that
sends a bare address to the default year's."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect

from .errors import EntryRefused, StaleSheet
from .periods import default_year


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


def latest_year_page(url_name: str, permission: str):
    """The view of a bare address (/reports/, /entry/, /budget/changes/): the default year's page."""

    @login_required
    @permission_required(permission, raise_exception=True)
    def view(request):
        return redirect(url_name, year=default_year())

    return view
