from django.urls import path

from . import views

urlpatterns = [
    path("changes/", views.latest_changes, name="latest"),
    path("<int:year>/changes/", views.change_list, name="list"),
    path("<int:year>/changes/<int:pk>/approve/", views.change_approve_view, name="approve"),
    path("<int:year>/changes/<int:pk>/reject/", views.change_reject_view, name="reject"),
]
