"""Settings read from the environment refuse what they cannot read: a misspelt on/off or number variable
stops start-up with a message naming it, instead of quietly meaning "off" (config/settings.py).

Most cases load config/settings.py afresh under another module name with a patched environment (the
running Django keeps its own settings); one runs `manage.py check` in a subprocess to see start-up stop.
"""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "config" / "settings.py"
BOOLEANS = ["DEBUG", "SECURE_SSL_REDIRECT", "SECURE_COOKIES", "BEHIND_PROXY"]
NUMBERS = ["CONN_MAX_AGE", "SECURE_HSTS_SECONDS"]
ACCEPTED = "Use one of 1, true, yes, on (on) or 0, false, no, off (off), in any case"


@pytest.fixture
def environment(monkeypatch):
    """A production environment with none of the variables under test set."""
    for name in [*BOOLEANS, *NUMBERS, "DATABASE_URL"]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "tests-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
    monkeypatch.setenv("ALLOWED_HOSTS", "testserver")
    return monkeypatch


def load_settings():
    spec = importlib.util.spec_from_file_location("settings_under_test", SETTINGS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_unset_means_production_defaults(environment):
    settings = load_settings()
    assert settings.DEBUG is False
    assert settings.SECURE_SSL_REDIRECT is True
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.CSRF_COOKIE_SECURE is True
    assert settings.SECURE_HSTS_SECONDS == 31_536_000
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 0
    assert settings.AXES_IPWARE_META_PRECEDENCE_ORDER == ("REMOTE_ADDR",)


@pytest.mark.parametrize("value", ["1", "true", "TRUE", "Yes", "on", " On ", "\ttrue\n"])
def test_every_spelling_of_on(environment, value):
    environment.setenv("BEHIND_PROXY", value)
    environment.setenv("SECURE_SSL_REDIRECT", value)
    settings = load_settings()
    assert settings.AXES_IPWARE_META_PRECEDENCE_ORDER == ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    assert settings.SECURE_SSL_REDIRECT is True


@pytest.mark.parametrize("value", ["0", "false", "False", "NO", "off", " off "])
def test_every_spelling_of_off(environment, value):
    environment.setenv("SECURE_SSL_REDIRECT", value)
    environment.setenv("SECURE_COOKIES", value)
    settings = load_settings()
    assert settings.SECURE_SSL_REDIRECT is False
    assert settings.SESSION_COOKIE_SECURE is False


@pytest.mark.parametrize("value", ["", "   "])
def test_empty_means_the_default(environment, value):
    for name in BOOLEANS + NUMBERS:
        environment.setenv(name, value)
    settings = load_settings()
    assert (settings.DEBUG, settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE) == (False, True, True)
    assert settings.SECURE_HSTS_SECONDS == 31_536_000
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 0


@pytest.mark.parametrize("name", BOOLEANS)
@pytest.mark.parametrize("value", ["ture", "2", "y", "enabled", "off!", "ｏｎ", "true false"])
def test_any_other_on_off_value_stops_start_up(environment, name, value):
    environment.setenv(name, value)
    with pytest.raises(ImproperlyConfigured) as refused:
        load_settings()
    default = "on" if name.startswith("SECURE_") else "off"
    assert str(refused.value) == (
        f"{name}={value!r} is neither on nor off. {ACCEPTED}, or leave it empty for the default ({default})."
    )


def test_a_misspelt_protection_is_refused_in_development_too(environment):
    # DEBUG on switches the HTTPS settings off anyway; the typo must still be reported, not skipped.
    environment.setenv("DEBUG", "1")
    environment.setenv("SECURE_SSL_REDIRECT", "ture")
    with pytest.raises(ImproperlyConfigured, match="^SECURE_SSL_REDIRECT='ture' is neither on nor off"):
        load_settings()
    environment.setenv("SECURE_SSL_REDIRECT", "1")
    environment.setenv("SECURE_HSTS_SECONDS", "1y")
    with pytest.raises(ImproperlyConfigured, match="^SECURE_HSTS_SECONDS='1y' is not a whole number"):
        load_settings()


@pytest.mark.parametrize("value", [" 60 ", "0", "600"])
def test_numbers(environment, value):
    environment.setenv("CONN_MAX_AGE", value)
    environment.setenv("SECURE_HSTS_SECONDS", value)
    settings = load_settings()
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] == settings.SECURE_HSTS_SECONDS == int(value.strip())


@pytest.mark.parametrize("name", NUMBERS)
@pytest.mark.parametrize("value", ["sixty", "60s", "-1", "1.5", "1e3", "1_000", "٦٠", "６０"])
def test_anything_but_digits_stops_start_up(environment, name, value):
    environment.setenv(name, value)
    with pytest.raises(ImproperlyConfigured) as refused:
        load_settings()
    default = 0 if name == "CONN_MAX_AGE" else 31_536_000
    assert str(refused.value) == (
        f"{name}={value!r} is not a whole number. Use digits only (0 or more), or leave it empty for the "
        f"default ({default})."
    )


def test_start_up_stops_with_the_message():
    """What an operator sees: `manage.py` (as bin/serve runs it) exits with the variable, value and spellings."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in BOOLEANS + NUMBERS},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "tests-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "ture",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert (
        "django.core.exceptions.ImproperlyConfigured: SECURE_SSL_REDIRECT='ture' is neither on nor off. "
        f"{ACCEPTED}, or leave it empty for the default (on)."
    ) in result.stderr
