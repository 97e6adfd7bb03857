"""The municipalities come from the Municipality table, not from lists in the code
(issue 14): a fifth partner appears in the forms, the filters and the API document, and
a slug that is not in the table is refused."""

from __future__ import annotations

from app.auth.service import issue_api_token
from app.core.models import Municipality
from app.extensions import db
from tests.leads_helpers import bearer, login, make_lead


def _lekeberg() -> None:
    db.session.add(Municipality(slug="lekeberg", code="1814", name="Lekeberg",
                                centre_lat=59.17, centre_lon=14.86))
    db.session.commit()


def test_a_new_partner_appears_in_the_lead_pages_and_the_api_document(client, users):
    _lekeberg()
    login(client, "kumla")
    listing = client.get("/leads").get_data(as_text=True)
    assert '<option value="lekeberg"' in listing and ">Lekeberg</option>" in listing
    form = client.get("/leads/new").get_data(as_text=True)
    assert 'value="lekeberg"' in form
    document = client.get("/api/v1/openapi.json").json
    parameters = document["paths"]["/leads"]["get"]["parameters"]
    municipality = next(p for p in parameters if p["name"] == "municipality")
    assert municipality["schema"]["enum"] == ["orebro", "hallsberg", "kumla", "arboga", "lekeberg"]


def test_a_slug_not_in_the_table_is_refused_by_the_api(client, users):
    lead = make_lead(users["kumla"], "slugs")
    headers = bearer(issue_api_token(users["kumla"]))
    refused = client.post(f"/api/v1/leads/{lead.id}/shares", headers=headers,
                          json={"municipalities": ["lekeberg"], "level": "anonymised"})
    assert refused.status_code == 422
    assert refused.json["error"]["fields"] == {"municipalities": ["Okänd kommun."]}
    _lekeberg()
    accepted = client.post(f"/api/v1/leads/{lead.id}/shares", headers=headers,
                           json={"municipalities": ["lekeberg"], "level": "anonymised"})
    assert accepted.status_code == 201
    assert [share["municipality"] for share in accepted.json["items"]] == ["lekeberg"]
