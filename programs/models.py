"""Goals, policy areas, the nine programs and what the report says about each."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Statement(models.Model):
    """The mission, the vision and the core values as the report words them."""

    class Kind(models.TextChoices):
        MISSION = "mission", _("미션")
        VISION = "vision", _("비전")
        VALUE = "value", _("핵심가치")

    kind = models.CharField(_("구분"), max_length=10, choices=Kind)
    text = models.CharField(_("내용"), max_length=200)
    order = models.PositiveSmallIntegerField(_("순서"), default=0)

    class Meta:
        verbose_name = _("미션·비전")
        verbose_name_plural = _("미션·비전")
        ordering = ["order"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=["mission", "vision", "value"]), name="statement_kind")
        ]

    def __str__(self):
        return self.text


class ManagementGoal(models.Model):
    number = models.PositiveSmallIntegerField(_("번호"), unique=True)
    text = models.CharField(_("경영목표"), max_length=200)

    class Meta:
        verbose_name = _("경영목표")
        verbose_name_plural = _("경영목표")
        ordering = ["number"]

    def __str__(self):
        return self.text


class StrategicGoal(models.Model):
    number = models.PositiveSmallIntegerField(_("번호"), unique=True)
    text = models.CharField(_("전략목표"), max_length=200)
    keyword = models.CharField(_("핵심어"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("전략목표")
        verbose_name_plural = _("전략목표")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.text}"


class PolicyArea(models.Model):
    code = models.CharField(_("코드"), max_length=5, unique=True)
    name = models.CharField(_("정책분야"), max_length=200, unique=True)
    # The report's own other spellings, kept only so that a search for them still finds the area.
    report_names = models.TextField(_("보고서 표기"), blank=True, help_text=_("한 줄에 하나"))

    class Meta:
        verbose_name = _("정책분야")
        verbose_name_plural = _("정책분야")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code}. {self.name}"


class Program(models.Model):
    code = models.CharField(_("코드"), max_length=10, unique=True)
    area = models.ForeignKey(PolicyArea, models.PROTECT, related_name="programs", verbose_name=_("정책분야"))
    name = models.CharField(_("사업명"), max_length=200, unique=True)
    report_names = models.TextField(_("보고서 표기"), blank=True, help_text=_("한 줄에 하나"))
    owner_team = models.ForeignKey(
        "foundation.OrgUnit", models.PROTECT, related_name="programs", verbose_name=_("담당 팀")
    )
    purpose = models.TextField(_("사업목적"))
    background = models.TextField(_("추진배경"), blank=True)
    contents = models.TextField(_("사업내용"), blank=True, help_text=_("한 줄에 하나, 들여쓰기는 하위 항목"))
    achievements = models.TextField(_("추진실적"), blank=True, help_text=_("한 줄에 하나, 들여쓰기는 하위 항목"))

    class Meta:
        verbose_name = _("사업")
        verbose_name_plural = _("사업")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code}. {self.name}"

    def get_absolute_url(self):
        return reverse("programs:detail", args=[self.code])


class Contact(models.Model):
    program = models.ForeignKey(Program, models.CASCADE, related_name="contacts", verbose_name=_("사업"))
    role = models.CharField(_("직위"), max_length=50)
    name = models.CharField(_("성명"), max_length=100)
    phone = models.CharField(_("전화"), max_length=30, blank=True)
    order = models.PositiveSmallIntegerField(_("순서"), default=0)

    class Meta:
        verbose_name = _("담당자")
        verbose_name_plural = _("담당자")
        ordering = ["program", "order"]

    def __str__(self):
        return f"{self.role} {self.name}"


class ScheduleItem(models.Model):
    """향후일정: what is planned and in which months; `period` keeps the report's wording."""

    program = models.ForeignKey(Program, models.CASCADE, related_name="schedule", verbose_name=_("사업"))
    text = models.CharField(_("내용"), max_length=300)
    period = models.CharField(_("시기(보고서 표기)"), max_length=50)
    start = models.DateField(_("시작 월"), null=True, blank=True, help_text=_("그 달의 1일; '~'로 시작하면 비움"))
    end = models.DateField(_("종료 월"), help_text=_("그 달의 1일"))
    order = models.PositiveSmallIntegerField(_("순서"), default=0)

    class Meta:
        verbose_name = _("향후일정")
        verbose_name_plural = _("향후일정")
        ordering = ["program", "order"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__isnull=True) | models.Q(start__lte=models.F("end")),
                name="schedule_starts_before_it_ends",
            )
        ]

    def __str__(self):
        return f"{self.text} ({self.period})"


class Indicator(models.Model):
    program = models.ForeignKey(Program, models.CASCADE, related_name="indicators", verbose_name=_("사업"))
    name = models.CharField(_("지표"), max_length=200)
    period = models.CharField(_("기간"), max_length=50, blank=True, help_text=_("예: CES 2022"))
    value = models.DecimalField(_("값"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("단위"), max_length=20)
    approximate = models.BooleanField(_("약(여)"), default=False, help_text=_("보고서가 '여'를 붙인 값"))
    as_of = models.DateField(_("기준일"), null=True, blank=True)
    note = models.CharField(_("비고"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("순서"), default=0)

    class Meta:
        verbose_name = _("성과지표")
        verbose_name_plural = _("성과지표")
        ordering = ["program", "order"]

    def __str__(self):
        return f"{self.name} {self.period} {self.value}{self.unit}".strip()
