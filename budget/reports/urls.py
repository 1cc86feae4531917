from django.urls import path

from . import csv_views, views

urlpatterns = [
    path("", views.latest_report, name="latest"),
    path("<int:year>/", views.report, name="report"),
    path("<int:year>/<slug:key>.csv", csv_views.table_csv, name="report-csv"),
]
