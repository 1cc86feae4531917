from dataclasses import dataclass, field
from typing import Any

Row = dict[str, Any]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "money"  # text | money | rate | change_rate | share | count | gap
    group: str = ""  # the upper header shared by adjacent columns (증감 → 증감액, 증감률)


def cell_kind(row: Row, column: Column) -> str:
    return row.get("kinds", {}).get(column.key, column.kind)


@dataclass
class ReportTable:
    key: str
    title: str
    caption: str
    columns: list[Column]
    rows: list[Row]
    notes: list[str] = field(default_factory=list)
    # Why the table has no rows, when the app does not hold its figures (drawn instead of a table of zeros).
    missing: str = ""
