from budget import imports
from budget.entry.services import month_import
from budget.imports.text import ImportCommand


class Command(ImportCommand):
    help = (
        "Import a month's execution (집행 실적) from an .xlsx file in the import template's layout: "
        "the web import's checks and rules, a preview printed, then saved in one transaction."
    )
    permission = "budget.change_executionrecord"
    sheet = "집행실적"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--month", type=int, required=True)

    def preview(self, data, name, *, year, month, **options):
        return imports.preview_execution(data, name, year=year, month=month)

    def save(self, preview, *, user, source, year, month, **options):
        version, changed = month_import(
            year=year, month=month, entries=preview.entries, user=user, version=preview.version, source=source
        )
        return f"저장했습니다: {changed}개 라인 변경 ({year}년 {month}월, 버전 {version})."
