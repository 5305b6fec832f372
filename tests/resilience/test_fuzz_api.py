"""Every write operation of the API (the token, events, prisoner PUTs, webhooks), fuzzed by schemathesis with valid
and invalid data: never a 5xx, and a refused request (4xx) leaves every table exactly as it was."""

import os

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error

from tests.api.test_schema import _keep_test_connection, schema, token  # noqa: F401  (fixtures, the schema)
from tests.resilience.counts import changed_counts, row_counts
from tests.resilience.fuzz_tally import count

EXAMPLES = int(os.environ.get("FUZZ_API_EXAMPLES", "25"))
WRITES = schema.include(method=["POST", "PUT", "PATCH", "DELETE"])


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()  # tokens and rate-limit counters live in the cache
    yield
    cache.clear()


@WRITES.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
def test_every_write_refuses_bad_input_cleanly_and_writes_nothing(case, token):  # noqa: F811
    before = row_counts()
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    count(f"api {case.operation.method.upper()} {case.operation.path} ({response.status_code // 100}xx)")
    case.validate_response(response, checks=(not_a_server_error,))
    if response.status_code >= 400:
        assert changed_counts(before, row_counts()) == {}, f"{response.status_code} but rows changed"
