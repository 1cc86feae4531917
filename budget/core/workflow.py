"""How the budget is worked on: changes requested and approved, monthly plans, 사유, and each month's
state (closed or open, and its save counter)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .models import BudgetLine, FiscalYear, YearOfLine, YearOfLineQuerySet


class BudgetChange(models.Model):
    """A 추경, 이월, 전용 or 예비비 사용, as requested and then approved (or rejected) by the finance lead.

    Its legs say how much each line gains or loses; only on approval do they become BudgetAmounts,
    so 예산현액 never counts a change nobody approved.
    """

    class Kind(models.TextChoices):
        SUPPLEMENTARY = "supplementary", _("추경")
        CARRYOVER = "carryover", _("이월")
        TRANSFER = "transfer", _("전용")
        RESERVE_USE = "reserve_use", _("예비비 사용")

    class Status(models.TextChoices):
        PENDING = "pending", _("승인 대기")
        APPROVED = "approved", _("승인")
        REJECTED = "rejected", _("반려")

    fiscal_year = models.ForeignKey(FiscalYear, models.PROTECT, related_name="changes", verbose_name=_("회계연도"))
    kind = models.CharField(_("종류"), max_length=20, choices=Kind)
    effective_date = models.DateField(_("기준일"))
    reason = models.CharField(_("사유"), max_length=300)
    reference = models.CharField(_("근거(승인번호 등)"), max_length=100, blank=True)
    status = models.CharField(_("상태"), max_length=10, choices=Status, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("요청자")
    )
    requested_at = models.DateTimeField(_("요청 일시"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("결정자")
    )
    decided_at = models.DateTimeField(_("결정 일시"), null=True, blank=True)
    decision_note = models.CharField(_("결정 메모"), max_length=300, blank=True)

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("예산 변경")
        verbose_name_plural = _("예산 변경")
        ordering = ["fiscal_year", "effective_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["supplementary", "carryover", "transfer", "reserve_use"]),
                name="budgetchange_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "rejected"]), name="budgetchange_status_valid"
            ),
        ]
        permissions = [("approve_budgetchange", _("예산 변경 승인"))]

    def __str__(self):
        return f"{self.fiscal_year_id} {self.get_kind_display()} {self.effective_date} ({self.get_status_display()})"


class BudgetChangeLeg(models.Model):
    change = models.ForeignKey(BudgetChange, models.CASCADE, related_name="legs", verbose_name=_("예산 변경"))
    line = models.ForeignKey(BudgetLine, models.PROTECT, related_name="change_legs", verbose_name=_("예산 라인"))
    amount = models.BigIntegerField(_("금액(원)"), help_text=_("감액·전출은 음수"))

    class Meta:
        verbose_name = _("예산 변경 내역")
        verbose_name_plural = _("예산 변경 내역")
        ordering = ["change", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["change", "line"], name="changeleg_one_per_line"),
            models.CheckConstraint(condition=~Q(amount=0), name="changeleg_not_zero"),
        ]

    def __str__(self):
        return f"{self.line} {self.amount:,}원"


class MonthlyPlan(YearOfLine):
    """월별 집행계획: what a line plans to commit and pay in a month, in won."""

    line = models.ForeignKey(BudgetLine, models.PROTECT, related_name="plans", verbose_name=_("예산 라인"))
    month = models.PositiveSmallIntegerField(_("월"))
    commitment = models.BigIntegerField(_("계획 원인행위액(원)"), default=0)
    expenditure = models.BigIntegerField(_("계획 지출액(원)"), default=0)

    objects = YearOfLineQuerySet.as_manager()
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("월별 집행계획")
        verbose_name_plural = _("월별 집행계획")
        ordering = ["line", "month"]
        constraints = [
            models.UniqueConstraint(fields=["line", "month"], name="plan_one_per_line_and_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="plan_month_in_year"),
            models.CheckConstraint(condition=Q(commitment__gte=0, expenditure__gte=0), name="plan_not_negative"),
        ]
        indexes = [
            models.Index(
                fields=["fiscal_year", "month"],
                include=["line", "commitment", "expenditure"],
                name="plan_year_month_idx",
            ),
        ]

    def __str__(self):
        return f"{self.line} {self.month}월 계획"


class Explanation(models.Model):
    """사유: why a line is behind pace or far from last year, written by the program's owner."""

    line = models.ForeignKey(BudgetLine, models.PROTECT, related_name="explanations", verbose_name=_("예산 라인"))
    month = models.PositiveSmallIntegerField(_("기준월"))
    text = models.TextField(_("사유"), max_length=1000)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("작성자"))
    written_at = models.DateTimeField(_("작성 일시"), auto_now=True)

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("사유")
        verbose_name_plural = _("사유")
        ordering = ["line", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["line", "month"], name="explanation_one_per_line_and_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="explanation_month_in_year"),
        ]

    def __str__(self):
        return f"{self.line} {self.month}월 사유"


class MonthStatus(models.Model):
    """Whether a month of a fiscal year is closed (마감), and its save counter for optimistic locking.

    `version` goes up by one at every save of the month sheet: a sheet posted with an older version
    was drawn before someone else's save, and is refused rather than written over it.
    """

    fiscal_year = models.ForeignKey(FiscalYear, models.PROTECT, related_name="months", verbose_name=_("회계연도"))
    month = models.PositiveSmallIntegerField(_("월"))
    closed = models.BooleanField(_("마감"), default=False)
    # When the month was (last) closed: what the month's views showed then is what was reported, and
    # figures that are not dated by month (the plan for later months, the 신속집행 target) are read as
    # they stood at this moment.
    closed_at = models.DateTimeField(_("마감 일시"), null=True, blank=True)
    # When the finance lead published the month's figures on the open pages (/open/): they are public only
    # while the month stays closed as it was then, i.e. closed at or before this moment (budget.entry.publishing).
    published_at = models.DateTimeField(_("공개 일시"), null=True, blank=True)
    version = models.PositiveIntegerField(_("저장 버전"), default=0)

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("월 마감")
        verbose_name_plural = _("월 마감")
        ordering = ["fiscal_year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "month"], name="monthstatus_one_per_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="monthstatus_month_in_year"),
        ]
        permissions = [
            ("close_month", _("월 마감")),
            ("reopen_month", _("월 마감 해제")),
            ("view_history", _("변경 이력 열람")),
        ]

    def __str__(self):
        state = _("마감") if self.closed else _("입력 중")
        return _("%(year)s년 %(month)s월 (%(state)s)") % {
            "year": self.fiscal_year_id,
            "month": self.month,
            "state": state,
        }
