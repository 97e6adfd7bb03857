"""The prospect pack (issue 16): a secret link opens a printable page of the chosen sites'
public facts and a server-drawn map, for a limited time, logged, revocable; never an
internal field."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from app.candidates.models import CandidateSite, CandidateStatus
from app.core.models import AuditEvent
from app.extensions import db
from app.leads.models import ShareLevel
from app.packs.models import PackOpening, ProspectPack
from app.packs.service import truncated_network
from tests.factories import make_site
from tests.leads_helpers import bearer, company_name, description, login, make_lead, share


@pytest.fixture
def lead_with_candidates(users):
    lead = make_lead(users["kumla"], "paket")
    share(lead, "orebro", ShareLevel.ANONYMISED)
    sites = [make_site("kumla", name="Rala tomt 2", price_sek_m2=450, price_public=True,
                       contact_person="Kim Kontakt"),
             make_site("orebro", name="Törsjö tomt 2", lat=59.2050, lon=15.1700,
                       price_sek_m2=999, price_public=False),
             make_site("kumla", name="Avvisad tomt")]
    statuses = [CandidateStatus.SELECTED, CandidateStatus.PROPOSED, CandidateStatus.REJECTED]
    candidates = []
    for site, status in zip(sites, statuses, strict=True):
        candidate = CandidateSite(lead_id=lead.id, site_id=site.id,
                                  municipality_id=site.municipality_id, status=status,
                                  note=f"Intern kandidatnotering {site.name}")
        db.session.add(candidate)
        candidates.append(candidate)
    db.session.commit()
    return lead, candidates


def _make(client, lead, candidates, language="sv", **extra):
    response = client.post(f"/leads/{lead.id}/packs", data={
        "candidates": [str(c.id) for c in candidates], "language": language, **extra})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    body = response.get_data(as_text=True)
    start = body.index('data-testid="pack-link"')
    return body[body.index('value="', start - 200) + 7:].split('"')[0]


def test_a_pack_shows_public_facts_and_a_map_and_nothing_internal(client, users,
                                                                  lead_with_candidates):
    lead, candidates = lead_with_candidates
    from datetime import date

    from app.reservations import service as reservations

    reservations.reserve(users["kumla"], candidates[0], {
        "kind": "markreservation", "decided_on": date(2026, 11, 20),
        "decided_by": "Kommunstyrelsen", "valid_from": date(2026, 12, 1),
        "valid_until": date(2027, 6, 1), "agreement_ref": "KS 2026/77"})
    login(client, "kumla")
    link = _make(client, lead, candidates[:2])
    token = link.rsplit("/", 1)[1]
    pack = db.session.scalar(sa.select(ProspectPack))
    assert pack.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in pack.token_hash and len(token) >= 43  # 256 bits, not stored
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "pack.created"))
    client.post("/logout")
    response = client.get(link.replace("http://localhost", ""))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    page = response.get_data(as_text=True)
    assert "Rala tomt 2" in page and "Törsjö tomt 2" in page and "Avvisad tomt" not in page
    assert 'src="data:image/png;base64,' in page  # the map, drawn here, no tile server
    assert "450" in page and "999" not in page  # price only where the site publishes it
    assert "Kim Kontakt" in page
    for internal in (lead.codename, company_name("paket"), description("paket"),
                     "Intern kandidatnotering", "Intern-paket", "KS 2026/77",
                     "Kommunstyrelsen", "Markreservation", "poäng"):
        assert internal not in page, internal
    assert "<script" not in page and "http" not in page.split("<body>", 1)[1]  # no asset


def test_openings_are_logged_with_the_network_only(client, users, lead_with_candidates):
    lead, candidates = lead_with_candidates
    login(client, "kumla")
    link = _make(client, lead, candidates[:1])
    path = link.replace("http://localhost", "")
    client.get(path, environ_base={"REMOTE_ADDR": "203.0.113.77"})
    opening = db.session.scalar(sa.select(PackOpening))
    assert opening.network == "203.0.113.0/24"
    assert truncated_network("2001:db8:1234:5678::1") == "2001:db8:1234::/48"
    page = client.get(f"/leads/{lead.id}").get_data(as_text=True)
    assert "Öppnat 1 gånger" in page or "Öppnat 1 gång" in page


def test_an_expired_revoked_or_unknown_link_is_404(client, users, lead_with_candidates):
    lead, candidates = lead_with_candidates
    login(client, "kumla")
    short = _make(client, lead, candidates[:1], expires_in_days="1").replace(
        "http://localhost", "")
    with time_machine.travel(datetime.now(UTC) + timedelta(days=2), tick=False):
        assert client.get(short).status_code == 404
    revoked = _make(client, lead, candidates[:1]).replace("http://localhost", "")
    pack = db.session.scalar(sa.select(ProspectPack).order_by(ProspectPack.id.desc()))
    assert client.post(f"/packs/{pack.id}/revoke").status_code == 302
    assert client.get(revoked).status_code == 404
    assert client.get("/p/" + "x" * 43).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PackOpening)) == 0


def test_only_the_leads_municipality_makes_and_sees_packs(client, users, lead_with_candidates):
    lead, candidates = lead_with_candidates
    login(client, "orebro")  # a partner: sees the lead anonymised, makes no pack
    response = client.post(f"/leads/{lead.id}/packs", data={
        "candidates": [str(candidates[1].id)], "language": "sv"})
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProspectPack)) == 0
    client.post("/logout")
    login(client, "kumla")
    response = client.post(f"/leads/{lead.id}/packs", data={
        "candidates": [str(candidates[2].id)], "language": "sv"}, follow_redirects=True)
    # A rejected candidate is not among the choices (the service says the same to the API).
    assert "Välj bara bland alternativen" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProspectPack)) == 0


def test_the_api_makes_a_pack_in_english_and_revokes_it(client, users, tokens,
                                                        lead_with_candidates):
    lead, candidates = lead_with_candidates
    made = client.post(f"/api/v1/leads/{lead.id}/packs", headers=bearer(tokens["kumla"]),
                       json={"candidate_ids": [candidates[0].id], "language": "en",
                             "expires_in_days": 10})
    assert made.status_code == 201, made.json
    path = made.json["url"].replace("http://localhost", "")
    page = client.get(path).get_data(as_text=True)
    assert '<html lang="en">' in page and "Sites for your establishment" in page
    bad = client.post(f"/api/v1/leads/{lead.id}/packs", headers=bearer(tokens["kumla"]),
                      json={"candidate_ids": [candidates[2].id], "language": "sv"})
    assert bad.status_code == 422 and "candidate_ids" in bad.json["error"]["fields"]
    other = client.delete(f"/api/v1/packs/{made.json['id']}", headers=bearer(tokens["orebro"]))
    assert other.status_code == 404
    gone = client.delete(f"/api/v1/packs/{made.json['id']}", headers=bearer(tokens["kumla"]))
    assert gone.status_code == 204
    assert client.get(path).status_code == 404
