"""The read-only API (/api/v1/): its schema, its figures (the report's own rows, in won and exact rates),
tokens, filters, throttling, and a constant number of queries as the data grows.

Who may call which endpoint, role by role, with a session and with a token, is in tests/test_roles.py.
"""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.throttling import UserRateThrottle

from budget.changes.services import Leg, change_approve, change_request
from budget.core import display
from budget.core.models import BudgetAmount, BudgetChange, BudgetChangeLeg, BudgetLine
from budget.entry.services import Entry, month_close, month_save
from tests.html_tables import table_rows
from tests.report_2022_expected import REPORT_TABLES
from tests.test_query_counts import multiply_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttles():
    """Throttling counts in the cache, which outlives a test's database: each test starts uncounted."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api(client, make_user):
    client.force_login(make_user("reader", "관리자"))
    return client


def test_the_schema_validates(tmp_path):
    # drf-spectacular's own validation against the OpenAPI 3 specification; any warning fails it too.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    schema = (tmp_path / "schema.yaml").read_text()
    for path in ("/api/v1/budget-lines/", "/api/v1/reports/{year}/{month}/", "/api/v1/closed-months/"):
        assert f"  {path}:" in schema


def test_the_schema_and_its_page_answer_a_signed_in_user(api):
    response = api.get("/api/schema/")
    assert response.status_code == 200
    assert b"openapi: 3" in response.content
    page = api.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn." not in html and "<style" not in html and "<script>" not in html  # nothing inline, no CDN
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "img-src 'self' data:" in policy
    script = api.get("/api/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert b"/api/schema/" in script.content
    # Everywhere else the site's policy stays as it is: no data: images.
    assert "data:" not in api.get("/api/v1/fiscal-years/")["Content-Security-Policy"]


def shown(value, kind: str) -> str:
    """An API cell as the report page shows it: 천원 and one decimal, from the exact value."""
    if kind == "money":
        return display.money(value)
    if kind in ("rate", "share", "change_rate"):
        if value is None or not value[-1].isdigit():
            return display.rate(None) if value is None else value
        return display.rate(Fraction(Decimal(value)))
    if kind == "count":
        return display.headcount(value)
    if kind == "gap":
        return display.gap(value)
    return value or ""


def api_rows(table: dict) -> list[tuple[str, ...]]:
    kinds = {c["key"]: c["kind"] for c in table["columns"]}
    rows = []
    for row in table["rows"]:
        cells = row["cells"]
        # The staffing table's 과부족 row draws its counts by their own rule (+3, △1, -).
        gap = row["cells"].get("label") == "과부족"
        rows.append(tuple(shown(cells[key], "gap" if gap and kind == "count" else kind) for key, kind in kinds.items()))
    return rows


def assert_api_equals_page(client, as_of: str):
    year, month = as_of.split("-")
    data = client.get(f"/api/v1/reports/{year}/{int(month)}/").json()
    html = client.get(f"/reports/{year}/?as_of={as_of}").content.decode()
    assert [t["key"] for t in data["tables"]] == list(REPORT_TABLES)
    for table in data["tables"]:
        assert api_rows(table) == table_rows(html, table["key"]), table["key"]
    return {t["key"]: t for t in data["tables"]}


def test_the_report_rows_equal_the_report_page_every_cell(report_2022, api):
    tables = assert_api_equals_page(api, "2022-09")
    spending = tables["expenditure-summary"]["rows"][0]["cells"]
    assert spending == {
        "label": "계",
        "current": 10_202_380_000,
        "previous": 12_032_786_000,
        "change": -1_830_406_000,
        # 1,830,406,000 × 100 ÷ 12,032,786,000: does not end, cut after 12 places (display: △15.2%).
        "change_rate": "-15.211822100052",
    }
    metaverse = tables["execution"]["rows"][-2]
    assert metaverse["cells"] == {
        "label": "메타버스 서울 시티즌 플랫폼 구축",
        "current": 400_000_000,
        "commitment": 51_833_000,
        "expenditure": 51_833_000,
        "commitment_rate": "12.95825",  # exact: 51,833,000 × 100 ÷ 400,000,000
        "expenditure_rate": "12.95825",
    }
    assert metaverse["line"] == BudgetLine.objects.get(fiscal_year=2022, code="4-1").pk
    revenue = tables["revenue-summary"]["rows"]
    assert revenue[-1]["cells"]["change_rate"] == "순증"  # 보증금회수수입: the marker, not a number
    assert tables["revenue-summary"]["columns"][4] == {
        "key": "change_rate",
        "label": "증감률",
        "kind": "change_rate",
        "group": "증 감",
    }
    assert tables["staffing"]["title"] == "인력 : 49명"


def test_the_report_rows_follow_an_entry_as_the_page_does(report_2022, api, make_user):
    metaverse = BudgetLine.objects.get(fiscal_year=2022, code="4-1")
    BudgetAmount.objects.create(
        line=metaverse, kind="supplementary", effective_date=datetime.date(2022, 10, 5), amount=10_000_000
    )
    finance = make_user("finance", "재무담당")
    month_save(year=2022, month=10, entries=[Entry(metaverse.pk, 20_000_000, 8_167_000)], user=finance, version=0)

    assert_api_equals_page(api, "2022-09")  # September has not moved
    tables = assert_api_equals_page(api, "2022-10")
    total = tables["execution"]["rows"][0]["cells"]
    assert (total["current"], total["commitment"], total["expenditure"]) == (
        10_212_380_000,
        5_310_945_000,
        5_299_112_000,
    )
    line = tables["execution"]["rows"][-2]["cells"]
    assert (line["current"], line["commitment"], line["expenditure"]) == (410_000_000, 71_833_000, 60_000_000)
    assert line["expenditure_rate"] == "14.634146341463"  # 60,000,000 × 100 ÷ 410,000,000, cut (14.6%)


def test_one_report_table_by_its_key_and_refusals(report_2022, api):
    table = api.get("/api/v1/reports/2022/9/execution/").json()
    assert table["key"] == "execution" and table["rows"][0]["cells"]["current"] == 10_202_380_000
    assert api.get("/api/v1/reports/2022/9/nothing/").status_code == 404
    assert api.get("/api/v1/reports/2030/9/").status_code == 404
    refused = api.get("/api/v1/reports/2022/5/")  # 2022's budget is known from September's end only
    assert refused.status_code == 400
    assert "9월부터" in refused.json()["month"][0]


def test_budget_lines_with_their_figures_as_of_a_month(report_2022, api):
    data = api.get("/api/v1/budget-lines/?year=2022&month=9&program=4-1").json()
    assert data["count"] == 1
    assert data["results"][0] | {"id": None} == {
        "id": None,
        "fiscal_year": 2022,
        "code": "4-1",
        "name": "메타버스 서울 시티즌 플랫폼 구축",
        "nature": "program",
        "nature_name": "사업비",
        "program": "4-1",
        "as_of": "2022-09",
        "current": 400_000_000,
        "commitment": 51_833_000,
        "expenditure": 51_833_000,
        "commitment_rate": "12.95825",
        "expenditure_rate": "12.95825",
    }
    reserves = api.get("/api/v1/budget-lines/?year=2022&nature=reserve").json()["results"]
    assert [r["code"] for r in reserves] == ["R-1", "R-2", "R-3"]
    assert all(r["expenditure_rate"] == "0" for r in reserves)
    every = api.get("/api/v1/budget-lines/?year=2022&month=9&page_size=100").json()
    assert every["count"] == 14
    assert sum(r["current"] for r in every["results"]) == 10_202_380_000
    one = api.get(f"/api/v1/budget-lines/{data['results'][0]['id']}/?month=9").json()
    assert one["current"] == 400_000_000
    assert api.get("/api/v1/budget-lines/?year=2022&month=13").status_code == 400
    assert api.get("/api/v1/budget-lines/?year=1999").status_code == 404
    # 2021 is known by nature only: one line per account, its final budget as of December.
    natures = {r["code"]: r for r in api.get("/api/v1/budget-lines/?year=2021&month=12").json()["results"]}
    assert natures["program"]["current"] == 7_418_732_000
    assert natures["program"]["expenditure"] is None  # its execution is not held: null, not a false 0


def test_execution_records_by_line_and_month(report_2022, api):
    data = api.get("/api/v1/execution/?year=2022&program=4-1").json()
    assert data["count"] == 1
    record = data["results"][0]
    assert (record["month"], record["cumulative"], record["commitment"], record["expenditure"]) == (
        9,
        True,
        51_833_000,
        51_833_000,
    )
    assert api.get("/api/v1/execution/?year=2022&nature=personnel").json()["count"] == 1
    assert api.get("/api/v1/execution/?year=2022&month=8").json()["count"] == 0
    assert api.get("/api/v1/execution/?year=2022&through=9").json()["count"] == 11


def test_only_approved_budget_changes(report_2022, api, make_user):
    finance, lead = make_user("finance", "재무담당"), make_user("lead", "재무책임")
    lines = {line.code: line for line in BudgetLine.objects.for_year(2022)}
    legs = [Leg(lines["R-3"].pk, -5_000_000), Leg(lines["4-1"].pk, 5_000_000)]
    day = datetime.date(2022, 10, 4)
    approved = change_request(year=2022, kind="reserve_use", effective_date=day, reason="긴급", legs=legs, user=finance)
    change_approve(change_id=approved.pk, user=lead)
    change_request(year=2022, kind="reserve_use", effective_date=day, reason="대기", legs=legs, user=finance)
    data = api.get("/api/v1/budget-changes/?year=2022").json()
    assert data["count"] == 1
    change = data["results"][0]
    assert (change["kind"], change["effective_date"], change["reason"]) == ("reserve_use", "2022-10-04", "긴급")
    assert [(leg["line_code"], leg["amount"]) for leg in change["legs"]] == [("R-3", -5_000_000), ("4-1", 5_000_000)]
    assert api.get("/api/v1/budget-changes/?program=4-1").json()["count"] == 1
    assert api.get("/api/v1/budget-changes/?program=1-1").json()["count"] == 0
    assert BudgetChange.objects.count() == 2


def test_closed_months(report_2022, api, make_user):
    month_close(year=2022, month=10, user=make_user("lead", "재무책임"))
    months = api.get("/api/v1/closed-months/?year=2022").json()["results"]
    assert [(m["month"], m["state"], m["published"]) for m in months] == [
        *((m, "reported", False) for m in range(1, 10)),
        (10, "closed", False),
    ]
    assert months[-1]["closed_at"] is not None


def test_a_token_stands_for_its_user_until_revoked(report_2022, client, make_user):
    token = Token.objects.create(user=make_user("system", "관리자"))
    headers = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    assert client.get("/api/v1/fiscal-years/", **headers).status_code == 200
    assert client.get("/api/v1/fiscal-years/", HTTP_AUTHORIZATION="Token " + "0" * 40).status_code == 401
    nobody = Token.objects.create(user=make_user("nobody"))
    assert client.get("/api/v1/fiscal-years/", HTTP_AUTHORIZATION=f"Token {nobody.key}").status_code == 403
    # Its figures stay out of any cache, though the session middleware sees no signed-in user.
    response = client.get("/api/v1/reports/2022/9/", **headers)
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    token.delete()  # revoked in the admin
    response = client.get("/api/v1/fiscal-years/", **headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_tokens_are_issued_and_revoked_in_the_admin(report_2022, admin_client, make_user):
    user = make_user("system", "관리자")
    assert admin_client.get("/admin/authtoken/tokenproxy/").status_code == 200
    response = admin_client.post("/admin/authtoken/tokenproxy/add/", {"user": user.pk})
    assert response.status_code == 302
    assert Token.objects.filter(user=user).exists()
    admin_client.post(f"/admin/authtoken/tokenproxy/{user.pk}/delete/", {"post": "yes"})  # listed by user
    assert not Token.objects.filter(user=user).exists()


def test_throttling(report_2022, api, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/minute"})
    answers = [api.get("/api/v1/accounts/").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]


LISTS = {
    # URL, and how many rows it lists before (14 lines a year, 11 records, 9 programs, 4 areas, one change)
    # and after multiply_data (nine copies of each line with twelve months each; nine programs and an area
    # per copy; a change for each copy of 4-1).
    "/api/v1/budget-lines/?year=2022&month=9&page_size=1000": (14, 14 * 10),
    "/api/v1/execution/?year=2022&page_size=1000": (11, 11 + 14 * 9 * 12),
    "/api/v1/programs/?year=2022&page_size=1000": (9, 90),
    "/api/v1/policy-areas/?page_size=1000": (4, 13),
    "/api/v1/budget-changes/?page_size=1000": (1, 10),
    "/api/v1/closed-months/": (9, 9),
    "/api/v1/fiscal-years/": (2, 2),
    "/api/v1/accounts/": (10, 10),
}


def queries(client, url) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured), response.json()


def add_changes(prefix: str):
    """An approved 추경 for each line whose code starts with `prefix`: 4-1 itself, then multiply_data's
    copies of it, so that the list of changes grows with the data too."""
    user = get_user_model().objects.first()
    for line in BudgetLine.objects.filter(code__startswith=prefix):
        change = BudgetChange.objects.create(
            fiscal_year_id=2022,
            kind="supplementary",
            effective_date=datetime.date(2022, 10, 1),
            reason="추경",
            status="approved",
            requested_by=user,
        )
        BudgetChangeLeg.objects.create(change=change, line=line, amount=1_000)


@pytest.mark.parametrize("url", LISTS)
def test_list_queries_do_not_grow_with_the_data(report_2022, api, url, django_assert_max_num_queries):
    add_changes("4-1")
    before, data = queries(api, url)
    assert data["count"] == LISTS[url][0]
    multiply_data(10)
    add_changes("4-1-x")
    with django_assert_max_num_queries(before):
        response = api.get(url)
    assert response.json()["count"] == LISTS[url][1]


def test_the_report_rows_query_count_does_not_grow(report_2022, api, django_assert_max_num_queries):
    before, _ = queries(api, "/api/v1/reports/2022/9/")
    multiply_data(10)
    with django_assert_max_num_queries(before):
        data = api.get("/api/v1/reports/2022/9/").json()
    assert len(data["tables"][2]["rows"]) > 9 * 14  # the copies' sections and lines are there
