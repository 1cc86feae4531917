from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from budget import imports
from budget.core.errors import EntryRefused
from budget.entry.services import month_import


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


class Command(BaseCommand):
    help = (
        "Import a month's execution (집행 실적) from an .xlsx file in the import template's layout: "
        "the web import's checks and rules, a preview printed, then saved in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx file (sheet 집행실적, header in row 2)")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--month", type=int, required=True)
        parser.add_argument("--user", help="username recorded in the history (needs budget.change_executionrecord)")
        parser.add_argument("--dry-run", action="store_true", help="check and print the preview; save nothing")

    def handle(self, *args, file, year, month, user, dry_run, verbosity, **options):
        user = import_user(user, "budget.change_executionrecord")
        try:
            data, name = imports.read_path(file)
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from error
        preview = imports.preview_execution(data, name, year=year, month=month)
        if not imports.show_preview(self, preview, verbose=verbosity > 1, dry_run=dry_run):
            return
        try:
            version, changed = month_import(
                year=year,
                month=month,
                entries=preview.entries,
                user=user,
                version=preview.version,
                source=imports.source_note(name, "명령"),
            )
        except EntryRefused as refused:
            raise CommandError("; ".join(refused.messages)) from refused
        self.stdout.write(f"저장했습니다: {changed}개 라인 변경 ({year}년 {month}월, 버전 {version}).")
