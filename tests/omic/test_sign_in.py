"""Sign-in is Django's own on a GOV.UK page; the session ends after the idle period set in settings."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _sign_in(client, username):
    return client.post(reverse("login"), {"username": username, "password": "correct-horse-battery"})


def test_sign_in_page_renders(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Sign in" in response.content.decode()


def test_signing_in_lands_on_the_prison_home_page(client, homd_user, prison):
    response = _sign_in(client, "homd")
    assert response.status_code == 302
    assert client.get(response.url).url == reverse("prison_home", kwargs={"prison_code": prison.code})


def test_a_wrong_password_is_explained_on_the_page(client, homd_user):
    response = client.post(reverse("login"), {"username": "homd", "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "govuk-error-summary" in response.content.decode()


def test_sign_out_is_a_post(client, homd_user):
    _sign_in(client, "homd")
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_the_session_expires_after_the_idle_period(client, homd_user, prison, settings):
    idle = settings.SESSION_COOKIE_AGE
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        _sign_in(client, "homd")
        home = reverse("prison_home", kwargs={"prison_code": prison.code})
        traveller.shift(dt.timedelta(seconds=idle - 60))
        assert client.get(home).status_code == 200, "activity inside the idle period keeps the session"
        traveller.shift(dt.timedelta(seconds=idle - 60))
        assert client.get(home).status_code == 200, "each request renews the idle period"
        traveller.shift(dt.timedelta(seconds=idle + 1))
        response = client.get(home)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
