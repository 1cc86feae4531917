"""Fiscal years, accounts by nature, budget lines, budget amounts and execution records.

Money is whole won in BigIntegerField. Nothing derived is stored: 예산현액 is the sum of a line's
amounts dated on or before the day asked, execution to date the sum of its records through a month.
"""

import calendar
import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class FiscalYear(models.Model):
    year = models.PositiveSmallIntegerField(_("회계연도"), primary_key=True)
    # 신속집행: the first-half execution target the city sets, in percent; set by the finance lead.
    early_execution_target = models.DecimalField(
        _("신속집행 목표(%)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    # A finished year (결산 done, or known only by its final figures) is read-only until the finance lead
    # reopens it; the history keeps who closed or reopened it, when and why.
    finished = models.BooleanField(_("마감된 연도"), default=False)

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("회계연도")
        verbose_name_plural = _("회계연도")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)

    @property
    def start(self):
        return datetime.date(self.year, 1, 1)

    @property
    def end(self):
        return datetime.date(self.year, 12, 31)


class Account(models.Model):
    """A revenue source or an expenditure nature (과목, 성질별)."""

    class Side(models.TextChoices):
        REVENUE = "revenue", _("세입")
        EXPENDITURE = "expenditure", _("세출")

    code = models.SlugField(_("코드"), max_length=30, unique=True)
    side = models.CharField(_("구분"), max_length=12, choices=Side)
    name = models.CharField(_("과목명"), max_length=50)
    order = models.PositiveSmallIntegerField(_("순서"))

    class Meta:
        verbose_name = _("과목")
        verbose_name_plural = _("과목")
        ordering = ["side", "order"]
        constraints = [
            models.CheckConstraint(condition=Q(side__in=["revenue", "expenditure"]), name="account_side_valid"),
            models.UniqueConstraint(fields=["side", "name"], name="account_name_unique_per_side"),
        ]

    def __str__(self):
        return f"{self.get_side_display()} · {self.name}"


class BudgetLineQuerySet(models.QuerySet):
    def for_year(self, year):
        return self.filter(fiscal_year_id=year)

    def expenditure(self):
        return self.filter(account__side=Account.Side.EXPENDITURE)

    def revenue(self):
        return self.filter(account__side=Account.Side.REVENUE)


class BudgetLine(models.Model):
    """A fiscal year's leaf where money is budgeted (and, on the expenditure side, spent).

    2022 has a line per program, 인력운영비, 기본경비 and each 예비비; a year the report knows only by
    nature or revenue source (2021) has one line per account.
    """

    fiscal_year = models.ForeignKey(FiscalYear, models.PROTECT, related_name="lines", verbose_name=_("회계연도"))
    code = models.CharField(_("코드"), max_length=30)
    name = models.CharField(_("예산사업명"), max_length=200)
    account = models.ForeignKey(Account, models.PROTECT, related_name="lines", verbose_name=_("과목"))
    program = models.ForeignKey(
        "programs.Program", models.PROTECT, null=True, blank=True, related_name="budget_lines", verbose_name=_("사업")
    )
    order = models.PositiveSmallIntegerField(_("순서"), default=0)

    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("예산 과목(라인)")
        verbose_name_plural = _("예산 과목(라인)")
        ordering = ["fiscal_year", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "code"], name="line_code_unique_per_year"),
            # A program is budgeted on one line a year, so its page can show that line's figures.
            models.UniqueConstraint(fields=["fiscal_year", "program"], name="line_one_per_program_and_year"),
        ]

    def __str__(self):
        return f"{self.fiscal_year_id} {self.name}"


class BudgetAmountQuerySet(models.QuerySet):
    def as_of(self, day):
        """Amounts in force on `day`: their sum is 예산현액 as of that day."""
        return self.filter(effective_date__lte=day)


class BudgetAmount(models.Model):
    class Kind(models.TextChoices):
        ORIGINAL = "original", _("본예산")
        SUPPLEMENTARY = "supplementary", _("추경")
        CARRYOVER = "carryover", _("이월")
        TRANSFER = "transfer", _("전용")
        RESERVE_USE = "reserve_use", _("예비비 사용")
        # The report gives some figures only as a total: the 2022 현액 as of September, the 2021
        # final budget. Each is loaded as one amount of this kind, standing for everything before it.
        REPORTED_CURRENT = "reported_current", _("예산현액(보고서)")
        REPORTED_FINAL = "reported_final", _("최종예산(보고서)")

    line = models.ForeignKey(BudgetLine, models.PROTECT, related_name="amounts", verbose_name=_("예산 라인"))
    kind = models.CharField(_("종류"), max_length=20, choices=Kind)
    effective_date = models.DateField(_("기준일"))
    amount = models.BigIntegerField(_("금액(원)"), help_text=_("감액과 전출은 음수"))
    reason = models.CharField(_("사유"), max_length=300, blank=True)
    reference = models.CharField(_("근거(승인번호 등)"), max_length=100, blank=True)
    # The approved change this amount came from; none for the original budget and the report's figures.
    change = models.ForeignKey(
        "BudgetChange", models.PROTECT, null=True, blank=True, related_name="amounts", verbose_name=_("예산 변경")
    )

    objects = BudgetAmountQuerySet.as_manager()
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("예산액")
        verbose_name_plural = _("예산액")
        ordering = ["line", "effective_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "original",
                        "supplementary",
                        "carryover",
                        "transfer",
                        "reserve_use",
                        "reported_current",
                        "reported_final",
                    ]
                ),
                name="budgetamount_kind_valid",
            ),
        ]
        indexes = [models.Index(fields=["line", "effective_date"], name="amount_line_date_idx")]

    def __str__(self):
        return f"{self.line} {self.get_kind_display()} {self.amount:,}원"


class ExecutionRecordQuerySet(models.QuerySet):
    def through(self, month):
        """Records up to and including `month`: their sum is execution to date."""
        return self.filter(month__lte=month)


class ExecutionRecord(models.Model):
    """Commitment (원인행위액) and expenditure (지출액) of one expenditure line in one month.

    `cumulative` marks a record that stands for January through `month` at once: the report gives
    execution only as of September 2022, and no monthly split of it is invented.
    """

    line = models.ForeignKey(BudgetLine, models.PROTECT, related_name="executions", verbose_name=_("예산 라인"))
    month = models.PositiveSmallIntegerField(_("월"))
    commitment = models.BigIntegerField(_("원인행위액(원)"), default=0)
    expenditure = models.BigIntegerField(_("지출액(원)"), default=0)
    cumulative = models.BooleanField(_("누계 기록"), default=False, help_text=_("1월부터 이 달까지의 누계"))
    note = models.CharField(_("비고"), max_length=300, blank=True)

    objects = ExecutionRecordQuerySet.as_manager()
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("집행 실적")
        verbose_name_plural = _("집행 실적")
        ordering = ["line", "month"]
        constraints = [
            models.UniqueConstraint(fields=["line", "month"], name="execution_one_per_line_and_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="execution_month_in_year"),
        ]

    def __str__(self):
        return f"{self.line} {self.month}월"


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


class MonthlyPlan(models.Model):
    """월별 집행계획: what a line plans to commit and pay in a month, in won."""

    line = models.ForeignKey(BudgetLine, models.PROTECT, related_name="plans", verbose_name=_("예산 라인"))
    month = models.PositiveSmallIntegerField(_("월"))
    commitment = models.BigIntegerField(_("계획 원인행위액(원)"), default=0)
    expenditure = models.BigIntegerField(_("계획 지출액(원)"), default=0)

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


def month_end(year, month):
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


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
