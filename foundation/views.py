from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Prefetch
from django.shortcuts import render

from budget.models import FiscalYear

from .models import Duty, OrgUnit


@login_required
def home(request):
    return render(request, "home.html", {"years": FiscalYear.objects.all()})


@login_required
@permission_required("foundation.view_orgunit", raise_exception=True)
def org(request):
    units = list(
        OrgUnit.objects.select_related("parent").prefetch_related(
            Prefetch("duties", queryset=Duty.objects.order_by("order")), "programs"
        )
    )
    children: dict[int | None, list[OrgUnit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    for unit in units:
        unit.child_units = children.get(unit.pk, [])
    return render(request, "foundation/org.html", {"roots": children.get(None, []), "units": units})


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer once a username is locked out from this address: the login page again, saying why
    and for how long, with 429 Too Many Requests. No password is checked while the lock holds."""
    from django.conf import settings
    from django.contrib.auth.forms import AuthenticationForm

    username = (credentials or {}).get("username") or request.POST.get("username", "")
    context = {
        "form": AuthenticationForm(request, initial={"username": username}),
        "locked_out": True,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    return render(request, "registration/login.html", context, status=429)
