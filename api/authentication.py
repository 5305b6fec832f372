"""How the API knows who is calling: a machine with a bearer token, or a member of staff with a browser session.

``BearerTokenAuthentication`` reads ``Authorization: Bearer <token>``, issued by POST /api/oauth/token. The
token's digest is looked up in this process's memory first (``api.token_cache``, for up to
``API_TOKEN_LOCAL_CACHE_SECONDS``: a second), then in the shared cache (for up to ``API_TOKEN_CACHE_SECONDS``), never
past the token's expiry, then in the database. Rotating a secret, changing or deactivating a client deletes its
tokens and their cache entries, so they stop working at once (in another worker process within that second).

Either way the request ends up with an ``ApiPrincipal`` (``api.permissions.principal_for``): the scopes it holds and
the prisons it may see.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from rest_framework import authentication, exceptions

from api import token_cache
from api.client_services import digest, token_cache_key
from api.models import ApiToken


@dataclass(frozen=True)
class ApiPrincipal:
    """Who is calling, as the API's permission checks see it.

    ``prison_codes`` None means every prison (a client with no prison restriction); an empty set means none.
    """

    label: str
    scopes: frozenset[str]
    prison_codes: frozenset[str] | None
    client_pk: int | None = None
    client_id: str = ""
    rate_limit_per_minute: int = 0
    expires_at: dt.datetime | None = None

    @property
    def is_client(self) -> bool:
        return self.client_pk is not None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def may_see_prison(self, code: str) -> bool:
        return self.prison_codes is None or code in self.prison_codes


def _load(token_hash: str, now: dt.datetime):
    token = (
        ApiToken.objects.filter(token_hash=token_hash, expires_at__gt=now, client__is_active=True)
        .select_related("client__user")
        .first()
    )
    if token is None:
        return None
    client = token.client
    codes = frozenset(client.prisons.values_list("code", flat=True))
    principal = ApiPrincipal(
        label=f"API client {client.name}",
        scopes=frozenset(client.scopes),
        prison_codes=codes or None,
        client_pk=client.pk,
        client_id=client.client_id,
        rate_limit_per_minute=client.rate_limit_per_minute,
        expires_at=token.expires_at,
    )
    return client.user, principal


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != b"bearer":
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("The Authorization header must be 'Bearer <token>'")
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("The bearer token is not valid") from None
        now = timezone.now()
        token_hash = digest(token)
        found = token_cache.get(token_hash)
        if found is not None and found[1].expires_at > now:
            return found
        key = token_cache_key(token_hash)
        found = cache.get(key)
        if found is None or found[1].expires_at <= now:
            found = _load(token_hash, now)
            if found is None:
                raise exceptions.AuthenticationFailed("The bearer token is not valid or has expired")
            seconds = min(
                int(getattr(settings, "API_TOKEN_CACHE_SECONDS", 60)), int((found[1].expires_at - now).total_seconds())
            )
            if seconds > 0:
                cache.set(key, found, seconds)
        token_cache.put(token_hash, found)
        return found

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class StaffSessionAuthentication(authentication.SessionAuthentication):
    """Django's session, for staff using the API from the browser (CSRF enforced on writes, as DRF does)."""
