"""The refusals every write can raise: one type for "this breaks a rule", one for "someone saved first"."""

from __future__ import annotations


class EntryRefused(Exception):
    """A refused write; `by_line` maps a line's pk to its own messages, to show them on its row.

    Nothing is saved when it is raised: every write that raises it runs in one transaction.
    """

    def __init__(self, messages: list[str], by_line: dict[int, list[str]] | None = None):
        super().__init__("; ".join(messages))
        self.messages = messages
        self.by_line = by_line or {}


class StaleSheet(EntryRefused):
    """The month (or plan) was saved by someone else after this sheet was drawn."""


def refuse_broken(errors: dict[int | None, list[str]]) -> None:
    """Refuse a write that breaks any rule: every message, and each line's own (`errors` by line)."""
    if errors:
        raise EntryRefused([m for messages in errors.values() for m in messages], by_line=errors)
