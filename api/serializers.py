"""What each endpoint answers, field by field (the OpenAPI schema is drawn from these).

Money is whole won (integers); a rate is a percentage as exact decimal text (budget.core.csvfile.exact_decimal),
null where its base is zero. Nothing here is computed: the figures come from the ledger and the report's rows.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from budget.core.models import Account, BudgetChange, BudgetChangeLeg, ExecutionRecord, FiscalYear
from programs.models import PolicyArea, Program

RATE_HELP = _("백분율(%)의 정확한 값(소수 12자리에서 끊음); 기준액이 0이면 null")


def rate_field(**kwargs):
    return serializers.CharField(allow_null=True, help_text=RATE_HELP, **kwargs)


class FiscalYearSerializer(serializers.ModelSerializer):
    class Meta:
        model = FiscalYear
        fields = ["year", "finished", "early_execution_target"]


class AccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = Account
        fields = ["code", "side", "name", "order"]


class PolicyAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = PolicyArea
        fields = ["code", "name"]


class ProgramSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code")
    area_name = serializers.CharField(source="area.name")
    team = serializers.CharField(source="owner_team.name", help_text=_("담당 팀 (조직 단위)"))

    class Meta:
        model = Program
        fields = ["code", "name", "area", "area_name", "team"]


class BudgetLineSerializer(serializers.Serializer):
    """An expenditure line with 예산현액 at the end of the month asked, and its execution through it."""

    id = serializers.IntegerField()
    fiscal_year = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    nature = serializers.CharField(help_text=_("성질(과목) 코드"))
    nature_name = serializers.CharField()
    program = serializers.CharField(allow_null=True, help_text=_("사업 코드; 행정운영경비·예비비 라인은 null"))
    as_of = serializers.CharField(help_text=_("YYYY-MM: 예산현액은 이 달 말 기준, 집행은 이 달까지의 누계"))
    current = serializers.IntegerField(help_text=_("예산현액 (원)"))
    commitment = serializers.IntegerField(allow_null=True, help_text=_("원인행위액 (원); 집행 실적이 없는 해는 null"))
    expenditure = serializers.IntegerField(allow_null=True, help_text=_("지출액 (원); 집행 실적이 없는 해는 null"))
    commitment_rate = rate_field()
    expenditure_rate = rate_field()


class ExecutionRecordSerializer(serializers.ModelSerializer):
    line_code = serializers.CharField(source="line.code")
    cumulative = serializers.BooleanField(help_text=_("1월부터 이 달까지의 누계를 한 번에 담은 기록 (보고서 수치)"))

    class Meta:
        model = ExecutionRecord
        fields = ["id", "fiscal_year", "month", "line", "line_code", "commitment", "expenditure", "cumulative", "note"]


class BudgetChangeLegSerializer(serializers.ModelSerializer):
    line_code = serializers.CharField(source="line.code")
    line_name = serializers.CharField(source="line.name")

    class Meta:
        model = BudgetChangeLeg
        fields = ["line", "line_code", "line_name", "amount"]


class BudgetChangeSerializer(serializers.ModelSerializer):
    legs = BudgetChangeLegSerializer(many=True)

    class Meta:
        model = BudgetChange
        fields = ["id", "fiscal_year", "kind", "effective_date", "reason", "reference", "decided_at", "legs"]


class MonthSerializer(serializers.Serializer):
    """A month whose figures are fixed: reported (the report's cumulative figure) or closed (마감)."""

    fiscal_year = serializers.IntegerField()
    month = serializers.IntegerField()
    state = serializers.ChoiceField(choices=["reported", "closed"])
    closed_at = serializers.DateTimeField(allow_null=True)
    published = serializers.BooleanField(help_text=_("공개 화면(/open/)에 지금 보이는지"))
    published_at = serializers.DateTimeField(allow_null=True)


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=["text", "money", "rate", "change_rate", "share", "count", "gap"])
    group = serializers.CharField(help_text=_("두 줄 머리글의 윗줄 (없으면 빈 문자열)"))


class RowSerializer(serializers.Serializer):
    level = serializers.CharField(help_text="total, subtotal, item")
    line = serializers.IntegerField(allow_null=True, help_text=_("예산 라인 id (라인의 행일 때)"))
    cells = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        help_text=_(
            "열 key → 값: money·count·gap은 정수(원·명), 비율은 정확한 소수 문자열, "
            "순증·- 같은 표시는 그 글자, 없으면 null"
        ),
    )


class ReportTableSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    caption = serializers.CharField()
    columns = ColumnSerializer(many=True)
    rows = RowSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())
    missing = serializers.CharField(help_text=_("표가 없는 까닭 (표가 있으면 빈 문자열)"))


class ReportSerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField()
    month = serializers.IntegerField()
    as_of = serializers.CharField()
    closed_through = serializers.IntegerField(help_text=_("이 기준월 현재 확정(보고·마감)된 마지막 달, 0이면 없음"))
    tables = ReportTableSerializer(many=True)
