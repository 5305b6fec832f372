"""Optional single sign-on by OIDC: off by default (no URLs, no backend, no button); on with OIDC_RP_CLIENT_ID, when
the identity provider's claims become roles and prisons (cases/oidc.py). The identity provider is outside our system,
so its token and userinfo endpoints are stood in for; everything on our side runs for real."""

import importlib
import warnings
from unittest import mock
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import NoReverseMatch, clear_url_caches, reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from cases.models import AuditEvent, StaffProfile
from cases.oidc import DEFAULT_ROLE_MAP, StaffOIDCBackend, prison_codes_from_claims, roles_from_claims
from tests.factories import PrisonFactory, StaffProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

BACKEND = "cases.oidc.StaffOIDCBackend"
AUTHORIZE = "https://sign-in.example/oauth/authorize"


def _reload_urls():
    """The URLconf reads OIDC_ENABLED once, at import, as in production; reloading it is "restarting" the service."""
    import omic.urls

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Converter 'prison' is already registered")
        importlib.reload(omic.urls)
    clear_url_caches()


@pytest.fixture
def oidc_on(settings):
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "omic"
    settings.OIDC_RP_CLIENT_SECRET = "s" * 40
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = AUTHORIZE
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://sign-in.example/oauth/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://sign-in.example/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://sign-in.example/.well-known/jwks.json"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/"  # as omic/settings/base.py
    settings.AUTHENTICATION_BACKENDS = [
        settings.AUTHENTICATION_BACKENDS[0],
        BACKEND,
        *settings.AUTHENTICATION_BACKENDS[1:],
    ]
    _reload_urls()
    yield settings
    settings.OIDC_ENABLED = False
    _reload_urls()


@pytest.fixture
def prisons(db):
    return PrisonFactory(code="LEI", name="HMP Leeds"), PrisonFactory(code="SKI", name="HMP Swaleside")


def _claims(**extra):
    return {
        "sub": "abc-123",
        "preferred_username": "p.shah",
        "email": "priya.shah@justice.gov.uk",
        "given_name": "Priya",
        "family_name": "Shah",
        "roles": ["ROLE_ALLOC_CASE_MGR", "ROLE_SOMETHING_ELSE"],
        "caseloads": ["LEI", "XXX"],
        **extra,
    }


def _roles(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def _prisons(user) -> set[str]:
    return set(user.staff_profile.prisons.values_list("code", flat=True))


# --- Off --------------------------------------------------------------------------------------------------------


def test_off_by_default_no_urls_no_backend_no_button(client, settings):
    assert settings.OIDC_ENABLED is False
    assert BACKEND not in settings.AUTHENTICATION_BACKENDS
    with pytest.raises(NoReverseMatch):
        reverse("oidc_authentication_init")
    assert client.get("/oidc/authenticate/").status_code == 404
    page = client.get(reverse("login")).content.decode()
    assert "HMPPS Auth" not in page
    assert "/oidc/" not in page


# --- The mapping ------------------------------------------------------------------------------------------------


def test_roles_map_known_values_and_ignore_unknown_ones():
    claims = {"roles": ["ROLE_ALLOC_MGR", "ROLE_POM", "ROLE_NOT_OURS", "", 7]}
    assert roles_from_claims(claims, claim="roles", role_map=DEFAULT_ROLE_MAP) == {"homd", "pom"}
    assert roles_from_claims(
        {"authorities": "ROLE_MOIC_ADMIN, ROLE_X"}, claim="authorities", role_map=DEFAULT_ROLE_MAP
    ) == {"service_admin"}
    assert roles_from_claims({"roles": ["A"]}, claim="roles", role_map={"A": "superuser"}) == set(), "not a role"
    assert roles_from_claims({}, claim="roles", role_map=DEFAULT_ROLE_MAP) == set()


def test_prisons_come_from_codes_or_caseload_objects():
    assert prison_codes_from_claims({"caseloads": ["lei", "SKI"]}, claim="caseloads") == {"LEI", "SKI"}
    assert prison_codes_from_claims({"caseloads": [{"id": "LEI", "name": "Leeds"}]}, claim="caseloads") == {"LEI"}
    assert prison_codes_from_claims({"caseloads": "LEI SKI"}, claim="caseloads") == {"LEI", "SKI"}


def test_first_sign_on_creates_the_user_with_mapped_roles_and_known_prisons(oidc_on, prisons):
    user = StaffOIDCBackend().create_user(_claims())
    user.refresh_from_db()
    assert user.username == "p.shah"
    assert (user.first_name, user.last_name, user.email) == ("Priya", "Shah", "priya.shah@justice.gov.uk")
    assert _roles(user) == {"pom"}, "ROLE_SOMETHING_ELSE is ignored"
    assert _prisons(user) == {"LEI"}, "XXX is not a prison we know"
    assert not user.has_usable_password()
    assert not user.is_staff
    assert not user.is_superuser
    assert user.staff_profile.oidc_subject == "abc-123"
    event = AuditEvent.objects.get(action="staff_sign_on_update")
    assert event.before == {"roles": [], "prisons": []}
    assert event.after == {"roles": ["pom"], "prisons": ["LEI"]}


def test_a_later_sign_on_updates_roles_and_prisons(oidc_on, prisons):
    user = UserFactory(username="p.shah", roles=["pom", "key_worker"])
    StaffProfileFactory(user=user, prisons=[prisons[0]], oidc_subject="abc-123")
    other_group_user = user.groups.create(name="not-a-role")  # a group outside our roles is left alone
    backend = StaffOIDCBackend()
    found = backend.filter_users_by_claims(_claims())
    assert list(found) == [user]
    backend.update_user(user, _claims(roles=["ROLE_ALLOC_MGR"], caseloads=["SKI", "LEI"], family_name="Shah-Jones"))
    user.refresh_from_db()
    assert _roles(user) == {"homd", other_group_user.name}
    assert _prisons(user) == {"LEI", "SKI"}
    assert user.last_name == "Shah-Jones"
    backend.update_user(user, _claims(roles=["ROLE_ALLOC_MGR"], caseloads=["SKI", "LEI"], family_name="Shah-Jones"))
    assert AuditEvent.objects.filter(action="staff_sign_on_update").count() == 1, "no change, no audit row"
    backend.update_user(user, _claims(roles=[], caseloads=[]))
    assert _roles(user) == {other_group_user.name}, "the provider took the roles away"
    assert _prisons(user) == set()


def test_a_configured_role_map_replaces_the_defaults(oidc_on, prisons):
    oidc_on.OIDC_ROLE_MAP = {"omic-keyworker": "key_worker"}
    oidc_on.OIDC_ROLES_CLAIM = "groups"
    user = StaffOIDCBackend().create_user(_claims(groups=["omic-keyworker", "ROLE_ALLOC_MGR"]))
    assert _roles(user) == {"key_worker"}


def test_claims_without_a_username_are_refused(oidc_on):
    backend = StaffOIDCBackend()
    assert backend.verify_claims(_claims(preferred_username="")) is False
    assert backend.verify_claims(_claims(sub="")) is False, "no subject: nothing to match on"
    assert list(backend.filter_users_by_claims({})) == []


def test_the_backend_grants_no_django_permission(oidc_on):
    user = UserFactory(username="p.shah")
    user.user_permissions.add(Permission.objects.get(codename="view_prisoner"))
    backend = StaffOIDCBackend()
    assert backend.has_perm(user, "cases.view_prisoner") is False
    assert backend.get_all_permissions(user) == set()


# --- On: the whole sign-on, the identity provider stood in for --------------------------------------------------


def test_the_sign_in_page_offers_single_sign_on_and_it_goes_to_the_provider(oidc_on, client):
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with HMPPS Auth" in page
    assert 'href="/oidc/authenticate/"' in page
    response = client.get("/oidc/authenticate/")
    assert response.status_code == 302
    target = urlparse(response.url)
    assert f"{target.scheme}://{target.netloc}{target.path}" == AUTHORIZE
    query = parse_qs(target.query)
    assert query["client_id"] == ["omic"]
    assert query["response_type"] == ["code"]
    assert query["state"]


def test_a_configured_label_is_shown(oidc_on, client):
    oidc_on.OIDC_LOGIN_LABEL = "Sign in with your justice.gov.uk account"
    assert "Sign in with your justice.gov.uk account" in client.get(reverse("login")).content.decode()


def test_the_callback_signs_the_user_on_with_their_roles_and_prisons(oidc_on, client, prisons):
    start = client.get("/oidc/authenticate/")
    state = parse_qs(urlparse(start.url).query)["state"][0]
    nonce = parse_qs(urlparse(start.url).query)["nonce"][0]
    id_token_claims = _claims(nonce=nonce, roles=["ROLE_ALLOC_MGR"], caseloads=["LEI", "SKI"])
    with (
        mock.patch.object(StaffOIDCBackend, "get_token", return_value={"id_token": "id", "access_token": "at"}),
        mock.patch.object(StaffOIDCBackend, "verify_token", return_value=id_token_claims) as verify,
        mock.patch.object(
            OIDCAuthenticationBackend, "get_userinfo", return_value={"email": "priya.shah@justice.gov.uk"}
        ),
    ):
        response = client.get("/oidc/callback/", {"code": "the-code", "state": state})
    assert verify.call_args.kwargs["nonce"] == nonce
    assert response.status_code == 302
    assert response.url == reverse("home")
    user = get_user_model().objects.get(username="p.shah")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session["_auth_user_backend"] == BACKEND
    assert _roles(user) == {"homd"}
    assert _prisons(user) == {"LEI", "SKI"}
    home = client.get(reverse("home"), follow=True)
    assert home.status_code == 200


def test_a_callback_with_a_wrong_state_signs_no_one_on(oidc_on, client):
    client.get("/oidc/authenticate/")
    with mock.patch.object(StaffOIDCBackend, "get_token") as token:
        response = client.get("/oidc/callback/", {"code": "the-code", "state": "made-up"})
    assert token.call_count == 0
    assert "_auth_user_id" not in client.session
    assert response.status_code in (302, 400)


# --- Account takeover: users are matched on the provider's subject, never on the username claim alone ----------


def _callback(client, claims: dict):
    """The whole sign-on through /oidc/callback/ with the provider's token endpoint stood in for."""
    start = client.get("/oidc/authenticate/")
    query = parse_qs(urlparse(start.url).query)
    with (
        mock.patch.object(StaffOIDCBackend, "get_token", return_value={"id_token": "id", "access_token": "at"}),
        mock.patch.object(StaffOIDCBackend, "verify_token", return_value={**claims, "nonce": query["nonce"][0]}),
        mock.patch.object(OIDCAuthenticationBackend, "get_userinfo", return_value={}),
    ):
        return client.get("/oidc/callback/", {"code": "the-code", "state": query["state"][0]})


@pytest.mark.parametrize(
    "local",
    [
        {"is_superuser": True, "is_staff": True, "password": None},
        {"is_staff": True, "password": None},
        {"password": "a-local-password-1"},
    ],
    ids=["superuser", "django-staff", "usable-password"],
)
def test_a_local_account_of_the_same_username_is_never_taken_over(oidc_on, client, prisons, caplog, local):
    password = local.pop("password")
    root = get_user_model().objects.create_user(username="root", password=password, **local)
    response = _callback(client, _claims(sub="idp-attacker", preferred_username="root", roles=["ROLE_MOIC_ADMIN"]))
    assert "_auth_user_id" not in client.session, "nobody is signed on"
    assert response.status_code == 302
    assert response.url == reverse("login")
    root.refresh_from_db()
    assert _roles(root) == set(), "the provider's roles never reach the local account"
    assert (root.is_superuser, root.is_staff) == (local.get("is_superuser", False), local.get("is_staff", False))
    assert not StaffProfile.objects.filter(oidc_subject="idp-attacker").exists()
    assert get_user_model().objects.filter(username="root").count() == 1
    assert "Single sign-on refused" in caplog.text
    page = client.get(reverse("login")).content.decode()
    assert "already belongs to another account" in page, "the person is told why"


def test_a_second_sign_on_by_the_same_subject_updates_roles(oidc_on, client, prisons):
    _callback(client, _claims(roles=["ROLE_POM"], caseloads=["LEI"]))
    user = get_user_model().objects.get(username="p.shah")
    assert _roles(user) == {"pom"}
    client.logout()
    response = _callback(client, _claims(roles=["ROLE_ALLOC_MGR"], caseloads=["SKI"]))
    assert response.url == reverse("home")
    assert client.session["_auth_user_id"] == str(user.pk), "the same account, found by its subject"
    assert _roles(user) == {"homd"}
    assert _prisons(user) == {"SKI"}
    assert get_user_model().objects.filter(username="p.shah").count() == 1


def test_the_same_username_from_a_different_subject_is_refused(oidc_on, client, prisons):
    _callback(client, _claims(sub="first-subject", roles=["ROLE_ALLOC_MGR"]))
    user = get_user_model().objects.get(username="p.shah")
    client.logout()
    _callback(client, _claims(sub="second-subject", roles=["ROLE_MOIC_ADMIN"]))
    assert "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert _roles(user) == {"homd"}, "the second subject changed nothing"
    assert user.staff_profile.oidc_subject == "first-subject"


def test_a_renamed_username_keeps_the_same_account(oidc_on, client, prisons):
    _callback(client, _claims(sub="abc-123"))
    user = get_user_model().objects.get(username="p.shah")
    client.logout()
    _callback(client, _claims(sub="abc-123", preferred_username="priya.shah"))
    assert client.session["_auth_user_id"] == str(user.pk)


def test_an_unlinked_account_without_password_or_staff_is_linked_once(oidc_on, prisons):
    user = UserFactory(username="p.shah", roles=["pom"])
    user.set_unusable_password()
    user.save()
    backend = StaffOIDCBackend()
    assert list(backend.filter_users_by_claims(_claims())) == [user]
    user.refresh_from_db()
    assert user.staff_profile.oidc_subject == "abc-123"
    assert AuditEvent.objects.filter(action="staff_sign_on_linked").count() == 1
