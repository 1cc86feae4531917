"""Fiscal years, accounts by nature, budget lines, budget amounts and execution records.

Money is whole won in BigIntegerField. Nothing derived is stored: 예산현액 is the sum of a line's
amounts dated on or before the day asked, execution to date the sum of its records through a month.
"""

import calendar
import datetime

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
    # The same line in the year before, where it continues (kept when the next year is opened from this one,
    # whatever its code or name became): a line's history across years follows this link.
    previous = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="next", verbose_name=_("전년도 라인")
    )

    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("예산 과목(라인)")
        verbose_name_plural = _("예산 과목(라인)")
        ordering = ["fiscal_year", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "code"], name="line_code_unique_per_year"),
            # A program is budgeted on one line a year, so its page can show that line's figures.
            models.UniqueConstraint(fields=["fiscal_year", "program"], name="line_one_per_program_and_year"),
            # What the rows under a line refer to, with their repeated year (YearOfLine).
            models.UniqueConstraint(fields=["id", "fiscal_year"], name="line_id_with_year"),
        ]

    def __str__(self):
        return f"{self.fiscal_year_id} {self.name}"


class YearOfLineQuerySet(models.QuerySet):
    """For the tables under a line (amounts, records, plans): a bulk insert fills each row's year from its
    line, as save() does, so that no way of writing leaves it out."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        missing = {obj.line_id for obj in objs if obj.fiscal_year_id is None}
        if missing:
            years = dict(BudgetLine.objects.filter(pk__in=missing).values_list("pk", "fiscal_year_id"))
            for obj in objs:
                if obj.fiscal_year_id is None:
                    obj.fiscal_year_id = years.get(obj.line_id)
        return super().bulk_create(objs, *args, **kwargs)


class YearOfLine(models.Model):
    """The line's fiscal year, repeated on the rows under it so that a year's sums read that year's rows by
    index (with ten years held, going through the line table meant reading every year's rows).

    The database holds it to the line's year: on PostgreSQL a foreign key on (line, year) to the line's
    (id, year), on SQLite a trigger (migration 0005).
    """

    fiscal_year = models.ForeignKey(
        FiscalYear, models.PROTECT, related_name="+", editable=False, verbose_name=_("회계연도"), db_index=False
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.fiscal_year_id is None:
            self.fiscal_year_id = BudgetLine.objects.filter(pk=self.line_id).values_list("fiscal_year_id", flat=True)[0]
        super().save(*args, **kwargs)


class BudgetAmountQuerySet(YearOfLineQuerySet):
    def as_of(self, day):
        """Amounts in force on `day`: their sum is 예산현액 as of that day."""
        return self.filter(effective_date__lte=day)


class BudgetAmount(YearOfLine):
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
        indexes = [
            models.Index(fields=["line", "effective_date"], name="amount_line_date_idx"),
            # A year's 예산현액 as of a day, read from the index alone on PostgreSQL.
            models.Index(
                fields=["fiscal_year", "effective_date"], include=["line", "amount"], name="amount_year_date_idx"
            ),
        ]

    def __str__(self):
        return f"{self.line} {self.get_kind_display()} {self.amount:,}원"


class ExecutionRecordQuerySet(YearOfLineQuerySet):
    def through(self, month):
        """Records up to and including `month`: their sum is execution to date."""
        return self.filter(month__lte=month)


class ExecutionRecord(YearOfLine):
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
        indexes = [
            # A year's execution through a month, read from the index alone on PostgreSQL.
            models.Index(
                fields=["fiscal_year", "month"],
                include=["line", "commitment", "expenditure"],
                name="execution_year_month_idx",
            ),
            # The few records that stand for months at once (the report's cumulative figure): every page asks
            # how far they reach, which is then a look at a handful of index entries, not the year's records.
            models.Index(
                fields=["fiscal_year", "month"], condition=Q(cumulative=True), name="execution_cumulative_idx"
            ),
        ]

    def __str__(self):
        return f"{self.line} {self.month}월"


def month_end(year, month):
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


# The workflow's models (changes, plans, 사유, month status) live in their own module; the budget's models
# are one place to import from.
from .receipts import RevenueRecord  # noqa: E402
from .settlement import Settlement, SettlementCarryover  # noqa: E402
from .workflow import (  # noqa: E402
    BudgetChange,
    BudgetChangeLeg,
    Explanation,
    MonthlyPlan,
    MonthStatus,
)

__all__ = [
    "Account",
    "BudgetAmount",
    "BudgetChange",
    "BudgetChangeLeg",
    "BudgetLine",
    "ExecutionRecord",
    "Explanation",
    "FiscalYear",
    "MonthlyPlan",
    "MonthStatus",
    "RevenueRecord",
    "Settlement",
    "SettlementCarryover",
    "month_end",
]
