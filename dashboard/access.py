"""Who owns which programs, and who may write a 사유 for a line."""

from __future__ import annotations

from foundation.units import own_units

__all__ = ["LEAD_PERMISSION", "can_explain", "explainer", "own_units"]

# The finance lead (재무책임) answers for the whole budget, so explains any line; the permission that
# marks the role is the one only it holds among the budget's: approving changes to any line.
LEAD_PERMISSION = "budget.approve_budgetchange"


def can_explain(user, team_id: int | None, units: frozenset[int]) -> bool:
    """A program's owner explains its line; the finance lead explains any line (also 행정운영경비 and
    예비비, which no team owns)."""
    return explainer(user, units)(team_id)


def explainer(user, units: frozenset[int]):
    """can_explain for one user over many lines: the permissions are looked up once."""
    if not user.has_perm("budget.add_explanation"):
        return lambda team_id: False
    if user.has_perm(LEAD_PERMISSION):
        return lambda team_id: True
    return lambda team_id: team_id is not None and team_id in units
