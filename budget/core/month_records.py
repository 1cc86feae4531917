"""A month's records by line (execution, 수납) written as a sheet or an import saves them: only the lines whose
values change, with history, and the month's version moved on once."""

from __future__ import annotations

from collections.abc import Callable

from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .models import MonthStatus


def records_to_write(
    model, year: int, month: int, wanted: dict[int, tuple], fields: tuple[str, ...], *, create: Callable[[tuple], bool]
) -> tuple[list, list]:
    """The month's records of `model` to create and to update so that each line in `wanted` holds its values
    (in the order of `fields`); a line without a record gets one only where `create(values)`, so that a blank
    row writes nothing."""
    existing = {r.line_id: r for r in model.objects.filter(fiscal_year_id=year, month=month)}
    created, updated = [], []
    for line_id, values in wanted.items():
        record = existing.get(line_id)
        if record is None:
            if create(values):
                created.append(
                    model(line_id=line_id, fiscal_year_id=year, month=month, **dict(zip(fields, values, strict=True)))
                )
        elif tuple(getattr(record, name) for name in fields) != values:
            for name, value in zip(fields, values, strict=True):
                setattr(record, name, value)
            updated.append(record)
    return created, updated


def write_records(
    status: MonthStatus, model, created: list, updated: list, fields: tuple[str, ...], *, user, change_reason: str
) -> None:
    """Save the records with their history, then move the month's version on (its history saying who and why):
    every sheet of the month drawn before is now stale."""
    if created:
        bulk_create_with_history(created, model, default_user=user, default_change_reason=change_reason)
    if updated:
        bulk_update_with_history(updated, model, list(fields), default_user=user, default_change_reason=change_reason)
    status.version += 1
    status._history_user = user
    status._change_reason = change_reason
    status.save(update_fields=["version"])
