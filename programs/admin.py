from django.contrib import admin

from .models import (
    Contact,
    Indicator,
    ManagementGoal,
    PolicyArea,
    Program,
    ScheduleItem,
    Statement,
    StrategicGoal,
)


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ("text", "kind", "order")
    list_filter = ("kind",)
    search_fields = ("text",)


@admin.register(ManagementGoal)
class ManagementGoalAdmin(admin.ModelAdmin):
    list_display = ("number", "text")
    search_fields = ("text",)


@admin.register(StrategicGoal)
class StrategicGoalAdmin(admin.ModelAdmin):
    list_display = ("number", "text", "keyword")
    search_fields = ("text", "keyword")


@admin.register(PolicyArea)
class PolicyAreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name", "report_names")


class ContactInline(admin.TabularInline):
    model = Contact
    fields = ("role", "name", "phone", "order")
    extra = 0


class ScheduleItemInline(admin.TabularInline):
    model = ScheduleItem
    fields = ("text", "period", "start", "end", "order")
    extra = 0


class IndicatorInline(admin.TabularInline):
    model = Indicator
    fields = ("name", "period", "value", "unit", "approximate", "as_of", "note", "order")
    extra = 0


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "area", "owner_team")
    list_filter = ("area", "owner_team")
    search_fields = ("name", "report_names", "code")
    list_select_related = ("area", "owner_team")
    inlines = (ContactInline, ScheduleItemInline, IndicatorInline)


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("program", "role", "name", "phone", "order")
    list_filter = ("program",)
    search_fields = ("role", "name", "phone", "program__name")
    list_select_related = ("program",)


@admin.register(ScheduleItem)
class ScheduleItemAdmin(admin.ModelAdmin):
    list_display = ("program", "text", "period", "start", "end")
    list_filter = ("program",)
    search_fields = ("text", "period", "program__name")
    list_select_related = ("program",)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("program", "name", "period", "value", "unit", "approximate", "as_of")
    list_filter = ("program", "approximate")
    search_fields = ("name", "period", "note", "program__name")
    list_select_related = ("program",)
