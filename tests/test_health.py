"""Production serving: /healthz, a probe for load balancers and monitors (public, tiny, honest about the
database), and the static files as bin/serve collects them and whitenoise serves them."""

import re

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_when_the_database_answers(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok"}
    assert "no-cache" in response["Cache-Control"]  # a cached "ok" would hide an outage


def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr(connection, "cursor", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "unavailable"}


def test_healthz_needs_no_login_and_shows_no_figures(report_2022, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b'{"database": "ok"}'


def test_healthz_takes_head_and_refuses_writes(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


@override_settings(SECURE_SSL_REDIRECT=True)
def test_healthz_is_not_redirected_to_https_so_a_plain_http_probe_gets_its_answer():
    client = Client()  # a new client builds its middleware under the overridden settings
    assert client.get("/healthz").status_code == 200
    assert client.get("/login/").status_code == 301  # every other page is


def test_collectstatic_under_the_production_storage_and_whitenoise_serves_the_hashed_files(tmp_path, settings):
    """What bin/serve does before gunicorn starts: a failure here is a server that cannot start."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "config.storage.StaticFilesStorage"}}
    call_command("collectstatic", "--noinput", verbosity=0)

    page = Client().get("/login/").content.decode()
    (css,) = re.findall(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page)
    (js,) = re.findall(r'src="(/static/js/app\.[0-9a-f]{12}\.js)"', page)
    assert (tmp_path / "vendor" / "chartjs").is_dir()
    for path in (css, js):
        response = Client().get(path, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200, path
        assert response["Content-Encoding"] == "gzip"
        assert "immutable" in response["Cache-Control"]  # hashed names: cached for good
