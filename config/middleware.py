"""Request guards that Django itself does not have."""

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


class RequestBodyLimitMiddleware:
    """Refuse (413) a request whose declared body is larger than settings.REQUEST_BODY_MAX_BYTES, unread.

    Django limits the size of ordinary form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not of uploaded files,
    so without this a client could stream any amount of data into a worker. The check reads only the
    Content-Length header; Django reads no body without one (a chunked body arrives empty), so the header
    bounds what a view can receive. A reverse proxy should refuse such bodies before they even reach us
    (nginx: client_max_body_size), see docs/production.md.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django treats an unreadable length as no body at all
        if length > settings.REQUEST_BODY_MAX_BYTES:
            message = _("요청이 너무 큽니다. 파일은 %(mb)sMB까지 올릴 수 있습니다.") % {
                "mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)
            }
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class PrivatePagesMiddleware:
    """`Cache-Control: private, no-store` on every response to a signed-in user.

    Every page behind the login shows the foundation's figures, some of them per team; without this header a
    browser keeps them on disk and shows them again from its history after logout, and a cache on the way (an
    office proxy that inspects TLS) may keep one person's page for another. Anonymous responses are left as
    their view made them: the login page is already never_cache (Django's LoginView), and the rest are
    redirects to it, error pages and /healthz (never_cache too), none with a figure. A response that already
    says `private` and `no-store` is left alone without looking at the user, so /healthz costs no session
    lookup. Static files never get here: whitenoise, earlier in MIDDLEWARE, answers them itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if {"private", "no-store"} <= cache_directives(response):
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Keeps the view's own directives (never_cache's no-cache, must-revalidate) and drops a `public`.
            patch_cache_control(response, private=True, no_store=True)
        return response


def cache_directives(response) -> set[str]:
    return {
        part.split("=", 1)[0].strip().lower() for part in response.get("Cache-Control", "").split(",") if part.strip()
    }
