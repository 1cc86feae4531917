"""Writes of the dashboards: each one transaction, each leaving history with its author."""

from __future__ import annotations

from django.db import transaction

from budget.models import BudgetLine, Explanation


@transaction.atomic
def explanation_save(*, line: BudgetLine, month: int, text: str, user) -> Explanation:
    """Write (or rewrite) the 사유 of a line for a month; who wrote it last is `written_by`.

    Whether `user` may is the caller's to check (dashboard.access.can_explain).
    """
    explanation = Explanation.objects.select_for_update().filter(line=line, month=month).first()
    if explanation is None:
        explanation = Explanation(line=line, month=month)
    explanation.text = text
    explanation.written_by = user
    explanation._history_user = user
    explanation.save()
    return explanation
