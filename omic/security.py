"""Sign-in and HTTP hardening: the client address for the lockout, the lockout backend, the sign-in page and the
Permissions-Policy header (docs/security.md)."""

import math

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.views import LoginView
from django.db.models import Sum
from django.shortcuts import render
from rest_framework.throttling import BaseThrottle


def client_ip(request) -> str:
    """The caller's address, worked out as the API's rate limits do (``REST_FRAMEWORK["NUM_PROXIES"]``): with no
    proxies configured X-Forwarded-For is ignored, so a made-up header cannot dodge a lockout; behind N proxies the
    address the nearest trusted proxy saw."""
    return BaseThrottle().get_ident(request)


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for sign-ins that come with a request (the sign-in page, the admin, OIDC).

    A call to ``authenticate()`` without a request (a shell, a script) has no address to count against and cannot
    be a browser guessing passwords, so it is left to the other backends instead of raising.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def address_failures(request) -> int:
    """Wrong passwords from the request's address, for any username, inside the cool-off."""
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    attempts = AccessAttempt.objects.filter(ip_address=address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def address_locked(request) -> bool:
    return bool(settings.AXES_LOCK_OUT_AT_FAILURE) and address_failures(request) >= settings.AXES_IP_FAILURE_LIMIT


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler with a second, higher limit per address (docs/security.md "Lockout").

    django-axes 8 has one ``AXES_FAILURE_LIMIT`` for every lockout parameter, so a plain ``["ip_address"]``
    parameter would lock a whole office behind one NAT address after 5 wrong passwords. The username-and-address
    pair keeps ``AXES_FAILURE_LIMIT`` (5); the address alone, across usernames, locks at ``AXES_IP_FAILURE_LIMIT``
    (50): one computer trying password after password on many usernames.
    """

    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or address_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False) or not address_locked(request):
            return
        request.axes_locked_out = True
        request.axes_credentials = credentials
        username = get_client_username(request, credentials)
        user_locked_out.send("axes", request=request, username=username, ip_address=request.axes_ip_address)


def lockout_response(request, original_response=None, credentials=None):
    """The lockout page (429): what happened, when to try again and who can unlock the account."""
    cool_off = get_cool_off(request)
    context = {
        "address_locked": address_locked(request),
        "failure_limit": get_failure_limit(request, credentials),
        "username": get_client_username(request, credentials) or "",
        "cooloff_minutes": math.ceil(cool_off.total_seconds() / 60) if cool_off else None,
    }
    return render(request, "registration/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


class SignInView(LoginView):
    """Django's sign-in page, plus the single sign-on button when OIDC is switched on."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_label"] = settings.OIDC_LOGIN_LABEL if settings.OIDC_ENABLED else ""
        return context


class PermissionsPolicyMiddleware:
    """Adds ``Permissions-Policy`` (settings.PERMISSIONS_POLICY): browser features the service never uses are off."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "PERMISSIONS_POLICY", "")

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Permissions-Policy", self.policy)
        return response
