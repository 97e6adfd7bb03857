"""Issue 17's events and their readers: each event notifies exactly the users who should
know and may see it, no one else; no notification or its e-mail says more than its reader
may see (never a company, never an internal activity's text, never a confidential
codename to outsiders); e-mail follows each reader's choice (at once, weekly digest, not
at all); share changes and partners' answers appear in the lead's timeline for the owner
and the partner concerned only."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app import scope
from app.candidates import service as candidates
from app.candidates.models import CandidateSite, CandidateStatus
from app.digest.service import compose_digest
from app.digest.weeks import IsoWeek
from app.exports.models import ExportKind
from app.exports.service import record_export, run_export
from app.extensions import db
from app.leads import followups
from app.leads.handover import handover
from app.leads.models import Lead, ShareLevel
from app.leads.queries import LeadFilters
from app.leads.sharing import respond, revoke_share, share_lead
from app.mail.models import MailMessage
from app.notifications import service as notifications
from app.notifications.models import Notification, NotificationDelivery, NotificationSetting
from app.notifications.topics import Channel
from app.notifications.wording import text_of
from app.packs import service as packs
from app.reminders.service import send_due_reminders
from tests.factories import make_site, make_user
from tests.leads_helpers import company_name, login, make_lead, share
from tests.mailbox import text_part

EVERYONE = ("admin", "orebro", "hallsberg", "kumla", "arboga", "viewer")
CONSENT = {"basis": "consent", "basis_by": "Företagets vd", "basis_on": date(2026, 11, 30)}


def _readers(kind: str) -> dict[str, int]:
    """How many notifications of `kind` each user has (users without any left out)."""
    rows = db.session.execute(sa.select(Notification.user_id, sa.func.count()).where(
        Notification.kind == kind).group_by(Notification.user_id)).all()
    return dict(rows)


def _who(users, kind: str) -> set[str]:
    counts = _readers(kind)
    return {name for name, user in users.items() if user.id in counts}


def _assert_nothing_unseen(users) -> None:
    """Every notification about a lead is about one its reader may see (a withdrawn share
    excepted: it tells of the lead the reader no longer sees, by codename only), and its
    text names no company and no internal activity."""
    db.session.expire_all()
    for notification in db.session.scalars(sa.select(Notification)):
        reader = next(user for user in users.values() if user.id == notification.user_id)
        text = text_of(notification)
        assert "Bolaget" not in text and "Intern-" not in text, text
        if notification.lead_id is not None and notification.kind != "share_revoked":
            assert scope.get_visible(reader, Lead, notification.lead_id) is not None, (
                notification.kind, reader.email)


@pytest.fixture
def hallsberg_site():
    return make_site("hallsberg", name="Hallsberg norra", lat=59.07, lon=15.11)


@pytest.fixture
def kumla_site():
    return make_site("kumla", name="Kumla södra", lat=59.12, lon=15.14)


# --- who is told of what ----------------------------------------------------------------------

def test_share_level_change_and_revocation_reach_the_partners_users_only(users):
    lead = make_lead(users["kumla"], "delning")
    share_lead(users["kumla"], lead, ["hallsberg"], "anonymised")
    share_lead(users["kumla"], lead, ["hallsberg"], "full")
    assert _readers("lead_shared") == {users["hallsberg"].id: 2}
    _assert_nothing_unseen(users)
    revoke_share(users["kumla"], lead, "hallsberg")
    assert _who(users, "share_revoked") == {"hallsberg"}


def test_a_confidential_leads_full_share_tells_only_that_partner(users):
    secret = make_lead(users["arboga"], "hemlig", confidential=True)
    share_lead(users["arboga"], secret, ["orebro"], "full", CONSENT)
    assert _who(users, "lead_shared") == {"orebro"}  # not the admin, who works in Örebro
    _assert_nothing_unseen(users)


def test_a_partners_answer_reaches_the_owning_municipality_not_other_partners(users):
    lead = make_lead(users["kumla"], "svar")
    share_lead(users["kumla"], lead, ["hallsberg", "arboga"], "full")
    respond(users["hallsberg"], lead, "interested", "Vi har mark vid terminalen")
    assert _who(users, "partner_answered") == {"kumla", "viewer"}
    (answer,) = db.session.scalars(sa.select(Notification).where(
        Notification.kind == "partner_answered", Notification.user_id == users["kumla"].id))
    assert "Vi har mark" not in str(answer.params)  # the comment stays on the lead
    _assert_nothing_unseen(users)


def test_a_handover_tells_the_new_owner_not_the_actor(users):
    colleague = make_user("kumla2@test.example", "kumla", "advisor")
    make_lead(users["kumla"], "överlämnad")
    handover(users["kumla"], users["kumla"], colleague)
    (told,) = db.session.scalars(sa.select(Notification).where(
        Notification.kind == "lead_handed_over"))
    name = users["kumla"].name
    assert told.user_id == colleague.id
    assert text_of(told) == (f"{name} lämnade över till dig vad {name} hade: ärenden 1, "
                             "uppföljningar 0")


def test_a_follow_up_given_to_someone_else_tells_them_one_of_ones_own_does_not(users):
    lead = make_lead(users["kumla"], "uppföljning")
    followups.add_followup(users["kumla"], lead, "Ring vd", date(2026, 12, 10))
    assert _readers("followup_assigned") == {}
    followups.add_followup(users["kumla"], lead, "Visa tomten", date(2026, 12, 11),
                           assignee_id=users["viewer"].id)
    (told,) = db.session.scalars(sa.select(Notification).where(
        Notification.kind == "followup_assigned"))
    assert told.user_id == users["viewer"].id and "Visa tomten" in text_of(told)
    assert "10 dec. 2026" in text_of(told) or "11 dec. 2026" in text_of(told)


def test_a_proposal_tells_the_sites_municipality_and_a_partners_proposal_the_owner(
        users, hallsberg_site):
    lead = make_lead(users["kumla"], "kandidat")
    candidates.propose(users["kumla"], lead, hallsberg_site)  # Kumla proposes Hallsberg's site
    assert _who(users, "candidate_proposed") == {"hallsberg"}
    db.session.execute(sa.delete(Notification))
    other = make_site("hallsberg", name="Hallsberg södra", lat=59.06, lon=15.10)
    candidates.propose(users["hallsberg"], lead, other)  # the partner proposes its own site
    assert _who(users, "candidate_proposed") == {"kumla", "viewer"}
    (told,) = db.session.scalars(sa.select(Notification).where(
        Notification.user_id == users["kumla"].id))
    assert text_of(told) == "Hallsberg föreslog Hallsberg södra som kandidat för Projekt kandidat"
    _assert_nothing_unseen(users)


def test_the_first_opening_of_a_pack_tells_its_maker_once(client, users, kumla_site):
    lead = make_lead(users["kumla"], "paket")
    candidate = candidates.propose(users["kumla"], lead, kumla_site)
    _pack, token = packs.make_pack(users["kumla"], lead, [candidate.id], "sv")
    assert client.get(f"/p/{token}").status_code == 200
    assert client.get(f"/p/{token}").status_code == 200
    assert _readers("pack_opened") == {users["kumla"].id: 1}


def test_an_export_job_tells_its_requester(users):
    make_lead(users["kumla"], "export")
    export = record_export(users["kumla"], ExportKind.LEADS, LeadFilters())
    run_export(export.id)
    (told,) = db.session.scalars(sa.select(Notification).where(
        Notification.kind == "export_ready"))
    assert told.user_id == users["kumla"].id and told.url == "/exports"
    assert text_of(told) == "Din export (1 rad) är klar att ladda ner"


def test_a_reservation_of_a_confidential_lead_never_names_it_to_the_sites_advisors_uninvited(
        users, hallsberg_site):
    """The site's municipality is told of the reservation's end; its advisors see the
    codename only because the lead is shared with them (else the reservation could not
    have been made)."""
    from app.reservations import service as reservations

    secret = make_lead(users["kumla"], "hemlig", confidential=True)
    share(secret, "hallsberg", ShareLevel.FULL)
    candidate = CandidateSite(lead_id=secret.id, site_id=hallsberg_site.id,
                              municipality_id=hallsberg_site.municipality_id,
                              status=CandidateStatus.SELECTED)
    db.session.add(candidate)
    db.session.commit()
    end = date(2027, 3, 1)
    reservations.reserve(users["hallsberg"], candidate, {
        "kind": "markreservation", "decided_on": date(2026, 11, 20), "decided_by": "KS",
        "valid_from": date(2026, 12, 1), "valid_until": end})
    from datetime import UTC, datetime

    import time_machine

    with time_machine.travel(datetime(2027, 1, 30, 8, tzinfo=UTC), tick=False):
        send_due_reminders()
    assert _who(users, "reservation_ending") == {"kumla", "hallsberg"}
    _assert_nothing_unseen(users)


# --- by e-mail, as each reader chose ---------------------------------------------------------

def test_defaults_at_once_for_shares_in_the_digest_for_candidates(client, users, outbox,
                                                                   hallsberg_site):
    lead = make_lead(users["kumla"], "kanal")
    login(client, "kumla")
    client.post(f"/leads/{lead.id}/candidates", data={"site_id": hallsberg_site.id})
    # one request: the share (at once) is e-mailed when the request ends; the proposal
    # (weekly digest) is not
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CandidateSite)) == 1
    mails = outbox.messages()
    assert [m["To"].addresses[0].addr_spec for m in mails] == ["hallsberg@test.example"]
    assert "Projekt kanal" in mails[0]["Subject"] and company_name("kanal") not in mails[0].as_string()
    assert f"http://etablera.test/leads/{lead.id}" in text_part(mails[0])
    proposed = db.session.scalar(sa.select(Notification).where(
        Notification.kind == "candidate_proposed"))
    assert proposed.email == Channel.DIGEST
    monday = IsoWeek.of(proposed.created_at + timedelta(days=7))
    digest = compose_digest(users["hallsberg"], monday, proposed.created_at + timedelta(days=7))
    (section, items) = next((s, i) for s, i in digest.sections if s.key == "notifications")
    assert [item.text for item in items] == [
        "Hallsberg norra, ett objekt i er kommun, föreslogs som kandidat för Projekt kanal"]
    assert items[0].lead_id == lead.id


def test_a_reader_who_chose_not_by_e_mail_gets_none_but_sees_it_in_the_product(
        client, users, outbox):
    login(client, "hallsberg")
    page = client.get("/profile").get_data(as_text=True)
    assert 'id="notification-settings"' in page and "Direkt" in page
    response = client.post("/profile/notifications", data={
        "notify-shares": "off", "notify-answers": "now",
        "notify-mentions": "now", "notify-assignments": "digest", "notify-candidates": "now",
        "notify-reservations": "now", "notify-packs": "digest", "notify-exports": "off",
        "notify-inquiries": "now"})
    assert response.status_code == 302
    lead = make_lead(users["kumla"], "tyst")
    share_lead(users["kumla"], lead, ["hallsberg"], "anonymised")
    assert notifications.send_queued() == 0 and outbox.messages() == []
    (told,) = db.session.scalars(sa.select(Notification).where(
        Notification.user_id == users["hallsberg"].id))
    assert told.email is None and told.kind == "lead_shared"


def test_a_bad_choice_is_refused_and_changes_nothing(client, users):
    login(client, "hallsberg")
    response = client.post("/profile/notifications", data={
        "notify-shares": "sometimes", "notify-answers": "now", "notify-mentions": "now",
        "notify-assignments": "digest", "notify-candidates": "now",
        "notify-reservations": "now", "notify-packs": "digest", "notify-exports": "off",
        "notify-inquiries": "now"})
    assert response.status_code == 422
    assert "Inte ett giltigt val" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NotificationSetting)) == 0


def test_the_e_mail_is_in_the_readers_language_and_checks_the_lead_again(users, outbox):
    users["hallsberg"].locale = "en"
    db.session.commit()
    lead = make_lead(users["kumla"], "språk")
    share_lead(users["kumla"], lead, ["hallsberg", "arboga"], "anonymised")
    # withdrawn before the mail went: Arboga is not sent the link to a lead it cannot
    # open, only that the share ended
    revoke_share(users["kumla"], lead, "arboga")
    assert notifications.send_queued() == 2
    mails = {m["To"].addresses[0].addr_spec: m["Subject"] for m in outbox.messages()}
    assert mails == {
        "hallsberg@test.example": "Kumla shared Projekt språk with your municipality (Anonymised)",
        "arboga@test.example": "Kumla delar inte längre Projekt språk med er kommun"}
    delivery = db.session.scalars(sa.select(NotificationDelivery)).all()
    assert sorted(d.status.value for d in delivery) == ["sent", "sent", "skipped"]


def test_a_failed_e_mail_is_retried_by_the_scheduler_and_sent_once(app, users, smtp_server):
    app.config.update(smtp_server.settings())
    app.config["MAIL_PORT"] = 1  # nothing listens: the first attempt fails
    lead = make_lead(users["kumla"], "omförsök")
    share_lead(users["kumla"], lead, ["hallsberg"], "anonymised")
    assert notifications.send_queued() == 0
    assert db.session.scalar(sa.select(MailMessage.status)).value == "failed"
    app.config.update(smtp_server.settings())
    later = db.session.scalar(sa.select(Notification.created_at)) + timedelta(hours=1)
    import time_machine

    with time_machine.travel(later, tick=False):
        assert send_due_reminders()["notifications"] == 1
        assert send_due_reminders()["notifications"] == 0
    assert [m["To"].addresses[0].addr_spec for m in smtp_server.messages()] == [
        "hallsberg@test.example"]


# --- the timeline -----------------------------------------------------------------------------

def test_share_changes_and_answers_in_the_timeline_for_the_owner_and_that_partner(client, users):
    lead = make_lead(users["kumla"], "tidslinje")
    share_lead(users["kumla"], lead, ["hallsberg", "arboga"], "full")
    respond(users["hallsberg"], lead, "interested", "Vi har 12 ha vid terminalen")
    login(client, "kumla")
    page = client.get(f"/leads/{lead.id}").get_data(as_text=True)
    assert "Delat med Hallsberg (Fullständig)" in page and "Delat med Arboga" in page
    assert "Hallsberg svarade: Intresserad" in page and "Vi har 12 ha vid terminalen" in page
    client.post("/logout")
    login(client, "hallsberg")
    page = client.get(f"/leads/{lead.id}").get_data(as_text=True)
    assert "Hallsberg svarade: Intresserad" in page and "Delat med Hallsberg" in page
    assert "Delat med Arboga" not in page
    client.post("/logout")
    login(client, "arboga")
    page = client.get(f"/leads/{lead.id}").get_data(as_text=True)
    assert "Hallsberg svarade" not in page and "Vi har 12 ha" not in page
    assert "Delat med Hallsberg" not in page and "Delat med Arboga" in page


def test_the_mail_log_names_kinds_in_the_admins_language(client, users, outbox):
    lead = make_lead(users["kumla"], "logg")
    share_lead(users["kumla"], lead, ["hallsberg"], "anonymised")
    assert notifications.send_queued() == 1
    login(client, "admin")
    page = client.get("/admin/mail/").get_data(as_text=True)
    assert "<td>Avisering</td>" in page and ">notification<" not in page
