"""Machine authentication: registering clients, the token exchange, bearer tokens, scopes, rotation, rate limit."""

import base64
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from api import scopes
from api.client_services import (
    api_client_register,
    api_client_rotate_secret,
    api_client_set_active,
    api_client_update,
    api_token_issue,
    api_token_purge_expired,
    digest,
)
from api.models import ApiClient, ApiToken
from cases.models import AuditEvent

TOKEN_URL = "/api/oauth/token"


def test_register_stores_only_a_digest_of_the_secret_and_audits(api_client_factory, prison):
    client, secret = api_client_factory(scopes=[scopes.READ_HANDOVERS], prisons=[prison], name="Delius")
    client.refresh_from_db()
    assert secret not in client.secret_hash
    assert client.secret_hash == digest(secret)
    assert client.user.username == f"api-client-{client.client_id}"
    assert not client.user.has_usable_password()
    event = AuditEvent.objects.get(action="api_client_registered")
    assert event.after["prisons"] == ["LEI"]
    assert event.after["scopes"] == [scopes.READ_HANDOVERS]


@pytest.mark.django_db
def test_register_refuses_unknown_scope_and_duplicate_name():
    with pytest.raises(ValidationError) as err:
        api_client_register(name="X", scopes=["read_everything"])
    assert "scopes" in err.value.message_dict
    api_client_register(name="Same", scopes=[])
    with pytest.raises(ValidationError) as err:
        api_client_register(name="same", scopes=[])
    assert "name" in err.value.message_dict
    assert ApiClient.objects.count() == 1


def test_token_exchange_with_form_body(api_client_factory):
    client, secret = api_client_factory(scopes=[scopes.READ_HANDOVERS, scopes.READ_ALLOCATIONS])
    response = APIClient().post(
        TOKEN_URL, {"grant_type": "client_credentials", "client_id": client.client_id, "client_secret": secret}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 1200
    assert set(body["scope"].split()) == {scopes.READ_HANDOVERS, scopes.READ_ALLOCATIONS}
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(client=client)
    assert token.token_hash == digest(body["access_token"])


def test_token_exchange_with_http_basic(api_client_factory):
    client, secret = api_client_factory(scopes=[])
    basic = base64.b64encode(f"{client.client_id}:{secret}".encode()).decode()
    response = APIClient().post(
        TOKEN_URL, "grant_type=client_credentials", content_type="application/x-www-form-urlencoded",
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )  # fmt: skip
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    ("data", "status", "error"),
    [
        ({"grant_type": "password", "client_id": "x", "client_secret": "y"}, 400, "unsupported_grant_type"),
        ({"client_id": "x", "client_secret": "y"}, 400, "invalid_request"),
        ({"grant_type": "client_credentials", "client_id": "x", "client_secret": "wrong"}, 401, "invalid_client"),
        ({"grant_type": "client_credentials"}, 401, "invalid_client"),
    ],
)
def test_token_exchange_errors_are_problems_with_oauth_codes(api_client_factory, data, status, error):
    api_client_factory(scopes=[])
    response = APIClient().post(TOKEN_URL, data)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["status"], body["error"]) == (status, error)
    assert body["title"]


def test_wrong_secret_and_inactive_client_get_no_token(api_client_factory):
    client, secret = api_client_factory(scopes=[])
    assert APIClient().post(TOKEN_URL, {"grant_type": "client_credentials", "client_id": client.client_id,
                                        "client_secret": secret + "x"}).status_code == 401  # fmt: skip
    api_client_set_active(client=client, active=False)
    assert APIClient().post(TOKEN_URL, {"grant_type": "client_credentials", "client_id": client.client_id,
                                        "client_secret": secret}).status_code == 401  # fmt: skip


def _get(caller, url="/api/v1/handovers/A1234BC"):
    return caller.get(url)


def test_no_token_is_401_with_bearer_challenge(db):
    response = APIClient().get("/api/v1/handovers/A1234BC")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response["Content-Type"] == "application/problem+json"


def test_bad_and_expired_tokens_are_401(bearer, api_client_factory):
    caller = APIClient()
    caller.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert _get(caller).status_code == 401
    client, _ = api_client_factory(scopes=[scopes.READ_HANDOVERS])
    issued = api_token_issue(client=client, now=timezone.now() - dt.timedelta(hours=1))
    caller.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.access_token}")
    assert _get(caller).status_code == 401
    assert api_token_purge_expired(now=timezone.now()) == 1


def test_rotation_revokes_old_secret_and_tokens_at_once(bearer):
    caller = bearer(scopes=[scopes.READ_HANDOVERS])
    assert _get(caller).status_code == 404  # authenticated (the token is cached now); nobody is held
    new_secret = api_client_rotate_secret(client=caller.api_client, actor_label="tests")
    assert _get(caller).status_code == 401
    ok = APIClient().post(TOKEN_URL, {"grant_type": "client_credentials", "client_id": caller.api_client.client_id,
                                      "client_secret": new_secret})  # fmt: skip
    assert ok.status_code == 200
    assert AuditEvent.objects.filter(action="api_client_secret_rotated").count() == 1


def test_changing_scopes_applies_at_once(bearer):
    caller = bearer(scopes=[scopes.READ_HANDOVERS])
    assert _get(caller).status_code == 404
    api_client_update(client=caller.api_client, scopes=[scopes.READ_ALLOCATIONS], prisons=[], rate_limit_per_minute=60)
    assert _get(caller).status_code == 401  # tokens revoked; a new token carries the new scopes


def test_rate_limit_per_client_gives_429_with_retry_after(bearer):
    caller = bearer(scopes=[scopes.READ_HANDOVERS], rate_limit_per_minute=3)
    other = bearer(scopes=[scopes.READ_HANDOVERS], rate_limit_per_minute=3)
    statuses = [_get(caller).status_code for _ in range(4)]
    assert statuses[:3] == [404, 404, 404]
    if statuses[3] != 429:  # the minute may have turned between requests; then the fourth is the first of a new one
        statuses.extend(_get(caller).status_code for _ in range(3))
    assert 429 in statuses
    response = _get(caller)
    if response.status_code == 429:
        assert int(response["Retry-After"]) >= 0
        assert response["Content-Type"] == "application/problem+json"
    assert _get(other).status_code == 404  # each client has its own budget


def test_staff_session_reads_only_their_prisons(pom_user, other_prison):
    caller = APIClient()
    caller.force_login(pom_user)
    assert _get(caller).status_code == 404  # allowed, nobody held


def test_service_admin_session_has_no_read_scopes(staff_user_factory):
    user = staff_user_factory(roles=["service_admin"])
    caller = APIClient()
    caller.force_login(user)
    assert _get(caller).status_code == 403


def test_unknown_api_address_is_a_problem(db):
    response = APIClient().get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


def test_nul_in_address_is_a_problem(db):
    response = APIClient().get("/api/v1/handovers/A1%00BC")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.real_urls
def test_api_is_wired_into_the_project_urls(db):
    from django.urls import reverse

    assert reverse("api_oauth_token") == "/api/oauth/token"
    assert reverse("api_schema") == "/api/schema/"


def test_session_cookie_with_nul_is_ignored_not_a_500(db):
    caller = APIClient()
    caller.cookies["sessionid"] = "abc\x00def123"
    assert caller.get("/api/v1/handovers/A1234BC").status_code == 401
