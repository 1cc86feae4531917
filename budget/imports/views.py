"""Excel import pages: the templates, then upload → preview → confirm, for a month's execution and a
year's monthly plan. Reading and checking the file is budget.imports; saving is budget.services."""

from __future__ import annotations

import io
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from budget import imports
from budget.core.errors import EntryRefused, StaleSheet
from budget.core.models import FiscalYear
from budget.core.pages import xlsx_download
from budget.core.periods import closed_through
from budget.entry.services import month_import
from budget.imports.revenue import preview_revenue, revenue_template
from budget.plans.services import plan_save
from budget.receipts.services import receipts_save


class LimitedMemoryUpload(FileUploadHandler):
    """Keeps an uploaded file in memory up to imports.MAX_UPLOAD_BYTES and stops reading it beyond.

    Django's default handlers spool a file over 2.5 MB to a temporary file on disk and accept any
    size; an import needs neither, so nothing uploaded here ever touches the disk and an oversized
    file is dropped (the view then says so) instead of read whole.
    """

    too_large = False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > imports.MAX_UPLOAD_BYTES:
            self.too_large = True
            self.buffer = None
            # The rest of the request is read and discarded, so the browser still gets the answer.
            raise StopUpload(connection_reset=False)
        self.buffer.write(raw_data)

    def file_complete(self, file_size):
        if self.buffer is None:
            return None
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            self.buffer, self.field_name, self.file_name, self.content_type, file_size, self.charset
        )


def limited_upload(view):
    """Run `view` with LimitedMemoryUpload as the only upload handler.

    Handlers must be set before the request body is read, and CsrfViewMiddleware reads it for every
    POST: so the view is exempt from the middleware and runs the same CSRF check itself
    (csrf_protect) after setting them, as Django's upload-handler documentation describes.
    """
    protected = csrf_protect(view)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.upload_handlers = [LimitedMemoryUpload(request)]
        return protected(request, *args, **kwargs)

    return csrf_exempt(wrapped)


def _year_choices():
    return [(y, str(y)) for y in FiscalYear.objects.order_by("-year").values_list("year", flat=True)]


class PlanPeriodForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("회계연도"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()


class PeriodForm(PlanPeriodForm):
    month = forms.TypedChoiceField(label=gettext_lazy("월"), coerce=int, choices=[(m, m) for m in range(1, 13)])


FILE_FIELD = {
    "label": gettext_lazy("엑셀 파일(.xlsx, 5 MB까지)"),
    "allow_empty_file": True,  # an empty file is refused by the reader, with the reader's message
    "error_messages": {"required": gettext_lazy("가져올 엑셀 파일(.xlsx)을 고르세요.")},
}


class UploadForm(PeriodForm):
    file = forms.FileField(**FILE_FIELD)


class PlanUploadForm(PlanPeriodForm):
    file = forms.FileField(**FILE_FIELD)


def _default_month(year: int | None) -> int:
    """The first month still open for entry, as a sensible default."""
    return min(closed_through(year) + 1, 12) if year else 1


def _index(request, *, upload=None, plan_upload=None, revenue_upload=None, problems=(), status=200):
    year = next(iter(_year_choices()), (None,))[0]
    month = _default_month(year)
    context = {
        "upload": upload or UploadForm(initial={"year": year, "month": month}, auto_id="upload-%s"),
        "plan_upload": plan_upload or PlanUploadForm(initial={"year": year}, auto_id="plan-upload-%s"),
        "revenue_upload": revenue_upload
        or UploadForm(initial={"year": year, "month": month}, auto_id="revenue-upload-%s"),
        "revenue_period": PeriodForm(initial={"year": year, "month": month}, auto_id="revenue-template-%s"),
        "period": PeriodForm(initial={"year": year, "month": month}, auto_id="template-%s"),
        "plan_period": PlanPeriodForm(initial={"year": year}, auto_id="plan-template-%s"),
        "problems": problems,
        "year": year,
        "limits": {"rows": f"{imports.MAX_DATA_ROWS:,}", "cells": f"{imports.MAX_CELLS:,}"},
    }
    return render(request, "entry/import.html", context, status=status)


def _form_problems(form) -> list[imports.Problem]:
    return [imports.Problem(e) for errors in form.errors.values() for e in errors]


def _read_upload(request, form, preview_file):
    """Problems of the request itself (no file, too large, bad year), or the preview of the file."""
    if request.upload_handlers[0].too_large:
        return None, [
            imports.Problem(
                _("파일이 한도 %(max)s를 넘습니다. 나눠서 올리세요.")
                % {"max": imports.megabytes(imports.MAX_UPLOAD_BYTES)}
            )
        ]
    if not form.is_valid():
        return None, _form_problems(form)
    upload = form.cleaned_data["file"]
    return preview_file(upload.read(), upload.name), []


def _upload(request, form, preview_file, *, index_form: str, template: str = "entry/import_preview.html"):
    """A posted file read and checked by `preview_file(data, name)`, shown as a preview (nothing saved); a
    refused request shows the import page again with `form` as its `index_form`."""
    preview, problems = _read_upload(request, form, preview_file)
    if preview is None:
        return _index(request, problems=problems, status=400, **{index_form: form})
    context = {
        "preview": preview,
        "token": imports.sign_preview(preview, request.user.pk) if preview.ok else "",
        "form": form,
    }
    return render(request, template, context, status=200 if preview.ok else 400)


@require_http_methods(["GET", "POST"])
@limited_upload
@login_required
@permission_required("budget.change_executionrecord", raise_exception=True)
def import_execution(request):
    """GET: the import page. POST: a month's file, read and checked, shown as a preview (nothing saved)."""
    if request.method == "GET":
        return _index(request)
    form = UploadForm(request.POST, request.FILES, auto_id="upload-%s")
    return _upload(
        request,
        form,
        lambda data, name: imports.preview_execution(
            data, name, year=form.cleaned_data["year"], month=form.cleaned_data["month"]
        ),
        index_form="upload",
    )


@require_POST
@limited_upload
@login_required
@permission_required("budget.change_monthlyplan", raise_exception=True)
def import_plan(request):
    """A year's plan file, read and checked, shown as a preview (nothing saved)."""
    form = PlanUploadForm(request.POST, request.FILES, auto_id="plan-upload-%s")
    return _upload(
        request,
        form,
        lambda data, name: imports.preview_plan(data, name, year=form.cleaned_data["year"]),
        index_form="plan_upload",
    )


def _refused(request, refused):
    """The import page again with why a confirm was refused: 409 when someone saved in between, else 400."""
    if isinstance(refused, imports.ImportRefused):
        return _index(request, problems=refused.problems, status=400)
    problems = [imports.Problem(m) for m in refused.messages]
    return _index(request, problems=problems, status=409 if isinstance(refused, StaleSheet) else 400)


def _confirm(request, kind: str, save, *, done: str, same: str, back: str):
    """Save the signed preview of `kind` through `save(confirmed)` → (lines changed, flags to show), say what
    changed (`done`) or that nothing did (`same`), and go `back` to the sheet of the file's year (and month);
    a refusal shows the import page again, nothing saved."""
    try:
        confirmed = imports.unsign_preview(request.POST.get("token", ""), kind, request.user.pk)
        changed, flags = save(confirmed)
    except (imports.ImportRefused, EntryRefused) as refused:
        return _refused(request, refused)
    where = {"year": confirmed.year, "month": confirmed.month, "file": confirmed.filename, "n": changed}
    if changed:
        messages.success(request, done % where)
    else:
        messages.info(request, same % where)
    for flag in flags:
        messages.warning(request, flag)
    if confirmed.month is None:
        return redirect(back, year=confirmed.year)
    return redirect(back, year=confirmed.year, month=confirmed.month)


@require_POST
@login_required
@permission_required("budget.change_executionrecord", raise_exception=True)
def confirm_execution(request):
    """Save a previewed month's file through month_import (month_save's rules, in one transaction)."""

    def save(confirmed):
        _version, changed = month_import(
            year=confirmed.year,
            month=confirmed.month,
            entries=confirmed.entries,
            user=request.user,
            version=confirmed.version,
            source=imports.source_note(confirmed.filename),
        )
        return changed, ()

    return _confirm(
        request,
        "execution",
        save,
        done=_("%(year)s년 %(month)s월 집행을 %(file)s에서 가져왔습니다: %(n)s개 라인 변경."),
        same=_("%(file)s의 값이 %(year)s년 %(month)s월과 같아 바뀐 것이 없습니다."),
        back="entry:month",
    )


@require_POST
@login_required
@permission_required("budget.change_monthlyplan", raise_exception=True)
def confirm_plan(request):
    """Save a previewed plan file through plan_save (the plan's rules, in one transaction)."""

    def save(confirmed):
        changed = plan_save(
            year=confirmed.year,
            entries=confirmed.entries,
            user=request.user,
            fingerprint=confirmed.version,
            reason=imports.source_note(confirmed.filename),
        )
        return changed, ()

    return _confirm(
        request,
        "plan",
        save,
        done=_("%(year)s년 집행계획을 %(file)s에서 가져왔습니다: %(n)s개 월 계획 변경."),
        same=_("%(file)s의 값이 %(year)s년 집행계획과 같아 바뀐 것이 없습니다."),
        back="entry:plan",
    )


def _template(request, form, write, filename: str):
    """The template `write(**period, out=…)` of the period the query names, as the download `filename` (a format
    of the period); a period that is not one shows the import page with why."""
    if not form.is_valid():
        return _index(request, problems=_form_problems(form), status=400)
    period = form.cleaned_data
    return xlsx_download(lambda out: write(**period, out=out), filename.format(**period))


@require_GET
@login_required
@permission_required("budget.change_executionrecord", raise_exception=True)
def execution_template(request):
    """The month's template (?year=2022&month=11), prefilled with its lines and current figures."""
    return _template(request, PeriodForm(request.GET), imports.execution_template, "execution-{year}-{month:02d}.xlsx")


@require_GET
@login_required
@permission_required("budget.change_monthlyplan", raise_exception=True)
def plan_template(request):
    """The year's plan template (?year=2022), prefilled with its lines, 예산현액 and current plan."""
    return _template(request, PlanPeriodForm(request.GET), imports.plan_template, "plan-{year}.xlsx")


# -- 세입 수납: whoever enters expenditure enters 수납 (budget.receipts.views)


@require_POST
@limited_upload
@login_required
@permission_required("budget.change_executionrecord", raise_exception=True)
def import_revenue(request):
    """A month's 수납 file, read and checked, shown as a preview (nothing saved)."""
    form = UploadForm(request.POST, request.FILES, auto_id="revenue-upload-%s")
    return _upload(
        request,
        form,
        lambda data, name: preview_revenue(
            data, name, year=form.cleaned_data["year"], month=form.cleaned_data["month"]
        ),
        index_form="revenue_upload",
        template="budget/receipts/import_preview.html",
    )


@require_POST
@login_required
@permission_required("budget.change_executionrecord", raise_exception=True)
def confirm_revenue(request):
    """Save a previewed 수납 file through receipts_save (the revenue sheet's rules, in one transaction)."""

    def save(confirmed):
        saved = receipts_save(
            year=confirmed.year,
            month=confirmed.month,
            receipts=confirmed.entries,
            user=request.user,
            version=confirmed.version,
            source=imports.source_note(confirmed.filename),
        )
        return saved.changed, saved.flags

    return _confirm(
        request,
        "revenue",
        save,
        done=_("%(year)s년 %(month)s월 수납을 %(file)s에서 가져왔습니다: %(n)s개 라인 변경."),
        same=_("%(file)s의 값이 %(year)s년 %(month)s월 수납과 같아 바뀐 것이 없습니다."),
        back="entry:revenue_month",
    )


@require_GET
@login_required
@permission_required("budget.change_executionrecord", raise_exception=True)
def revenue_template_file(request):
    """The month's 수납 template (?year=2023&month=2), prefilled with its revenue lines and figures."""
    return _template(request, PeriodForm(request.GET), revenue_template, "revenue-{year}-{month:02d}.xlsx")
