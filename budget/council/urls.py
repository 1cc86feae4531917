from django.urls import path

from . import views

urlpatterns = [
    path("<int:year>/council.xlsx", views.council_workbook, name="council-workbook"),
]
