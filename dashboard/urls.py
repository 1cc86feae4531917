from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("forecast/", views.forecast_list, name="forecast"),
    path("target/<int:year>/", views.set_target, name="target"),
    path("areas/<str:code>/", views.area, name="area"),
    path("programs/<str:code>/", views.program, name="program"),
    path("lines/<int:pk>/", views.line, name="line"),
    path("lines/<int:pk>/records/", views.records, name="records"),
    path("lines/<int:pk>/explanation/", views.explain, name="explain"),
    path("records/<int:pk>/history/", views.record_history, name="record-history"),
]
