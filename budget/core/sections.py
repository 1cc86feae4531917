"""The 구분 of 사업별 예산: which section of the report a line falls in, in the database and in Python,
and the order and names of the sections. One rule for the report, the sheets and the dashboards."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Case, CharField, F, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

if TYPE_CHECKING:
    from budget.core.ledger import Ledger

ADMIN_NATURES = ("personnel", "expense")


def section_expression(prefix: str = ""):
    """The 구분 of 사업별 예산 a line falls in, as SQL: its policy area's code for a program line,
    `admin` (행정운영경비) for 인건비 and 경비, else its nature's code (`reserve` for 예비비).

    `prefix` is the path to the line (`line__` from an amount or a record; empty from a line),
    so lines, amounts and records are grouped by the one rule.
    """
    return Case(
        When(**{f"{prefix}program__isnull": False}, then=F(f"{prefix}program__area__code")),
        When(**{f"{prefix}account__code__in": ADMIN_NATURES}, then=Value("admin")),
        default=F(f"{prefix}account__code"),
        output_field=CharField(),
    )


SECTION_LABELS = {
    "admin": gettext_noop("행정운영경비"),
    "reserve": gettext_noop("예비비"),
    "capital": gettext_noop("자본적지출"),
    "program": gettext_noop("사업비"),
}


def section_order(code: str) -> tuple[int, str]:
    # Policy areas (codes "1".."4") first, then 행정운영경비, 예비비, and any other nature.
    rank = {"admin": 1, "reserve": 2}.get(code, 3)
    return (0 if code.isdigit() else rank, code)


def sections(ledger: Ledger) -> list[tuple[str, str, list]]:
    """The year's expenditure lines grouped as the report groups them: (section code, label, lines)."""
    grouped: dict[str, list] = {}
    for line in ledger.lines:
        grouped.setdefault(line.section, []).append(line)
    result = []
    for code in sorted(grouped, key=section_order):
        first = grouped[code][0]
        label = first.program.area.name if first.program else _(SECTION_LABELS.get(code, code))
        result.append((code, label, grouped[code]))
    return result
