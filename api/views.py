"""The read-only API under /api/v1/: the budget's reference data, lines with 예산현액 as of a month, execution,
the report's tables as rows, approved budget changes and the months whose figures are fixed.

Every list is one page of rows in a fixed number of queries (tests/test_api.py multiplies the data): the
lines' figures come from one Ledger scoped to the page's lines, the report's from report_tables, the same
rows the report page and the council workbook draw.
"""

from __future__ import annotations

from django.db.models import Max, Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers as s
from api.filters import BudgetChangeFilter, BudgetLineFilter, ExecutionFilter, ProgramFilter
from budget.core.csvfile import data_value
from budget.core.ledger import Ledger
from budget.core.models import (
    Account,
    BudgetChange,
    BudgetChangeLeg,
    BudgetLine,
    ExecutionRecord,
    FiscalYear,
    MonthStatus,
)
from budget.core.periods import closed_through, latest_month, latest_year, parse_as_of
from budget.core.rows import ReportTable, cell_kind
from budget.entry.publishing import is_public
from budget.reports.report import report_tables
from programs.models import PolicyArea, Program

YEAR = OpenApiParameter("year", OpenApiTypes.INT, description=_("회계연도 (없으면 예산 라인이 있는 가장 최근 연도)"))
MONTH = OpenApiParameter("month", OpenApiTypes.INT, description=_("기준월 1~12 (없으면 집행이 기록된 마지막 달)"))


def fiscal_year(value) -> int:
    """?year=, or the newest year with a budget; a year the app does not hold is not found."""
    if value in (None, ""):
        year = latest_year()
        if year is None:
            raise NotFound(gettext("예산 라인이 있는 회계연도가 없습니다."))
        return year
    if not str(value).isdigit() or not FiscalYear.objects.filter(year=int(value)).exists():
        raise NotFound(gettext("%(year)s 회계연도가 없습니다.") % {"year": value})
    return int(value)


def as_of_month(year: int, value) -> int:
    """?month=, checked as the pages check ?as_of= (a month before the year's first budget figure is refused,
    not shown with a 예산현액 of 0); the last month with execution when there is none."""
    if value in (None, ""):
        return latest_month(year)
    month = int(value) if str(value).isdigit() and 1 <= int(value) <= 12 else 0
    if not month:
        raise ValidationError({"month": [gettext("%(month)s월은 회계연도 밖입니다 (1~12월).") % {"month": value}]})
    error = parse_as_of(f"{year}-{month:02d}", year)[1]
    if error:
        raise ValidationError({"month": [error]})
    return month


class FiscalYearViewSet(viewsets.ReadOnlyModelViewSet):
    required_permissions = ("budget.view_fiscalyear",)
    queryset = FiscalYear.objects.order_by("-year")
    serializer_class = s.FiscalYearSerializer
    lookup_field = "year"


class AccountViewSet(viewsets.ReadOnlyModelViewSet):
    required_permissions = ("budget.view_account",)
    queryset = Account.objects.order_by("side", "order")
    serializer_class = s.AccountSerializer
    lookup_field = "code"
    filterset_fields = ["side"]


class PolicyAreaViewSet(viewsets.ReadOnlyModelViewSet):
    required_permissions = ("programs.view_policyarea",)
    queryset = PolicyArea.objects.order_by("code")
    serializer_class = s.PolicyAreaSerializer
    lookup_field = "code"


class ProgramViewSet(viewsets.ReadOnlyModelViewSet):
    required_permissions = ("programs.view_program",)
    queryset = Program.objects.select_related("area", "owner_team").order_by("code")
    serializer_class = s.ProgramSerializer
    filterset_class = ProgramFilter
    lookup_field = "code"


@extend_schema_view(list=extend_schema(parameters=[YEAR, MONTH]), retrieve=extend_schema(parameters=[MONTH]))
class BudgetLineViewSet(viewsets.ReadOnlyModelViewSet):
    """Expenditure lines of one year, each with 예산현액 at the end of the month and execution through it."""

    required_permissions = ("budget.view_budgetline",)
    queryset = (
        BudgetLine.objects.expenditure().select_related("account", "program").order_by("fiscal_year", "order", "code")
    )
    serializer_class = s.BudgetLineSerializer
    filterset_class = BudgetLineFilter

    def rows(self, lines: list[BudgetLine], year: int, month: int) -> list[dict]:
        # One ledger over just these lines: two queries for any page size.
        ledger = Ledger(year, month, lines=BudgetLine.objects.filter(pk__in=[line.pk for line in lines]))
        # A year the app holds no execution of (2021: its final budget only) has none to show, not zeros.
        held = ledger.execution_held
        rows = []
        for line in lines:
            figures = ledger.by("line", line.id)
            rows.append(
                {
                    "id": line.id,
                    "fiscal_year": line.fiscal_year_id,
                    "code": line.code,
                    "name": line.name,
                    "nature": line.account.code,
                    "nature_name": line.account.name,
                    "program": line.program.code if line.program_id else None,
                    "as_of": f"{year}-{month:02d}",
                    "current": figures.current,
                    "commitment": figures.commitment if held else None,
                    "expenditure": figures.expenditure if held else None,
                    "commitment_rate": data_value(figures.commitment_rate, "rate") if held else None,
                    "expenditure_rate": data_value(figures.expenditure_rate, "rate") if held else None,
                }
            )
        return rows

    def list(self, request, *args, **kwargs):
        year = fiscal_year(request.query_params.get("year"))
        month = as_of_month(year, request.query_params.get("month"))
        lines = self.paginate_queryset(self.filter_queryset(self.get_queryset()).filter(fiscal_year_id=year))
        return self.get_paginated_response(self.get_serializer(self.rows(lines, year, month), many=True).data)

    def retrieve(self, request, *args, **kwargs):
        line = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        year = line.fiscal_year_id
        month = as_of_month(year, request.query_params.get("month"))
        return Response(self.get_serializer(self.rows([line], year, month)[0]).data)


class ExecutionViewSet(viewsets.ReadOnlyModelViewSet):
    """Execution records by line and month, as entered (a cumulative record stands for January through its
    month, as the report gave 2022's execution)."""

    required_permissions = ("budget.view_executionrecord",)
    queryset = ExecutionRecord.objects.select_related("line").order_by("fiscal_year", "line_id", "month")
    serializer_class = s.ExecutionRecordSerializer
    filterset_class = ExecutionFilter


class BudgetChangeViewSet(viewsets.ReadOnlyModelViewSet):
    """Approved 추경, 이월, 전용 and 예비비 사용, with their legs. Pending and rejected requests are not budget."""

    required_permissions = ("budget.view_budgetchange",)
    queryset = (
        BudgetChange.objects.filter(status=BudgetChange.Status.APPROVED)
        .prefetch_related(Prefetch("legs", queryset=BudgetChangeLeg.objects.select_related("line").order_by("pk")))
        .order_by("fiscal_year", "effective_date", "pk")
    )
    serializer_class = s.BudgetChangeSerializer
    filterset_class = BudgetChangeFilter


@extend_schema(parameters=[OpenApiParameter("year", OpenApiTypes.INT, description=_("회계연도"))])
class ClosedMonthViewSet(viewsets.GenericViewSet):
    """The months whose figures are fixed: reported by the report's cumulative figure, or closed (마감); and
    whether each is public on /open/. Two queries, whatever the number of years."""

    required_permissions = ("budget.view_monthstatus",)
    serializer_class = s.MonthSerializer
    queryset = MonthStatus.objects.none()  # rows are built, not read as they are: see list()
    filter_backends = []

    def list(self, request):
        year = request.query_params.get("year")
        if year not in (None, "") and not str(year).isdigit():
            raise ValidationError({"year": [gettext("%(year)s 회계연도가 없습니다.") % {"year": year}]})
        # covered_through for every year at once: the last month a cumulative record stands for.
        reported = ExecutionRecord.objects.filter(cumulative=True).values("fiscal_year").annotate(m=Max("month"))
        statuses = MonthStatus.objects.order_by("fiscal_year", "month")
        if year:
            reported, statuses = reported.filter(fiscal_year=year), statuses.filter(fiscal_year=year)
        covered = {row["fiscal_year"]: row["m"] for row in reported.order_by()}
        by_month = {(st.fiscal_year_id, st.month): st for st in statuses}
        keys = {(y, m) for y, through in covered.items() for m in range(1, through + 1)}
        keys |= {key for key, st in by_month.items() if st.closed}
        rows = []
        for y, m in sorted(keys):
            st = by_month.get((y, m)) or MonthStatus(fiscal_year_id=y, month=m)
            public = is_public(m, st.closed, st.closed_at, st.published_at, covered.get(y, 0))
            rows.append(
                {
                    "fiscal_year": y,
                    "month": m,
                    "state": "reported" if m <= covered.get(y, 0) else "closed",
                    "closed_at": st.closed_at,
                    "published": public,
                    "published_at": st.published_at if public else None,
                }
            )
        return self.get_paginated_response(self.get_serializer(self.paginate_queryset(rows), many=True).data)


def table_data(table: ReportTable) -> dict:
    """A report table as data: its columns, and each row's cells by column key (budget.core.csvfile's rule)."""
    rows = []
    for row in table.rows:
        line = row.get("line")
        cells = {c.key: data_value(row.get(c.key), cell_kind(row, c)) for c in table.columns}
        rows.append({"level": row.get("level", "item"), "line": line.pk if line is not None else None, "cells": cells})
    columns = [{"key": c.key, "label": c.label, "kind": c.kind, "group": c.group} for c in table.columns]
    return {
        "key": table.key,
        "title": table.title,
        "caption": table.caption,
        "columns": columns,
        "rows": rows,
        "notes": table.notes,
        "missing": table.missing,
    }


class ReportView(APIView):
    """The report's tables as of a month, row by row as the report page draws them (세입 총괄, 세출 총괄,
    사업별 예산, 세출예산 집행현황, 세입 집행현황, 인력 현황), in won and exact rates."""

    required_permissions = ("budget.view_budgetline",)

    def tables(self, year: int, month: int) -> list[ReportTable]:
        get_object_or_404(FiscalYear, year=year)
        as_of_month(year, month)
        return report_tables(year, month)

    @extend_schema(responses=s.ReportSerializer, operation_id="v1_report")
    def get(self, request, year: int, month: int):
        tables = self.tables(year, month)
        data = {
            "fiscal_year": year,
            "month": month,
            "as_of": f"{year}-{month:02d}",
            "closed_through": min(closed_through(year), month),
            "tables": [table_data(t) for t in tables],
        }
        return Response(s.ReportSerializer(data).data)


class ReportTableView(ReportView):
    """One of the report's tables by its key: revenue-summary, expenditure-summary, budget-by-program,
    execution, revenue-execution, staffing."""

    @extend_schema(responses=s.ReportTableSerializer, operation_id="v1_report_table")
    def get(self, request, year: int, month: int, key: str):
        for table in self.tables(year, month):
            if table.key == key:
                return Response(s.ReportTableSerializer(table_data(table)).data)
        raise NotFound(gettext("표가 없습니다: %(key)s") % {"key": key})
