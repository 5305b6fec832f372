"""The Content Security Policy and the other security headers, and a static scan of every template for inline script,
inline style, event-handler attributes and ``javascript:`` links (which the policy would block). The browser check is
tests/browser/test_csp.py; ``check --deploy`` under production settings is checked here too."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def _policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    parts = [p.strip().split(None, 1) for p in header.split(";") if p.strip()]
    return {p[0]: p[1] if len(p) > 1 else "" for p in parts}


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_page_has_the_strict_policy_and_security_headers(client, homd_user, prison, signed_in):
    if signed_in:
        client.force_login(homd_user)
    url = reverse("prison_home", kwargs={"prison_code": prison.code}) if signed_in else reverse("login")
    response = client.get(url)
    assert response.status_code == 200
    policy = _policy(response)
    for directive, value in STRICT.items():
        assert policy[directive] == value, directive
    assert "unsafe" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_error_pages_carry_the_policy_too(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert _policy(response)["script-src"] == "'self'"


def test_the_api_docs_relax_only_inline_styles(client):
    swagger = _policy(client.get(reverse("api_docs")))
    assert swagger["script-src"] == "'self'", "Swagger UI's start-up script comes from /api/docs/?script"
    assert swagger["style-src"] == "'self' 'unsafe-inline'"
    script = client.get(reverse("api_docs") + "?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()
    redoc = _policy(client.get(reverse("api_redoc")))
    assert redoc["script-src"] == "'self'"
    assert redoc["worker-src"] == "blob:"
    assert "googleapis" not in client.get(reverse("api_redoc")).content.decode()


# --- The templates --------------------------------------------------------------------------------------------

ROOT = Path(settings.BASE_DIR)
TEMPLATE_DIRS = [ROOT / "templates", *(p for p in ROOT.glob("*/templates") if p.parent.name not in {".venv"})]
# Pages that never reach a browser from this service: the early allocation summary is an HTML attachment of an
# email to the community (printed by the recipient), so it carries its own small stylesheet.
NOT_SERVED = {"casework/early_allocation/summary_document.html"}
INLINE = [
    (re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"""\sstyle\s*=\s*["']""", re.I), "style= attribute"),
    (re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I), "on*= event handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def _templates():
    for folder in TEMPLATE_DIRS:
        for path in sorted(folder.rglob("*.html")):
            yield folder, path


def test_no_template_has_inline_script_or_style():
    found, checked = [], 0
    for folder, path in _templates():
        name = path.relative_to(folder).as_posix()
        if name in NOT_SERVED:
            continue
        checked += 1
        text = path.read_text()
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{name}:{line}: {what}")
    assert checked > 100, f"only {checked} templates scanned"
    assert not found, "inline script or style the CSP would block:\n" + "\n".join(found)


def test_the_scan_finds_what_it_looks_for():
    samples = [
        "<script>alert(1)</script>",
        '<div style="color: red">',
        '<a href="#" onclick="go()">',
        '<a href="javascript:go()">',
        "<style>p {}</style>",
    ]
    for sample in samples:
        assert any(p.search(sample) for p, _ in INLINE), sample
    assert not any(p.search('<script type="module" src="/static/js/app.mjs"></script>') for p, _ in INLINE)


def test_the_govuk_frontend_starts_from_a_static_file():
    base = (ROOT / "templates" / "base.html").read_text()
    assert re.search(r"<script type=\"module\" src=\"\{% static 'js/app.mjs' %\}\"></script>", base)
    app = (ROOT / "assets" / "js" / "app.mjs").read_text()
    assert "initAll" in app


def test_the_not_served_template_is_not_served():
    for app in ("casework", "dashboards", "allocation", "omic"):
        for path in (ROOT / app).rglob("*views*.py"):
            assert "summary_document.html" not in path.read_text(), path


# --- check --deploy under production settings -------------------------------------------------------------------


def _production_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "OIDC_", "SECURE_", "DEBUG"))}
    env.update(
        DJANGO_ENV="production",
        DJANGO_SETTINGS_MODULE="omic.settings",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="omic.service.justice.gov.uk",
        **extra,
    )
    return env


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {
            "OIDC_RP_CLIENT_ID": "omic",
            "OIDC_RP_CLIENT_SECRET": "s" * 40,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://sign-in.example/oauth/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": "https://sign-in.example/oauth/token",
            "OIDC_OP_USER_ENDPOINT": "https://sign-in.example/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": "https://sign-in.example/.well-known/jwks.json",
        },
    ],
    ids=["password sign-in", "with single sign-on"],
)
def test_check_deploy_is_clean_under_production_settings(extra):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(**extra),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings_are_the_hardened_ones():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_AGE, s.X_FRAME_OPTIONS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=_production_env(SESSION_IDLE_TIMEOUT="900"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True", "31536000", "True", "True", "__Host-sessionid", "__Host-csrftoken", "900", "DENY"
    ]  # fmt: skip
