"""One budget line: how its 예산현액 came to be, and the audit trail of its money."""
