"""What a page reads of a settled year before the one it shows, read once per app server process.

A year whose every month is closed (or stands in the report's cumulative figure) cannot change while it stays
so: the rules refuse every write dated into a closed month, whichever way it comes in, and reopening a month
raises its version (and closing it again gives it a new close time). So the sums read of such a year are kept
under a key made of its months' status rows (their ids, versions and close times) and of the database: any
change the rules allow first reopens a month, which changes the key, and the next view reads the year again;
a year made anew (the synthetic history's) has new rows. Each gunicorn worker keeps its own copy (Django's
local-memory cache): nothing is shared between app servers, and a restart (which a restore of the database
asks for anyway) starts empty.

tests/test_settled.py holds a kept year equal to the same year read again, through a reopen, a change and a
new close.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db import connection


def settled_key(kind: str, year: int, covered: int, closed: dict[int, tuple]) -> str | None:
    """The key of what `kind` reads of `year`, or None while any month after the cumulative cover `covered` is
    open. `closed` maps each closed month to its status row's (id, version, closed_at) as the driver gives them
    (closed_at: a datetime, or text on SQLite; None for a close from before closes were timed)."""
    months = []
    for month in range(covered + 1, 13):
        if month not in closed:
            return None
        row, version, closed_at = closed[month]
        months.append(f"{month}:{row}:{version}:{closed_at}")
    parts = [kind, connection.vendor, str(connection.settings_dict["NAME"]), str(year), str(covered), *months]
    return "settled:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def kept(key: str | None):
    return cache.get(key) if key else None


def keep(key: str | None, value) -> None:
    if key:
        cache.set(key, value, timeout=None)
