"""The OpenAPI schema is a tested contract: schemathesis runs every operation (read, ingest, events, webhooks,
the token endpoint) through the WSGI app with a bearer token holding every scope.

Checks: no 500s, status codes and content types as documented, responses match their schema, and invalid input
(schemathesis' negative data) is refused with a 4xx. Unknown query parameters are ignored, as HTTP APIs usually
do, so negative cases come from the documented inputs (``filter_query``). ``SCHEMATHESIS_EXAMPLES`` sets the
examples per operation and method (12 by default, so the whole run takes a few minutes at most).
"""

import json
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis import DataGenerationMethod
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api import scopes
from api.client_services import api_client_register, api_token_issue
from tests.api.hypothesis_compat import install as install_hypothesis_jsonschema_compat
from tests.factories import PrisonerFactory, PrisonFactory

install_hypothesis_jsonschema_compat()

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "12"))


def _raw_schema() -> dict:
    schema = SchemaGenerator(urlconf="tests.api.urls").get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema))


schema = schemathesis.from_dict(
    _raw_schema(),
    app=get_wsgi_application(),
    data_generation_methods=[DataGenerationMethod.positive, DataGenerationMethod.negative],
)


@schema.hook
def filter_query(context, query):
    """Unknown query parameters are ignored, as HTTP APIs usually do: negative cases come from documented ones
    (a wrong type, format, pattern or range), not from inventing parameters."""
    if not query:
        return True
    return set(query) <= {parameter.name for parameter in context.operation.query}


CHECKS = (
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
)


@pytest.fixture
def _keep_test_connection():
    """Calling the WSGI app directly sends request_started/finished, whose close_old_connections would close the
    test's PostgreSQL connection mid-transaction; Django's own test client disconnects it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(db, _keep_test_connection):
    prison = PrisonFactory(code="LEI", name="HMP Leeds")
    PrisonerFactory(prison=prison, prison_number="A1234BC")
    client, _ = api_client_register(name="schemathesis", scopes=list(scopes.SCOPES), rate_limit_per_minute=100_000)
    return api_token_issue(client=client).access_token


def test_schema_documents_every_operation_of_the_api():
    paths = _raw_schema()["paths"]
    operations = {op["operationId"] for methods in paths.values() for op in methods.values()}
    for expected in ("oauth_token", "allocation_get", "allocation_primary_pom_get", "handover_get", "offender_get",
                     "prison_caseload_list", "prison_handover_list", "key_work_get", "case_note_list", "tier_get",
                     "subject_access_request"):  # fmt: skip
        assert expected in operations
    for methods in paths.values():
        for operation in methods.values():
            codes = set(operation["responses"])
            assert {"401", "403"} <= codes or operation["operationId"] == "oauth_token", operation["operationId"]


@schema.parametrize()
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
def test_every_operation_keeps_its_contract(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, additional_checks=CHECKS)


def test_schema_and_docs_are_served_without_a_cdn(client, db):
    schema_response = client.get("/api/schema/?format=json")
    assert schema_response.status_code == 200
    assert schema_response.json()["openapi"].startswith("3.")
    for url in ("/api/docs/", "/api/docs/redoc/"):
        page = client.get(url).content.decode()
        assert "/static/drf_spectacular_sidecar/" in page
        assert "cdn.jsdelivr" not in page
        assert "unpkg.com" not in page
