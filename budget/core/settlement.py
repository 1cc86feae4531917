"""결산: a fiscal year's settlement, prepared by finance staff and approved by the finance lead, and the
이월액 it carries into the next year line by line (사고이월 and 명시이월).

Only what a person decides is stored: which line carries how much, and why. 예산현액, 지출액, 불용액,
수납액, 미수납액 and the surplus are computed from the year's own rows (budget.settlement.figures); an
approved settlement finishes the year, so those rows cannot change under it (docs/conventions.md).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .models import BudgetLine, FiscalYear


class Settlement(models.Model):
    class Status(models.TextChoices):
        PREPARED = "prepared", _("작성")
        APPROVED = "approved", _("승인")

    fiscal_year = models.OneToOneField(
        FiscalYear, models.PROTECT, primary_key=True, related_name="settlement", verbose_name=_("회계연도")
    )
    status = models.CharField(_("상태"), max_length=10, choices=Status, default=Status.PREPARED)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("작성자")
    )
    prepared_at = models.DateTimeField(_("작성 일시"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("승인자")
    )
    approved_at = models.DateTimeField(_("승인 일시"), null=True, blank=True)

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("결산")
        verbose_name_plural = _("결산")
        ordering = ["-fiscal_year"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["prepared", "approved"]), name="settlement_status_valid"),
            # Approved means someone approved it, at a moment; prepared means nobody has yet.
            models.CheckConstraint(
                condition=Q(status="prepared", approved_by__isnull=True, approved_at__isnull=True)
                | Q(status="approved", approved_by__isnull=False, approved_at__isnull=False),
                name="settlement_approved_by_someone",
            ),
        ]

    def __str__(self):
        return f"{self.fiscal_year_id} 결산 ({self.get_status_display()})"

    @property
    def approved(self) -> bool:
        return self.status == self.Status.APPROVED


class SettlementCarryover(models.Model):
    """One expenditure line's 다음연도 이월액: 사고이월 (committed, unpaid at year end) and 명시이월 (with its
    reason), each in whole won and held by the services to what the line can carry."""

    settlement = models.ForeignKey(Settlement, models.CASCADE, related_name="carryovers", verbose_name=_("결산"))
    line = models.ForeignKey(BudgetLine, models.PROTECT, related_name="carryovers", verbose_name=_("예산 라인"))
    accident = models.BigIntegerField(_("사고이월(원)"), default=0)
    explicit = models.BigIntegerField(_("명시이월(원)"), default=0)
    reason = models.CharField(_("명시이월 사유"), max_length=300, blank=True)

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("다음연도 이월")
        verbose_name_plural = _("다음연도 이월")
        ordering = ["settlement", "line"]
        constraints = [
            models.UniqueConstraint(fields=["settlement", "line"], name="carryover_one_per_line"),
            models.CheckConstraint(condition=Q(accident__gte=0, explicit__gte=0), name="carryover_not_negative"),
            # A line carrying nothing has no row.
            models.CheckConstraint(condition=Q(accident__gt=0) | Q(explicit__gt=0), name="carryover_not_zero"),
            # 명시이월 is a decision, and a decision has its reason.
            models.CheckConstraint(condition=Q(explicit=0) | ~Q(reason=""), name="carryover_explicit_reason"),
        ]

    def __str__(self):
        return f"{self.line} 이월 {self.accident + self.explicit:,}원"

    @property
    def total(self) -> int:
        return self.accident + self.explicit
