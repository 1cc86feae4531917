from django.urls import path

from . import views

urlpatterns = [
    path("<int:year>/open-next/", views.open_next, name="open-next"),
    path("<int:year>/budget-book/", views.budget_book, name="budget-book"),
    path("<int:year>/budget-book.xlsx", views.budget_book_template, name="budget-book-template"),
]
