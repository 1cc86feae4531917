"""Excel import of a month's 세입 수납: the template, preview with row errors, confirmation through
receipts_save's rules, and a second import of the same file changing nothing."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest

from budget.core.models import MonthStatus
from budget.core.receipts import RevenueRecord
from tests.test_receipts import YEAR, clerk, save, stored, year_2023  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

HEADER = ("코드", "사업명", "수납액", "비고")


def xlsx(rows, *, row1=("회계연도", YEAR, "월", 2)) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "세입수납"
    ws.append(list(row1))
    ws.append(list(HEADER))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, data: bytes, month=2):
    f = io.BytesIO(data)
    f.name = "revenue.xlsx"
    return client.post("/entry/import/revenue/", {"year": YEAR, "month": month, "file": f})


def token_of(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


@pytest.fixture
def finance(client, clerk):  # noqa: F811 - the fixture of the same name
    client.force_login(clerk)
    return client


def test_the_template_lists_every_revenue_line_with_the_months_figures(year_2023, clerk, finance):  # noqa: F811
    save(year_2023, 2, clerk, city=300_000_000)
    response = finance.get(f"/entry/import/revenue/template.xlsx?year={YEAR}&month=2")
    ws = openpyxl.load_workbook(io.BytesIO(response.content))["세입수납"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0][:4] == ["회계연도", YEAR, "월", 2]
    assert rows[1] == list(HEADER)
    assert rows[2:] == [
        ["city-contribution", "서울시출연금", 300_000_000, None],
        ["business-income", "사업수입", 0, None],
    ]


def test_an_import_previews_then_saves_through_the_rules(year_2023, clerk, finance):  # noqa: F811
    data = xlsx(
        [("city-contribution", "서울시출연금", 300_000_000, ""), ("business-income", "사업수입", 250_000_000, "")]
    )
    preview = upload(finance, data)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "0 → <strong>300,000,000</strong>" in html and "0 → <strong>250,000,000</strong>" in html
    assert stored() == []  # a preview saves nothing
    response = finance.post("/entry/import/revenue/confirm/", {"token": token_of(preview)}, follow=True)
    html = response.content.decode()
    assert "2023년 2월 수납을 revenue.xlsx에서 가져왔습니다: 2개 라인 변경." in html
    assert "사업수입 · 2023년 2월: 수납 누계 250,000,000원이(가) 예산현액 200,000,000원을(를) 50,000,000원" in html
    assert stored() == [("business-income", 2, 250_000_000, ""), ("city-contribution", 2, 300_000_000, "")]
    record = RevenueRecord.objects.get(line__code="city-contribution", fiscal_year_id=YEAR)
    assert record.history.get().history_change_reason == "엑셀 가져오기: revenue.xlsx"
    version = MonthStatus.objects.get(fiscal_year_id=YEAR, month=2).version
    # The same file again changes nothing: no new version, no history.
    again = upload(finance, data)
    finance.post("/entry/import/revenue/confirm/", {"token": token_of(again)})
    assert MonthStatus.objects.get(fiscal_year_id=YEAR, month=2).version == version
    assert record.history.count() == 1


def test_row_errors_name_the_row_and_nothing_is_saved(year_2023, clerk, finance):  # noqa: F811
    save(year_2023, 2, clerk, city=300_000_000)
    data = xlsx(
        [
            ("city-contribution", "서울시출연금", 290_000_000, ""),  # a correction without a reason
            ("business-income", "사업수입", "12.5", ""),  # not whole won
            ("personnel", "인력운영비", 1_000, ""),  # not a revenue line
        ]
    )
    response = upload(finance, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "코드 &#x27;personnel&#x27;은(는) 2023년 세입 예산 라인에 없습니다." in html
    assert "이미 입력된 수납을 고치는 정정이므로 비고에 사유를 적어야 합니다." in html
    assert 'name="token"' not in html
    assert stored() == [("city-contribution", 2, 300_000_000, "")]


def test_a_closed_month_refuses_the_file(year_2023, finance):  # noqa: F811
    MonthStatus.objects.create(fiscal_year_id=YEAR, month=2, closed=True)
    response = upload(finance, xlsx([("city-contribution", "서울시출연금", 1_000, "")]))
    assert response.status_code == 400
    assert "2023년 2월은 마감되어 수납을 입력할 수 없습니다." in response.content.decode()
    assert stored() == []


def test_a_save_after_the_preview_makes_the_confirm_stale(year_2023, clerk, finance):  # noqa: F811
    preview = upload(finance, xlsx([("city-contribution", "서울시출연금", 1_000, "")]))
    save(year_2023, 2, clerk, business=5_000)
    response = finance.post("/entry/import/revenue/confirm/", {"token": token_of(preview)})
    assert response.status_code == 409
    assert stored() == [("business-income", 2, 5_000, "")]
