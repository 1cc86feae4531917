"""/healthz: can this app server reach its database? For a load balancer or a monitor; no login, no figures."""

import logging

from django.db import Error, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    """200 {"database": "ok"} when `SELECT 1` answers, 503 {"database": "unavailable"} otherwise.

    A load balancer takes a server answering 503 out of rotation and puts it back when it answers 200
    again; the connection itself is reopened by Django on the next request (conn_health_checks).
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Error as error:  # OperationalError when the server is down, InterfaceError on a dead connection
        # One line, no traceback: a monitor polls this every few seconds through an outage.
        log.warning(
            "healthz: database unavailable: %s: %s", type(error).__name__, str(error).strip().partition("\n")[0]
        )
        return JsonResponse({"database": "unavailable"}, status=503)
    return JsonResponse({"database": "ok"})
