"""A line's audit trail: every version of its execution records and budget amounts, before and after."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CHANGE_TYPES = {"+": gettext_lazy("생성"), "~": gettext_lazy("수정"), "-": gettext_lazy("삭제")}


@dataclass
class Change:
    when: datetime
    who: str
    what: str
    change_type: str
    before: dict[str, int] | None
    after: dict[str, int] | None
    reason: str


def version_changes(history, fields: list[str], describe) -> list[Change]:
    """Pair each version with the one before it of the same record, in Python: one query, no N+1."""
    previous: dict[int, dict[str, int]] = {}
    changes = []
    for version in history:
        values = {f: getattr(version, f) for f in fields}
        before = previous.get(version.id)
        after = None if version.history_type == "-" else values
        user = version.history_user
        changes.append(
            Change(
                when=version.history_date,
                who=(user.get_full_name() or user.username) if user else _("(시스템·데이터 적재)"),
                what=describe(version),
                change_type=CHANGE_TYPES[version.history_type],
                before=before,
                after=after,
                reason=version.history_change_reason or "",
            )
        )
        previous[version.id] = values
    return changes


def in_order(history):
    """A history queryset in the order its versions were saved, with who saved each (one query)."""
    return history.select_related("history_user").order_by("history_date", "history_id")


def record_version(version) -> str:
    """An execution record's version as a person names it: its month, and whether it is a cumulative one."""
    cumulative = _(" (누계)") if version.cumulative else ""
    return _("%(month)s월%(cumulative)s") % {"month": version.month, "cumulative": cumulative}
