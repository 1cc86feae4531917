"""Login throttling (django-axes with two more locks of ours) and the page a locked-out login gets."""

import datetime

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt, AccessLog
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone


class LoginThrottle(AxesDatabaseHandler):
    """django-axes' database handler with two more locks beside its own one for a username at an address:
    one for a username from every address together, one for an address across usernames (the numbers and
    the reasons are in settings, by AXES_HANDLER). axes compares every kind of count with one limit; these
    need their own, so they are counted here from the same failed attempts. Which lock holds is left on the
    request (`login_lock`) for the lockout page."""

    PAIR, USERNAME, ADDRESS = "pair", "username", "address"

    def lock(self, request, credentials=None) -> str | None:
        """The lock that holds for this username and address, or None."""
        if super().is_locked(request, credentials):
            return self.PAIR
        username = get_client_username(request, credentials)
        address = request.axes_ip_address
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        if (
            username
            and failures(recent.filter(username=username)) >= settings.LOGIN_FAILURE_LIMIT_PER_USERNAME
            and not self.known_address(username, address)
        ):
            return self.USERNAME
        if address and failures(recent.filter(ip_address=address)) >= settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS:
            return self.ADDRESS
        return None

    @staticmethod
    def known_address(username, address) -> bool:
        """Has this username signed in from this address lately? (axes' access log keeps every success.)"""
        if not address:
            return False
        since = timezone.now() - datetime.timedelta(days=settings.LOGIN_KNOWN_ADDRESS_DAYS)
        return AccessLog.objects.filter(username=username, ip_address=address, attempt_time__gte=since).exists()

    def is_locked(self, request, credentials=None) -> bool:
        request.login_lock = self.lock(request, credentials)
        return request.login_lock is not None

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        # Refused by a lock before any password was checked (AxesStandaloneBackend): axes records nothing then
        # (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT off), and the lock is already known.
        refused = request is not None and getattr(request, "axes_locked_out", False)
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or refused or self.is_whitelisted(request, credentials):
            return
        # This failure may have reached a limit; axes itself only checks the username-and-address one.
        request.login_lock = self.lock(request, credentials)
        if request.login_lock and not request.axes_locked_out:
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )


def failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start", default=0))["total"]


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer once a lock holds: the login page again, saying which lock and for how long, with
    429 Too Many Requests. No password is checked while the lock holds."""
    from django.contrib.auth.forms import AuthenticationForm

    lock = getattr(request, "login_lock", None) or LoginThrottle.PAIR
    limit = {
        LoginThrottle.PAIR: settings.AXES_FAILURE_LIMIT,
        LoginThrottle.USERNAME: settings.LOGIN_FAILURE_LIMIT_PER_USERNAME,
        LoginThrottle.ADDRESS: settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS,
    }[lock]
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    context = {
        "form": AuthenticationForm(request, initial={"username": username}),
        "locked_out": True,
        "lock": lock,
        "failure_limit": limit,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    return render(request, "registration/login.html", context, status=429)
