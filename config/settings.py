"""Settings for 예산집행 관리, read from the environment.

DATABASE_URL  an SQLite file in the project folder when unset; postgres://... for PostgreSQL
SECRET_KEY    required when DEBUG is off
DEBUG         on for development only (the README's run command sets it)
ALLOWED_HOSTS comma-separated
CONN_MAX_AGE  seconds a worker keeps its database connection (bin/serve: 60)
BEHIND_PROXY  on when a reverse proxy that appends to X-Forwarded-For stands in front (docs/production.md)
SECURE_SSL_REDIRECT, SECURE_COOKIES (on), SECURE_HSTS_SECONDS (a year): for a plain-HTTP test only
API_ENABLED   on by default; off removes /api/ (the open pages /open/ stay)
API_USER_RATE the API's throttle per user, 300/minute by default

On/off variables take 1/0, true/false, yes/no or on/off (any case; empty means the default) and number
variables digits only; anything else stops start-up with ImproperlyConfigured (env_bool, env_int).
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def env_bool(name, default=False):
    """An on/off variable. Any spelling but the known ones stops start-up: read loosely, a typo such as
    SECURE_SSL_REDIRECT=ture would quietly turn a protection off."""
    raw = os.environ.get(name, "")
    value = raw.strip().lower()
    if not value:
        return default
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is neither on nor off. Use one of {', '.join(TRUE_WORDS)} (on) or "
        f"{', '.join(FALSE_WORDS)} (off), in any case, or leave it empty for the default "
        f"({'on' if default else 'off'})."
    )


def env_int(name, default):
    """A whole number of 0 or more. int() alone would also take "-1", "1_000" or other scripts' digits."""
    raw = os.environ.get(name, "")
    value = raw.strip()
    if not value:
        return default
    if not (value.isascii() and value.isdigit()):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a whole number. Use digits only (0 or more), or leave it empty for the "
            f"default ({default})."
        )
    return int(value)


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - development only, refused above in production
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "simple_history",
    "foundation",
    "budget",
    "programs",
    "dashboard",
    "operations",
    "api",
    "opendata",
    "rest_framework",
    "rest_framework.authtoken",  # API tokens, issued and revoked in the admin
    "drf_spectacular",
    "drf_spectacular_sidecar",  # the API documentation page's Swagger UI, served from our own static files
    "axes",  # login throttling: failed attempts are kept in the database, shared by every app server
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.RequestBodyLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.PrivatePagesMiddleware",  # after authentication: it asks who the response is for
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: it turns a lockout into the lockout page
]

ROOT_URLCONF = "config.urls"
# Widgets drawn in Python rather than through a template per widget and per option (config/form_renderer.py).
FORM_RENDERER = "config.form_renderer.FormRenderer"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context.synthetic_years",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# AxesStandaloneBackend first: it refuses a locked-out username+address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Years of synthetic demo data in this database (bin/run --demo sets it): every page says so in a banner.
SYNTHETIC_YEARS = [int(year) for year in env_list("SYNTHETIC_YEARS") if year.isascii() and year.isdigit()]
if len(SYNTHETIC_YEARS) != len(env_list("SYNTHETIC_YEARS")):
    raise ImproperlyConfigured(f"SYNTHETIC_YEARS={env('SYNTHETIC_YEARS')!r} must be years, comma separated.")

LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("한국어")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "config.storage.StaticFilesStorage"  # whitenoise's, hashed and compressed; see why there
    },
}

# Sessions live in the database (Django's default, named here on purpose): any app server can answer any
# request, so several servers behind one load balancer need no sticky sessions and no shared disk.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# A working day, counted from login: a session forgotten on a shared PC or a stolen cookie stays usable for
# hours, not Django's default two weeks. The expiry does not slide (SESSION_SAVE_EVERY_REQUEST stays off): a
# sliding one would keep a forgotten page signed in for as long as anything reloads it, and would write the
# session row on every request. The price is one more login for whoever is still at work 8 hours later.
SESSION_COOKIE_AGE = 8 * 60 * 60

# Uploads: the Excel import takes a file of up to 5 MB, read from memory and never stored. Django has no limit
# on a file's size (DATA_UPLOAD_MAX_MEMORY_SIZE counts only the other fields), so RequestBodyLimitMiddleware
# refuses any request body over the file limit plus room for the multipart framing and the form's fields (413).
# Any body the middleware lets through is read into memory (Django compares the whole body's length with
# FILE_UPLOAD_MAX_MEMORY_SIZE), so no upload is ever written to the server's disk; there is no MEDIA_ROOT and
# no URL serves an upload back.
UPLOAD_MAX_BYTES = 5 * 1024 * 1024
REQUEST_BODY_MAX_BYTES = UPLOAD_MAX_BYTES + 256 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

# Production hardening; every value follows from DEBUG so `check --deploy` is clean when it is off. Each
# variable is read before DEBUG is looked at, so that a misspelt value stops a development start-up too.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True) and not DEBUG
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True) and not DEBUG
hsts_seconds = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60)
SECURE_HSTS_SECONDS = 0 if DEBUG else hsts_seconds
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"  # Django's default, named: other sites never see our pages' URLs
# A load balancer probes /healthz over plain HTTP on the private network; it must get the answer, not a redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content-Security-Policy (django-csp): scripts, styles, images and fonts only from this site's own static files.
# No inline <script> or style= anywhere (the app's JS is static/js/*.js, data goes in data-* attributes or
# json_script blocks, which are not executed); Chart.js's UMD build needs no eval.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],  # not covered by default-src
        "form-action": ["'self'"],  # nor this
        "frame-ancestors": ["'none'"],  # nor this; X-Frame-Options DENY says the same to older browsers
    }
}

# Login throttling (django-axes, with config.login.LoginThrottle for the two wider locks). Three locks, each
# counting the failed logins of the last 15 minutes and lasting until they are 15 minutes old:
# - one username from one address: 5. The one a person meets after mistyping; their next success clears it.
# - one username from every address together: 10, but not at an address where that username has signed in
#   within LOGIN_KNOWN_ADDRESS_DAYS. It caps guessing one account's password from many machines. Any lock by
#   username lets a stranger lock a colleague out by failing on purpose; sparing the addresses the colleague
#   really works from keeps them at their desk (where only the first lock applies) while the guesser is stopped
#   everywhere else. Twice the first lock, so that someone who mistypes on two machines meets that one first.
# - one address across usernames: 20. It caps trying one password on many accounts. An address may be a
#   whole office behind one NAT, so it is set well above what a floor mistypes in a quarter of an hour (each
#   success clears that person's own failures); a stranger at that address can still lock the office out for
#   15 minutes, which shows in axes_list_attempts and is lifted with axes_reset_ip.
# A success clears only that username's failures from that address: another address's failures on the same
# account are someone else's, and so are other accounts' failures from the same address (clearing those would
# let an insider with a valid account reset the cap between rounds of guessing).
AXES_HANDLER = "config.login.LoginThrottle"
AXES_FAILURE_LIMIT = 5
LOGIN_FAILURE_LIMIT_PER_USERNAME = 10
LOGIN_FAILURE_LIMIT_PER_ADDRESS = 20
LOGIN_KNOWN_ADDRESS_DAYS = 30  # a month: covers a holiday; a session lasts a day, so people sign in daily
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A login refused by a lock checks no password, so it is not counted either: the counts are of passwords
# actually tried, and a locked person trying again cannot push their address or username into a wider lock.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "config.login.login_locked_out"  # the login page again, with the reason (429)
# Behind a reverse proxy every request comes from the proxy's address: read the client's address from the
# right-most X-Forwarded-For entry, the one the proxy itself appended. Without a proxy that header is the
# client's own word, so it is ignored.
AXES_IPWARE_PROXY_ORDER = "right-most"
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if env_bool("BEHIND_PROXY") else ("REMOTE_ADDR",)
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # stderr, so that a management command's own output stays clean; bin/serve sends both streams to stdout.
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}

# `loaddata report_2022` loads the file of that name from each folder: org, budget and programs.
FIXTURE_DIRS = [BASE_DIR / "fixtures" / part for part in ("org", "budget", "programs")]

# History is read in the app and the admin, never rewritten: no revert from the history pages.
SIMPLE_HISTORY_REVERT_DISABLED = True

# The read-only API under /api/v1/ (api/): off (API_ENABLED=0) removes its URLs; the open pages (/open/) do
# not depend on it. Tokens first, so that an anonymous request is answered 401 with `WWW-Authenticate: Token`.
# Throttling counts in the default cache, i.e. per server process (docs/production.md runs several): a rate per
# minute catches a runaway script early, whichever process it lands on.
API_ENABLED = env_bool("API_ENABLED", True)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.PagePermissions"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    # Per signed-in user (session or token); an anonymous request is refused before it is counted.
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env("API_USER_RATE", "300/minute")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "예산집행 관리 API",
    "DESCRIPTION": "서울디지털재단 예산집행 관리의 읽기 전용 API (Read-only API of the budget execution tracker).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No call to swagger.io's validator (its badge is an image from there): nothing leaves this site.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}
