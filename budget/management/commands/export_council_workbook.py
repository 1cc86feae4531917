import datetime
import sys

from django.core.management.base import BaseCommand, CommandError

from budget.core.models import FiscalYear
from budget.council.workbook import write_council_workbook


class Command(BaseCommand):
    help = "Write the council workbook (세입·세출 예산현황 in the report's layout) for a year as of a month."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--as-of", required=True, help="YYYY-MM, a month of --year")
        parser.add_argument("--output", required=True, help="the .xlsx file to write")
        parser.add_argument("--force", action="store_true", help="write it even if a check fails")

    def handle(self, *args, year, as_of, output, force, **options):
        try:
            month_start = datetime.datetime.strptime(as_of, "%Y-%m").date()
        except ValueError as error:
            raise CommandError(f"--as-of {as_of!r} must be YYYY-MM") from error
        if month_start.year != year:
            raise CommandError(f"--as-of {as_of} is outside fiscal year {year}")
        if not FiscalYear.objects.filter(year=year).exists():
            raise CommandError(f"no fiscal year {year}")
        with open(output, "wb") as out:
            failures = write_council_workbook(year, month_start.month, out)
        for failure in failures:
            self.stderr.write(f"check failed: {failure}")
        if failures and not force:
            raise CommandError(f"{len(failures)} check(s) failed; the workbook lists them on its first sheet")
        self.stdout.write(f"wrote {output}")
        sys.stdout.flush()
