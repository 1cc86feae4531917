"""세입 수납: the revenue month sheet and its save under the revenue rules (budget.core.receipt_rules)."""
