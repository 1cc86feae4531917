"""The API's filters: year, month, program and nature, named alike on every list (django-filter).

`program` is a program's code (1-1 … 4-1), `nature` an expenditure nature's account code (personnel,
expense, program, reserve, capital), as the pages and the fixtures name them.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from budget.core.models import BudgetChange, BudgetLine, ExecutionRecord
from programs.models import Program


class YearFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="fiscal_year", label=_("회계연도"))


class BudgetLineFilter(YearFilter):
    # The month is when 예산현액 and execution are taken (its end), not a filter on lines: the view reads it.
    month = django_filters.NumberFilter(method="as_of", label=_("기준월 (1~12; 그 달 말 기준)"))
    program = django_filters.CharFilter(field_name="program__code", label=_("사업 코드"))
    nature = django_filters.CharFilter(field_name="account__code", label=_("성질(과목) 코드"))

    class Meta:
        model = BudgetLine
        fields = ["year", "month", "program", "nature"]

    def as_of(self, queryset, name, value):
        return queryset


class ExecutionFilter(YearFilter):
    month = django_filters.NumberFilter(field_name="month", label=_("월"))
    through = django_filters.NumberFilter(field_name="month", lookup_expr="lte", label=_("이 달까지"))
    line = django_filters.NumberFilter(field_name="line_id", label=_("예산 라인 id"))
    program = django_filters.CharFilter(field_name="line__program__code", label=_("사업 코드"))
    nature = django_filters.CharFilter(field_name="line__account__code", label=_("성질(과목) 코드"))

    class Meta:
        model = ExecutionRecord
        fields = ["year", "month", "through", "line", "program", "nature"]


class BudgetChangeFilter(YearFilter):
    month = django_filters.NumberFilter(field_name="effective_date__month", label=_("기준일의 월"))
    kind = django_filters.ChoiceFilter(choices=BudgetChange.Kind.choices, label=_("종류"))
    program = django_filters.CharFilter(method="with_leg", label=_("사업 코드"))
    nature = django_filters.CharFilter(method="with_leg", label=_("성질(과목) 코드"))

    class Meta:
        model = BudgetChange
        fields = ["year", "month", "kind", "program", "nature"]

    def with_leg(self, queryset, name, value):
        """Changes with a leg on a line of the program (or nature)."""
        path = {"program": "legs__line__program__code", "nature": "legs__line__account__code"}[name]
        return queryset.filter(pk__in=BudgetChange.objects.filter(**{path: value}).values("pk"))


class ProgramFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(method="budgeted_in", label=_("그 해 예산 라인이 있는 사업"))
    area = django_filters.CharFilter(field_name="area__code", label=_("정책분야 코드"))

    class Meta:
        model = Program
        fields = ["year", "area"]

    def budgeted_in(self, queryset, name, value):
        return queryset.filter(pk__in=BudgetLine.objects.filter(fiscal_year_id=value).values("program_id"))
