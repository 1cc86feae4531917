from django.urls import path

from . import views

urlpatterns = [
    path("", views.latest_report, name="latest"),
    path("<int:year>/", views.report, name="report"),
]
