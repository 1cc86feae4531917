"""The review of the lines year N+1 takes over: each line of year N kept (under its code and name, which
may change) or retired, and new lines added (code, name, account, program)."""

from __future__ import annotations

from budget.core.models import BudgetLine
from budget.opening.services import Keep, New

NEW_ROWS = 5  # blank rows the page offers for new lines


def review_rows(lines: list[BudgetLine], data=None) -> list[dict]:
    """Each line of year N with what the page shows for it: kept (checked by default), code, name."""
    rows = []
    for line in lines:
        if data is None:
            rows.append({"line": line, "keep": True, "code": line.code, "name": line.name})
        else:
            rows.append(
                {
                    "line": line,
                    "keep": bool(data.get(f"keep-{line.pk}")),
                    "code": data.get(f"code-{line.pk}", ""),
                    "name": data.get(f"name-{line.pk}", ""),
                }
            )
    return rows


def new_rows(data=None) -> list[dict]:
    keys = ("code", "name", "account", "program")
    return [{key: (data or {}).get(f"new-{key}-{i}", "") for key in keys} | {"index": i} for i in range(NEW_ROWS)]


def review_from(data, lines: list[BudgetLine]) -> tuple[list[Keep], list[New]]:
    """The posted review as the service takes it; a new row left blank is no line."""
    keep = [
        Keep(
            line.pk, (data.get(f"code-{line.pk}") or "").strip()[:30], (data.get(f"name-{line.pk}") or "").strip()[:200]
        )
        for line in lines
        if data.get(f"keep-{line.pk}")
    ]
    add = []
    for row in new_rows(data):
        values = {key: (row[key] or "").strip() for key in ("code", "name", "account", "program")}
        if any(values.values()):
            add.append(New(values["code"][:30], values["name"][:200], values["account"], values["program"]))
    return keep, add
