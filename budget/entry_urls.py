from django.urls import path

from . import entry_views

app_name = "entry"
urlpatterns = [
    path("", entry_views.entry_index, name="index"),
    path("<int:year>/", entry_views.entry_year, name="year"),
    path("<int:year>/<int:month>/", entry_views.entry_month, name="month"),
    path("<int:year>/<int:month>/close/", entry_views.entry_close, name="close"),
    path("<int:year>/<int:month>/reopen/", entry_views.entry_reopen, name="reopen"),
]
