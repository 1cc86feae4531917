"""The organisation: units as a tree, their duties, and staffing by grade."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OrgUnit(models.Model):
    class Kind(models.TextChoices):
        FOUNDATION = "foundation", _("재단")
        OFFICE = "office", _("실")
        DIVISION = "division", _("본부")
        TEAM = "team", _("팀")

    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("상위 조직")
    )
    name = models.CharField(_("조직명"), max_length=100, unique=True)
    kind = models.CharField(_("구분"), max_length=20, choices=Kind)
    head_title = models.CharField(_("장 직위"), max_length=50, blank=True)
    head_name = models.CharField(_("장 성명"), max_length=50, blank=True)
    phone = models.CharField(_("전화"), max_length=30, blank=True)
    order = models.PositiveSmallIntegerField(_("순서"), default=0)
    # The report's org chart is an image missing from its text; where a unit sits was inferred
    # from the team duties and program pages, so the app says so wherever it shows the tree.
    placement_inferred = models.BooleanField(_("위치 추정"), default=False)

    class Meta:
        verbose_name = _("조직")
        verbose_name_plural = _("조직")
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["foundation", "office", "division", "team"]), name="orgunit_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=False) | Q(kind="foundation"), name="orgunit_only_root_has_no_parent"
            ),
        ]

    def __str__(self):
        return self.name


class Duty(models.Model):
    """One heading of a team's 주요업무 with its items, as the report lists them."""

    unit = models.ForeignKey(OrgUnit, models.CASCADE, related_name="duties", verbose_name=_("조직"))
    heading = models.CharField(_("업무 분야"), max_length=200, blank=True)
    items = models.TextField(_("업무 내용"), help_text=_("한 줄에 하나"))
    order = models.PositiveSmallIntegerField(_("순서"), default=0)

    class Meta:
        verbose_name = _("주요업무")
        verbose_name_plural = _("주요업무")
        ordering = ["unit", "order"]

    def __str__(self):
        return f"{self.unit} · {self.heading or self.items[:20]}"

    def item_list(self):
        return [line for line in self.items.splitlines() if line.strip()]


class Grade(models.Model):
    name = models.CharField(_("직급"), max_length=20, unique=True)
    order = models.PositiveSmallIntegerField(_("순서"), unique=True)

    class Meta:
        verbose_name = _("직급")
        verbose_name_plural = _("직급")
        ordering = ["order"]

    def __str__(self):
        return self.name


class Staffing(models.Model):
    """정원 and 현원 of one grade as of a date; 과부족 is derived, never stored."""

    as_of = models.DateField(_("기준일"))
    grade = models.ForeignKey(Grade, models.PROTECT, related_name="staffing", verbose_name=_("직급"))
    authorised = models.PositiveSmallIntegerField(_("정원"))
    actual = models.PositiveSmallIntegerField(_("현원"))

    class Meta:
        verbose_name = _("직급별 인력")
        verbose_name_plural = _("직급별 인력")
        ordering = ["-as_of", "grade__order"]
        constraints = [models.UniqueConstraint(fields=["as_of", "grade"], name="staffing_one_per_grade_and_date")]

    def __str__(self):
        return f"{self.as_of:%Y-%m-%d} {self.grade}"


class OutsideStaff(models.Model):
    """정원 외 인력: people who work at the foundation outside the authorised headcount."""

    as_of = models.DateField(_("기준일"))
    kind = models.CharField(_("구분"), max_length=50)
    count = models.PositiveSmallIntegerField(_("인원"))
    order = models.PositiveSmallIntegerField(_("순서"), default=0)

    class Meta:
        verbose_name = _("정원 외 인력")
        verbose_name_plural = _("정원 외 인력")
        ordering = ["-as_of", "order"]
        constraints = [models.UniqueConstraint(fields=["as_of", "kind"], name="outsidestaff_one_per_kind_and_date")]

    def __str__(self):
        return f"{self.as_of:%Y-%m-%d} {self.kind} {self.count}"


class StaffProfile(models.Model):
    """Where a user works: a team head sees the team's own programs first."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="profile", verbose_name=_("사용자")
    )
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="staff", verbose_name=_("소속"))

    class Meta:
        verbose_name = _("소속")
        verbose_name_plural = _("소속")

    def __str__(self):
        return f"{self.user} · {self.unit}"
