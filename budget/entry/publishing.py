"""Publishing a closed month's figures on the open pages (/open/, no login), and withdrawing them.

Both are the finance lead's, like the close and the reopen they follow: publishing needs the permission to
close a month, unpublishing the permission to reopen one. Each is one transaction and leaves the month's
history (who, when, and for unpublishing why).

What is public is bound to the close it was published on. A month is public while it is published and
still closed as it was then: a reported month (the report's cumulative figure, which never reopens), or a
closed month whose (last) close is not later than the publication. Reopening a month therefore withdraws
it at once, whichever way it is reopened, and closing it again does not publish it again: its figures may
have changed in between, so the lead publishes them anew.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from budget.core.errors import EntryRefused
from budget.core.models import ExecutionRecord, MonthStatus
from budget.core.periods import covered_through, lock_month, offered_months

PUBLISH = "budget.close_month"
UNPUBLISH = "budget.reopen_month"


def is_public(month: int, closed: bool, closed_at, published_at, covered: int) -> bool:
    """The rule above, for one month's status (`covered`: the year's last reported month, 0 if none)."""
    if published_at is None or month < covered:
        return False
    if month == covered:
        return True
    # A close from before closes were timed (migration 0004) cannot have followed the publication.
    return closed and (closed_at is None or closed_at <= published_at)


def published_months(year: int) -> list[int]:
    """The year's months anyone may read, in order. Four queries, whatever the data."""
    covered = covered_through(year)
    offered = offered_months(year)
    rows = MonthStatus.objects.filter(fiscal_year_id=year, published_at__isnull=False).values_list(
        "month", "closed", "closed_at", "published_at"
    )
    return sorted(m for m, *state in rows if m in offered and is_public(m, *state, covered))


def published_years() -> dict[int, list[int]]:
    """Every year with a public month, newest first, with its public months: one query, and four a year
    with a publication (a year published is a year the foundation reported, one more a year)."""
    years = (
        MonthStatus.objects.filter(published_at__isnull=False)
        .values_list("fiscal_year_id", flat=True)
        .distinct()
        .order_by("-fiscal_year_id")
    )
    found = {year: published_months(year) for year in years}
    return {year: months for year, months in found.items() if months}


def _may(user, permission: str, message: str) -> None:
    if user is None or not user.has_perm(permission):
        raise EntryRefused([message])


@transaction.atomic
def month_publish(*, year: int, month: int, user) -> MonthStatus:
    """Publish a closed (or reported) month: its execution by nature and by program goes on /open/<year>/."""
    _may(user, PUBLISH, _("월 공개는 재무책임자만 할 수 있습니다."))
    status = lock_month(year, month, finished_ok=True)
    where = {"year": year, "month": month}
    if not ExecutionRecord.objects.filter(fiscal_year_id=year).exists():
        raise EntryRefused([_("%(year)s년은 집행 실적이 없어 공개할 수 없습니다.") % where])
    covered = covered_through(year)
    if month < covered:
        raise EntryRefused(
            [
                _("%(year)s년 %(month)s월은 보고서의 %(covered)s월 누계 안에 있어 그 달의 실적이 따로 없습니다.")
                % {**where, "covered": covered}
            ]
        )
    if month != covered and not status.closed:
        raise EntryRefused([_("%(year)s년 %(month)s월은 마감되지 않았습니다. 마감된 달만 공개합니다.") % where])
    if month not in offered_months(year):
        raise EntryRefused([_("%(year)s년 %(month)s월 말에는 예산 자료가 없어 공개할 수 없습니다.") % where])
    if is_public(month, status.closed, status.closed_at, status.published_at, covered):
        raise EntryRefused([_("%(year)s년 %(month)s월은 이미 공개되어 있습니다.") % where])
    status.published_at = timezone.now()
    status._history_user = user
    status._change_reason = _("공개")
    status.save(update_fields=["published_at"])
    return status


@transaction.atomic
def month_unpublish(*, year: int, month: int, user, reason: str) -> MonthStatus:
    """Withdraw a month from the open pages, with a reason kept in its history."""
    _may(user, UNPUBLISH, _("공개 중단은 재무책임자만 할 수 있습니다."))
    if not reason.strip():
        raise EntryRefused([_("공개 중단 사유를 적어야 합니다.")])
    status = lock_month(year, month, finished_ok=True)
    if status.published_at is None:
        raise EntryRefused([_("%(year)s년 %(month)s월은 공개되지 않았습니다.") % {"year": year, "month": month}])
    status.published_at = None
    status._history_user = user
    status._change_reason = reason.strip()
    status.save(update_fields=["published_at"])
    return status
