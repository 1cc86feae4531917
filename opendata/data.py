"""What the open pages publish: a published month's expenditure execution by nature and by program, as the
report's own figures (the ledger's sums, the same as 세출예산 집행현황), and as data.

Only aggregates leave: 예산현액, 원인행위액, 지출액 and their rates by nature (성질) and by program (사업). No
line of 행정운영경비 or 예비비 is listed on its own, and nothing that a person wrote (사유, 비고) or a person's
name is read here at all.

As data (CSV, JSON, the data package), amounts are whole won and rates exact decimal text
(budget.core.csvfile.exact_decimal); each row carries its year and month, so that every published month of a
year sits in one file.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from budget.core.figures import Execution
from budget.core.ledger import Ledger
from budget.core.rows import Column, ReportTable, Row
from budget.reports.report import as_of_caption, execution_row

# The columns of a data row, by resource: (field name, the rows' key, Column kind).
KEYS = {
    "nature": ["fiscal_year", "month", "nature_code", "nature_name"],
    "program": ["fiscal_year", "month", "area_code", "area_name", "program_code", "program_name"],
}
MEASURES = ["budget", "commitment", "expenditure", "commitment_rate", "expenditure_rate"]
ROW_KEYS = {
    "budget": "current",
    "commitment": "commitment",
    "expenditure": "expenditure",
    "commitment_rate": "commitment_rate",
    "expenditure_rate": "expenditure_rate",
}
RESOURCES = {"nature": "execution-by-nature", "program": "execution-by-program"}


def _natures(ledger: Ledger) -> list:
    accounts = {}
    for line in ledger.lines:
        accounts.setdefault(line.account_id, line.account)
    return sorted(accounts.values(), key=lambda account: account.order)


def nature_rows(ledger: Ledger) -> list[Row]:
    """Each expenditure nature the year has a line of, in account order (the report's 성질 rows)."""
    return [
        execution_row(account.name, "item", ledger.by("account", account.id), code=account.code)
        for account in _natures(ledger)
    ]


def program_rows(ledger: Ledger) -> list[Row]:
    """Each program's line, in budget order (the report's rows under 사업비)."""
    return [
        execution_row(
            line.program.name,
            "item",
            ledger.by("line", line.id),
            code=line.program.code,
            area_code=line.program.area.code,
            area_name=line.program.area.name,
        )
        for line in ledger.lines
        if line.program_id
    ]


def _columns(first: str) -> list[Column]:
    return [
        Column("label", first, "text"),
        Column("current", _("예산현액")),
        Column("commitment", _("원인행위액")),
        Column("expenditure", _("지출액")),
        Column("commitment_rate", _("원인행위율"), "rate"),
        Column("expenditure_rate", _("집행률"), "rate"),
    ]


def page_tables(ledger: Ledger) -> tuple[ReportTable, ReportTable]:
    """The open page's two tables for one month: by nature with the total first, and by program."""
    caption = as_of_caption(ledger.year, ledger.month)
    natures = nature_rows(ledger)
    total: Execution = ledger.total
    by_nature = ReportTable(
        "open-natures",
        _("성질별 집행"),
        caption,
        _columns(_("성질")),
        [execution_row(_("계"), "total", total), *natures],
    )
    by_program = ReportTable(
        "open-programs",
        _("사업별 집행"),
        caption,
        _columns(_("사업")),
        program_rows(ledger),
        [_("행정운영경비(인력운영비·기본경비)와 예비비는 사업이 아니어서 성질별 표에만 있습니다.")],
    )
    return by_nature, by_program


def _data_row(year: int, month: int, row: Row, keys: dict) -> Row:
    return {"fiscal_year": year, "month": f"{year}-{month:02d}", **keys, **{f: row[k] for f, k in ROW_KEYS.items()}}


def data_rows(year: int, months: list[int], resources=("nature", "program")) -> dict[str, list[Row]]:
    """Every published month's rows of each resource asked for (nature, program), month by month: a ledger
    per month, so three queries a month and resource, whatever the number of lines."""
    rows: dict[str, list[Row]] = {resource: [] for resource in resources}
    for month in months:
        ledger = Ledger(year, month)
        for row in nature_rows(ledger) if "nature" in rows else []:
            keys = {"nature_code": row["code"], "nature_name": row["label"]}
            rows["nature"].append(_data_row(year, month, row, keys))
        for row in program_rows(ledger) if "program" in rows else []:
            keys = {
                "area_code": row["area_code"],
                "area_name": row["area_name"],
                "program_code": row["code"],
                "program_name": row["label"],
            }
            rows["program"].append(_data_row(year, month, row, keys))
    return rows


def data_table(resource: str, rows: list[Row]) -> ReportTable:
    """A resource as a table for the CSV writer, its columns headed by the data package's field names."""
    kinds = {"budget": "money", "commitment": "money", "expenditure": "money"}
    columns = [Column(name, name, "text") for name in KEYS[resource]]
    columns[0] = Column("fiscal_year", "fiscal_year", "count")
    columns += [Column(name, name, kinds.get(name, "rate")) for name in MEASURES]
    return ReportTable(RESOURCES[resource], RESOURCES[resource], "", columns, rows)
