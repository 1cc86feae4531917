"""Every page's address. The one module that knows every app: each app's pages come in through its own urls."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from budget import urls as budget
from foundation import views as organisation

from . import health, views

urlpatterns = [
    path("", views.home, name="home"),
    path("org/", organisation.org, name="org"),
    path("reports/", include(budget.report_urls)),
    path("programs/", include("dashboard.program_urls")),
    path("dashboard/", include("dashboard.urls")),
    path("entry/", include(budget.entry_urls)),
    path("budget/lines/", include(budget.line_urls)),
    path("budget/", include(budget.change_urls)),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # No name: probes call it by path and nothing in the app links to it. Public on purpose (tests/test_health.py).
    path("healthz", health.healthz),
    path("open/", include("opendata.urls")),
]
if settings.API_ENABLED:
    urlpatterns.append(path("api/", include("api.urls")))

# The forbidden page says which roles may see the page (config/errors.py); 404.html needs no view of its own.
handler403 = "config.errors.forbidden"
