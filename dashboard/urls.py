from django.urls import path

from . import csv_views, drill_views, views, write_views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("forecast/", views.forecast_list, name="forecast"),
    path("target/<int:year>/", write_views.set_target, name="target"),
    path("areas/<str:code>/", drill_views.area, name="area"),
    path("programs/<str:code>/", drill_views.program, name="program"),
    path("lines/<int:pk>/", drill_views.line, name="line"),
    path("lines/<int:pk>/records/", drill_views.records, name="records"),
    path("lines/<int:pk>/explanation/", write_views.explain, name="explain"),
    path("records/<int:pk>/history/", drill_views.record_history, name="record-history"),
    path("<slug:key>.csv", csv_views.table_csv, name="csv"),
]
