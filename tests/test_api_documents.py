"""The OpenAPI document cannot drift from the code (issue 13): every component schema is
generated from the pydantic models that parse the requests and build the answers, and
the answers validate against those models."""

from __future__ import annotations

from app.api.inputs import model_schemas, output_schemas
from app.api.openapi import with_municipalities
from app.api.outputs import Error, Me
from app.auth.service import issue_api_token
from app.candidates import api_outputs as candidate_outputs
from app.candidates.api_inputs import INPUT_MODELS as CANDIDATE_INPUTS
from app.core.service import municipality_slugs
from app.intake.api import InquiryCreated, InquiryInput
from app.leads import api_outputs as lead_outputs
from app.leads.api_inputs import INPUT_MODELS as LEAD_INPUTS
from app.leads.models import ShareLevel
from app.packs.api import PackInput, PackMade
from app.reservations import api_outputs as reservation_outputs
from app.reservations.api_inputs import INPUT_MODELS as RESERVATION_INPUTS
from app.sites import api_outputs as site_outputs
from app.sites.api_inputs import SiteCreate, SitePatch
from tests.factories import make_site
from tests.leads_helpers import bearer, make_lead, share


def test_every_component_schema_is_generated_from_a_model(client):
    document = client.get("/api/v1/openapi.json").json
    generated = {
        **model_schemas(*LEAD_INPUTS, SiteCreate, SitePatch, *CANDIDATE_INPUTS,
                        *RESERVATION_INPUTS, PackInput, InquiryInput),
        **output_schemas(Error, Me, *lead_outputs.OUTPUT_MODELS, *site_outputs.OUTPUT_MODELS,
                         *candidate_outputs.OUTPUT_MODELS, *reservation_outputs.OUTPUT_MODELS,
                         PackMade, InquiryCreated),
    }
    slugs = list(municipality_slugs())
    assert slugs == ["orebro", "hallsberg", "kumla", "arboga"]
    assert document["components"]["schemas"] == with_municipalities(generated, slugs)


def test_the_answers_are_what_their_models_describe(client, users):
    own = make_lead(users["kumla"], "doc-own")
    shared = make_lead(users["arboga"], "doc-shared")
    share(shared, "kumla", ShareLevel.ANONYMISED)
    share(own, "hallsberg", ShareLevel.FULL)
    make_site(name="Dokumenttomten")
    headers = bearer(issue_api_token(users["kumla"]))

    def answer(path: str) -> dict:
        response = client.get(f"/api/v1{path}", headers=headers)
        assert response.status_code == 200, path
        return response.json

    Me.model_validate(answer("/me"))
    owned = lead_outputs.Lead.model_validate(answer(f"/leads/{own.id}"))
    assert owned.shares and owned.company is not None
    anonymised = answer(f"/leads/{shared.id}")
    lead_outputs.Lead.model_validate(anonymised)
    assert "company" not in anonymised and "description" not in anonymised
    lead_outputs.LeadPage.model_validate(answer("/leads"))
    site_outputs.SitePage.model_validate(answer("/sites"))
    geojson = site_outputs.SiteFeatureCollection.model_validate(answer("/sites.geojson"))
    assert [feature.properties["name"] for feature in geojson.features] == ["Dokumenttomten"]
    missing = client.get("/api/v1/leads/999999", headers=headers)
    assert missing.status_code == 404
    Error.model_validate(missing.json)
