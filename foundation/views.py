"""The organisation's page: units as a tree with their duties and programs."""

from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Prefetch
from django.shortcuts import render

from .models import Duty, OrgUnit


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
