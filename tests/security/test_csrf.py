"""CSRF on every form: a POST without the token is refused with 403 at every URL of the service, signed in.

The pages are refused by Django's CsrfViewMiddleware before the view runs. The API's views are exempt from the
middleware by design (machines send a bearer token, which a browser never sends by itself), but a request that
authenticates with the staff session cookie is still refused without the token (DRF's SessionAuthentication).
The only URL that takes a POST with neither is the token endpoint, which authenticates by client secret. A static
scan checks that every ``<form method="post">`` in the templates carries ``{% csrf_token %}``.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from rest_framework.authentication import SessionAuthentication
from rest_framework.views import APIView

from tests.url_walk import UrlEntry, url_entries

pytestmark = pytest.mark.django_db

# URL parameters named ``pk`` point at different records on different pages (as in the permission matrix walk).
PK_SAMPLE = {
    "integration_webhook": "subscription_pk",
    "integration_webhook_stop": "subscription_pk",
    "integration_delivery_retry": "delivery_pk",
    "api_webhook_subscription": "subscription_pk",
    "api_webhook_deliveries": "subscription_pk",
    "api_webhook_delivery_retry": "subscription_pk",
}
# The one URL that needs no CSRF token: it authenticates the caller by client id and secret, never by a cookie.
NO_SESSION_NEEDED = {"api_oauth_token"}
UNSAFE = ("post", "put", "patch", "delete")


def _reversible(entry: UrlEntry) -> bool:
    return bool(entry.name) and not entry.name.endswith(":") and not (entry.params == () and "(" in entry.route)


def _url(entry: UrlEntry, estate) -> str:
    samples = estate.samples_for(estate.case)
    if entry.name in PK_SAMPLE:
        samples["pk"] = samples[PK_SAMPLE[entry.name]]
    return entry.url(samples)


def _is_api_view(entry: UrlEntry) -> bool:
    view_class = getattr(entry.callback, "cls", None)
    return isinstance(view_class, type) and issubclass(view_class, APIView)


def _signed_in(user) -> Client:
    """A browser signed in as ``user`` that holds a CSRF cookie, as a victim's would: only the token is missing."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(reverse("home"), follow=True)  # a page with a form (sign out) sets the cookie
    assert settings.CSRF_COOKIE_NAME in client.cookies
    return client


def _uses_the_session(entry: UrlEntry) -> bool:
    view = entry.callback.cls()
    return any(isinstance(auth, SessionAuthentication) for auth in view.get_authenticators())


def test_every_page_refuses_a_post_without_the_csrf_token(estate, admin_user):
    entries = [e for e in url_entries() if _reversible(e) and not _is_api_view(e)]
    assert len(entries) > 150, "the walk found the URL patterns"
    failures, posts = [], 0
    for who, user in {"homd": estate.users["homd"], "service admin": admin_user}.items():
        client = _signed_in(user)
        for entry in entries:
            url = _url(entry, estate)
            response = client.post(url, {"anything": "x"})
            posts += 1
            if response.status_code != 403 or b"CSRF" not in response.content:
                failures.append(f"POST {url} as {who}: {response.status_code}")
    print(f"CSRF walk: {posts} page POSTs ({len(entries)} URL patterns x 2 users), each refused")
    assert not failures, "accepted a POST without the CSRF token:\n" + "\n".join(failures)


def test_every_api_operation_refuses_a_session_request_without_the_csrf_token(estate, settings):
    # The API's read views run outside ATOMIC_REQUESTS and roll back "the" transaction on an error, which in a test
    # is the test's own: each request gets a savepoint, and the session is not re-saved after the error.
    settings.SESSION_SAVE_EVERY_REQUEST = False
    entries = [e for e in url_entries() if _reversible(e) and _is_api_view(e) and e.name not in NO_SESSION_NEEDED]
    assert len(entries) > 10
    client = _signed_in(estate.users["homd"])
    failures, checks = [], 0
    for entry in entries:
        url = _url(entry, estate)
        for method in UNSAFE:
            with transaction.atomic():
                response = getattr(client, method)(url, data="{}", content_type="application/json")
            checks += 1
            body = response.content.decode(errors="replace")
            if _uses_the_session(entry):
                if response.status_code != 403 or "CSRF" not in body:
                    failures.append(f"{method.upper()} {url}: {response.status_code} {body[:120]}")
            elif response.status_code < 400:  # the schema and docs: no session, no writes
                failures.append(f"{method.upper()} {url}: {response.status_code} without a session or token")
    print(f"CSRF walk: {checks} API checks ({len(entries)} operations x {len(UNSAFE)} unsafe methods)")
    assert not failures, "accepted a session request without the CSRF token:\n" + "\n".join(failures)


def test_the_same_post_with_the_token_gets_past_the_check(estate):
    """The walk can fail: with the token the request reaches the view (here the prison switch, a redirect)."""
    client = _signed_in(estate.users["homd"])
    page = client.get(reverse("prison_home", kwargs={"prison_code": estate.prison.code}))
    token = page.cookies[settings.CSRF_COOKIE_NAME].value if settings.CSRF_COOKIE_NAME in page.cookies else None
    token = token or client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(reverse("prison_switch"), {"prison": estate.prison.code, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.post(reverse("prison_switch"), {"prison": estate.prison.code}).status_code == 403


def test_the_token_endpoint_is_the_only_post_without_csrf_and_takes_no_session(estate):
    client = _signed_in(estate.users["homd"])
    response = client.post(reverse("api_oauth_token"), {"grant_type": "client_credentials"})
    assert response.status_code in (400, 401), "refused for want of client credentials, not CSRF"
    assert "CSRF" not in response.content.decode()


def test_a_bearer_token_needs_no_csrf_token(estate):
    """The exemption is for machines: the same unsafe call that the session was refused is judged on its bearer
    token (here a client without the webhook scope: a 403 for the scope, not for CSRF)."""
    from api.client_services import api_client_register, api_token_issue

    client, _secret = api_client_register(name="CSRF check", scopes=["read_allocations"], actor_label="tests")
    token = api_token_issue(client=client).access_token
    caller = Client(enforce_csrf_checks=True)
    response = caller.post(
        reverse("api_webhook_subscriptions"),
        "{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 403
    body = response.content.decode()
    assert "CSRF" not in body
    assert "scope" in body.lower()


TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "templates", *Path(settings.BASE_DIR).glob("*/templates")]
FORM = re.compile(r"<form\b[^>]*>(.*?)</form>", re.S | re.I)
POST = re.compile(r"""method\s*=\s*["']?post""", re.I)


def _templates():
    for folder in TEMPLATE_DIRS:
        if ".venv" not in folder.parts and "node_modules" not in folder.parts:
            yield from sorted(folder.rglob("*.html"))


def test_every_post_form_in_the_templates_carries_the_csrf_token():
    checked, missing = 0, []
    for path in _templates():
        text = path.read_text()
        for match in FORM.finditer(text):
            opening = match.group(0)[: match.group(0).index(">") + 1]
            if POST.search(opening):
                checked += 1
                if "{% csrf_token %}" not in match.group(1):
                    missing.append(f"{path.relative_to(settings.BASE_DIR)}: {opening}")
    assert checked > 40, f"only {checked} POST forms found: the scan is not reading the templates"
    assert not missing, "POST forms without {% csrf_token %}:\n" + "\n".join(missing)
