"""The forbidden page in the app's layout: which roles may see the page asked for, the user's own roles,
and the way back.

Which permission a page needs is what its view raised PermissionDenied with (a permission's name, or a
sentence of its own), or else what its `permission_required` decorator checks, read from the view itself
so that no second list of pages and permissions can drift from the views.
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from budget.core.terms import term
from foundation.roles import ROLES


def required_permissions(view) -> tuple[str, ...]:
    """The permissions checked by `permission_required` somewhere in a view's decorators: Django keeps them
    in the closure of the check it wraps the view in."""
    seen, stack = set(), [view]
    while stack:
        func = stack.pop()
        if id(func) in seen:
            continue
        seen.add(id(func))
        for cell in getattr(func, "__closure__", None) or ():
            try:
                value = cell.cell_contents
            except ValueError:  # an empty cell
                continue
            if isinstance(value, tuple) and value and all(isinstance(p, str) and "." in p for p in value):
                return value
            if callable(value):
                stack.append(value)
        if getattr(func, "__wrapped__", None) is not None:
            stack.append(func.__wrapped__)
    return ()


def forbidden(request, exception=None):
    said = str(exception or "")
    known = {permission for permissions in ROLES.values() for permission in permissions}
    if said in known:
        permissions, reason = (said,), ""
    else:
        match = getattr(request, "resolver_match", None)
        permissions, reason = (required_permissions(match.func) if match else ()), said
    roles = [term(name) for name, held in ROLES.items() if permissions and set(permissions) <= set(held)]
    back = request.META.get("HTTP_REFERER", "")
    own_site = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
    if not own_site or back == request.build_absolute_uri():
        back = ""
    context = {
        "reason": reason,
        "roles": roles,
        "own_roles": [term(name) for name in request.user.groups.values_list("name", flat=True)]
        if request.user.is_authenticated
        else [],
        "back": back,
        "fallback": _("이 페이지를 볼 권한이 없습니다."),
    }
    return render(request, "403.html", context, status=403)
