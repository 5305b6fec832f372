"""Prison scoping for pages (DECISIONS.md D-17): every prison page lives under /prisons/<code>/.

A user who does not work in the prison gets a 404 for every URL and every method, before anything else runs,
so a page never reveals whether a prison or a prisoner exists elsewhere.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from cases.selectors import prison_get_for_user


class PrisonCodeConverter:
    regex = "[A-Z]{3}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def prison_page(*, perm: str) -> Callable:
    """Decorate a view taking ``prison_code``: sign-in, then the prison check (404), then the permission (403).

    ``perm`` is a django-rules permission from an app's ``rules.py``. The view receives the prison as
    ``request.prison``; the prison becomes the user's active prison.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, prison_code: str, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            request.prison = prison_get_for_user(user=request.user, code=prison_code)
            if not request.user.has_perm(perm, request.prison):
                raise PermissionDenied("Your role does not give access to this page")
            if request.session.get("active_prison") != request.prison.code:
                request.session["active_prison"] = request.prison.code
            return view(request, *args, **kwargs)

        wrapped.permission = perm
        return wrapped

    return decorator


def role_page(*, perm: str) -> Callable:
    """Decorate a view that is not about one prison (national view, service admin): sign-in, then the permission."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(perm):
                raise PermissionDenied("Your role does not give access to this page")
            return view(request, *args, **kwargs)

        wrapped.permission = perm
        return wrapped

    return decorator
