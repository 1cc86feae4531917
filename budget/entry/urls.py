from django.urls import path

from . import publish_views, views

urlpatterns = [
    path("", views.entry_index, name="index"),
    path("<int:year>/", views.entry_year, name="year"),
    path("<int:year>/finish/", views.entry_year_finish, name="year_finish"),
    path("<int:year>/reopen/", views.entry_year_reopen, name="year_reopen"),
    path("<int:year>/<int:month>/", views.entry_month, name="month"),
    path("<int:year>/<int:month>/close/", views.entry_close, name="close"),
    path("<int:year>/<int:month>/reopen/", views.entry_reopen, name="reopen"),
    path("<int:year>/publish/", publish_views.publish_year, name="publish"),
    path("<int:year>/<int:month>/publish/", publish_views.publish, name="publish_month"),
    path("<int:year>/<int:month>/unpublish/", publish_views.unpublish, name="unpublish"),
]
