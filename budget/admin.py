"""The admin: reference data can be edited here; money only read.

Budget amounts, execution records, budget changes, plans, month and year states change only through
the services (month sheet, import, budget changes, month and year close), where the rules, the month
close, the approval, the version counter and the audit trail hold. Here they are shown with their
history, never changed: a second way in would be a second rule set.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from budget.core.display import signed
from budget.core.models import (
    Account,
    BudgetAmount,
    BudgetChange,
    BudgetChangeLeg,
    BudgetLine,
    ExecutionRecord,
    Explanation,
    FiscalYear,
    MonthlyPlan,
    MonthStatus,
)
from budget.core.receipts import RevenueRecord
from budget.core.settlement import Settlement, SettlementCarryover


def won(field: str, label):
    """A money column of the admin: whole won as the pages write it (thousands separators, △ for negatives)."""

    @admin.display(description=label, ordering=field)
    def show(self, obj):
        return signed(getattr(obj, field))

    return show


class ReadOnly:
    """An admin that lists and shows, and changes nothing (add, change and delete refused for everyone)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, SimpleHistoryAdmin):
    pass


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    extra = 0
    show_change_link = True


@admin.register(FiscalYear)
class FiscalYearAdmin(SimpleHistoryAdmin):
    """A year may be added here (with no money yet); whether it is finished changes only by the finance
    lead's close and reopen, with a reason, on the entry pages."""

    list_display = ("year", "finished", "early_execution_target")
    readonly_fields = ("finished", "early_execution_target")

    def get_readonly_fields(self, request, obj=None):
        # The 신속집행 target is set on the dashboard by the lead, where its history is kept per month.
        return self.readonly_fields if obj else ("finished",)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "side", "order")
    list_filter = ("side",)
    search_fields = ("code", "name")

    def get_readonly_fields(self, request, obj=None):
        # The code names the rules (`reserve`, `personnel`) and the side decides which total a line adds to:
        # changed on an account in use, they would move reported money between totals.
        return ("code", "side") if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False


class BudgetAmountInline(ReadOnlyInline):
    model = BudgetAmount
    fields = ("kind", "effective_date", "amount_won", "reason", "reference")
    readonly_fields = fields

    amount_won = won("amount", _("금액(원)"))


class ExecutionRecordInline(ReadOnlyInline):
    model = ExecutionRecord
    fields = ("month", "commitment_won", "expenditure_won", "cumulative", "note")
    readonly_fields = fields

    commitment_won = won("commitment", _("원인행위액(원)"))

    expenditure_won = won("expenditure", _("지출액(원)"))


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "fiscal_year", "account", "program", "order")
    list_filter = ("fiscal_year", "account__side", "account")
    search_fields = ("code", "name", "program__name", "program__code")
    list_select_related = ("fiscal_year", "account", "program")
    autocomplete_fields = ("program",)
    inlines = (BudgetAmountInline, ExecutionRecordInline)

    def get_readonly_fields(self, request, obj=None):
        # A line's year, nature and program decide where its money is reported: fixed once it exists.
        return ("fiscal_year", "account", "program") if obj else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "fiscal_year":
            kwargs["queryset"] = FiscalYear.objects.filter(finished=False)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BudgetAmount)
class BudgetAmountAdmin(ReadOnlyAdmin):
    list_display = ("line", "kind", "effective_date", "amount_won", "reason", "reference")
    list_filter = ("fiscal_year", "kind", "line__account")
    search_fields = ("line__code", "line__name", "reason", "reference")
    date_hierarchy = "effective_date"
    list_select_related = ("line",)

    amount_won = won("amount", _("금액(원)"))


@admin.register(ExecutionRecord)
class ExecutionRecordAdmin(ReadOnlyAdmin):
    list_display = ("line", "month", "commitment_won", "expenditure_won", "cumulative", "note")
    list_filter = ("fiscal_year", "month", "cumulative", "line__account")
    search_fields = ("line__code", "line__name", "note")
    list_select_related = ("line",)

    commitment_won = won("commitment", _("원인행위액(원)"))

    expenditure_won = won("expenditure", _("지출액(원)"))


class BudgetChangeLegInline(ReadOnlyInline):
    model = BudgetChangeLeg
    fields = ("line", "amount_won")
    readonly_fields = fields
    show_change_link = False

    amount_won = won("amount", _("금액(원)"))


@admin.register(BudgetChange)
class BudgetChangeAdmin(ReadOnlyAdmin):
    list_display = ("fiscal_year", "kind", "effective_date", "status", "requested_by", "decided_by", "reason")
    list_filter = ("fiscal_year", "kind", "status")
    search_fields = ("reason", "reference")
    list_select_related = ("requested_by", "decided_by")
    inlines = (BudgetChangeLegInline,)


@admin.register(MonthStatus)
class MonthStatusAdmin(ReadOnlyAdmin):
    list_display = ("fiscal_year", "month", "closed", "closed_at", "published_at", "version")
    list_filter = ("fiscal_year", "closed")


@admin.register(MonthlyPlan)
class MonthlyPlanAdmin(ReadOnlyAdmin):
    list_display = ("line", "month", "commitment", "expenditure")
    list_filter = ("fiscal_year", "month")
    search_fields = ("line__code", "line__name")
    list_select_related = ("line",)


@admin.register(Explanation)
class ExplanationAdmin(ReadOnlyAdmin):
    list_display = ("line", "month", "written_by", "written_at")
    list_filter = ("line__fiscal_year", "month")
    search_fields = ("line__code", "line__name", "text")
    list_select_related = ("line", "written_by")


@admin.register(RevenueRecord)
class RevenueRecordAdmin(ReadOnlyAdmin):
    """세입 수납 changes through the revenue sheet and its import only (budget.receipts.services)."""

    list_display = ("line", "month", "collected_won", "note")
    list_filter = ("fiscal_year", "month", "line__account")
    search_fields = ("line__code", "line__name", "note")
    list_select_related = ("line",)

    collected_won = won("collected", _("수납액(원)"))


class SettlementCarryoverInline(ReadOnlyInline):
    model = SettlementCarryover
    fields = ("line", "accident_won", "explicit_won", "reason")
    readonly_fields = fields

    accident_won = won("accident", _("사고이월(원)"))

    explicit_won = won("explicit", _("명시이월(원)"))


@admin.register(Settlement)
class SettlementAdmin(ReadOnlyAdmin):
    """결산 is prepared, approved and reopened through its pages only (budget.settlement.services)."""

    list_display = ("fiscal_year", "status", "prepared_by", "prepared_at", "approved_by", "approved_at")
    list_select_related = ("prepared_by", "approved_by")
    inlines = (SettlementCarryoverInline,)
