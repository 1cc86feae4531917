"""manage.py backup: the whole database in one file, taken while the app keeps running."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.postgresql.client import DatabaseClient
from django.utils import timezone

# The first bytes of each kind of backup file, so that restore can refuse the wrong kind before touching data.
PG_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"


def pg_environ(settings_dict) -> dict[str, str]:
    """The libpq environment for pg_dump/pg_restore from Django's DATABASES entry.

    Passwords and TLS options go through the environment (as Django's own dbshell does), never on the
    command line where `ps` would show them.
    """
    _args, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    env = {**os.environ, **(env or {})}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("NAME", "PGDATABASE")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise CommandError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return path


def run_pg_tool(name: str, args: list[str], connection, failed: str) -> None:
    """Run pg_dump or pg_restore on the connection's database; CommandError with `failed` and its stderr."""
    result = subprocess.run(
        [pg_tool(name), *args], env=pg_environ(connection.settings_dict), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise CommandError(f"{failed}: {result.stderr.strip()}")


def create_private(path: Path) -> None:
    """An empty file that only its owner can read or write (0600), for pg_dump or SQLite to fill.

    A backup holds every password hash and session key. Created with that mode rather than chmod-ed once
    written, so no other user can open it while it is being written; pg_dump and SQLite write into the
    existing file and keep its mode, and os.replace keeps it under the final name. A .partial left by a
    killed run is removed first; O_EXCL then refuses to follow a link put in its place.
    """
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


class Command(BaseCommand):
    help = (
        "Write the whole database to one file: pg_dump's custom format on PostgreSQL (restore with "
        "pg_restore or `manage.py restore`), a consistent copy made with SQLite's online backup on SQLite."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="the file to write (default: backup-<database>-<UTC time>.dump or .sqlite3 in the current folder)",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="the DATABASES entry (default: default)")

    def handle(self, *args, output=None, database=DEFAULT_DB_ALIAS, **options):
        connection = connections[database]
        vendor = connection.vendor
        if vendor not in ("postgresql", "sqlite"):
            raise CommandError(f"backup supports PostgreSQL and SQLite, not {vendor}.")
        if output is None:
            stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
            name = Path(str(connection.settings_dict["NAME"])).stem or database
            output = f"backup-{name}-{stamp}.{'dump' if vendor == 'postgresql' else 'sqlite3'}"
        target = Path(output)
        # Written beside the target and renamed at the end: an interrupted backup never leaves a truncated
        # file under the name of a good one.
        partial = target.with_name(target.name + ".partial")
        try:
            create_private(partial)
            if vendor == "postgresql":
                self._pg_dump(connection, partial)
            else:
                self._sqlite_copy(connection, partial)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(f"{target} ({target.stat().st_size:,} bytes)")

    def _pg_dump(self, connection, path: Path):
        # pg_dump reads every table in one repeatable-read snapshot: a save committed during the dump is
        # either wholly in it or wholly not. The custom format is compressed and lets pg_restore --clean.
        run_pg_tool(
            "pg_dump", ["--format=custom", "--no-password", "--file", str(path)], connection, "pg_dump failed"
        )

    def _sqlite_copy(self, connection, path: Path):
        # The online backup API copies a consistent snapshot even while other connections write; copying
        # the file itself could catch a half-written page. Through Django's own connection, so an in-memory
        # database (the test runner's) works too.
        connection.ensure_connection()
        destination = sqlite3.connect(path)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
