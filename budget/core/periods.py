"""A fiscal year's months: which are reported, which are closed, which can still change, which exist at all.

One definition each, used by every way in (month sheet, import, budget changes, commands, pages):

- *covered*: the months a report's cumulative figure stands for (2022: January–September in one record);
  they were reported before the app held the year, so they are as final as a closed month.
- *closed through*: the last month up to which every month is covered or closed (마감). Months close in
  order, so the closed months are always the ones through this month.
- *first month*: the first month at whose end the year has a budget figure; a view as of an earlier
  month would show 예산현액 0, which the app does not hold, so such months are not offered.
- *finished*: a year the finance lead closed as a whole; nothing of it changes until it is reopened.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max, Min
from django.http import Http404
from django.utils.translation import gettext as _

from budget.core.errors import EntryRefused, StaleSheet
from budget.core.models import BudgetAmount, BudgetLine, ExecutionRecord, FiscalYear, MonthStatus

MONTHS = range(1, 13)


def covered_through(year: int) -> int:
    """The last month that a cumulative (report) record stands for; 0 if none."""
    return ExecutionRecord.objects.filter(fiscal_year_id=year, cumulative=True).aggregate(m=Max("month"))["m"] or 0


def closed_months(year: int) -> set[int]:
    return set(MonthStatus.objects.filter(fiscal_year_id=year, closed=True).values_list("month", flat=True))


def closed_through(year: int, *, covered: int | None = None) -> int:
    """The last month up to which every month is closed or stands in the report's cumulative figure
    (`covered`: covered_through(year), where the caller has read it already)."""
    through = covered_through(year) if covered is None else covered
    closed = closed_months(year)
    while through + 1 in closed:
        through += 1
    return through


def first_month(year: int) -> int | None:
    """The first month at whose end the year has any budget figure; None for a year with no budget yet."""
    first = BudgetAmount.objects.filter(fiscal_year_id=year).aggregate(day=Min("effective_date"))["day"]
    if first is None:
        return None
    return 1 if first.year < year else first.month


def offered_months(year: int) -> range:
    """The months a view of `year` may be asked for: from the first with a budget figure to December."""
    first = first_month(year)
    return range(first, 13) if first is not None else range(0)


def latest_month(year: int) -> int:
    """The default as-of month of a view: the last month with execution recorded (December for a year
    with none), and never a month before the year's first budget figure."""
    month = (
        ExecutionRecord.objects.filter(fiscal_year_id=year).order_by("-month").values_list("month", flat=True).first()
    )
    return max(month or 12, first_month(year) or 1)


def parse_as_of(value: str | None, year: int, offered: range | None = None) -> tuple[int, str | None]:
    """`as_of=YYYY-MM` to a month of `year` that the app holds figures for (`offered`, when the caller
    has already read them).

    On a bad value the default month comes back with a message naming the field and what was wrong,
    for the page to show (with status 400) above the default month's figures.
    """
    if not value:
        return latest_month(year), None
    try:
        day = datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        return latest_month(year), _("기준월(as_of) '%(value)s'은(는) YYYY-MM 형식이어야 합니다.") % {"value": value}
    if day.year != year:
        return latest_month(year), _("기준월(as_of) %(value)s은(는) %(year)s 회계연도 밖입니다.") % {
            "value": value,
            "year": year,
        }
    offered = offered_months(year) if offered is None else offered
    if day.month not in offered:
        if not offered:
            return latest_month(year), _("%(year)s 회계연도에는 아직 예산 자료가 없습니다.") % {"year": year}
        return latest_month(year), _(
            "기준월(as_of) %(value)s에는 예산 자료가 없습니다. %(year)s년 예산은 %(first)s월 말 기준부터 있어 "
            "%(first)s월부터 볼 수 있습니다."
        ) % {"value": value, "year": year, "first": offered[0]}
    return day.month, None


def latest_year() -> int | None:
    """The default year of every page: the newest fiscal year with a budget line (a year created with no
    line yet has nothing to show); None when there is none."""
    return BudgetLine.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True).first()


def default_year() -> int:
    """latest_year for a page that cannot go on without one: 404 while the app holds no budget at all."""
    year = latest_year()
    if year is None:
        raise Http404("no fiscal year has budget lines")
    return year


def is_month_closed(year: int, month: int) -> bool:
    return (
        month <= covered_through(year)
        or MonthStatus.objects.filter(fiscal_year_id=year, month=month, closed=True).exists()
    )


def finished_message(year: int) -> str:
    return _(
        "%(year)s 회계연도는 결산이 끝나 닫힌 해입니다. 재무책임자가 사유를 적어 다시 열기 전에는 바꿀 수 없습니다."
    ) % {"year": year}


def ensure_year_open(fiscal_year: FiscalYear) -> None:
    """Refuse any write into a finished year (call with the year's row locked where the write needs it)."""
    if fiscal_year.finished:
        raise EntryRefused([finished_message(fiscal_year.year)])


def lock_month(year: int, month: int, *, finished_ok: bool = False) -> MonthStatus:
    """The month's status row, locked for the rest of the transaction; refuses a finished year unless
    `finished_ok` (publishing changes no figure, and a year's final figures are what the public most wants).

    Every write of a month takes this lock first (the expenditure sheet, its import, the revenue sheet, a
    close, a reopen, a publication), so the writes of one month run one after the other and share its
    version: a close or a reopen makes either sheet stale.
    """
    fiscal_year = FiscalYear.objects.filter(year=year).first()
    if fiscal_year is None:
        raise EntryRefused([_("%(year)s 회계연도가 없습니다.") % {"year": year}])
    if not finished_ok:
        ensure_year_open(fiscal_year)
    if not 1 <= month <= 12:
        raise EntryRefused([_("%(month)s월은 회계연도 밖입니다 (1~12월).") % {"month": month}])
    try:
        with transaction.atomic():
            MonthStatus.objects.get_or_create(fiscal_year_id=year, month=month)
    except IntegrityError:  # created by a concurrent write a moment ago
        pass
    return MonthStatus.objects.select_for_update().get(fiscal_year_id=year, month=month)


def ensure_month_version(status: MonthStatus, version: int) -> None:
    """Refuse a month's sheet drawn at `version` when someone has saved (or closed, or reopened) it since."""
    if status.version != version:
        raise StaleSheet(
            [_("다른 사용자가 이 달을 먼저 저장했습니다. 지금 저장된 값을 다시 보여 드리니 확인하고 다시 입력하세요.")]
        )


def ensure_effective_date_open(year: int, day: datetime.date) -> None:
    """A budget change takes effect in an open month after the last closed or reported one: dated any
    earlier, it would change the 예산현액 of a month already reported."""
    through = closed_through(year)
    if day.year != year or day.month > through:
        return
    if through == 12:
        message = _("%(year)s년은 12월까지 모두 마감되어 예산을 바꿀 수 없습니다.") % {"year": year}
    else:
        message = _(
            "기준일 %(day)s은(는) 이미 마감(또는 보고)된 %(year)s년 %(through)s월까지의 기간 안에 있습니다. "
            "예산 변경은 %(year)s년 %(next)s월 1일 이후 날짜로만 할 수 있습니다."
        ) % {"day": day.isoformat(), "year": year, "through": through, "next": through + 1}
    raise EntryRefused([message])
