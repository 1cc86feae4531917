from django.urls import path

from . import views

app_name = "budget"
urlpatterns = [
    path("", views.latest_report, name="latest"),
    path("<int:year>/", views.report, name="report"),
    path("<int:year>/council.xlsx", views.council_workbook, name="council-workbook"),
]
