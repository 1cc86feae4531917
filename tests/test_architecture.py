"""The house's plan (pyproject.toml's import-linter contracts) holds, and it bites: a core module that
imports a feature, or a feature that imports another feature's views, breaks it."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("config", "operations", "api", "opendata", "dashboard", "budget", "programs", "foundation")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def test_every_contract_is_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    # Every contract written in pyproject.toml, none skipped: as many kept as there are.
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    assert f"Contracts: {len(contracts)} kept, 0 broken." in result.stdout


@pytest.fixture
def house(tmp_path) -> Path:
    """A copy of the project's packages and contracts, to break on purpose."""
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        (
            "budget/core/ledger.py",
            "from budget.reports import report",
            "budget.core is not allowed to import budget.reports",
        ),
        ("foundation/models.py", "from budget.core import models", "foundation is not allowed to import budget.core"),
        ("programs/models.py", "from dashboard import overview", "programs is not allowed to import dashboard"),
        (
            "budget/council/workbook.py",
            "from budget.reports import views",
            "budget.council is not allowed to import budget.reports.views",
        ),
        ("opendata/data.py", "from api import views", "opendata is not allowed to import api"),
        ("api/views.py", "from opendata import views", "api is not allowed to import opendata"),
        ("dashboard/charts.py", "from api import serializers", "dashboard is not allowed to import api"),
        ("opendata/views.py", "from dashboard import views", "opendata is not allowed to import dashboard.views"),
    ],
)
def test_a_wrong_import_breaks_a_contract(house, module, line, broken):
    with open(house / module, "a") as f:
        f.write(f"\n{line}  # noqa\n")
    result = lint_imports(house)
    assert result.returncode == 1, result.stdout + result.stderr
    assert broken in result.stdout
