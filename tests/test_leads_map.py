"""/leads/<id>/map: the lead's preferred municipalities and the logistics nodes, in scope."""

import sqlalchemy as sa

from app.core.models import AuditEvent
from app.extensions import db
from app.leads.models import ShareLevel
from tests.leads_helpers import login, make_lead, share


def test_owner_sees_the_map_with_the_preferred_municipalities(client, users):
    lead = make_lead(users["kumla"], "mapped", preferred_municipalities="kumla,hallsberg")
    login(client, "kumla")
    response = client.get(f"/leads/{lead.id}/map")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Hallsbergsterminalen" in page  # a logistics node
    assert "nskade kommuner" in page  # the outline layer (its name, escaped for the map)
    assert lead.codename in page


def test_lead_without_preferred_municipalities_shows_only_the_nodes(client, users):
    lead = make_lead(users["kumla"], "unplaced")
    login(client, "kumla")
    page = client.get(f"/leads/{lead.id}/map").get_data(as_text=True)
    assert "nskade kommuner" not in page
    assert "Hallsbergsterminalen" in page


def test_lead_map_of_an_unshared_lead_answers_404(client, users):
    lead = make_lead(users["arboga"], "hidden_map")
    login(client, "kumla")
    assert client.get(f"/leads/{lead.id}/map").status_code == 404


def test_anonymised_partner_map_shows_no_company(client, users):
    lead = make_lead(users["arboga"], "anon_map", preferred_municipalities="arboga")
    share(lead, "kumla", ShareLevel.ANONYMISED)
    login(client, "kumla")
    page = client.get(f"/leads/{lead.id}/map").get_data(as_text=True)
    assert lead.company.name not in page


def test_viewing_a_confidential_partner_lead_map_is_audited(client, users):
    lead = make_lead(users["arboga"], "secret_map", confidential=True)
    share(lead, "kumla", ShareLevel.FULL)
    login(client, "kumla")
    assert client.get(f"/leads/{lead.id}/map").status_code == 200
    event = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "lead.viewed_confidential", AuditEvent.object_id == lead.id))
    assert event is not None and event.actor_id == users["kumla"].id
