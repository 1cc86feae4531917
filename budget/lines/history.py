from django.utils.translation import gettext as _

from budget.core.history import Change, version_changes
from budget.core.models import BudgetAmount, BudgetLine, ExecutionRecord


def line_history(line: BudgetLine) -> list[Change]:
    """Newest first; two queries whatever the number of versions."""
    executions = (
        ExecutionRecord.history.filter(line_id=line.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    amounts = (
        BudgetAmount.history.filter(line_id=line.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    changes = version_changes(
        executions,
        ["commitment", "expenditure"],
        lambda v: (
            _("집행 %(month)s월%(cumulative)s") % {"month": v.month, "cumulative": _(" (누계)") if v.cumulative else ""}
        ),
    )
    changes += version_changes(
        amounts,
        ["amount"],
        lambda v: (
            _("예산 %(kind)s %(date)s")
            % {"kind": BudgetAmount.Kind(v.kind).label, "date": v.effective_date.isoformat()}
        ),
    )
    return sorted(changes, key=lambda c: c.when, reverse=True)
