"""Refuse a request with a NUL character in its address, query string or posted form: a 400 (Bad request).

PostgreSQL text cannot hold NUL, so a search, a filter or a prison number in the path carrying one would otherwise
fail in the database as a 500. Django's form ``CharField`` already refuses NUL; this covers the values pages read
straight from ``request.GET``/``request.POST`` and the path converters (``<str:prison_number>``).
"""

from django.core.exceptions import BadRequest

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(query) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query.lists())


class RejectNulCharacters:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or _has_nul(request.GET):
            raise BadRequest("The address contains a NUL character")
        if request.method == "POST" and request.content_type in FORM_TYPES and _has_nul(request.POST):
            raise BadRequest("The form contains a NUL character")
        return self.get_response(request)


class DropMalformedSessionCookie:
    """A session cookie carrying a NUL character cannot be a session key, and on PostgreSQL looking it up fails as a
    500 on every page. Such a cookie is dropped before SessionMiddleware reads it: the request is anonymous."""

    def __init__(self, get_response):
        from django.conf import settings

        self.name = settings.SESSION_COOKIE_NAME
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.COOKIES.get(self.name, ""):
            del request.COOKIES[self.name]
        return self.get_response(request)


class IntegrityErrorMessage:
    """A form post that breaks a database constraint (a race, a stale form) is sent back to the page it came from
    with a GOV.UK error message naming the field (``omic.integrity``), never a 500. ATOMIC_REQUESTS has already
    rolled the request's writes back: nothing is half-saved. The API answers in its own way (api.errors)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        import logging

        from django.contrib import messages
        from django.db import IntegrityError
        from django.http import HttpResponseRedirect
        from django.utils.http import url_has_allowed_host_and_scheme

        from omic.integrity import constraint_key, integrity_message

        if not isinstance(exception, IntegrityError) or request.method != "POST" or request.path.startswith("/api/"):
            return None
        logging.getLogger(__name__).warning(
            "Constraint %s broken by POST %s", constraint_key(exception) or "(unknown)", request.path
        )
        messages.error(request, integrity_message(exception))
        back = request.headers.get("referer", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = request.get_full_path()
        return HttpResponseRedirect(back, status=303)
