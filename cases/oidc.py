"""Single sign-on by OIDC (mozilla-django-oidc), switched on by OIDC_RP_CLIENT_ID (docs/security.md).

The identity provider is the source of truth for a signed-on user's roles and prisons: at each sign-on the values of
the ``OIDC_ROLES_CLAIM`` claim (default ``roles``) become our role groups through ``OIDC_ROLE_MAP`` (empty: the
``DEFAULT_ROLE_MAP`` below; values with no entry are ignored), and the prison codes of ``OIDC_PRISONS_CLAIM``
(default ``caseloads``; codes we do not know are ignored) become the user's ``StaffProfile.prisons``.

The user is found by the provider's ``sub`` claim, kept in ``StaffProfile.oidc_subject`` - never by the username
claim alone, which the provider's users may choose. On first sign-on of a ``sub`` we create a user named by
``OIDC_USERNAME_CLAIM`` (default ``preferred_username``) with no usable password, not Django staff and not a
superuser. If that username is already taken, the sign-on links to the existing account only when it is one we may
hand over: no usable password, not staff, not a superuser and not linked to another ``sub``; otherwise sign-on is
refused (logged, and the person is told to ask the service admin). Every change of roles or prisons is audited.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from cases.audit import audit_record
from cases.models import Prison, Role, StaffProfile

# HMPPS Auth role names (and plain ones) for our roles. ROLE_ALLOC_CASE_MGR / ROLE_ALLOC_MGR / ROLE_MOIC_ADMIN are
# the roles of the current Manage POM Cases service (manage-pom-cases-reference.md).
DEFAULT_ROLE_MAP = {
    "ROLE_POM": Role.POM,
    "ROLE_ALLOC_CASE_MGR": Role.POM,
    "ROLE_HOMD": Role.HOMD,
    "ROLE_ALLOC_MGR": Role.HOMD,
    "ROLE_HOMS": Role.HOMS,
    "ROLE_CASE_ADMIN": Role.CASE_ADMIN,
    "ROLE_KEY_WORKER": Role.KEY_WORKER,
    "ROLE_NATIONAL_VIEWER": Role.NATIONAL_VIEWER,
    "ROLE_SERVICE_ADMIN": Role.SERVICE_ADMIN,
    "ROLE_MOIC_ADMIN": Role.SERVICE_ADMIN,
}
SSO_ACTOR = "single sign-on"
REFUSED_MESSAGE = (
    "You cannot sign in with single sign-on because the user name {username} already belongs to another account. "
    "Ask your service admin to link your account."
)
logger = logging.getLogger("omic.security")


class SignOnRefused(SuspiciousOperation):
    """Sign-on refused: mozilla-django-oidc logs it and signs no one on."""


def _values(claim) -> list[str]:
    """A claim as a list of strings: a list, or one comma- or space-separated string; caseload objects give their
    ``id`` or ``code``."""
    if claim is None:
        return []
    if isinstance(claim, str):
        return [part for part in claim.replace(",", " ").split() if part]
    values = []
    for item in claim:
        if isinstance(item, dict):
            item = item.get("id") or item.get("code") or ""
        if isinstance(item, str) and item.strip():
            values.append(item.strip())
    return values


def roles_from_claims(claims: dict, *, claim: str, role_map: dict) -> set[str]:
    """Our role names for the claim's values; values with no entry in ``role_map`` (or naming no role) are ignored."""
    known = set(Role.values)
    return {role_map[value] for value in _values(claims.get(claim)) if role_map.get(value) in known}


def prison_codes_from_claims(claims: dict, *, claim: str) -> set[str]:
    return {value.upper() for value in _values(claims.get(claim))}


def _role_map() -> dict:
    configured = getattr(settings, "OIDC_ROLE_MAP", None) or {}
    return {key: str(value) for key, value in configured.items()} if configured else dict(DEFAULT_ROLE_MAP)


def staff_sign_on_update(*, user, roles: set[str], prison_codes: set[str]) -> dict:
    """Make the user's role groups and prisons those the identity provider gave; returns what changed."""
    with transaction.atomic():
        profile, _ = StaffProfile.objects.get_or_create(user=user)
        before_roles = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        before_prisons = set(profile.prisons.values_list("code", flat=True))
        prisons = set(Prison.objects.filter(code__in=prison_codes).values_list("code", flat=True))
        if roles != before_roles:
            user.groups.remove(*Group.objects.filter(name__in=before_roles - roles))
            user.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in sorted(roles - before_roles)))
        if prisons != before_prisons:
            profile.prisons.set(prisons)
        before = {"roles": sorted(before_roles), "prisons": sorted(before_prisons)}
        after = {"roles": sorted(roles), "prisons": sorted(prisons)}
        if before != after:
            audit_record(action="staff_sign_on_update", obj=user, before=before, after=after, actor=user,
                         actor_label=SSO_ACTOR, reason="roles and prisons from the identity provider")  # fmt: skip
    return after if before != after else {}


class StaffOIDCBackend(OIDCAuthenticationBackend):
    """Signs staff on with the identity provider and maps its claims to roles and prisons (the module docstring).

    It answers no permission question: the rules do (``cases.backends``), so it never grants a Django model
    permission the way a ModelBackend would.
    """

    def get_userinfo(self, access_token, id_token, payload):
        """The verified id token's claims, with the userinfo endpoint's on top."""
        return {**(payload or {}), **super().get_userinfo(access_token, id_token, payload)}

    def _username(self, claims: dict) -> str:
        return str(claims.get(settings.OIDC_USERNAME_CLAIM) or "").strip()[:150]

    def _subject(self, claims: dict) -> str:
        return str(claims.get("sub") or "").strip()[:255]

    def describe_user_by_claims(self, claims):
        return f"subject {self._subject(claims)} (username {self._username(claims)})"

    def verify_claims(self, claims):
        return bool(self._subject(claims)) and bool(self._username(claims))

    def _refuse(self, claims: dict, why: str):
        username = self._username(claims)
        logger.warning("Single sign-on refused for %s: %s", self.describe_user_by_claims(claims), why)
        request = getattr(self, "request", None)
        if request is not None and hasattr(request, "_messages"):
            messages.error(request, REFUSED_MESSAGE.format(username=username))
        raise SignOnRefused(f"single sign-on refused: {why}")

    def filter_users_by_claims(self, claims):
        """The user linked to the claims' ``sub``; else an unlinked account of that username that may be handed
        over (linked here); else none (``create_user`` makes one). Any other account of that username: refused."""
        subject, username = self._subject(claims), self._username(claims)
        if not subject or not username:
            return self.UserModel.objects.none()
        linked = self.UserModel.objects.filter(staff_profile__oidc_subject=subject)
        if linked.exists():
            return linked
        existing = self.UserModel.objects.filter(username=username).first()
        if existing is None:
            return self.UserModel.objects.none()
        profile = StaffProfile.objects.filter(user=existing).first()
        if profile is not None and profile.oidc_subject:
            self._refuse(claims, f"username {username} is linked to another subject")
        if existing.has_usable_password() or existing.is_staff or existing.is_superuser:
            self._refuse(claims, f"username {username} is a local account (password, staff or superuser)")
        with transaction.atomic():
            profile, _ = StaffProfile.objects.get_or_create(user=existing)
            profile.oidc_subject = subject
            profile.save(update_fields=["oidc_subject"])
            audit_record(
                action="staff_sign_on_linked",
                obj=existing,
                before={},
                after={"oidc_subject": subject},
                actor=existing,
                actor_label=SSO_ACTOR,
                reason="first single sign-on of an unlinked account",
            )
        return self.UserModel.objects.filter(pk=existing.pk)

    def create_user(self, claims):
        with transaction.atomic():
            user = get_user_model().objects.create_user(username=self._username(claims), password=None)
            user.is_staff = user.is_superuser = False
            user.save(update_fields=["is_staff", "is_superuser"])
            StaffProfile.objects.create(user=user, oidc_subject=self._subject(claims))
        return self.update_user(user, claims)

    def update_user(self, user, claims):
        details = {
            "email": str(claims.get("email") or "")[:254],
            "first_name": str(claims.get("given_name") or "")[:150],
            "last_name": str(claims.get("family_name") or "")[:150],
        }
        changed = [name for name, value in details.items() if value and getattr(user, name) != value]
        for name in changed:
            setattr(user, name, details[name])
        if changed:
            user.save(update_fields=changed)
        staff_sign_on_update(
            user=user,
            roles=roles_from_claims(claims, claim=settings.OIDC_ROLES_CLAIM, role_map=_role_map()),
            prison_codes=prison_codes_from_claims(claims, claim=settings.OIDC_PRISONS_CLAIM),
        )
        return user

    def has_perm(self, user_obj, perm, obj=None):
        return False

    def has_module_perms(self, user_obj, app_label):
        return False

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()
