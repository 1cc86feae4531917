"""Whose is what: the units a user answers for, the one definition every page uses."""

from __future__ import annotations

from .models import OrgUnit, StaffProfile


def own_units(user) -> frozenset[int]:
    """The user's unit and every unit under it: a 본부장 answers for the programs of the 본부's teams, and
    a unit added a level deeper is still theirs.

    Two queries (the profile, the unit tree); none for a user without a unit.
    """
    unit_id = StaffProfile.objects.filter(user_id=user.pk).values_list("unit_id", flat=True).first()
    if unit_id is None:
        return frozenset()
    children: dict[int | None, list[int]] = {}
    for pk, parent in OrgUnit.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    units, queue = set(), [unit_id]
    while queue:
        unit = queue.pop()
        if unit not in units:
            units.add(unit)
            queue += children.get(unit, [])
    return frozenset(units)
