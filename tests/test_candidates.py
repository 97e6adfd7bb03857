"""Candidate sites of a lead (issue 15): who proposes, who sees, sharing as a side effect,
the confidential refusal, status changes under optimistic locking."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.candidates import service
from app.candidates.models import CandidateSite, CandidateStatus
from app.core.models import AuditEvent
from app.extensions import db
from app.input_rules import FieldErrors
from app.leads.errors import PermissionDenied
from app.leads.models import LeadShare, ShareLevel
from app.locking import StaleVersion
from app.notifications import service as notifications
from app.notifications.models import Notification
from app.sites.models import SiteStatus
from tests.factories import make_site
from tests.leads_helpers import make_lead, share


@pytest.fixture
def lead(users):
    return make_lead(users["kumla"], "kandidat")


@pytest.fixture
def sites(app):
    return {slug: make_site(slug, name=f"Tomt i {slug}") for slug in ("kumla", "hallsberg", "orebro")}


def test_the_owner_proposes_its_own_site(users, lead, sites):
    candidate = service.propose(users["kumla"], lead, sites["kumla"], note="Nära E20")
    assert (candidate.status, candidate.note, candidate.version) == (CandidateStatus.PROPOSED,
                                                                     "Nära E20", 1)
    assert candidate.municipality_id == sites["kumla"].municipality_id
    assert [c.id for c in service.candidates_of(users["kumla"], lead)] == [candidate.id]
    assert db.session.scalar(sa.select(AuditEvent.action).where(
        AuditEvent.action == "candidate.proposed")) == "candidate.proposed"


def test_proposing_a_partners_site_shares_the_lead_anonymised_and_mails_its_advisors(
        users, lead, sites, outbox):
    service.propose(users["kumla"], lead, sites["hallsberg"])
    notifications.send_queued()  # as the end of the request does
    shares = db.session.scalars(sa.select(LeadShare).where(LeadShare.lead_id == lead.id)).all()
    assert [(s.municipality.slug, s.level) for s in shares] == [("hallsberg", ShareLevel.ANONYMISED)]
    # the share at once; the proposal of its site waits for the digest (the default)
    assert [m["To"].addresses[0].addr_spec for m in outbox.messages()] == ["hallsberg@test.example"]
    kinds = db.session.scalars(sa.select(Notification.kind).where(
        Notification.user_id == users["hallsberg"].id)).all()
    assert sorted(kinds) == ["candidate_proposed", "lead_shared"]


def test_an_existing_full_share_is_not_lowered(users, lead, sites, outbox):
    share(lead, "hallsberg", ShareLevel.FULL)
    service.propose(users["kumla"], lead, sites["hallsberg"])
    levels = db.session.scalars(sa.select(LeadShare.level).where(LeadShare.lead_id == lead.id)).all()
    assert levels == [ShareLevel.FULL]
    assert outbox.messages() == []


def test_a_confidential_lead_is_not_shared_by_a_proposal(users, sites, outbox):
    secret = make_lead(users["kumla"], "hemlig", confidential=True)
    with pytest.raises(FieldErrors) as refused:
        service.propose(users["kumla"], secret, sites["hallsberg"])
    assert "dela det med Hallsberg först" in refused.value.fields["site_id"][0]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CandidateSite)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LeadShare)) == 0
    assert outbox.messages() == []
    share(secret, "hallsberg", ShareLevel.ANONYMISED)
    assert service.propose(users["kumla"], secret, sites["hallsberg"]).id


def test_a_partner_proposes_only_its_own_municipalitys_sites(users, lead, sites):
    with pytest.raises(PermissionDenied):  # not shared with Hallsberg yet
        service.propose(users["hallsberg"], lead, sites["hallsberg"])
    share(lead, "hallsberg", ShareLevel.ANONYMISED)
    service.propose(users["hallsberg"], lead, sites["hallsberg"])
    with pytest.raises(PermissionDenied):
        service.propose(users["hallsberg"], lead, sites["orebro"])
    with pytest.raises(PermissionDenied):
        service.propose(users["viewer"], lead, sites["kumla"])


def test_a_partner_sees_only_candidates_on_its_own_sites(users, lead, sites):
    share(lead, "hallsberg", ShareLevel.FULL)
    share(lead, "orebro", ShareLevel.FULL)
    own = service.propose(users["kumla"], lead, sites["kumla"])
    hallsbergs = service.propose(users["hallsberg"], lead, sites["hallsberg"])
    orebros = service.propose(users["orebro"], lead, sites["orebro"])
    seen = {who: [c.id for c in service.candidates_of(users[who], lead)]
            for who in ("kumla", "hallsberg", "orebro", "arboga", "admin")}
    assert seen == {"kumla": [own.id, hallsbergs.id, orebros.id], "hallsberg": [hallsbergs.id],
                    "orebro": [orebros.id], "arboga": [], "admin": [own.id, hallsbergs.id, orebros.id]}


def test_the_admin_does_not_see_candidates_of_a_confidential_lead(users, sites):
    secret = make_lead(users["kumla"], "hemlig", confidential=True)
    service.propose(users["kumla"], secret, sites["kumla"])
    assert service.candidates_of(users["admin"], secret) == []


def test_a_site_is_proposed_once_and_never_when_sold(users, lead, sites):
    service.propose(users["kumla"], lead, sites["kumla"])
    with pytest.raises(FieldErrors) as twice:
        service.propose(users["kumla"], lead, sites["kumla"])
    assert "redan kandidat" in twice.value.fields["site_id"][0]
    sold = make_site("kumla", name="Såld", status=SiteStatus.SOLD)
    with pytest.raises(FieldErrors):
        service.propose(users["kumla"], lead, sold)


def test_rejecting_needs_a_reason_and_a_stale_version_changes_nothing(users, lead, sites):
    candidate = service.propose(users["kumla"], lead, sites["kumla"])
    with pytest.raises(FieldErrors) as no_reason:
        service.change(users["kumla"], candidate, 1, {"status": "rejected"})
    assert set(no_reason.value.fields) == {"reason"}
    service.change(users["kumla"], candidate, 1, {"status": "visited"})
    with pytest.raises(StaleVersion):
        service.change(users["kumla"], candidate, 1, {"status": "selected"})
    db.session.rollback()
    assert db.session.get(CandidateSite, candidate.id).status == CandidateStatus.VISITED
    service.change(users["kumla"], candidate, 2, {"status": "rejected", "reason": "För liten"})
    stored = db.session.get(CandidateSite, candidate.id)
    assert (stored.status, stored.reason, stored.version) == (CandidateStatus.REJECTED,
                                                              "För liten", 3)


def test_only_the_owner_decides_while_a_partner_edits_its_note(users, lead, sites):
    share(lead, "hallsberg", ShareLevel.ANONYMISED)
    candidate = service.propose(users["hallsberg"], lead, sites["hallsberg"])
    with pytest.raises(PermissionDenied):
        service.change(users["hallsberg"], candidate, 1, {"status": "selected"})
    service.change(users["hallsberg"], candidate, 1, {"note": "Effekt kan byggas ut"})
    assert db.session.get(CandidateSite, candidate.id).note == "Effekt kan byggas ut"
    with pytest.raises(FieldErrors):
        service.change(users["kumla"], candidate, 2, {"status": "nonsense"})
