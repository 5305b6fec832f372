"""The second lockout limit (omic.security.LockoutHandler): one address guessing across many usernames is locked at
AXES_IP_FAILURE_LIMIT, well above the username-and-address pair's AXES_FAILURE_LIMIT, so an office behind one NAT
address is not locked out by a few people mistyping their own passwords."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
OFFICE = "10.1.2.3"


def _sign_in(username, password, address=OFFICE):
    return Client().post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def limits(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_IP_FAILURE_LIMIT == 50
    settings.AXES_IP_FAILURE_LIMIT = 12  # the same rule with fewer requests
    return settings


def test_guessing_across_usernames_from_one_address_locks_the_address(limits, homd_user):
    statuses = [_sign_in(f"guess-{n}", "wrong").status_code for n in range(11)]
    assert statuses == [200] * 11, "each username is below the pair's limit and the address below its own"
    locking = _sign_in("guess-11", "wrong")
    assert locking.status_code == 429, "the twelfth wrong password from the address locks it"
    refused = _sign_in("homd", PASSWORD)
    assert refused.status_code == 429, "even the right password from that address waits out the cool-off"
    assert "too many wrong passwords from this computer's network address" in refused.content.decode()
    assert _sign_in("homd", PASSWORD, address="10.9.9.9").status_code == 302, "another address is not locked"


def test_an_office_behind_one_address_is_not_locked_by_a_few_mistakes(limits, homd_user, pom_user):
    for username in ("someone", "someone-else", "a-third"):  # 3 people x 3 mistakes = 9, under 12
        assert [_sign_in(username, "wrong").status_code for _ in range(3)] == [200] * 3
    assert _sign_in("homd", PASSWORD).status_code == 302
    assert _sign_in("pom", PASSWORD).status_code == 302


def test_the_pair_limit_still_locks_at_five(limits, homd_user):
    assert [_sign_in("homd", f"wrong-{n}").status_code for n in range(5)] == [200] * 4 + [429]
    page = _sign_in("homd", PASSWORD).content.decode()
    assert "5 wrong passwords in a row" in page


def test_axes_reset_ip_lifts_an_address_lock(limits, homd_user):
    for n in range(12):
        _sign_in(f"guess-{n}", "wrong")
    assert _sign_in("homd", PASSWORD).status_code == 429
    call_command("axes_reset_ip", OFFICE)
    assert _sign_in("homd", PASSWORD).status_code == 302
