from django.urls import path

from . import change_views

app_name = "changes"
urlpatterns = [
    path("changes/", change_views.latest_changes, name="latest"),
    path("<int:year>/changes/", change_views.change_list, name="list"),
    path("<int:year>/changes/<int:pk>/approve/", change_views.change_approve_view, name="approve"),
    path("<int:year>/changes/<int:pk>/reject/", change_views.change_reject_view, name="reject"),
]
