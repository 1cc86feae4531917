"""Report tables drawn as HTML with django-tables2, from the rows of `reports`."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from budget.core import display
from budget.core.rows import Column, ReportTable, Row, cell_kind
from budget.core.terms import term

FORMATTERS = {
    "text": lambda value: "" if value is None else value,
    "money": display.money,
    "rate": display.rate,
    "share": display.rate,
    "change_rate": display.rate,
    "count": display.headcount,
    "gap": display.gap,
}


def format_cell(row: Row, column: Column) -> str:
    return FORMATTERS[cell_kind(row, column)](row.get(column.key))


class SpecColumn(tables.Column):
    def __init__(self, spec: Column):
        self.spec = spec
        numeric = spec.kind != "text"
        super().__init__(
            verbose_name=spec.label,
            orderable=False,
            empty_values=(),
            attrs={"td": {"class": "num" if numeric else "text"}, "th": {"class": "num" if numeric else "text"}},
        )

    def render(self, record):
        text = format_cell(record, self.spec)
        line = record.get("line")
        if self.spec.key == "label" and line is not None and text:
            # A line's name leads to how its 예산현액 came to be.
            return format_html('<a href="{}">{}</a>', reverse("lines:detail", args=[line.pk]), text)
        return text


class SpecTable(tables.Table):
    """A ReportTable as a tables2 table, with the report's two-level headers.

    `label` makes the column of a row's name (the report's links a line to its build-up; the dashboards
    lead down their drill-down), `row_class` adds to a row's class, `empty_text` says why there is none.
    """

    class Meta:
        template_name = "budget/report_table.html"
        orderable = False

    def __init__(self, spec: ReportTable, *, label=SpecColumn, row_class=lambda record: "", empty_text=None):
        self.spec = spec
        self.row_class = row_class
        self.spec_columns = [label(c) if c.key == "label" else SpecColumn(c) for c in spec.columns]
        super().__init__(
            spec.rows,
            extra_columns=[(c.key, column) for c, column in zip(spec.columns, self.spec_columns, strict=True)],
            row_attrs={"class": self.row_css},
            empty_text=empty_text,
        )

    def row_css(self, record: Row) -> str:
        return " ".join(filter(None, [f"row-{record['level']}", self.row_class(record)]))

    def drawn_rows(self) -> list[SafeString]:
        """Each row as HTML, its cells drawn by the columns' own render().

        What django-tables2's bound rows and a template loop over their cells give, built here instead: the
        dispatch per cell (a signature inspection each) and the template's per-cell lookups were most of a
        report's or a dashboard's time. The first cell heads its row. A stored category name (a nature) is
        shown in the reader's language, as everywhere else (`term`).
        """
        columns = [(column, "text" if column.spec.kind == "text" else "num") for column in self.spec_columns]
        rows = []
        for record in self.spec.rows:
            cells = []
            for column, css in columns:
                html = column.render(record)
                # What format_html would do with each cell, without its parsing of a format string per cell:
                # the text escaped unless already markup (a link), the class one of two constants.
                html = conditional_escape(term(html) if css == "text" else html)
                if cells:
                    cells.append(f'<td class="{css}">{html}</td>')
                else:
                    cells.append(f'<th scope="row" class="{css}">{html}</th>')
            row_css = conditional_escape(self.row_css(record))
            rows.append(mark_safe(f'<tr class="{row_css}">{"".join(cells)}</tr>'))
        return rows

    def header_rows(self) -> list[list[dict]]:
        """Header cells in rows: a column under no group spans both rows; a group spans its columns."""
        columns = self.spec.columns
        if not any(c.group for c in columns):
            return [[{"label": c.label, "colspan": 1, "rowspan": 1} for c in columns]]
        top: list[dict] = []
        bottom: list[dict] = []
        for c in columns:
            if not c.group:
                top.append({"label": c.label, "colspan": 1, "rowspan": 2})
                continue
            if top and top[-1].get("group") == c.group:
                top[-1]["colspan"] += 1
            else:
                top.append({"label": c.group, "group": c.group, "colspan": 1, "rowspan": 1})
            bottom.append({"label": c.label, "colspan": 1, "rowspan": 1})
        return [top, bottom]
