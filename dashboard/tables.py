"""The dashboards' execution tables, drawn by the report's django-tables2 classes: the same columns, number
formats and markup, with each row's name leading down the drill-down."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from budget.core.rows import Column, ReportTable, Row
from budget.reports.tables import SpecColumn, SpecTable, format_cell


def execution_columns(first: str) -> list[Column]:
    """구분, 예산현액, 원인행위액, 지출액, 원인행위율, 집행률, 집행잔액: what every execution table shows."""
    return [
        Column("label", first, "text"),
        Column("current", _("예산현액")),
        Column("commitment", _("원인행위액")),
        Column("expenditure", _("지출액")),
        Column("commitment_rate", _("원인행위율"), "rate"),
        Column("expenditure_rate", _("집행률"), "rate"),
        Column("remaining", _("집행잔액")),
    ]


def _own(row: Row) -> bool:
    status = row.get("status")
    return bool(row.get("own") or (status is not None and status.own))


class DrillColumn(SpecColumn):
    """A row's name, leading to its policy area, program or line as of the same month, with what it holds."""

    def __init__(self, spec: Column, *, period: str, link_sections: bool):
        super().__init__(spec)
        self.period, self.link_sections = period, link_sections

    def target(self, row: Row) -> str | None:
        status = row.get("status")
        if row.get("section") and self.link_sections:
            return reverse("dashboard:area", args=[row["section"]])
        if status is not None and status.line["program_code"]:
            return reverse("dashboard:program", args=[status.line["program_code"]])
        if status is not None:
            return reverse("dashboard:line", args=[status.line["id"]])
        return None

    def render(self, record):
        label = format_cell(record, self.spec)
        url = self.target(record)
        parts: list[SafeString | str] = [
            format_html('<a href="{}?{}">{}</a>', url, self.period, label) if url else label
        ]
        if _own(record):
            parts.append(format_html('<span class="badge">{}</span>', _("내 소관")))
        if record.get("more"):
            note = _("외 %(n)s개 라인은 분야 화면에") % {"n": record["more"]}
            parts.append(format_html('<span class="note">({})</span>', note))
        if record.get("programs"):
            n = record["programs"]
            programs = ngettext("사업 %(n)s개", "사업 %(n)s개", n) % {"n": n}
            parts.append(format_html('<span class="note">({})</span>', programs))
        return format_html_join(" ", "{}", ((part,) for part in parts))


class ExecutionTable(SpecTable):
    """Execution rows (budget.reports.report.execution_row) as a table whose names lead down the drill-down."""

    class Meta(SpecTable.Meta):
        pass

    def __init__(self, key: str, rows: list[Row], *, first: str, period: str, link_sections: bool = False):
        spec = ReportTable(key, "", "", execution_columns(first), rows)
        super().__init__(
            spec,
            label=lambda column: DrillColumn(column, period=period, link_sections=link_sections),
            row_class=lambda record: "own" if _own(record) else "",
            empty_text=_("해당 라인이 없습니다."),
        )
