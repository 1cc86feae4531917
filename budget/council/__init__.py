"""The council workbook: the report's rows, the month-by-month execution, the programs and the budget
changes as an Excel workbook, with the checks it must pass before it goes out."""
