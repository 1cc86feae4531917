from django.urls import path

from . import views

app_name = "opendata"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/", views.year_page, name="year"),
    path("<int:year>/execution-by-nature.csv", views.resource_csv, {"resource": "nature"}, name="nature-csv"),
    path("<int:year>/execution-by-program.csv", views.resource_csv, {"resource": "program"}, name="program-csv"),
    path("<int:year>/data.json", views.data_json, name="json"),
    path("<int:year>/datapackage.json", views.datapackage, name="datapackage"),
]
