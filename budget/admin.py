from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .display import signed
from .models import Account, BudgetAmount, BudgetLine, ExecutionRecord, FiscalYear


@admin.register(FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin):
    list_display = ("year",)


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "side", "order")
    list_filter = ("side",)
    search_fields = ("code", "name")


class ReadOnlyInline(admin.TabularInline):
    """Amounts and records are changed on their own pages, where every change is kept in history."""

    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BudgetAmountInline(ReadOnlyInline):
    model = BudgetAmount
    fields = ("kind", "effective_date", "amount_won", "reason", "reference")
    readonly_fields = fields

    @admin.display(description=_("금액(원)"))
    def amount_won(self, obj):
        return signed(obj.amount)


class ExecutionRecordInline(ReadOnlyInline):
    model = ExecutionRecord
    fields = ("month", "commitment_won", "expenditure_won", "cumulative", "note")
    readonly_fields = fields

    @admin.display(description=_("원인행위액(원)"))
    def commitment_won(self, obj):
        return signed(obj.commitment)

    @admin.display(description=_("지출액(원)"))
    def expenditure_won(self, obj):
        return signed(obj.expenditure)


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "fiscal_year", "account", "program", "order")
    list_filter = ("fiscal_year", "account__side", "account")
    search_fields = ("code", "name", "program__name", "program__code")
    list_select_related = ("fiscal_year", "account", "program")
    autocomplete_fields = ("program",)
    inlines = (BudgetAmountInline, ExecutionRecordInline)


@admin.register(BudgetAmount)
class BudgetAmountAdmin(SimpleHistoryAdmin):
    list_display = ("line", "kind", "effective_date", "amount_won", "reason", "reference")
    list_filter = ("line__fiscal_year", "kind", "line__account")
    search_fields = ("line__code", "line__name", "reason", "reference")
    date_hierarchy = "effective_date"
    list_select_related = ("line",)
    autocomplete_fields = ("line",)

    @admin.display(description=_("금액(원)"), ordering="amount")
    def amount_won(self, obj):
        return signed(obj.amount)


@admin.register(ExecutionRecord)
class ExecutionRecordAdmin(SimpleHistoryAdmin):
    list_display = ("line", "month", "commitment_won", "expenditure_won", "cumulative", "note")
    list_filter = ("line__fiscal_year", "month", "cumulative", "line__account")
    search_fields = ("line__code", "line__name", "note")
    list_select_related = ("line",)
    autocomplete_fields = ("line",)

    @admin.display(description=_("원인행위액(원)"), ordering="commitment")
    def commitment_won(self, obj):
        return signed(obj.commitment)

    @admin.display(description=_("지출액(원)"), ordering="expenditure")
    def expenditure_won(self, obj):
        return signed(obj.expenditure)
