"""A page of the report's line tables: the rows of the page's lines under their own group rows.

The report's tables list lines under group rows (a policy area's 소계, a nature) and a total; a year of
thousands of lines is shown a page of lines at a time. The group and total rows keep the figures of the
whole selection: only the lines are paged.
"""

from __future__ import annotations

import dataclasses

from budget.core.rows import ReportTable


def rows_on_page(spec: ReportTable, line_ids: set[int]) -> ReportTable:
    """`spec` with only the line rows of `line_ids`; a group row stays when one of its lines is on the page
    or when it lists no line at all (인건비 in 세출예산 집행현황 is a row of its own on every page)."""
    if not any("line" in row for row in spec.rows):
        return spec
    blocks: list[tuple[dict | None, list[dict]]] = []
    for row in spec.rows:
        if "line" in row:
            if not blocks:
                blocks.append((None, []))
            blocks[-1][1].append(row)
        else:
            blocks.append((row, []))
    rows = []
    for head, lines in blocks:
        shown = [row for row in lines if row["line"].pk in line_ids]
        if head is not None and (shown or not lines):
            rows.append(head)
        rows += shown
    return dataclasses.replace(spec, rows=rows)
