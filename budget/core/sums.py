"""Grouped sums of won read fast: a year of thousands of lines comes back as thousands of rows, and Django's
per-value conversion of each would cost more than the database's sum.

Every sum is cast to a whole number in SQL (PostgreSQL sums bigint as numeric, which would arrive as
Decimal), so the driver's rows are already exact ints and are used as they come.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import BigIntegerField, Sum
from django.db.models.functions import Cast


def won_sum(field: str, **extra) -> Cast:
    """SUM(field) as a whole number of won on any database (None over no row, unless `default` is given)."""
    return Cast(Sum(field, **extra), BigIntegerField())


def fetch(queryset) -> list[tuple]:
    """The rows of a values_list queryset whose annotations are all won_sum (or counts), as the driver gives
    them: ints as they are, without a converter call per value."""
    try:
        sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
