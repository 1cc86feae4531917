"""2022 made ready for its 결산: October–December entered (two lines' execution, two revenue receipts) and
closed, and the two lines' 이월액 the tests carry. Shared by the 결산 and the opening tests."""

import pytest

from budget.core.models import RevenueRecord
from budget.entry.services import Entry, month_close, month_save
from budget.settlement.figures import Carry
from tests.fixtures_2022 import lead, lines, staff

__all__ = ["CARRIES", "carries", "closed", "entered", "lead", "lines", "staff"]

# By hand, from the fixtures (2022 as of September) and what the tests enter for October–December:
# 4-1 메타버스: 예산현액 400,000,000; 원인행위 51,833,000 + 100,000,000 (Oct); 지출 51,833,000 + 30,000,000 (Oct)
#   → 미지급 70,000,000, 원인행위 잔액 248,167,000.
# 1-1 정책 연구: 예산현액 237,600,000; 원인행위 = 지출 145,216,000 + 50,000,000 (Nov) = 195,216,000
#   → 미지급 0, 원인행위 잔액 42,384,000.
# 지출액 계: 5,290,945,000 (the report's September) + 30,000,000 + 50,000,000 = 5,370,945,000.
# 수납액: 서울시출연금 8,000,000,000 (Oct), 사업수입 200,000,000 (Nov): 8,200,000,000.
CARRIES = {
    "4-1": Carry(accident=70_000_000, explicit=100_000_000, reason="플랫폼 2단계 구축 지연"),
    "1-1": Carry(explicit=42_384_000, reason="연구 용역 납기 연장"),
}


@pytest.fixture
def entered(lines, staff):
    month_save(year=2022, month=10, user=staff, version=0, entries=[Entry(lines["4-1"].pk, 100_000_000, 30_000_000)])
    month_save(year=2022, month=11, user=staff, version=0, entries=[Entry(lines["1-1"].pk, 50_000_000, 50_000_000)])
    RevenueRecord.objects.create(line=lines["city-contribution"], month=10, collected=8_000_000_000)
    RevenueRecord.objects.create(line=lines["business-income"], month=11, collected=200_000_000)
    return lines


@pytest.fixture
def closed(entered, lead):
    for month in (10, 11, 12):
        month_close(year=2022, month=month, user=lead)
    return entered


def carries(lines, **overrides):
    chosen = {**CARRIES, **overrides}
    return {lines[code].pk: carry for code, carry in chosen.items() if carry is not None}
