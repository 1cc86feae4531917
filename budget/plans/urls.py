from django.urls import path

from . import views

urlpatterns = [
    path("<int:year>/plan/", views.plan_year, name="plan"),
    path("<int:year>/plan/<int:month>/", views.plan_month, name="plan_month"),
]
