from budget import imports
from budget.imports.text import ImportCommand
from budget.plans.services import plan_save


class Command(ImportCommand):
    help = (
        "Import a year's monthly plan (월별 집행계획) from an .xlsx file in the plan template's layout: "
        "the web import's checks and rules, a preview printed, then saved in one transaction."
    )
    permission = "budget.change_monthlyplan"
    sheet = "집행계획"

    def preview(self, data, name, *, year, **options):
        return imports.preview_plan(data, name, year=year)

    def save(self, preview, *, user, source, year, **options):
        changed = plan_save(year=year, entries=preview.entries, user=user, fingerprint=preview.version, reason=source)
        return f"저장했습니다: {changed}개 월 계획 변경 ({year}년)."
