"""Two people saving the same month at once, on two real PostgreSQL connections.

SQLite serialises every write to the whole file, so the race only exists on PostgreSQL; CI runs
this module there (the SQLite run skips it, saying so).
"""

import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from budget.core.errors import StaleSheet
from budget.core.models import BudgetLine, ExecutionRecord, MonthStatus
from budget.entry.services import Entry, month_save

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"),
]


@pytest.fixture
def metaverse(make_user):
    call_command("loaddata", "report_2022", verbosity=0)
    return BudgetLine.objects.get(fiscal_year=2022, code="4-1")


def in_thread(target):
    """Run `target` on its own thread, hence its own database connection; keep its result or error."""
    outcome = {}

    def run():
        try:
            outcome["result"] = target()
        except Exception as error:  # noqa: BLE001 - the test asserts on what was raised
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_a_save_waits_for_the_one_in_progress_and_is_then_told_it_is_stale(metaverse, make_user):
    second = make_user("second", "재무담당")
    with transaction.atomic():
        # The first person's save is under way on this connection: the month row is locked.
        MonthStatus.objects.create(fiscal_year_id=2022, month=10)
        status = MonthStatus.objects.select_for_update().get(fiscal_year_id=2022, month=10)
        thread, outcome = in_thread(
            lambda: month_save(
                year=2022, month=10, user=second, version=0, entries=[Entry(metaverse.pk, 50_000_000, 0)]
            )
        )
        time.sleep(0.5)
        assert thread.is_alive(), "the second save must wait for the lock, not write beside the first"
        ExecutionRecord.objects.create(line=metaverse, month=10, commitment=100_000_000)
        status.version = 1
        status.save()
    thread.join(10)
    assert isinstance(outcome.get("error"), StaleSheet)
    assert ExecutionRecord.objects.get(line=metaverse, month=10).commitment == 100_000_000


def test_of_two_simultaneous_saves_exactly_one_lands(metaverse, make_user):
    users = [make_user("first", "재무담당"), make_user("second", "재무담당")]
    amounts = [100_000_000, 50_000_000]
    barrier = threading.Barrier(2)

    def save(user, amount):
        def go():
            barrier.wait()
            return month_save(year=2022, month=10, user=user, version=0, entries=[Entry(metaverse.pk, amount, 0)])

        return go

    runs = [in_thread(save(u, a)) for u, a in zip(users, amounts, strict=True)]
    for thread, _outcome in runs:
        thread.join(10)
    outcomes = [outcome for _thread, outcome in runs]
    winners = [i for i, o in enumerate(outcomes) if o.get("result") == 1]
    losers = [i for i, o in enumerate(outcomes) if isinstance(o.get("error"), StaleSheet)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    record = ExecutionRecord.objects.get(line=metaverse, month=10)
    assert record.commitment == amounts[winners[0]]
    assert record.history.count() == 1  # one save, one history entry: nothing overwritten silently
    assert MonthStatus.objects.get(fiscal_year_id=2022, month=10).version == 1
