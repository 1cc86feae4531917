"""The preview as text, for the import commands."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management import CommandError
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from budget.core.errors import EntryRefused
from budget.imports.layout import MAX_UPLOAD_BYTES
from budget.imports.preview import Preview
from budget.imports.tokens import source_note


def _change(before: int, after: int | None) -> str:
    if after is None or after == before:
        return f"{before:,}"
    return f"{before:,} → {after:,}"


def preview_text(preview: Preview, *, every_line: bool = False) -> list[str]:
    """The preview as lines of text: the warnings, each changed line (every line with `every_line`),
    then a summary."""
    if preview.kind == "execution":
        title = _("%(year)s년 %(month)s월 집행 실적") % {"year": preview.year, "month": preview.month}
    else:
        title = _("%(year)s년 집행계획") % {"year": preview.year}
    out = [f"{title} · {preview.filename}"]
    out += ["  " + _("경고: %(warning)s") % {"warning": warning} for warning in preview.warnings]
    if not preview.ok:
        return out
    for line in preview.lines:
        if line.after is None or not (line.changed or every_line):
            continue
        if preview.kind == "execution":
            figures = [
                _("원인행위액 %(v)s") % {"v": _change(line.before[0], line.after[0])},
                _("지출액 %(v)s") % {"v": _change(line.before[1], line.after[1])},
            ]
            if line.before[2] != line.after[2]:
                figures.append(_("비고 '%(a)s' → '%(b)s'") % {"a": line.before[2], "b": line.after[2]})
        else:
            before, after = line.annual_before, line.annual_after
            figures = [
                _("연간 원인행위 계획 %(v)s") % {"v": _change(before[0], after[0])},
                _("연간 지출 계획 %(v)s") % {"v": _change(before[1], after[1])},
            ]
            if line.months:
                figures.append(_("바뀌는 달 %(months)s") % {"months": ", ".join(f"{m}월" for m in line.months)})
        state = _("변경") if line.changed else _("변경 없음")
        out.append(f"  {_('%(row)s행') % {'row': line.row}} {line.code} {line.name}: {', '.join(figures)} [{state}]")
    out.append(
        _("%(changed)s개 라인 변경, %(same)s개 라인 변경 없음, 파일에 없는 %(absent)s개 라인은 그대로.")
        % {"changed": len(preview.changed), "same": len(preview.unchanged), "absent": len(preview.not_in_file)}
    )
    return out


def read_path(path) -> tuple[bytes, str]:
    """A file's bytes for the commands, read no further than the size limit (the reader refuses it then)."""
    with open(path, "rb") as f:
        return f.read(MAX_UPLOAD_BYTES + 1), str(path).rsplit("/", 1)[-1]


def show_preview(command, preview, *, verbose: bool, dry_run: bool) -> bool:
    """What the import commands print before saving; False when there is nothing more to do (a dry run).

    Raises CommandError when the file has problems, so the command exits non-zero with nothing saved.
    """
    from django.core.management import CommandError

    for line in preview_text(preview, every_line=verbose):
        command.stdout.write(line)
    for problem in preview.problems:
        command.stderr.write(str(problem))
    if not preview.ok:
        raise CommandError(f"{len(preview.problems)}건의 문제로 가져오지 않았습니다 (저장한 것 없음).")
    if dry_run:
        command.stdout.write("--dry-run: 저장하지 않았습니다.")
        return False
    return True


def import_user(username: str | None, permission: str):
    """The user the history records for a command's import; none when not given."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"no user {username!r}")
    if not user.has_perm(permission):
        raise CommandError(f"user {username!r} lacks the permission {permission}")
    return user


class ImportCommand(BaseCommand):
    """An import command: read the file, print the preview, save through the same service as the page.

    A subclass names the permission the user needs, the sheet it reads, and says how to preview and
    save; a refusal anywhere exits non-zero with nothing saved.
    """

    permission: str
    sheet: str

    def add_arguments(self, parser):
        parser.add_argument("file", help=f"the .xlsx file (sheet {self.sheet}, header in row 2)")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--user", help=f"username recorded in the history (needs {self.permission})")
        parser.add_argument("--dry-run", action="store_true", help="check and print the preview; save nothing")

    def preview(self, data: bytes, name: str, **options) -> Preview:
        raise NotImplementedError

    def save(self, preview: Preview, *, user, source: str, **options) -> str:
        """Save the previewed entries; returns what to say about it."""
        raise NotImplementedError

    def handle(self, *args, file, user, dry_run, verbosity, **options):
        user = import_user(user, self.permission)
        try:
            data, name = read_path(file)
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from error
        preview = self.preview(data, name, **options)
        if not show_preview(self, preview, verbose=verbosity > 1, dry_run=dry_run):
            return
        try:
            said = self.save(preview, user=user, source=source_note(name, "명령"), **options)
        except EntryRefused as refused:
            raise CommandError("; ".join(refused.messages)) from refused
        self.stdout.write(said)
