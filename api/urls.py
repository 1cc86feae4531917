"""/api/v1/ and the schema and its documentation page (/api/schema/, /api/docs/). Included by config.urls
only while settings.API_ENABLED is on."""

from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import views
from .permissions import guarded

app_name = "api"

router = SimpleRouter(use_regex_path=False)  # path() routes, named as the rest of the app
router.register("fiscal-years", views.FiscalYearViewSet, basename="fiscal-year")
router.register("accounts", views.AccountViewSet, basename="account")
router.register("policy-areas", views.PolicyAreaViewSet, basename="policy-area")
router.register("programs", views.ProgramViewSet, basename="program")
router.register("budget-lines", views.BudgetLineViewSet, basename="budget-line")
router.register("execution", views.ExecutionViewSet, basename="execution")
router.register("budget-changes", views.BudgetChangeViewSet, basename="budget-change")
router.register("closed-months", views.ClosedMonthViewSet, basename="closed-month")

# Swagger UI from our own static files (drf-spectacular-sidecar), its start-up script a file of its own
# (the split view), the page without inline style (api/swagger_ui.html): the site's policy holds but for
# one thing, the icons Swagger UI's stylesheet draws as data: images, allowed on this page alone.
docs = login_required(
    csp_update({"img-src": ["data:"]})(
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html")
    )
)

endpoints = [
    *router.urls,
    path("reports/<int:year>/<int:month>/", views.ReportView.as_view(), name="report"),
    path("reports/<int:year>/<int:month>/<slug:key>/", views.ReportTableView.as_view(), name="report-table"),
]
others = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs, name="docs"),
]
# Private, and refusing a write without the CSRF token (api.permissions.guarded).
for pattern in endpoints + others:
    pattern.callback = guarded(pattern.callback)

urlpatterns = [path("v1/", include(endpoints)), *others]
