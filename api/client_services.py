"""Writes for API clients: register, change, rotate the secret, deactivate, and issue bearer tokens.

Secrets and tokens are ``secrets.token_urlsafe`` strings (256 bits of entropy); only their SHA-256 digests are
stored. The plain secret is returned once, when it is made, and never again.
"""

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from api import token_cache
from api.models import ApiClient, ApiToken
from api.scopes import SCOPES
from cases.audit import audit_record
from cases.models import Prison

TOKEN_CACHE_PREFIX = "api:token:"


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def token_cache_key(token_hash: str) -> str:
    return f"{TOKEN_CACHE_PREFIX}{token_hash}"


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_in: int
    scopes: list[str]


def _validate(*, name: str, scopes: list[str], rate_limit_per_minute: int) -> list[str]:
    errors = {}
    if not name.strip():
        errors["name"] = "Enter a name for the client"
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown:
        errors["scopes"] = f"Unknown scopes: {', '.join(unknown)}. Choose from: {', '.join(SCOPES)}"
    if not 1 <= rate_limit_per_minute <= 100_000:
        errors["rate_limit_per_minute"] = "Enter a rate limit from 1 to 100000 requests a minute"
    if errors:
        raise ValidationError(errors)
    return sorted(set(scopes))


def _state(client: ApiClient) -> dict:
    return {
        "name": client.name,
        "scopes": list(client.scopes),
        "prisons": sorted(client.prisons.values_list("code", flat=True)),
        "rate_limit_per_minute": client.rate_limit_per_minute,
        "is_active": client.is_active,
    }


def _forget_tokens(client: ApiClient) -> None:
    """Revoke every token of the client, in the database and in the authentication cache."""
    hashes = list(client.tokens.values_list("token_hash", flat=True))
    client.tokens.all().delete()
    if hashes:
        keys = [token_cache_key(h) for h in hashes]

        def forget():
            cache.delete_many(keys)
            token_cache.forget(hashes)  # this process's copies; other processes' lapse within a second

        transaction.on_commit(forget)
        forget()


@transaction.atomic
def api_client_register(
    *,
    name: str,
    scopes: list[str],
    prisons: list[Prison] = (),
    rate_limit_per_minute: int = 1200,
    actor=None,
    actor_label: str = "",
) -> tuple[ApiClient, str]:
    """Register a client; returns the client and its plain secret (shown once)."""
    scopes = _validate(name=name, scopes=scopes, rate_limit_per_minute=rate_limit_per_minute)
    name = name.strip()
    if ApiClient.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": "A client with this name already exists"})
    client_id = secrets.token_hex(16)
    secret = secrets.token_urlsafe(32)
    user = get_user_model().objects.create_user(username=f"api-client-{client_id}", password=None, first_name=name)
    client = ApiClient.objects.create(
        name=name,
        client_id=client_id,
        secret_hash=digest(secret),
        scopes=scopes,
        rate_limit_per_minute=rate_limit_per_minute,
        user=user,
    )
    client.prisons.set(prisons)
    audit_record(
        action="api_client_registered", obj=client, before=None, after=_state(client), actor=actor,
        actor_label=actor_label,
    )  # fmt: skip
    return client, secret


@transaction.atomic
def api_client_update(
    *, client: ApiClient, scopes: list[str], prisons: list[Prison], rate_limit_per_minute: int, actor=None,
    actor_label: str = "",
) -> ApiClient:  # fmt: skip
    """Change a client's scopes, prisons and rate limit. Its tokens are revoked so the change applies at once."""
    before = _state(client)
    client.scopes = _validate(name=client.name, scopes=scopes, rate_limit_per_minute=rate_limit_per_minute)
    client.rate_limit_per_minute = rate_limit_per_minute
    client.save(update_fields=["scopes", "rate_limit_per_minute"])
    client.prisons.set(prisons)
    _forget_tokens(client)
    audit_record(
        action="api_client_changed", obj=client, before=before, after=_state(client), actor=actor,
        actor_label=actor_label,
    )  # fmt: skip
    return client


@transaction.atomic
def api_client_rotate_secret(*, client: ApiClient, actor=None, actor_label: str = "") -> str:
    """Give the client a new secret (returned, shown once); the old secret and every token stop working."""
    secret = secrets.token_urlsafe(32)
    client.secret_hash = digest(secret)
    client.secret_rotated_at = timezone.now()
    client.save(update_fields=["secret_hash", "secret_rotated_at"])
    _forget_tokens(client)
    audit_record(
        action="api_client_secret_rotated", obj=client, before=None,
        after={"secret_rotated_at": client.secret_rotated_at}, actor=actor, actor_label=actor_label,
    )  # fmt: skip
    return secret


@transaction.atomic
def api_client_set_active(*, client: ApiClient, active: bool, actor=None, actor_label: str = "") -> ApiClient:
    before = _state(client)
    client.is_active = active
    client.save(update_fields=["is_active"])
    if not active:
        _forget_tokens(client)
    audit_record(
        action="api_client_activated" if active else "api_client_deactivated", obj=client, before=before,
        after=_state(client), actor=actor, actor_label=actor_label,
    )  # fmt: skip
    return client


def api_client_check_secret(*, client_id: str, client_secret: str) -> ApiClient | None:
    """The active client with this id and secret, else None (compared in constant time)."""
    client = ApiClient.objects.filter(client_id=client_id, is_active=True).first()
    if client is None:
        hmac.compare_digest(digest(client_secret), "0" * 64)  # the same work whether or not the id exists
        return None
    return client if hmac.compare_digest(digest(client_secret), client.secret_hash) else None


@transaction.atomic
def api_token_issue(*, client: ApiClient, now: dt.datetime | None = None) -> IssuedToken:
    """Issue a bearer token, valid for ``API_TOKEN_LIFETIME`` seconds. Expired tokens of the client are removed."""
    now = now or timezone.now()
    lifetime = int(getattr(settings, "API_TOKEN_LIFETIME", 1200))
    token = secrets.token_urlsafe(32)
    client.tokens.filter(expires_at__lte=now).delete()
    ApiToken.objects.create(
        client=client, token_hash=digest(token), created_at=now, expires_at=now + dt.timedelta(seconds=lifetime)
    )
    return IssuedToken(access_token=token, expires_in=lifetime, scopes=list(client.scopes))


def api_token_purge_expired(*, now: dt.datetime) -> int:
    """Delete expired tokens (the ``api_purge_tokens`` command); returns how many."""
    deleted, _ = ApiToken.objects.filter(expires_at__lte=now).delete()
    return deleted
