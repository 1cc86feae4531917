"""Build a synthetic 2023 on top of the report's 2022, through the services the pages call, to show the whole
fiscal year: 2022's October–December entered (지출 and 수납) and closed, its 결산 prepared with two 이월
lines and approved, 2023 opened from it (every line kept, one added), its 본예산 read from the budget book
the page hands out, and January–February 2023 entered and closed.

Nothing of 2023 is the foundation's: every 2023 line's name starts with [합성], which every output that
names a line prints (report, dashboard, workbook, CSV, API), and `bin/run` shows a banner on every page
while the database holds a year so marked. Run once, on a database holding 2022 and no 2023.
"""

from __future__ import annotations

import io

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from openpyxl import load_workbook

from budget.core.errors import EntryRefused
from budget.core.models import BudgetLine, FiscalYear, MonthStatus
from budget.entry.services import Entry, month_close, month_save
from budget.opening.book import book_template, preview_book
from budget.opening.services import Keep, New, budget_book_save, year_open
from budget.receipts.services import Receipt, receipts_save
from budget.settlement.figures import Carry
from budget.settlement.services import settlement_approve, settlement_prepare
from foundation.roles import sync_roles

MARK = "[합성]"
YEAR = 2023
# What is typed, month by month: (지출 lines: code → (원인행위, 지출)), (수납: code → 수납액), in won.
ENTERED_2022 = {
    10: ({"4-1": (100_000_000, 30_000_000)}, {"city-contribution": 8_000_000_000}),
    11: ({"1-1": (50_000_000, 50_000_000)}, {"business-income": 200_000_000}),
    12: ({"2-1": (20_000_000, 20_000_000)}, {}),
}
# 2022's 이월액, within what each line can carry once December is closed:
# 4-1 미지급액 70,000,000 and 원인행위 잔액 248,167,000; 1-1 원인행위 잔액 42,384,000.
CARRIES_2022 = {
    "4-1": Carry(accident=70_000_000, explicit=100_000_000, reason="플랫폼 2단계 구축 지연"),
    "1-1": Carry(explicit=42_384_000, reason="연구 용역 납기 연장"),
}
NEW_LINE = New(code="A-3", name=f"{MARK} 청사 이전", account="expense")
# 2023's 본예산 as its budget book is filled in; 세입 9,700,000,000 = 세출 9,700,000,000. A line not listed: 0.
BOOK_2023 = {
    "city-contribution": 9_000_000_000,
    "surplus": 500_000_000,
    "business-income": 200_000_000,
    **dict.fromkeys(("1-1", "1-2", "2-1", "2-2", "2-3", "3-1", "3-2", "3-3", "4-1"), 400_000_000),
    "A-1": 3_000_000_000,
    "A-2": 1_500_000_000,
    "R-1": 300_000_000,
    "R-2": 400_000_000,
    "R-3": 200_000_000,
    "A-3": 700_000_000,
}
ENTERED_2023 = {
    1: ({"1-1": (30_000_000, 10_000_000), "A-1": (250_000_000, 250_000_000)}, {"city-contribution": 2_000_000_000}),
    2: (
        {"4-1": (120_000_000, 60_000_000), "A-1": (250_000_000, 250_000_000)},
        {"city-contribution": 1_500_000_000, "surplus": 712_384_000},
    ),
}
STAFF, LEAD = "synthetic-demo-finance", "synthetic-demo-lead"


def synthetic_years() -> list[int]:
    """The years whose lines carry the synthetic mark (this demo's, and the benchmark generator's)."""
    marked = BudgetLine.objects.filter(name__startswith=MARK).order_by().values_list("fiscal_year_id", flat=True)
    return sorted(marked.distinct())


def _people():
    groups = sync_roles()
    people = []
    for username, role, name in ((STAFF, "재무담당", "합성 데모 재무담당"), (LEAD, "재무책임", "합성 데모 재무책임")):
        user, _ = get_user_model().objects.get_or_create(username=username, defaults={"first_name": name})
        user.set_unusable_password()  # writes the demo's history; nobody signs in as it
        user.save()
        user.groups.set([groups[role]])
        people.append(get_user_model().objects.get(pk=user.pk))  # fresh, so its permissions are read again
    return people


def _version(year: int, month: int) -> int:
    return MonthStatus.objects.filter(fiscal_year_id=year, month=month).values_list("version", flat=True).first() or 0


def _enter_and_close(year: int, months: dict, staff, lead) -> None:
    codes = dict(BudgetLine.objects.for_year(year).values_list("code", "pk"))
    for month, (spent, collected) in months.items():
        if spent:
            entries = [Entry(codes[code], commitment, paid) for code, (commitment, paid) in spent.items()]
            month_save(year=year, month=month, entries=entries, user=staff, version=_version(year, month))
        if collected:
            receipts = [Receipt(codes[code], won) for code, won in collected.items()]
            receipts_save(year=year, month=month, receipts=receipts, user=staff, version=_version(year, month))
        month_close(year=year, month=month, user=lead)


def _import_book(year: int, lead) -> int:
    """The budget book as the page hands it out, filled in, read back through the page's preview."""
    template = io.BytesIO()
    book_template(year, template)
    wb = load_workbook(io.BytesIO(template.getvalue()))
    sheet = wb["본예산"]
    for row in range(3, sheet.max_row + 1):
        if sheet.cell(row, 1).value:
            sheet.cell(row, 3).value = BOOK_2023.get(sheet.cell(row, 1).value, 0)
    filled = io.BytesIO()
    wb.save(filled)
    preview = preview_book(filled.getvalue(), f"budget-book-{year}.xlsx", year=year)
    if not preview.ok:
        problems = [f"{problem.where()} {problem.message}".strip() for problem in preview.problems]
        raise EntryRefused(problems or ["본예산 예산서가 맞지 않습니다."])
    return budget_book_save(year=year, amounts=preview.amounts, user=lead)


def build_demo_year() -> int:
    """Build it all in one transaction; returns 2023's 본예산 total."""
    before = YEAR - 1
    if not FiscalYear.objects.filter(year=before).exists():
        raise CommandError(f"{before} 회계연도가 없습니다. 먼저 `manage.py loaddata report_2022`로 2022년을 넣으세요.")
    if FiscalYear.objects.filter(year=YEAR).exists() or FiscalYear.objects.filter(year__gt=YEAR).exists():
        raise CommandError(f"{YEAR} 회계연도가 이미 있습니다. 합성 데모 연도는 한 번만 만듭니다.")
    with transaction.atomic():
        staff, lead = _people()
        _enter_and_close(before, ENTERED_2022, staff, lead)
        lines = {line.code: line for line in BudgetLine.objects.for_year(before)}
        carries = {lines[code].pk: carry for code, carry in CARRIES_2022.items()}
        settlement_prepare(year=before, carries=carries, user=staff)
        settlement_approve(year=before, user=lead)
        keep = [Keep(line.pk, line.code, f"{MARK} {line.name}") for line in lines.values()]
        year_open(year=before, user=lead, keep=keep, add=[NEW_LINE])
        total = _import_book(YEAR, lead)
        _enter_and_close(YEAR, ENTERED_2023, staff, lead)
    return total


class Command(BaseCommand):
    help = (
        "Build a synthetic 2023 (every line marked [합성]) from the report's 2022 through the app's services: "
        "2022 closed and settled, 2023 opened with its 본예산, January–February entered and closed. Runs once."
    )

    def handle(self, *args, **options):
        try:
            total = build_demo_year()
        except EntryRefused as refused:
            raise CommandError("\n".join(refused.messages)) from refused
        self.stdout.write(
            f"합성 데모 {YEAR}년: 본예산 {total:,}원, 1~2월 마감. 재단의 수치가 아닙니다 (라인 이름 {MARK})."
        )
