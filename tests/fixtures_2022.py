"""The fixtures of tests that write into the 2022 report: its lines by code, finance staff (재무담당) and the
finance lead (재무책임). Import with `from tests.fixtures_2022 import *`."""

import pytest

from budget.core.models import BudgetLine

__all__ = ["lead", "lines", "staff"]


@pytest.fixture
def lines(report_2022):
    return {line.code: line for line in BudgetLine.objects.for_year(2022)}


@pytest.fixture
def staff(make_user):
    return make_user("finance", "재무담당")


@pytest.fixture
def lead(make_user):
    return make_user("lead", "재무책임")
