"""`manage.py backup` and `restore` round-trip the whole database, history included, on SQLite and PostgreSQL.

The database is the test runner's own (on PostgreSQL pg_dump and pg_restore reach it by the name in
connection.settings_dict); transactional tests, because pg_dump reads from another session and sees only
what is committed.
"""

import hashlib
import os
import stat

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from budget.core.models import BudgetAmount, BudgetLine, ExecutionRecord, MonthStatus
from budget.entry.services import Entry, month_save
from operations.management.commands import backup as backup_command
from operations.management.commands.backup import PG_MAGIC, SQLITE_MAGIC

pytestmark = pytest.mark.django_db(transaction=True)


def fingerprint():
    """Every table of the database: its row count and a checksum of every value of every row."""
    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names from the catalogue
            rows = sorted(repr(row) for row in cursor.fetchall())
            tables[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return tables


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def saved_months(report_2022, make_user):
    """The 2022 report with its history, and October and November saved by a finance user through the service."""
    finance = make_user("finance", "재무담당")
    lines = {line.code: line for line in BudgetLine.objects.for_year(2022)}
    month_save(
        year=2022,
        month=10,
        entries=[Entry(lines["4-1"].pk, 100_000_000, 40_000_000), Entry(lines["1-1"].pk, 5_000_000, 5_000_000)],
        user=finance,
        version=0,
        reason="10월 계약",
    )
    # November pays what stays committed after October's correction below (the rules check every later month).
    month_save(year=2022, month=11, entries=[Entry(lines["4-1"].pk, 0, 50_000_000)], user=finance, version=0, reason="")
    month_save(  # a correction: history has two rows for line 4-1 in October
        year=2022, month=10, entries=[Entry(lines["4-1"].pk, 90_000_000, 40_000_000)], user=finance, version=1
    )
    return finance, lines


def test_backup_and_restore_bring_back_every_record_and_every_history_row(saved_months, tmp_path):
    finance, lines = saved_months
    before = fingerprint()
    # The data is what the test means it to be: history with the user's rows, not an empty database.
    assert ExecutionRecord.history.filter(history_user=finance).count() == 4
    assert MonthStatus.history.filter(history_user=finance).count() == 3
    assert before["budget_historicalexecutionrecord"][0] > 4  # populate_history's rows of the report too
    backup = tmp_path / "yesan.backup"

    call_command("backup", output=str(backup), verbosity=0)

    # Change, add and delete things of every kind, history included.
    ExecutionRecord.objects.filter(month__gte=10).delete()
    ExecutionRecord.history.filter(history_user=finance).delete()
    BudgetAmount.objects.filter(line=lines["4-1"]).update(amount=1)
    MonthStatus.objects.filter(month=11).update(closed=True)
    get_user_model().objects.create_user("intruder", password=None)
    month_save(year=2022, month=12, entries=[Entry(lines["1-1"].pk, 1, 1)], user=finance, version=0)
    assert fingerprint() != before

    call_command("restore", str(backup), interactive=False, verbosity=0)

    after = fingerprint()
    assert {t: v for t, v in after.items() if v != before.get(t)} == {}
    assert after == before
    # And the Django connection the test runs on still works, on the restored data.
    assert ExecutionRecord.history.filter(history_user=finance).count() == 4
    assert ExecutionRecord.objects.get(line=lines["4-1"], month=10).commitment == 90_000_000
    assert not get_user_model().objects.filter(username="intruder").exists()
    month_save(year=2022, month=12, entries=[Entry(lines["1-1"].pk, 1, 1)], user=finance, version=0)


def test_backup_without_output_names_the_file_after_the_database_and_the_time(report_2022, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    call_command("backup", verbosity=0)
    (written,) = tmp_path.iterdir()
    assert written.name.startswith("backup-")
    assert written.suffix == (".dump" if connection.vendor == "postgresql" else ".sqlite3")
    assert written.stat().st_size > 0
    assert mode(written) == 0o600


def test_the_backup_file_is_readable_by_its_owner_only_from_its_first_byte(report_2022, tmp_path, monkeypatch):
    """A backup holds every password hash and session key: 0600 whatever the umask, and already while written."""
    writer = "_pg_dump" if connection.vendor == "postgresql" else "_sqlite_copy"
    write = getattr(backup_command.Command, writer)
    seen = {}

    def watched(self, connection, path):
        seen["before writing"] = (oct(mode(path)), path.stat().st_size) if path.exists() else "no file yet"
        write(self, connection, path)

    monkeypatch.setattr(backup_command.Command, writer, watched)
    target = tmp_path / "yesan.backup"
    target.write_bytes(b"an older backup")
    stale = tmp_path / "yesan.backup.partial"
    stale.write_bytes(b"left by a killed run")
    for path in (target, stale):
        path.chmod(0o644)
    umask = os.umask(0)  # the most permissive: the mode must not come from it
    try:
        call_command("backup", output=str(target), verbosity=0)
    finally:
        os.umask(umask)

    assert seen == {"before writing": ("0o600", 0)}
    assert mode(target) == 0o600
    assert target.read_bytes().startswith(PG_MAGIC if connection.vendor == "postgresql" else SQLITE_MAGIC)
    assert list(tmp_path.iterdir()) == [target]


def test_restore_refuses_a_file_that_is_no_backup_and_changes_nothing(report_2022, tmp_path):
    before = fingerprint()
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a backup")
    with pytest.raises(CommandError, match="is not a"):
        call_command("restore", str(bogus), interactive=False)
    assert fingerprint() == before


def test_restore_asks_first_and_stops_without_a_yes(report_2022, tmp_path, monkeypatch):
    backup = tmp_path / "yesan.backup"
    call_command("backup", output=str(backup), verbosity=0)
    ExecutionRecord.objects.all().delete()
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(backup))
    assert ExecutionRecord.objects.count() == 0
