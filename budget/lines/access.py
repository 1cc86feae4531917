"""Who reads a line's audit trail: finance and audit every line's, a program's owners their own lines'."""

from __future__ import annotations

from budget.core.models import BudgetLine
from foundation.units import own_units


def may_read_history(user, line: BudgetLine) -> bool:
    """The audit trail is for finance and audit; a program's owners (its team, its 본부) read their own
    lines' too: read only, as everyone reads it."""
    if user.has_perm("budget.view_history"):
        return True
    owner = line.program.owner_team_id if line.program_id else None
    return owner is not None and user.has_perm("budget.view_budgetline") and owner in own_units(user)
