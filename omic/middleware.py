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
