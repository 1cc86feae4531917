"""Published months (budget.entry.publishing) and the open pages (/open/): who publishes, what a reopen does,
what anyone can read without login, and the data package, validated with the frictionless library."""

import importlib
import json

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import clear_url_caches
from django.utils import translation

from budget.core.errors import EntryRefused
from budget.core.models import BudgetLine, Explanation, MonthStatus
from budget.entry.publishing import month_publish, month_unpublish, published_months
from budget.entry.services import Entry, month_close, month_reopen, month_save
from tests.html_tables import table_rows
from tests.test_query_counts import multiply_data

pytestmark = pytest.mark.django_db

METAVERSE = "메타버스 서울 시티즌 플랫폼 구축"


@pytest.fixture
def lead(make_user):
    return make_user("lead", "재무책임", first_name="총무회계팀장")


@pytest.fixture
def october(report_2022, lead, make_user):
    """October 2022 entered (4-1: 20,000,000 committed, 8,167,000 paid, with a note) and closed."""
    line = BudgetLine.objects.get(fiscal_year=2022, code="4-1")
    finance = make_user("finance", "재무담당", first_name="김재무")
    entry = Entry(line.pk, 20_000_000, 8_167_000, note="비공개 비고: 계약 건")
    month_save(year=2022, month=10, entries=[entry], user=finance, version=0)
    Explanation.objects.create(line=line, month=10, text="비공개 사유: 입찰 지연", written_by=finance)
    month_close(year=2022, month=10, user=lead)
    return line


def test_only_the_finance_lead_publishes_and_only_a_closed_month(october, lead, make_user):
    for role in ("재무담당", "관리자", "감사"):
        with pytest.raises(EntryRefused, match="재무책임자만"):
            month_publish(year=2022, month=10, user=make_user(f"u-{role}", role))
    with pytest.raises(EntryRefused, match="마감되지 않았습니다"):
        month_publish(year=2022, month=11, user=lead)
    with pytest.raises(EntryRefused, match="누계 안에"):
        month_publish(year=2022, month=5, user=lead)  # inside the report's 1~9월 figure
    with pytest.raises(EntryRefused, match="집행 실적이 없어"):
        month_publish(year=2021, month=12, user=lead)  # 2021 is known by its final budget only
    assert published_months(2022) == []
    month_publish(year=2022, month=9, user=lead)  # the report's month
    month_publish(year=2022, month=10, user=lead)
    assert published_months(2022) == [9, 10]
    with pytest.raises(EntryRefused, match="이미 공개"):
        month_publish(year=2022, month=10, user=lead)
    record = MonthStatus.objects.get(fiscal_year=2022, month=10).history.first()
    assert (record.history_user, record.history_change_reason) == (lead, "공개")


def test_unpublishing_needs_a_reason_and_is_kept_in_the_history(october, lead):
    month_publish(year=2022, month=10, user=lead)
    with pytest.raises(EntryRefused, match="사유"):
        month_unpublish(year=2022, month=10, user=lead, reason=" ")
    month_unpublish(year=2022, month=10, user=lead, reason="수치 정정 예정")
    assert published_months(2022) == []
    status = MonthStatus.objects.get(fiscal_year=2022, month=10)
    assert status.published_at is None
    last = status.history.first()
    assert (last.history_user, last.history_change_reason, last.published_at) == (lead, "수치 정정 예정", None)
    assert status.history.all()[1].published_at is not None  # the publication it withdrew
    with pytest.raises(EntryRefused, match="공개되지 않았습니다"):
        month_unpublish(year=2022, month=10, user=lead, reason="다시")


def test_a_reopened_month_is_withdrawn_at_once_and_a_new_close_does_not_publish_it(october, lead, client):
    month_publish(year=2022, month=10, user=lead)
    assert client.get("/open/2022/?month=10").status_code == 200
    month_reopen(year=2022, month=10, user=lead, reason="지출결의 누락분 반영")
    assert published_months(2022) == []
    assert client.get("/open/2022/?month=10").status_code == 404
    assert client.get("/open/2022/").status_code == 404
    # Figures change while it is open; closed again, the month stays unpublished until published anew.
    month_save(year=2022, month=10, entries=[Entry(october.pk, 20_000_000, 9_000_000)], user=lead, version=3)
    month_close(year=2022, month=10, user=lead)
    assert published_months(2022) == []
    assert client.get("/open/2022/execution-by-program.csv").status_code == 404
    month_publish(year=2022, month=10, user=lead)
    csv = client.get("/open/2022/execution-by-program.csv").content.decode("utf-8-sig")
    row = "2022,2022-10,4,메타버스 서울 생태계 조성,4-1,메타버스 서울 시티즌 플랫폼 구축,400000000,71833000,60833000,"
    assert row in csv


def test_the_open_page_shows_a_published_month_to_anyone(october, lead, client):
    assert client.get("/open/").status_code == 200
    assert client.get("/open/2022/").status_code == 404  # nothing published yet
    month_publish(year=2022, month=9, user=lead)
    response = client.get("/open/2022/")
    assert response.status_code == 200
    html = response.content.decode()
    natures = table_rows(html, "open-natures")
    assert natures[0] == ("계", "10,202,380", "5,290,945", "5,290,945", "51.9%", "51.9%")
    programs = table_rows(html, "open-programs")
    assert programs[-1] == (METAVERSE, "400,000", "51,833", "51,833", "13.0%", "13.0%")
    assert 'data-chart="chart-open-natures-data"' in html and 'id="chart-open-programs-data"' in html
    assert "<script>" not in html  # the charts' data is JSON the policy lets through, not code
    assert client.get("/open/2022/?month=10").status_code == 404  # closed but not published
    assert client.get("/open/2022/?month=x").status_code == 404
    index = client.get("/open/").content.decode()
    assert 'href="/open/2022/"' in index


def test_nothing_unpublished_and_no_note_or_name_reaches_an_anonymous_reader(october, lead, client):
    month_publish(year=2022, month=9, user=lead)
    urls = [
        "/open/",
        "/open/2022/",
        "/open/2022/execution-by-nature.csv",
        "/open/2022/execution-by-program.csv",
        "/open/2022/data.json",
        "/open/2022/datapackage.json",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode("utf-8-sig")
        # Notes, 사유, the users' names, the program pages' contacts, and October (closed, not published).
        for secret in (
            "비공개",
            "김재무",
            "총무회계팀장",
            "finance",
            "lead",
            "이승하",
            "주성환",
            "2022-10",
            "71833000",
        ):
            assert secret not in body, (url, secret)
        # Anyone's script may read it; a cache must ask again before reusing it (a withdrawal is immediate).
        assert "no-cache" in response["Cache-Control"]
        if url != "/open/" and url != "/open/2022/":
            assert response["Access-Control-Allow-Origin"] == "*"
    for url in ("/open/2022/?month=10", "/open/2021/", "/open/2021/data.json", "/open/1999/datapackage.json"):
        assert client.get(url).status_code == 404, url


def test_the_json_is_the_data_package_rows(october, lead, client):
    month_publish(year=2022, month=9, user=lead)
    month_publish(year=2022, month=10, user=lead)
    data = client.get("/open/2022/data.json").json()
    assert data["published_months"] == ["2022-09", "2022-10"]
    program = [r for r in data["execution-by-program"] if r["program_code"] == "4-1"]
    assert program == [
        {
            "fiscal_year": 2022,
            "month": "2022-09",
            "area_code": "4",
            "area_name": "메타버스 서울 생태계 조성",
            "program_code": "4-1",
            "program_name": METAVERSE,
            "budget": 400_000_000,
            "commitment": 51_833_000,
            "expenditure": 51_833_000,
            "commitment_rate": "12.95825",
            "expenditure_rate": "12.95825",
        },
        {
            "fiscal_year": 2022,
            "month": "2022-10",
            "area_code": "4",
            "area_name": "메타버스 서울 생태계 조성",
            "program_code": "4-1",
            "program_name": METAVERSE,
            "budget": 400_000_000,
            "commitment": 71_833_000,
            "expenditure": 60_000_000,
            "commitment_rate": "17.95825",
            "expenditure_rate": "15",
        },
    ]
    natures = {(r["month"], r["nature_code"]): r for r in data["execution-by-nature"]}
    assert sorted({code for _, code in natures}) == ["expense", "personnel", "program", "reserve"]
    assert natures[("2022-09", "reserve")]["budget"] == 948_793_000
    assert sum(r["budget"] for r in data["execution-by-nature"] if r["month"] == "2022-09") == 10_202_380_000


def test_the_data_package_validates_with_frictionless(october, lead, client, tmp_path):
    frictionless = pytest.importorskip("frictionless")
    month_publish(year=2022, month=9, user=lead)
    month_publish(year=2022, month=10, user=lead)
    descriptor = client.get("/open/2022/datapackage.json").json()
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    for resource in descriptor["resources"]:
        (tmp_path / resource["path"]).write_bytes(client.get(f"/open/2022/{resource['path']}").content)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert [task.stats["rows"] for task in report.tasks] == [8, 18]  # 4 natures × 2 months, 9 programs × 2
    package = frictionless.Package(str(tmp_path / "datapackage.json"))
    rows = package.get_resource("execution-by-program").read_rows()
    metaverse = [row for row in rows if row["program_code"] == "4-1"]
    assert [row["expenditure"] for row in metaverse] == [51_833_000, 60_000_000]  # integers, in won
    assert str(metaverse[0]["expenditure_rate"]) == "12.95825"
    fields = {f["name"]: f for f in descriptor["resources"][1]["schema"]["fields"]}
    assert fields["program_code"]["columnType"] == "activity:generic:program:code"
    assert (fields["expenditure"]["columnType"], fields["expenditure"]["phase"]) == ("value", "executed")
    assert descriptor["fiscalPeriod"] == {"start": "2022-01-01", "end": "2022-12-31"}


def test_the_open_pages_work_with_the_api_disabled(october, lead, client):
    import config.urls

    month_publish(year=2022, month=9, user=lead)
    try:
        with override_settings(API_ENABLED=False):
            importlib.reload(config.urls)
            clear_url_caches()
            assert client.get("/open/2022/").status_code == 200
            assert client.get("/open/2022/datapackage.json").status_code == 200
            client.force_login(get_user_model().objects.get(username="lead"))
            assert client.get("/api/v1/fiscal-years/").status_code == 404
            assert client.get("/api/schema/").status_code == 404
    finally:
        importlib.reload(config.urls)
        clear_url_caches()
    assert client.get("/api/v1/fiscal-years/").status_code == 200


def test_the_open_page_queries_do_not_grow_with_the_data(october, lead, client, django_assert_max_num_queries):
    month_publish(year=2022, month=9, user=lead)
    urls = ["/open/2022/", "/open/2022/data.json", "/open/2022/execution-by-program.csv", "/open/"]
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts[url] = len(captured)
    multiply_data(10)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            response = client.get(url)
        if url != "/open/":
            assert "메타버스 서울 시티즌 플랫폼 구축 9" in response.content.decode("utf-8-sig")


def test_the_open_page_in_english(october, lead, client):
    month_publish(year=2022, month=9, user=lead)
    client.cookies["django_language"] = "en"
    with translation.override("ko"):  # the request activates English in this thread; leave it as it was
        html = client.get("/open/2022/").content.decode()
    assert "Execution by program" in html and "Downloads" in html
    assert table_rows(html, "open-programs")[-1][0] == METAVERSE  # names are data: as the foundation writes them
