from django.urls import path

from . import views

app_name = "budget"
urlpatterns = [
    path("<int:year>/", views.report, name="report"),
    path("<int:year>/council.xlsx", views.council_workbook, name="council-workbook"),
]
