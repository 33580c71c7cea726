"""Schemathesis over the whole OpenAPI schema, in process through WSGI, with a valid token of every scope: no
server error, every status and content type as documented, every body as its schema says."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from recordaccess.wsgi import application
from tests.api.conftest import ALL, bearer

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# Read through the app itself (no database needed for the schema), once, when the tests are collected.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def _keep_the_test_connection():
    """Schemathesis calls the WSGI app as a server would, which closes the database connection after each
    request; the test's transaction lives on that connection, so keep it open (as Django's test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(_keep_the_test_connection, practice, organisation, practice_data, make_token, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 100_000
    return {
        "practice": make_token(practice=practice, scopes=ALL),
        "organisation": make_token(organisation=organisation),
    }


@schema.parametrize()
@settings(
    max_examples=10,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_schema(case, tokens):
    secret = tokens["organisation" if case.path.startswith("/api/v1/organisations") else "practice"]
    # The token's own practice and organisation, so operations answer with data; other practices' 404s are
    # proved for every operation in test_access.py.
    if "ods" in (case.path_parameters or {}):
        case.path_parameters["ods"] = "A81001"
    if "code" in (case.path_parameters or {}):
        case.path_parameters["code"] = "U12345"
    case.call_and_validate(headers={"Authorization": bearer(secret)["HTTP_AUTHORIZATION"]}, checks=CHECKS)
