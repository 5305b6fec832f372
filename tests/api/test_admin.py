"""Service admin pages and the command for API clients."""

import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from api import scopes
from api.client_services import api_token_issue, digest
from api.models import ApiClient, ApiToken
from cases.models import AuditEvent

pytestmark = pytest.mark.real_urls


@pytest.fixture
def admin_browser(staff_user_factory):
    browser = Client()
    browser.force_login(staff_user_factory(roles=["service_admin"]))
    return browser


def test_only_service_admins_reach_the_pages(pom_user, admin_browser):
    browser = Client()
    browser.force_login(pom_user)
    assert browser.get("/service-admin/api-clients/").status_code == 403
    assert admin_browser.get("/service-admin/api-clients/").status_code == 200
    assert Client().get("/service-admin/api-clients/").status_code == 302  # sign in first


def test_register_shows_the_secret_once_and_stores_its_digest(admin_browser, prison):
    response = admin_browser.post(
        "/service-admin/api-clients/new/",
        {
            "name": "nDelius",
            "scopes": [scopes.READ_HANDOVERS],
            "prisons": [prison.code],
            "rate_limit_per_minute": "600",
        },
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    client = ApiClient.objects.get(name="nDelius")
    secret = re.search(
        r"Client secret</dt><dd class=\"govuk-summary-list__value\"><code>([^<]+)</code>", response.content.decode()
    )
    assert secret is not None
    assert digest(secret.group(1)) == client.secret_hash
    assert list(client.prisons.values_list("code", flat=True)) == ["LEI"]
    assert client.rate_limit_per_minute == 600
    page = admin_browser.get("/service-admin/api-clients/").content.decode()
    assert "nDelius" in page
    assert secret.group(1) not in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "rate_limit_per_minute": "10"}, "Enter the client&#x27;s name"),
        ({"name": "X", "rate_limit_per_minute": "0"}, "at least 1 request"),
        ({"name": "X", "scopes": ["everything"], "rate_limit_per_minute": "10"}, "Select a valid choice"),
    ],
)
def test_register_errors_name_the_field(admin_browser, data, message):
    response = admin_browser.post("/service-admin/api-clients/new/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert not ApiClient.objects.exists()


def test_duplicate_name_is_an_error_on_the_name(admin_browser):
    admin_browser.post("/service-admin/api-clients/new/", {"name": "Same", "rate_limit_per_minute": "10"})
    response = admin_browser.post("/service-admin/api-clients/new/", {"name": "same", "rate_limit_per_minute": "10"})
    assert "already exists" in response.content.decode()
    assert ApiClient.objects.count() == 1


def test_edit_rotate_and_deactivate(admin_browser, api_client_factory, prison):
    client, old_secret = api_client_factory(scopes=[scopes.READ_HANDOVERS])
    api_token_issue(client=client)
    url = f"/service-admin/api-clients/{client.client_id}/"
    response = admin_browser.post(url, {"scopes": [scopes.READ_ALLOCATIONS], "prisons": [prison.code],
                                        "rate_limit_per_minute": "30"})  # fmt: skip
    assert response.status_code == 302
    client.refresh_from_db()
    assert client.scopes == [scopes.READ_ALLOCATIONS]
    assert not ApiToken.objects.filter(client=client).exists()
    response = admin_browser.post(f"{url}rotate/")
    assert response.status_code == 200
    client.refresh_from_db()
    assert client.secret_hash != digest(old_secret)
    assert admin_browser.get(f"{url}rotate/").status_code == 405
    admin_browser.post(f"{url}active/", {"active": "0"})
    client.refresh_from_db()
    assert not client.is_active
    actions = set(AuditEvent.objects.filter(object_id=str(client.pk)).values_list("action", flat=True))
    assert {"api_client_changed", "api_client_secret_rotated", "api_client_deactivated"} <= actions


def test_command_registers_lists_rotates_and_deactivates(capsys, prison):
    call_command("api_client", "register", "--name", "Workforce", "--scope", scopes.READ_ALLOCATIONS, "--prison", "LEI")
    out = capsys.readouterr().out
    client_id = re.search(r"client_id=(\w+)", out).group(1)
    secret = re.search(r"client_secret=(\S+)", out).group(1)
    client = ApiClient.objects.get(client_id=client_id)
    assert client.secret_hash == digest(secret)
    call_command("api_client", "list")
    assert "Workforce" in capsys.readouterr().out
    call_command("api_client", "rotate", client_id)
    assert re.search(r"client_secret=(\S+)", capsys.readouterr().out).group(1) != secret
    call_command("api_client", "deactivate", client_id)
    client.refresh_from_db()
    assert not client.is_active
    with pytest.raises(CommandError, match="--prison"):
        call_command("api_client", "register", "--name", "Other", "--prison", "ZZZ")
    with pytest.raises(CommandError, match="No client"):
        call_command("api_client", "rotate", "nope")
    call_command("api_purge_tokens")
    assert "Deleted 0 expired tokens" in capsys.readouterr().out
