"""Who may call an endpoint.

Every endpoint names the Django permissions of the page that shows the same figures (`required_permissions`),
so a role reads through the API exactly what it reads on the pages (foundation/roles.py), whether it comes
with a session or with a token tied to its user.
"""

from functools import wraps

from django.middleware.csrf import CsrfViewMiddleware
from django.utils.cache import patch_cache_control
from rest_framework.permissions import BasePermission

_csrf = CsrfViewMiddleware(lambda request: None)


class PagePermissions(BasePermission):
    """Signed in (session or token), holding every permission the view names. A view that names none is
    refused to everyone: an endpoint added without saying whose it is must not be open."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        required = getattr(view, "required_permissions", None)
        if not (user and user.is_authenticated) or not required:
            return False
        return user.has_perms(required)


def guarded(view):
    """Every API response is `private, no-store`, and a write is refused without the CSRF token.

    PrivatePagesMiddleware marks what a signed-in user sees, but it knows the session's user only: a request
    with a token is anonymous to it, and its figures must not stay in a cache either. DRF exempts its views
    from the CSRF middleware (a token client has no cookie to forge), and csrf_protect obeys that exemption;
    the API takes no write, so a POST, PUT, PATCH or DELETE without the token is refused (403) before the API
    looks at it, as every page refuses one.
    """

    def check(request, *args, **kwargs):  # a view with no exemption, for the middleware to check as any page
        return None

    @wraps(view)
    def answer(request, *args, **kwargs):
        response = _csrf.process_view(request, check, args, kwargs) or view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return answer
