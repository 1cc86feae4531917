from django.contrib import admin
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from .models import Duty, Grade, OrgUnit, OutsideStaff, Staffing


class DutyInline(admin.TabularInline):
    model = Duty
    fields = ("heading", "items", "order")
    extra = 0


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "head_title", "head_name", "phone", "placement_inferred")
    list_filter = ("kind", "placement_inferred")
    search_fields = ("name", "head_title", "head_name")
    list_select_related = ("parent",)
    inlines = (DutyInline,)


@admin.register(Duty)
class DutyAdmin(admin.ModelAdmin):
    list_display = ("unit", "heading", "order")
    list_filter = ("unit__kind", "unit")
    search_fields = ("heading", "items", "unit__name")
    list_select_related = ("unit",)


@admin.register(Grade)
class GradeAdmin(admin.ModelAdmin):
    list_display = ("name", "order")
    search_fields = ("name",)


@admin.register(Staffing)
class StaffingAdmin(admin.ModelAdmin):
    list_display = ("as_of", "grade", "authorised", "actual", "shortfall")
    list_filter = ("as_of", "grade")
    date_hierarchy = "as_of"
    list_select_related = ("grade",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(shortfall=F("actual") - F("authorised"))

    @admin.display(description=_("과부족(명)"), ordering="shortfall")
    def shortfall(self, obj):
        # A staff tool, not a report: the sign as Python writes it (the report's △ belongs to budget display).
        return f"{obj.shortfall:+d}" if obj.shortfall else "0"


@admin.register(OutsideStaff)
class OutsideStaffAdmin(admin.ModelAdmin):
    list_display = ("as_of", "kind", "count", "order")
    list_filter = ("as_of",)
    search_fields = ("kind",)
    date_hierarchy = "as_of"
