from django.urls import path

from . import entry_views, import_views, plan_views

app_name = "entry"
urlpatterns = [
    path("", entry_views.entry_index, name="index"),
    path("<int:year>/", entry_views.entry_year, name="year"),
    path("<int:year>/finish/", entry_views.entry_year_finish, name="year_finish"),
    path("<int:year>/reopen/", entry_views.entry_year_reopen, name="year_reopen"),
    path("<int:year>/<int:month>/", entry_views.entry_month, name="month"),
    path("<int:year>/<int:month>/close/", entry_views.entry_close, name="close"),
    path("<int:year>/<int:month>/reopen/", entry_views.entry_reopen, name="reopen"),
    path("import/", import_views.import_execution, name="import"),
    path("import/template.xlsx", import_views.execution_template, name="import_template"),
    path("import/confirm/", import_views.confirm_execution, name="import_confirm"),
    path("import/plan/", import_views.import_plan, name="import_plan"),
    path("import/plan/template.xlsx", import_views.plan_template, name="import_plan_template"),
    path("import/plan/confirm/", import_views.confirm_plan, name="import_plan_confirm"),
    path("<int:year>/plan/", plan_views.plan_year, name="plan"),
    path("<int:year>/plan/<int:month>/", plan_views.plan_month, name="plan_month"),
]
