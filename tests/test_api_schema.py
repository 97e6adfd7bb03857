"""Schemathesis against /api/v1/openapi.json over WSGI with a bearer token, with every
check that applies to an API whose valid-looking input may still break a business rule:
no 5xx, no undocumented status, content type or header, every answer matching its
schema, negative data (wrong types, nulls, unknown keys, NUL bytes) refused, 405s with
`Allow`. A documented 409 or 422 is an acceptable answer to positive data, so
positive_data_acceptance is left out. Examples are limited to keep CI quick.

Hypothesis drives each operation's strategy directly (positive and negative data),
so the test needs nothing from schemathesis' pytest plugin."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig

from app.auth.service import issue_api_token
from app.leads.models import ShareLevel
from tests.factories import make_site
from tests.leads_helpers import make_lead, share

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance, negative_data_rejection]

EXAMPLES = 40  # per operation and mode: about a minute in all


@pytest.fixture
def api(app, users):
    own = make_lead(users["kumla"], "schema-own")
    other = make_lead(users["arboga"], "schema-shared")
    share(other, "kumla", ShareLevel.ANONYMISED)
    make_lead(users["arboga"], "schema-hidden", confidential=True)
    token = issue_api_token(users["kumla"])
    site = make_site()
    config = SchemathesisConfig()
    # NUL bytes in strings; the bearer token is ours, not a generated (or left out) header
    config.projects.default.generation.update(allow_x00=True, with_security_parameters=False)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=config)
    return schema, token, [own.id, other.id], site.id


def _operations(schema):
    for result in schema.get_all_operations():
        yield result.ok()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_matches_its_openapi_document(api, mode):
    schema, token, lead_ids, site_id = api
    labels = []
    for operation in _operations(schema):
        labels.append(operation.label)

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            lead_id = (case.path_parameters or {}).get("lead_id")
            if isinstance(lead_id, int) and lead_id % 3 != 0:
                case.path_parameters["lead_id"] = lead_ids[lead_id % 2]  # mostly real leads
            if isinstance((case.path_parameters or {}).get("site_id"), int) \
                    and case.path_parameters["site_id"] % 3 != 0:
                case.path_parameters["site_id"] = site_id  # mostly the real site
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"},
                                   checks=CHECKS)

        try:
            run()
        except Unsatisfiable:  # nothing to make invalid (GET /me takes no input but the token)
            assert mode == GenerationMode.NEGATIVE, operation.label
    assert len(labels) >= 8, labels


def test_the_document_lists_every_lead_endpoint(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert set(paths) >= {"/leads", "/leads/{lead_id}", "/leads/{lead_id}/activities",
                          "/leads/{lead_id}/followups", "/leads/{lead_id}/shares", "/companies"}
    assert set(paths["/leads/{lead_id}"]) >= {"get", "patch"}
