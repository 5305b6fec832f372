"""Sign-in hardening: lockout after repeated wrong passwords (django-axes), the password rules on every way a password
is set, and the idle session timeout."""

import datetime as dt
from unittest import mock

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
ADDRESS = "10.1.2.3"


def _sign_in(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ADDRESS, **extra)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _lock_out(client, username="homd", times=5):
    return [_sign_in(client, username, f"wrong-{n}") for n in range(times)]


def test_five_wrong_passwords_then_the_right_one_is_refused_with_the_lockout_page(client, homd_user, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    responses = _lock_out(client)
    assert [r.status_code for r in responses[:4]] == [200] * 4, "the first four are the sign-in page with an error"
    assert responses[4].status_code == 429, "the fifth wrong password locks the username from this address"
    response = _sign_in(client, "homd", PASSWORD)
    assert response.status_code == 429
    assert not _signed_in(client)
    page = response.content.decode()
    assert "Your sign-in is locked" in page
    assert "contact your service admin" in page
    assert "try again in 30 minutes" in page
    assert 'class="govuk-heading-l"' in page


def test_the_lock_lifts_after_the_cool_off(client, homd_user):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        _lock_out(client)
        traveller.shift(dt.timedelta(minutes=29))
        assert _sign_in(client, "homd", PASSWORD).status_code == 429, "still locked inside the cool-off"
        traveller.shift(dt.timedelta(minutes=31))
        response = _sign_in(client, "homd", PASSWORD)
    assert response.status_code == 302
    assert _signed_in(client)


def test_a_successful_sign_in_resets_the_count(client, homd_user):
    for n in range(4):
        _sign_in(client, "homd", f"wrong-{n}")
    assert _sign_in(client, "homd", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    assert not AccessAttempt.objects.filter(username="homd").exists()
    assert [r.status_code for r in _lock_out(client, times=4)] == [200] * 4, "four more are not yet a lockout"


def test_the_lock_is_for_the_username_and_address_pair(client, homd_user, pom_user):
    _lock_out(client)
    assert _sign_in(Client(), "pom", PASSWORD).status_code == 302, "another username from the same address"
    other = Client()
    response = other.post(reverse("login"), {"username": "homd", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 302, "the same username from another address"


def test_a_made_up_forwarded_for_header_does_not_dodge_the_lock(client, homd_user, settings):
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0
    _lock_out(client)
    response = _sign_in(Client(), "homd", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.77")
    assert response.status_code == 429


def test_behind_a_configured_proxy_the_forwarded_address_counts(client, homd_user, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}  # API_NUM_PROXIES=1
    for n in range(5):
        _sign_in(client, "homd", f"wrong-{n}", HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert _sign_in(Client(), "homd", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 429
    assert _sign_in(Client(), "homd", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.2").status_code == 302
    assert AccessAttempt.objects.get(username="homd").ip_address == "192.0.2.1"


def test_axes_reset_username_lifts_a_lockout(client, homd_user):
    _lock_out(client)
    call_command("axes_reset_username", "homd")
    assert _sign_in(client, "homd", PASSWORD).status_code == 302


def test_the_admin_sign_in_is_locked_too(client, db):
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    _lock_out(client, username="boss")
    response = client.post(reverse("admin:login"), {"username": "boss", "password": PASSWORD}, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 429


def test_force_login_and_request_less_authenticate_still_work(client, homd_user, prison):
    from django.contrib.auth import authenticate

    assert authenticate(username="homd", password=PASSWORD) == homd_user
    client.force_login(homd_user)
    assert client.get(reverse("prison_home", kwargs={"prison_code": prison.code})).status_code == 200


def test_the_api_token_endpoint_is_not_counted_by_the_sign_in_lockout(homd_user):
    caller = APIClient()
    for _ in range(6):
        response = caller.post(
            "/api/oauth/token",
            {"grant_type": "client_credentials", "client_id": "homd", "client_secret": "wrong"},
            REMOTE_ADDR=ADDRESS,
        )
        assert response.status_code in (400, 401, 429)
    assert not AccessAttempt.objects.exists()
    assert _sign_in(Client(), "homd", PASSWORD).status_code == 302


# --- Password rules -------------------------------------------------------------------------------------------


@pytest.fixture
def superuser_client(client):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1x", "This password is too short. It must contain at least 10 characters."),
        ("password123", "This password is too common."),
        ("4815162342", "This password is entirely numeric."),
    ],
)
def test_the_admin_add_user_form_enforces_the_password_rules(superuser_client, password, message):
    response = superuser_client.post(
        reverse("admin:auth_user_add"),
        {"username": "newstaff", "usable_password": "true", "password1": password, "password2": password},
    )
    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors["password2"]
    assert not get_user_model().objects.filter(username="newstaff").exists()


def test_the_admin_set_password_form_enforces_the_password_rules(superuser_client, homd_user):
    url = reverse("admin:auth_user_password_change", args=[homd_user.pk])
    response = superuser_client.post(
        url, {"usable_password": "true", "password1": "homd-user", "password2": "homd-user"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["password2"]
    assert "This password is too short. It must contain at least 10 characters." in errors
    homd_user.refresh_from_db()
    assert homd_user.check_password(PASSWORD), "the old password still stands"
    good = "a-long-unusual-passphrase-7"
    response = superuser_client.post(url, {"usable_password": "true", "password1": good, "password2": good})
    assert response.status_code == 302
    homd_user.refresh_from_db()
    assert homd_user.check_password(good)


def test_the_changepassword_command_enforces_the_password_rules(homd_user, capsys):
    getpass = "django.contrib.auth.management.commands.changepassword.getpass.getpass"
    with mock.patch(getpass, return_value="12345"), pytest.raises(CommandError, match="after 3 attempts"):
        call_command("changepassword", "homd")
    err = capsys.readouterr().err
    assert "This password is too short. It must contain at least 10 characters." in err
    assert "This password is entirely numeric." in err
    homd_user.refresh_from_db()
    assert homd_user.check_password(PASSWORD)


def test_the_createsuperuser_command_enforces_the_password_rules_when_interactive(db, capsys):
    passwords = iter(["weakpass", "weakpass", "a-long-unusual-passphrase-7", "a-long-unusual-passphrase-7"])
    command = "django.contrib.auth.management.commands.createsuperuser"
    with (
        mock.patch(f"{command}.getpass.getpass", side_effect=lambda *a: next(passwords)),
        mock.patch("builtins.input", return_value="n") as bypass,  # "Bypass password validation...? [y/N]"
    ):
        tty = mock.Mock(isatty=lambda: True)
        call_command("createsuperuser", username="chief", email="chief@example.gov.uk", interactive=True, stdin=tty)
    err = capsys.readouterr().err
    assert "This password is too short. It must contain at least 10 characters." in err
    assert bypass.call_count == 1
    assert get_user_model().objects.get(username="chief").check_password("a-long-unusual-passphrase-7")


# --- Idle session timeout -------------------------------------------------------------------------------------


def test_an_idle_session_is_signed_out_and_activity_renews_it(client, homd_user, prison, settings):
    settings.SESSION_COOKIE_AGE = 10 * 60  # SESSION_IDLE_TIMEOUT=600
    home = reverse("prison_home", kwargs={"prison_code": prison.code})
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        assert _sign_in(client, "homd", PASSWORD).status_code == 302
        for _ in range(5):  # 45 minutes of use in all, never 10 idle
            traveller.shift(dt.timedelta(minutes=9))
            assert client.get(home).status_code == 200, "activity inside the idle period renews it"
        traveller.shift(dt.timedelta(minutes=10, seconds=1))
        response = client.get(home)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not _signed_in(client)


def test_the_session_cookie_ends_with_the_browser_and_is_not_readable_by_scripts(client, homd_user):
    response = _sign_in(client, "homd", PASSWORD)
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert not cookie["expires"], "a browser-session cookie; the server ends the session when idle"
    assert not cookie["max-age"]
    assert cookie["samesite"] == "Lax"
