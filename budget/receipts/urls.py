from django.urls import path

from . import views

# Under /entry/ beside the expenditure month sheet (namespace entry, composed in budget.urls).
urlpatterns = [
    path("<int:year>/revenue/<int:month>/", views.revenue_month, name="revenue_month"),
]
