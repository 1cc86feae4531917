"""The budget's core: models, the ledger (sums in the database), exact figures and their display, typed
amounts, the year's months and the money rules. Every feature stands on it; it knows no feature."""
