"""Notifications in the product (issue 17, first part): a share, a change of its level, its
revocation and a partner's answer reach exactly the users who should know, say only the
codename (never the company), and are read by their reader alone."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.leads.sharing import respond, revoke_share, share_lead
from app.notifications.models import Notification
from tests.leads_helpers import company_name, login, make_lead


def _of(user) -> list[Notification]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Notification).where(
        Notification.user_id == user.id).order_by(Notification.id)))


def test_sharing_notifies_the_partners_users_and_no_one_else(client, users):
    lead = make_lead(users["kumla"], "avisering")
    share_lead(users["kumla"], lead, ["hallsberg"], "anonymised")
    (shared,) = _of(users["hallsberg"])
    assert shared.kind == "lead_shared" and shared.url == f"/leads/{lead.id}"
    for who in ("kumla", "viewer", "orebro", "arboga", "admin"):
        assert _of(users[who]) == [], who
    login(client, "hallsberg")
    page = client.get("/notifications").get_data(as_text=True)
    assert "Kumla delade Projekt avisering med er kommun (Anonymiserad)" in page
    assert company_name("avisering") not in page
    start = client.get("/").get_data(as_text=True)
    assert 'data-testid="unread">1<' in start

    share_lead(users["kumla"], lead, ["hallsberg"], "full")  # the level changed
    assert [n.kind for n in _of(users["hallsberg"])] == ["lead_shared", "lead_shared"]
    revoke_share(users["kumla"], lead, "hallsberg")
    revoked = _of(users["hallsberg"])[-1]
    assert revoked.kind == "share_revoked" and revoked.url is None


def test_a_partners_answer_notifies_the_owning_municipality(client, users):
    lead = make_lead(users["kumla"], "svar")
    share_lead(users["kumla"], lead, ["hallsberg"], "full")
    respond(users["hallsberg"], lead, "interested", "Vi har mark")
    kinds = {who: [n.kind for n in _of(users[who])] for who in ("kumla", "viewer", "hallsberg")}
    assert kinds == {"kumla": ["partner_answered"], "viewer": ["partner_answered"],
                     "hallsberg": ["lead_shared"]}  # not told of its own answer
    login(client, "kumla")
    page = client.get("/notifications").get_data(as_text=True)
    assert "Hallsberg svarade på Projekt svar: Intresserad" in page


def test_reading_one_and_all_only_ones_own(client, users):
    lead = make_lead(users["kumla"], "läst")
    share_lead(users["kumla"], lead, ["hallsberg", "orebro"], "anonymised")
    (mine,) = _of(users["hallsberg"])
    (theirs,) = _of(users["orebro"])
    login(client, "hallsberg")
    assert client.post(f"/notifications/{theirs.id}/read").status_code == 404
    response = client.post(f"/notifications/{mine.id}/read")
    assert response.status_code == 302 and response.location.endswith(f"/leads/{lead.id}")
    assert _of(users["hallsberg"])[0].read_at is not None
    assert _of(users["orebro"])[0].read_at is None
    client.post("/logout")
    login(client, "orebro")
    client.post("/notifications/read-all")
    assert _of(users["orebro"])[0].read_at is not None
    assert 'data-testid="unread"' not in client.get("/").get_data(as_text=True)
