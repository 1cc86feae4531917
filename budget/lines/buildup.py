from budget.core.models import BudgetLine


def build_up(line: BudgetLine) -> list[dict]:
    """How a line's 예산현액 came to be: each amount in date order with the running total (one query)."""
    running = 0
    steps = []
    amounts = line.amounts.select_related("change__decided_by", "change__requested_by").order_by("effective_date", "pk")
    for amount in amounts:
        start = running
        running += amount.amount
        change = amount.change
        steps.append(
            {
                "date": amount.effective_date,
                "kind": amount.get_kind_display(),
                "amount": amount.amount,
                "start": start,
                "end": running,
                "reason": amount.reason,
                "reference": amount.reference,
                "requested_by": change.requested_by if change else None,
                "approved_by": change.decided_by if change else None,
                "approved_at": change.decided_at if change else None,
            }
        )
    return steps
