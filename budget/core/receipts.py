"""세입 수납: what each revenue line collected in a month, in won.

Kept apart from ExecutionRecord because revenue has no commitment step: a line collects, and a correction
is a negative 수납 in a later open month. Collecting beyond the revenue budget is allowed (the rules flag
it, they do not refuse it).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .models import BudgetLine, YearOfLine, YearOfLineQuerySet


class RevenueRecordQuerySet(YearOfLineQuerySet):
    def through(self, month):
        """Records up to and including `month`: their sum is 수납액 to date."""
        return self.filter(month__lte=month)


class RevenueRecord(YearOfLine):
    line = models.ForeignKey(BudgetLine, models.PROTECT, related_name="receipts", verbose_name=_("예산 라인"))
    month = models.PositiveSmallIntegerField(_("월"))
    collected = models.BigIntegerField(_("수납액(원)"), default=0)
    note = models.CharField(_("비고"), max_length=300, blank=True)

    objects = RevenueRecordQuerySet.as_manager()
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("세입 수납")
        verbose_name_plural = _("세입 수납")
        ordering = ["line", "month"]
        constraints = [
            models.UniqueConstraint(fields=["line", "month"], name="receipt_one_per_line_and_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="receipt_month_in_year"),
        ]
        indexes = [
            # A year's 수납 through a month, read from the index alone on PostgreSQL.
            models.Index(fields=["fiscal_year", "month"], include=["line", "collected"], name="receipt_year_month_idx"),
        ]

    def __str__(self):
        return f"{self.line} {self.month}월 수납"
