"""The project as a newcomer and an operator meet it: migrations, deploy checks, fixtures."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def test_migrations_are_complete(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_check_deploy_is_clean_under_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": "a-real-looking-production-key-" + "x" * 40,
        "ALLOWED_HOSTS": "budget.example.org",
    }
    env.pop("SECURE_SSL_REDIRECT", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests; a deploy never has it
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "false"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("part", ["org", "budget", "programs"])
def test_fixtures_store_no_derived_figure(part):
    """Only leaf amounts are loaded: no model in the fixtures holds a total, a delta or a rate."""
    records = json.loads((ROOT / "fixtures" / part / "report_2022.json").read_text())
    fields = {name for record in records for name in record["fields"]}
    assert not fields & {"total", "subtotal", "change", "change_rate", "rate", "share", "gap"}


def test_fixture_amounts_are_whole_won_from_the_reports_thousands():
    records = json.loads((ROOT / "fixtures" / "budget" / "report_2022.json").read_text())
    amounts = [r["fields"]["amount"] for r in records if r["model"] == "budget.budgetamount"]
    amounts += [
        r["fields"][k] for r in records if r["model"] == "budget.executionrecord" for k in ("commitment", "expenditure")
    ]
    assert amounts and all(isinstance(a, int) and a % 1000 == 0 for a in amounts)
