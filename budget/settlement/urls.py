from django.urls import path

from . import views

urlpatterns = [
    path("<int:year>/settlement/", views.settlement_page, name="settlement"),
    path("<int:year>/settlement.xlsx", views.settlement_workbook, name="settlement-workbook"),
    path("<int:year>/settlement/approve/", views.settlement_approve_view, name="settlement-approve"),
    path("<int:year>/settlement/reopen/", views.settlement_reopen_view, name="settlement-reopen"),
]
