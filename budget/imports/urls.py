from django.urls import path

from . import views

urlpatterns = [
    path("import/", views.import_execution, name="import"),
    path("import/template.xlsx", views.execution_template, name="import_template"),
    path("import/confirm/", views.confirm_execution, name="import_confirm"),
    path("import/plan/", views.import_plan, name="import_plan"),
    path("import/plan/template.xlsx", views.plan_template, name="import_plan_template"),
    path("import/plan/confirm/", views.confirm_plan, name="import_plan_confirm"),
    path("import/revenue/", views.import_revenue, name="import_revenue"),
    path("import/revenue/template.xlsx", views.revenue_template_file, name="import_revenue_template"),
    path("import/revenue/confirm/", views.confirm_revenue, name="import_revenue_confirm"),
]
