"""Monthly entry by finance staff: the month sheet, its save under the money rules, month close and
reopen, and the year's finish and reopen."""
