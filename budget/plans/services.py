from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from budget.core.errors import EntryRefused, StaleSheet, refuse_broken
from budget.core.models import FiscalYear
from budget.core.periods import ensure_year_open


@transaction.atomic
def plan_save(*, year: int, entries: list, user, fingerprint: str | None = None, reason: str = "") -> int:
    """Save planned commitments and expenditure (won) of any lines and months of a year, all or nothing.

    `entries` are budget.plans.PlanEntry.
    `fingerprint` is the plan's digest when the sheet or preview was drawn (None: do not check);
    a plan saved by someone else since is refused with StaleSheet. The year's row is locked for the
    save, so two plan saves of one year run one after the other. Returns how many months changed;
    a save that changes nothing writes nothing. Queries: a fixed number, whatever the number of lines.
    """
    from budget.core.models import MonthlyPlan
    from budget.plans.sheet import plan_check, plan_sheet

    fiscal_year = FiscalYear.objects.select_for_update().filter(year=year).first()
    if fiscal_year is None:
        raise EntryRefused([_("%(year)s 회계연도가 없습니다.") % {"year": year}])
    ensure_year_open(fiscal_year)
    sheet = plan_sheet(year)
    if fingerprint is not None and fingerprint != sheet.fingerprint:
        raise StaleSheet(
            [
                _("다른 사용자가 %(year)s년 집행계획을 먼저 저장했습니다. 저장된 값을 다시 확인하고 입력하세요.")
                % {"year": year}
            ]
        )
    refuse_broken(plan_check(sheet, entries))
    created, updated = [], []
    for entry in {(e.line_id, e.month): e for e in entries}.values():
        record = sheet.records.get((entry.line_id, entry.month))
        if record is None:
            if entry.commitment or entry.expenditure:
                created.append(
                    MonthlyPlan(
                        line_id=entry.line_id,
                        fiscal_year_id=year,
                        month=entry.month,
                        commitment=entry.commitment,
                        expenditure=entry.expenditure,
                    )
                )
        elif (record.commitment, record.expenditure) != (entry.commitment, entry.expenditure):
            record.commitment, record.expenditure = entry.commitment, entry.expenditure
            updated.append(record)
    change_reason = reason or _("%(year)s년 집행계획 입력") % {"year": year}
    if created:
        bulk_create_with_history(created, MonthlyPlan, default_user=user, default_change_reason=change_reason)
    if updated:
        bulk_update_with_history(
            updated, MonthlyPlan, ["commitment", "expenditure"], default_user=user, default_change_reason=change_reason
        )
    return len(created) + len(updated)
