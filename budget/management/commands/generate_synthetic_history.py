"""Generate a large synthetic budget history, for benchmarking only.

Defaults: fiscal years 2101–2110 × 10,000 expenditure lines × 12 months = 1,200,000 execution records
(120,000 in each year), with budget amounts, monthly plans for 70% of the lines, closed months and a
few explanations. The years are far from any real one and every name is marked [합성], so nothing
generated can be taken for the foundation's figures; the command still refuses a database that holds
other fiscal years (the report's data) unless told --i-know, and `--delete` removes it all again.

On PostgreSQL the large tables are written with COPY; elsewhere with large bulk_create batches.
"""

from __future__ import annotations

import datetime
import io
import random
import time
from decimal import Decimal

import dj_database_url
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction

from budget.core.models import (
    Account,
    BudgetAmount,
    BudgetChange,
    BudgetChangeLeg,
    BudgetLine,
    ExecutionRecord,
    Explanation,
    FiscalYear,
    MonthlyPlan,
    MonthStatus,
)
from foundation.models import OrgUnit
from programs.models import PolicyArea, Program

MARK = "[합성]"
USERNAME = "synthetic-history"
ALIAS = "synthetic"

# The accounts as the report's fixtures define them; created if the database has none.
ACCOUNTS = [
    ("city-contribution", "revenue", "서울시출연금", 1),
    ("surplus", "revenue", "잉여금(이월금)수입", 2),
    ("business-income", "revenue", "사업수입", 3),
    ("subsidy", "revenue", "보조금수입", 4),
    ("deposit-refund", "revenue", "보증금회수수입", 5),
    ("personnel", "expenditure", "인건비", 1),
    ("expense", "expenditure", "경비", 2),
    ("program", "expenditure", "사업비", 3),
    ("reserve", "expenditure", "예비비", 4),
    ("capital", "expenditure", "자본적지출", 5),
]
# How revenue covers the expenditure total (balanced budget); the last source takes the remainder.
REVENUE_SHARES = [("city-contribution", 75), ("surplus", 15), ("business-income", 8), ("subsidy", 1)]
# Lines beyond the program lines, by nature, out of every 20 (10% 인건비, 20% 경비, 60% 사업비, 5% each).
NATURE_CYCLE = ["personnel"] * 2 + ["expense"] * 4 + ["program"] * 12 + ["reserve", "capital"]
# Cumulative share of a year's spending by month end, in thousandths: programs pay late (an S-curve),
# personnel and running costs evenly.
S_CURVE = [20, 50, 95, 150, 220, 300, 390, 480, 580, 690, 820, 1000]
EVEN = [round(1000 * m / 12) for m in range(1, 13)]


def thousand(won: float) -> int:
    """Whole thousands of won, as the foundation's amounts are."""
    return int(round(won / 1000)) * 1000


class Command(BaseCommand):
    help = (
        "Generate a synthetic budget history for benchmarks only (default 2101–2110 × 10,000 lines × 12 "
        "months = 1.2M execution records). Refuses a database with other fiscal years unless --i-know."
    )

    def add_arguments(self, parser):
        parser.add_argument("--first-year", type=int, default=2101)
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--lines", type=int, default=10_000, help="expenditure lines per year")
        parser.add_argument("--programs", type=int, default=200, help="of which program lines (one per program)")
        parser.add_argument("--teams", type=int, default=12)
        parser.add_argument("--plan-share", type=float, default=0.7, help="share of lines with a monthly plan")
        parser.add_argument("--closed-through", type=int, default=9, help="months closed in the last year")
        parser.add_argument("--seed", type=int, default=2022)
        parser.add_argument("--database-url", help="write there instead of DATABASE_URL (migrated first)")
        parser.add_argument("--i-know", action="store_true", help="allow a database that holds other years")
        parser.add_argument("--delete", action="store_true", help="remove the synthetic years and names, and stop")

    def handle(self, *args, **options):
        self.db = self._database(options["database_url"])
        self.vendor = connections[self.db].vendor
        first, count = options["first_year"], options["years"]
        years = list(range(first, first + count))
        if options["programs"] > options["lines"]:
            raise CommandError("--programs cannot exceed --lines (a program has one line a year)")
        if options["delete"]:
            self._delete(years)
            return
        self._refuse_real_data(years, options["i_know"])
        started = time.monotonic()
        rng = random.Random(options["seed"])
        accounts, programs, user = self._reference(options["programs"], options["teams"])
        shape = self._shape(rng, options["lines"], options["programs"], options["plan_share"])
        for index, year in enumerate(years):
            last = index == count - 1
            with transaction.atomic(using=self.db):
                records = self._year(rng, year, shape, accounts, programs, user, last, options["closed_through"])
            self.stdout.write(f"{year}: {len(shape)} lines, {records:,} execution records")
        if self.vendor == "postgresql":
            with connections[self.db].cursor() as cursor:
                for model in (BudgetLine, BudgetAmount, ExecutionRecord, MonthlyPlan, Explanation):
                    cursor.execute(f"ANALYZE {model._meta.db_table}")
        total = ExecutionRecord.objects.using(self.db).filter(fiscal_year__in=years).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"synthetic history {first}–{years[-1]}: {total:,} execution records in "
                f"{time.monotonic() - started:.0f}s ({self.vendor})"
            )
        )

    # -- where, and whether ------------------------------------------------------------------------

    def _database(self, url: str | None) -> str:
        if not url:
            return "default"
        # Django fills a connection's defaults (TIME_ZONE, OPTIONS, ...) only for the settings it was
        # configured with: configure this one beside `default` the same way, then register it.
        configured = connections.configure_settings(
            {"default": connections.settings["default"], ALIAS: dj_database_url.parse(url)}
        )
        connections.settings[ALIAS] = configured[ALIAS]
        call_command("migrate", database=ALIAS, verbosity=0)
        return ALIAS

    def _refuse_real_data(self, years: list[int], i_know: bool):
        existing = set(FiscalYear.objects.using(self.db).values_list("year", flat=True))
        clash = existing & set(years)
        if clash:
            raise CommandError(
                f"fiscal years {sorted(clash)} already exist: run with --delete first, or choose --first-year"
            )
        others = sorted(existing - set(years))
        if others and not i_know:
            raise CommandError(
                f"this database holds fiscal years {others} (real data, such as the 2022 report's): synthetic "
                "history is for a benchmark database (--database-url). Pass --i-know to write beside them anyway."
            )

    # -- shared names --------------------------------------------------------------------------------

    def _reference(self, program_count: int, team_count: int):
        db = self.db
        accounts = {}
        for code, side, name, order in ACCOUNTS:
            accounts[code], _ = Account.objects.using(db).get_or_create(
                code=code, defaults={"side": side, "name": name, "order": order}
            )
        root = OrgUnit.objects.using(db).filter(parent__isnull=True).first()
        if root is None:
            root = OrgUnit.objects.using(db).create(name=f"{MARK} 재단", kind=OrgUnit.Kind.FOUNDATION)
        division, _ = OrgUnit.objects.using(db).get_or_create(
            name=f"{MARK} 사업본부", defaults={"kind": OrgUnit.Kind.DIVISION, "parent": root, "order": 90}
        )
        teams = []
        for t in range(1, team_count + 1):
            team, _ = OrgUnit.objects.using(db).get_or_create(
                name=f"{MARK} {t:02d}팀", defaults={"kind": OrgUnit.Kind.TEAM, "parent": division, "order": 90 + t}
            )
            teams.append(team)
        areas = []
        for a in range(1, 5):
            area, _ = PolicyArea.objects.using(db).get_or_create(
                code=f"S{a}", defaults={"name": f"{MARK} 정책분야 {a}"}
            )
            areas.append(area)
        existing = {p.code: p for p in Program.objects.using(db).filter(code__startswith="S-")}
        new = [
            Program(
                code=f"S-{n:04d}",
                area=areas[n % len(areas)],
                name=f"{MARK} 사업 {n:04d}",
                owner_team=teams[n % len(teams)],
                purpose="벤치마크용 합성 데이터",
            )
            for n in range(1, program_count + 1)
            if f"S-{n:04d}" not in existing
        ]
        Program.objects.using(db).bulk_create(new)
        programs = list(Program.objects.using(db).filter(code__startswith="S-").order_by("code")[:program_count])
        user, _ = (
            get_user_model()
            .objects.using(db)
            .get_or_create(username=USERNAME, defaults={"first_name": f"{MARK} 담당자", "is_active": False})
        )
        return accounts, programs, user

    def _shape(self, rng: random.Random, lines: int, programs: int, plan_share: float) -> list[dict]:
        """What each line is, the same every year (so last year's line of the same code compares)."""
        shape = []
        for i in range(lines):
            nature = "program" if i < programs else NATURE_CYCLE[i % len(NATURE_CYCLE)]
            shape.append(
                {
                    "i": i,
                    "code": f"L{i:05d}",
                    "nature": nature,
                    "program": i if i < programs else None,
                    "base": rng.randrange(20, 2000) * 1_000_000,
                    "planned": rng.random() < plan_share,
                }
            )
        return shape

    # -- one year ------------------------------------------------------------------------------------

    def _year(self, rng, year, shape, accounts, programs, user, last: bool, closed_through: int) -> int:
        db = self.db
        FiscalYear.objects.using(db).create(year=year, early_execution_target=Decimal("55.5"))
        lines = BudgetLine.objects.using(db).bulk_create(
            [
                BudgetLine(
                    fiscal_year_id=year,
                    code=s["code"],
                    name=programs[s["program"]].name if s["program"] is not None else f"{MARK} 세부사업 {s['i']:05d}",
                    account=accounts[s["nature"]],
                    program=programs[s["program"]] if s["program"] is not None else None,
                    order=s["i"],
                )
                for s in shape
            ]
            + [
                BudgetLine(fiscal_year_id=year, code=f"REV-{code}", name=name, account=accounts[code], order=0)
                for code, side, name, _order in ACCOUNTS
                if side == "revenue"
            ],
            batch_size=5000,
        )
        if lines[0].pk is None:  # a backend that does not return keys from bulk inserts
            by_code = dict(BudgetLine.objects.using(db).filter(fiscal_year_id=year).values_list("code", "pk"))
        else:
            by_code = {line.code: line.pk for line in lines}

        amounts, records, plans = [], [], []
        expenditure_total = 0
        january, june = datetime.date(year, 1, 1), datetime.date(year, 6, 15)
        for s in shape:
            line_id = by_code[s["code"]]
            # The same line moves a little from year to year, and now and then a lot (a 사유 to write).
            factor = rng.uniform(0.85, 1.15) if rng.random() > 0.05 else rng.choice((0.4, 1.8))
            original = thousand(s["base"] * factor)
            current = original
            amounts.append((line_id, "original", january, original))
            if rng.random() < 0.2:
                change = thousand(original * rng.uniform(-0.2, 0.2))
                if change:
                    amounts.append((line_id, "supplementary", june, change))
                    current += change
            expenditure_total += current
            spent_total, curve = self._spending(rng, s["nature"], current)
            spent_before = committed_before = 0
            for month in range(1, 13):
                spent = thousand(spent_total * curve[month - 1] / 1000)
                # Commitments run ahead of payment: half of what is still to be paid is already contracted.
                committed = min(current, thousand(spent + (spent_total - spent) / 2))
                committed = max(committed, committed_before, spent)
                records.append((line_id, month, committed - committed_before, spent - spent_before))
                spent_before, committed_before = spent, committed
            if s["planned"]:
                # The plan follows the intended curve over the whole budget; actual spending may lag it.
                planned_before = 0
                for month in range(1, 13):
                    planned = thousand(current * curve[month - 1] / 1000)
                    plans.append((line_id, month, planned - planned_before, planned - planned_before))
                    planned_before = planned
        remaining = expenditure_total
        for code, share in REVENUE_SHARES:
            amount = thousand(expenditure_total * share / 100)
            amounts.append((by_code[f"REV-{code}"], "original", january, amount))
            remaining -= amount
        amounts.append((by_code["REV-deposit-refund"], "original", january, remaining))

        self._insert(
            BudgetAmount,
            ["line_id", "kind", "effective_date", "amount", "reason", "reference"],
            [(line, kind, day, amount, MARK, "") for line, kind, day, amount in amounts],
            year,
        )
        self._insert(
            ExecutionRecord,
            ["line_id", "month", "commitment", "expenditure", "cumulative", "note"],
            [(line, month, c, e, False, "") for line, month, c, e in records],
            year,
        )
        self._insert(MonthlyPlan, ["line_id", "month", "commitment", "expenditure"], plans, year)
        closed = range(1, (closed_through if last else 12) + 1)
        MonthStatus.objects.using(db).bulk_create(
            [MonthStatus(fiscal_year_id=year, month=m, closed=m in closed) for m in range(1, 13)]
        )
        if last:
            explained = [s for s in shape if rng.random() < 0.01]
            Explanation.objects.using(db).bulk_create(
                [
                    Explanation(
                        line_id=by_code[s["code"]],
                        month=closed_through,
                        text=f"{MARK} 계약 일정이 늦어져 하반기에 집행할 예정",
                        written_by=user,
                    )
                    for s in explained
                ]
            )
        return len(records)

    @staticmethod
    def _spending(rng: random.Random, nature: str, current: int) -> tuple[int, list[int]]:
        """How much of the budget a line spends by December, and on which cumulative curve."""
        if nature == "personnel":
            return thousand(current * rng.uniform(0.9, 1.0)), EVEN
        if nature == "reserve":
            return (0 if rng.random() < 0.7 else thousand(current * rng.uniform(0, 0.3))), EVEN
        if rng.random() < 0.03:  # a line that spends nothing at all
            return 0, EVEN
        share = rng.uniform(0.55, 1.0)
        return thousand(current * share), S_CURVE if nature in ("program", "capital") else EVEN

    # -- bulk writes ---------------------------------------------------------------------------------

    def _insert(self, model, columns: list[str], rows, year: int):
        """Write rows (tuples in `columns`' order) of one year: COPY on PostgreSQL, bulk inserts elsewhere."""
        columns = ["fiscal_year_id", *columns]
        rows = ((year, *row) for row in rows)
        if self.vendor != "postgresql":
            objs = (model(**dict(zip(columns, row, strict=True))) for row in rows)
            model.objects.using(self.db).bulk_create(objs, batch_size=20_000)
            return
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join("" if v is None else str(v) for v in row))
            buffer.write("\n")
        buffer.seek(0)
        with connections[self.db].cursor() as cursor:
            cursor.copy_expert(f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN", buffer)

    # -- and away again ------------------------------------------------------------------------------

    def _delete(self, years: list[int]):
        """Remove the synthetic years and the [합성] names; raw deletes, so that no history is written
        for a million rows on their way out."""
        db = self.db
        real = (
            BudgetLine.objects.using(db)
            .filter(fiscal_year__in=years)
            .exclude(name__startswith=MARK)
            .exclude(code__startswith="REV-")
        )
        if (
            real.exists()
            or ExecutionRecord.objects.using(db).filter(fiscal_year__in=years, cumulative=True).exists()
        ):
            raise CommandError(
                f"fiscal years {years[0]}–{years[-1]} hold lines that are not synthetic: nothing deleted"
            )
        with transaction.atomic(using=db):
            for model, lookup in (
                (Explanation, "line__fiscal_year__in"),
                (MonthlyPlan, "fiscal_year__in"),
                (ExecutionRecord, "fiscal_year__in"),
                (BudgetAmount, "fiscal_year__in"),
                (BudgetChangeLeg, "line__fiscal_year__in"),
                (BudgetChange, "fiscal_year__in"),
                (MonthStatus, "fiscal_year__in"),
                (BudgetLine, "fiscal_year__in"),
                (FiscalYear, "year__in"),
            ):
                model.objects.using(db).filter(**{lookup: years})._raw_delete(db)
            if not BudgetLine.objects.using(db).filter(program__name__startswith=MARK).exists():
                Program.objects.using(db).filter(name__startswith=MARK)._raw_delete(db)
                PolicyArea.objects.using(db).filter(name__startswith=MARK)._raw_delete(db)
                for kind in (OrgUnit.Kind.TEAM, OrgUnit.Kind.DIVISION, OrgUnit.Kind.FOUNDATION):
                    OrgUnit.objects.using(db).filter(name__startswith=MARK, kind=kind)._raw_delete(db)
                if not Explanation.objects.using(db).filter(written_by__username=USERNAME).exists():
                    get_user_model().objects.using(db).filter(username=USERNAME).delete()
        self.stdout.write(f"deleted synthetic years {years[0]}–{years[-1]}")
