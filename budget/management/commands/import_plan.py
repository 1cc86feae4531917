from django.core.management.base import BaseCommand, CommandError

from budget import imports
from budget.core.errors import EntryRefused
from budget.management.commands.import_execution import import_user
from budget.plans.services import plan_save


class Command(BaseCommand):
    help = (
        "Import a year's monthly plan (월별 집행계획) from an .xlsx file in the plan template's layout: "
        "the web import's checks and rules, a preview printed, then saved in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx file (sheet 집행계획, header in row 2)")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--user", help="username recorded in the history (needs budget.change_monthlyplan)")
        parser.add_argument("--dry-run", action="store_true", help="check and print the preview; save nothing")

    def handle(self, *args, file, year, user, dry_run, verbosity, **options):
        user = import_user(user, "budget.change_monthlyplan")
        try:
            data, name = imports.read_path(file)
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from error
        preview = imports.preview_plan(data, name, year=year)
        if not imports.show_preview(self, preview, verbose=verbosity > 1, dry_run=dry_run):
            return
        try:
            changed = plan_save(
                year=year,
                entries=preview.entries,
                user=user,
                fingerprint=preview.version,
                reason=imports.source_note(name, "명령"),
            )
        except EntryRefused as refused:
            raise CommandError("; ".join(refused.messages)) from refused
        self.stdout.write(f"저장했습니다: {changed}개 월 계획 변경 ({year}년).")
