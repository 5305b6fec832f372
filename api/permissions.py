"""Scopes and prison restriction for API views (issue #8, DECISIONS.md D-17, D-18).

HOW A VIEW DECLARES ITS SCOPES
    Authentication, the scope check and the per-client rate limit are the REST_FRAMEWORK defaults
    (``omic/settings/base.py``), so a view only names its scopes::

        from api.permissions import prisoner_for_api, prison_for_api, principal_for
        from api import scopes

        class HandoverGetApi(APIView):
            required_scopes = (scopes.READ_HANDOVERS,)                      # all of these, for every method
            # or per method: required_scopes = {"GET": (scopes.READ_HANDOVERS,), "POST": (scopes.WRITE_PRISONERS,)}

    A view with no ``required_scopes`` is refused (403) to everyone: forgetting the declaration fails closed.
    ``required_scopes = ()`` means "any authenticated caller". No token/session → 401 (``WWW-Authenticate: Bearer``);
    a caller without the scope → 403; over the client's rate → 429 with ``Retry-After``. All are problem details
    (``api.errors``). Document them with ``responses={200: Out, **problem_responses(400, 404)}``.

HOW A VIEW SCOPES A PRISONER OR PRISON TO THE CALLER'S PRISONS
    ``prisoner_for_api(request, prison_number, field="prisonNumber")`` checks the format (D-18: 400 problem naming
    ``field``), then returns the Prisoner only if the caller may see the prison holding them; otherwise 404, whether
    or not the person exists (the same answer for "no such person" and "not yours").
    ``prison_for_api(request, code, field="code")`` does the same for a prison code.
    A caller of another prison gets 404 even for an operation whose scope they lack: ``HasScopes`` answers 404, not
    403, when the path's ``prisonNumber``/``crn``/``code`` or the ``prn``/``crn`` query names someone outside their
    prisons, so a 403 never tells them the person is there.
    ``prisoner_number_for_api(request, value, field=...)`` validates only (for writes about a person not held yet),
    and ``check_prison_visible(request, code)`` raises 404 for a prison outside the caller's prisons.
    For lists, ``filter_to_caller_prisons(request, queryset, "prison")`` keeps only rows in the caller's prisons
    (the lookup names the prison foreign key, e.g. ``"prisoner__prison"``).
    ``principal_for(request)`` gives the ``ApiPrincipal``: ``.scopes``, ``.prison_codes`` (None = every prison),
    ``.is_client``, ``.client_pk``, ``.label``. ``request.user`` is the client's own service-account user, so
    ``audit_record(actor=request.user, ...)`` and model history name the client.

WHO HOLDS WHICH SCOPES
    A machine client: the scopes a service admin gave it, limited to its prisons if any were chosen.
    A member of staff signed in with the browser: ``scopes.STAFF_SESSION_SCOPES`` (reads only; a key worker with no
    OMU role only ``KEY_WORKER_SESSION_SCOPES``, key work and case notes) if they hold a prison
    role, in the prisons they work in; national viewers and service admins: no scopes.
"""

from django.db.models import QuerySet
from django.http import Http404
from rest_framework import permissions

from api.authentication import ApiPrincipal
from api.errors import invalid_field
from api.scopes import KEY_WORKER_SESSION_SCOPES, STAFF_SESSION_SCOPES
from cases.models import Prison, Prisoner, Role
from cases.validators import validate_crn, validate_prison_code, validate_prison_number

_OMU_ROLES = {Role.POM, Role.HOMD, Role.HOMS, Role.CASE_ADMIN}
_PRISON_ROLES = _OMU_ROLES | {Role.KEY_WORKER}


def _session_scopes(roles) -> frozenset[str]:
    return STAFF_SESSION_SCOPES if roles & _OMU_ROLES else KEY_WORKER_SESSION_SCOPES


def principal_for(request) -> ApiPrincipal:
    """The caller as the API sees it; computed once per request."""
    cached = getattr(request, "_api_principal", None)
    if cached is not None:
        return cached
    auth = getattr(request, "auth", None)
    if isinstance(auth, ApiPrincipal):
        principal = auth
    else:
        from cases.selectors import prison_list_for_user, user_roles

        user = request.user
        roles = user_roles(user=user) if user.is_authenticated else set()
        if roles & _PRISON_ROLES:
            codes = frozenset(p.code for p in prison_list_for_user(user=user))
            scopes = _session_scopes(roles)
            principal = ApiPrincipal(label=user.get_username(), scopes=scopes, prison_codes=codes)
        else:
            label = user.get_username() if user.is_authenticated else "anonymous"
            principal = ApiPrincipal(label=label, scopes=frozenset(), prison_codes=frozenset())
    request._api_principal = principal
    return principal


def scopes_required_by(view, method: str) -> tuple[str, ...] | None:
    """The scopes a view needs for ``method`` (HEAD and OPTIONS as GET), or None if it declares none."""
    declared = getattr(view, "required_scopes", None)
    if isinstance(declared, dict):
        method = method.upper()
        declared = declared.get(method, declared.get("GET") if method in ("HEAD", "OPTIONS") else None)
    return tuple(declared) if declared is not None else None


def _names_someone_hidden(request, view) -> bool:
    """Whether the request names (by prison number, CRN or prison code, in the path or as ``prn``/``crn``) a person
    or prison outside the caller's prisons - or none at all, the same answer. A caller of another prison then gets
    404 even without the operation's scope: a 403 would tell them the person is there."""
    codes = principal_for(request).prison_codes
    if not codes:  # every prison (None), or none at all (national viewers, service admins: plainly refused)
        return False
    kwargs, query = getattr(view, "kwargs", None) or {}, request.query_params
    number, crn = kwargs.get("prisonNumber") or query.get("prn"), kwargs.get("crn") or query.get("crn")
    if kwargs.get("code") is not None:
        return kwargs["code"] not in codes
    if not number and not crn:
        return False
    found = Prisoner.objects.filter(prison_id__in=codes)
    if number:
        found = found.filter(prison_number=str(number)[:40])
    if crn:
        found = found.filter(case_information__crn=str(crn)[:40])
    return not found.exists()


class HasScopes(permissions.BasePermission):
    """The caller is authenticated and holds every scope the view's ``required_scopes`` names for this method."""

    message = "Your client does not have the scope this operation needs"

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        needed = scopes_required_by(view, request.method)
        if needed is None:
            self.message = "This operation declares no scopes, so it is closed"
            return False
        held = principal_for(request).scopes
        missing = [s for s in needed if s not in held]
        if missing and _names_someone_hidden(request, view):
            raise Http404("No such person or prison in the prisons this client may see")
        if missing:
            self.message = f"Your client does not have the scope this operation needs: {', '.join(missing)}"
            return False
        return True


def _valid(value, validator, field: str) -> str:
    from django.core.exceptions import ValidationError

    if not isinstance(value, str) or len(value) > 40:
        raise invalid_field(field, validator.message, validator.code)
    try:
        validator(value)
    except ValidationError:
        raise invalid_field(field, validator.message, validator.code) from None
    return value


def prisoner_number_for_api(request, value, *, field: str = "prisonNumber") -> str:
    """The prison number if it has the D-18 format (A1234BC), else a 400 problem naming ``field``."""
    return _valid(value, validate_prison_number, field)


def prison_code_for_api(request, value, *, field: str = "code") -> str:
    return _valid(value, validate_prison_code, field)


def crn_for_api(request, value, *, field: str = "crn") -> str:
    return _valid(value, validate_crn, field)


def check_prison_visible(request, code: str) -> None:
    if not principal_for(request).may_see_prison(code):
        raise Http404("No such prison for this client")


def prison_for_api(request, code, *, field: str = "code") -> Prison:
    """The prison with this code if the caller may see it; else 404 (400 if the code is malformed)."""
    prison_code_for_api(request, code, field=field)
    check_prison_visible(request, code)
    prison = Prison.objects.filter(code=code).first()
    if prison is None:
        raise Http404("No such prison")
    return prison


def prisoner_for_api(
    request, prison_number, *, field: str = "prisonNumber", select_related=(), queryset=None
) -> Prisoner:
    """The prisoner if the caller may see the prison holding them; else 404 (400 if the number is malformed).

    ``queryset`` (of Prisoner) lets a view fetch what it needs in the same query."""
    prisoner_number_for_api(request, prison_number, field=field)
    principal = principal_for(request)
    qs = (queryset if queryset is not None else Prisoner.objects.select_related("prison")).filter(
        prison_number=prison_number
    )
    if principal.prison_codes is not None:
        qs = qs.filter(prison_id__in=principal.prison_codes)
    prisoner = qs.select_related(*select_related).first() if select_related else qs.first()
    if prisoner is None:
        raise Http404("No such person in the prisons this client may see")
    return prisoner


def filter_to_caller_prisons(request, queryset: QuerySet, prison_lookup: str = "prison") -> QuerySet:
    """Keep only rows in the caller's prisons (``prison_lookup`` names the prison foreign key)."""
    codes = principal_for(request).prison_codes
    if codes is None:
        return queryset
    return queryset.filter(**{f"{prison_lookup}__in": codes})
