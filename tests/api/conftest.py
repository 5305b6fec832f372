"""Fixtures for the API tests: registered clients and callers holding their bearer tokens."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from api import token_cache
from api.client_services import api_client_register, api_token_issue


@pytest.fixture(autouse=True)
def _api_urls_only(settings, request):
    """The API's own URLconf (tests/api/urls.py); a test marked ``real_urls`` uses the project's."""
    if "real_urls" not in request.keywords:
        settings.ROOT_URLCONF = "tests.api.urls"
    # A slow, shared test machine must not let a token's cache entry lapse between a warm-up request and a
    # query-counted one (tokens never outlive their expiry in the cache either way).
    settings.API_TOKEN_CACHE_SECONDS = 600


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Tokens and rate-limit counters live in the cache, and checked tokens in each process's memory too
    (api.token_cache): start each test without another test's."""
    cache.clear()
    token_cache.clear()
    yield
    cache.clear()
    token_cache.clear()


@pytest.fixture
def api_client_factory(db):
    """``api_client_factory(scopes=[...], prisons=[...])`` registers a client; returns (client, secret)."""
    counter = {"n": 0}

    def make(*, scopes, prisons=(), rate_limit_per_minute=1200, name=None):
        counter["n"] += 1
        return api_client_register(
            name=name or f"Test client {counter['n']}",
            scopes=list(scopes),
            prisons=list(prisons),
            rate_limit_per_minute=rate_limit_per_minute,
            actor_label="tests",
        )

    return make


@pytest.fixture
def bearer(api_client_factory):
    """``bearer(scopes=[...], prisons=[...])``: a DRF test client sending a fresh bearer token of a new client."""

    def make(*, scopes, prisons=(), **kwargs):
        client, _secret = api_client_factory(scopes=scopes, prisons=prisons, **kwargs)
        issued = api_token_issue(client=client)
        caller = APIClient()
        caller.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.access_token}")
        caller.api_client = client
        return caller

    return make


def pytest_configure(config):
    config.addinivalue_line("markers", "real_urls: use the project's ROOT_URLCONF instead of tests/api/urls.py")
