from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/", views.line_detail, name="detail"),
    path("<int:pk>/history/", views.line_history_view, name="history"),
]
