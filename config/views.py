"""The home page: the years the app holds, and where to go from there."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from budget.core.models import FiscalYear


@login_required
def home(request):
    return render(request, "home.html", {"years": FiscalYear.objects.all()})
