"""Writes of the dashboards: each one transaction, each leaving history with its author."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from budget.core.errors import EntryRefused
from budget.core.models import BudgetLine, Explanation, FiscalYear
from budget.core.periods import ensure_year_open, is_month_closed

TEXT_LIMIT = Explanation._meta.get_field("text").max_length


@transaction.atomic
def explanation_save(*, line: BudgetLine, month: int, text: str, user) -> Explanation:
    """Write (or rewrite) the 사유 of a line for a month; who wrote it last is `written_by`.

    Whether `user` may is the caller's to check (dashboard.access.can_explain). A 사유 goes out with the
    month's council workbook, so once the month is closed it stays as it was reported.
    """
    ensure_year_open(FiscalYear.objects.get(year=line.fiscal_year_id))
    # The page's form checks the text too; the service checks it again for every other way in.
    text = text.strip()
    if not text:
        raise EntryRefused([_("사유를 적으세요.")])
    if "\x00" in text:
        raise EntryRefused([_("사유에 쓸 수 없는 문자(NUL)가 들어 있습니다.")])
    if len(text) > TEXT_LIMIT:
        raise EntryRefused(
            [_("사유는 %(limit)s자까지 적을 수 있습니다 (%(length)s자).") % {"limit": TEXT_LIMIT, "length": len(text)}]
        )
    if is_month_closed(line.fiscal_year_id, month):
        raise EntryRefused(
            [
                _("%(year)s년 %(month)s월은 마감되어 그 달의 사유를 바꿀 수 없습니다. 다음 달 사유로 적으세요.")
                % {"year": line.fiscal_year_id, "month": month}
            ]
        )
    explanation = Explanation.objects.select_for_update().filter(line=line, month=month).first()
    if explanation is None:
        explanation = Explanation(line=line, month=month)
    explanation.text = text
    explanation.written_by = user
    explanation._history_user = user
    explanation.save()
    return explanation
