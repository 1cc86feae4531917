from django.utils.translation import gettext as _

from budget.core.history import Change, in_order, record_version, version_changes
from budget.core.models import BudgetAmount, BudgetLine, ExecutionRecord


def line_history(line: BudgetLine) -> list[Change]:
    """Newest first; two queries whatever the number of versions."""
    executions = in_order(ExecutionRecord.history.filter(line_id=line.pk))
    amounts = in_order(BudgetAmount.history.filter(line_id=line.pk))
    changes = version_changes(
        executions, ["commitment", "expenditure"], lambda v: _("집행 %(record)s") % {"record": record_version(v)}
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
