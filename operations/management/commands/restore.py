"""manage.py restore FILE: put back the whole database from a file made by `manage.py backup`."""

import sqlite3
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from .backup import PG_MAGIC, SQLITE_MAGIC, run_pg_tool


class Command(BaseCommand):
    help = (
        "Replace the database's contents with a backup made by `manage.py backup` (pg_restore --clean on "
        "PostgreSQL, SQLite's backup API on SQLite). Stop the app servers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a file written by `manage.py backup`")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="the DATABASES entry (default: default)")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive", help="do not ask for confirmation"
        )

    def handle(self, *args, file, database=DEFAULT_DB_ALIAS, interactive=True, **options):
        connection = connections[database]
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        magic = {"postgresql": PG_MAGIC, "sqlite": SQLITE_MAGIC}.get(connection.vendor)
        if magic is None:
            raise CommandError(f"restore supports PostgreSQL and SQLite, not {connection.vendor}.")
        with path.open("rb") as f:
            if f.read(len(magic)) != magic:
                raise CommandError(f"{path} is not a {connection.vendor} backup made by `manage.py backup`.")
        if connection.in_atomic_block:
            raise CommandError("restore cannot run inside a transaction.")
        name = connection.settings_dict["NAME"]
        if interactive:
            answer = input(f"This replaces every table of database {name!r} with the backup {path}. Type 'yes': ")
            if answer != "yes":
                raise CommandError("Restore cancelled.")
        if connection.vendor == "postgresql":
            self._pg_restore(connection, path)
        else:
            self._sqlite_restore(connection, path)
        self.stdout.write(f"restored {name} from {path}")

    def _pg_restore(self, connection, path: Path):
        # Our own connection is closed first: pg_restore drops and recreates the tables, which waits for
        # every session holding a lock on them. Django opens a fresh connection on the next query.
        connection.close()
        # --single-transaction: all or nothing; a failed restore leaves the database as it was.
        # --clean --if-exists: drop each object of the backup before recreating it, so rows added since the
        # backup are gone. --no-owner --no-acl: the restoring user owns the objects, so a backup restores
        # onto a server whose roles differ.
        run_pg_tool(
            "pg_restore",
            [
                "--clean",
                "--if-exists",
                "--single-transaction",
                "--exit-on-error",
                "--no-owner",
                "--no-acl",
                "--no-password",
                "--dbname",
                str(connection.settings_dict["NAME"]),
                str(path),
            ],
            connection,
            "pg_restore failed, the database is unchanged",
        )

    def _sqlite_restore(self, connection, path: Path):
        # The backup API in reverse: the backup's pages replace the live database's in one step, through
        # Django's connection so that it stays usable (and an in-memory database can be restored).
        connection.ensure_connection()
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
