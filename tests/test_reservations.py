"""Land reservations (issue 16, first part): made from a selected candidate by an advisor
of the site's municipality, at most one in force per site (also when two arrive at once),
the site's status follows and is locked while one is in force, everything audited."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from app.candidates.models import CandidateSite, CandidateStatus
from app.core.models import AuditEvent
from app.extensions import db
from app.input_rules import FieldErrors
from app.leads.models import ShareLevel
from app.notifications.models import Notification
from app.reservations import service
from app.reservations.models import Reservation, ReservationStatus
from app.sites.models import Site, SiteStatus
from tests.factories import make_site
from tests.leads_helpers import login, make_lead, share

FORM = {"kind": "markreservation", "decided_on": "2026-11-20", "decided_by": "Kommunstyrelsen",
        "valid_from": "2026-12-01", "valid_until": "2027-11-30", "agreement_ref": "KS 2026/412",
        "fee_sek": "50000"}


def _candidate(lead, site, status=CandidateStatus.SELECTED) -> CandidateSite:
    candidate = CandidateSite(lead_id=lead.id, site_id=site.id,
                              municipality_id=site.municipality_id, status=status)
    db.session.add(candidate)
    db.session.commit()
    return candidate


@pytest.fixture
def selected(users):
    lead = make_lead(users["kumla"], "reservation")
    site = make_site("kumla", name="Rala tomt 2")
    return _candidate(lead, site)


def _fresh(model, ident):
    db.session.expire_all()
    return db.session.get(model, ident)


def test_an_advisor_of_the_sites_municipality_reserves_a_selected_candidate(client, selected):
    login(client, "kumla")
    response = client.post(f"/candidates/{selected.id}/reservations", data=FORM)
    assert response.status_code == 302
    reservation = db.session.scalar(sa.select(Reservation))
    assert (reservation.status, reservation.valid_until, reservation.fee_sek,
            reservation.agreement_ref) == (ReservationStatus.ACTIVE, date(2027, 11, 30), 50_000,
                                           "KS 2026/412")
    site = _fresh(Site, selected.site_id)
    assert site.status == SiteStatus.RESERVED and site.version == 2
    event = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "reservation.created"))
    assert event.object_id == site.id and event.after["decided_by"] == "Kommunstyrelsen"
    page = client.get(f"/leads/{selected.lead_id}").get_data(as_text=True)
    assert 'data-testid="reservation"' in page and "KS 2026/412" in page


def test_a_second_reservation_is_refused_naming_the_period_in_force(client, users, selected):
    login(client, "kumla")
    client.post(f"/candidates/{selected.id}/reservations", data=FORM)
    other = _candidate(make_lead(users["kumla"], "annan"), selected.site)
    response = client.post(f"/candidates/{other.id}/reservations", data=FORM,
                           follow_redirects=True)
    body = response.get_data(as_text=True)
    assert "Objektet är redan reserverat (Markreservation) från" in body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Reservation)) == 1


def test_two_reservations_at_the_same_moment_one_wins_one_is_told(users, selected,
                                                                  monkeypatch):
    """The check before the insert sees nothing (the other request has not committed);
    the partial unique index refuses the second, which gets the same clear message."""
    values = {"kind": "markanvisning", "decided_on": date(2026, 11, 20), "decided_by": "KS",
              "valid_from": date(2026, 12, 1), "valid_until": date(2027, 6, 1)}
    service.reserve(users["kumla"], selected, values)
    other = _candidate(make_lead(users["kumla"], "samtidig"), selected.site)
    real = service.active_reservation
    calls = iter([None])
    monkeypatch.setattr(service, "active_reservation",
                        lambda site_id: next(calls, None) or real(site_id))
    with pytest.raises(FieldErrors) as refused:
        service.reserve(users["kumla"], other, values)
    assert "redan reserverat" in str(refused.value.fields["valid_from"][0]) or \
        "already reserved" in str(refused.value.fields["valid_from"][0])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Reservation)) == 1


@pytest.mark.parametrize(("who", "status", "expected"), [
    ("orebro", CandidateStatus.SELECTED, 404),  # cannot even see the candidate
    ("viewer", CandidateStatus.SELECTED, 403),
    ("kumla", CandidateStatus.VISITED, 302),  # refused with a message
])
def test_who_may_reserve_and_what(client, users, who, status, expected):
    lead = make_lead(users["kumla"], "vem")
    candidate = _candidate(lead, make_site("kumla", name="Tomten"), status)
    login(client, who)
    response = client.post(f"/candidates/{candidate.id}/reservations", data=FORM)
    assert response.status_code == expected
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Reservation)) == 0
    assert _fresh(Site, candidate.site_id).status == SiteStatus.AVAILABLE


def test_a_partners_site_is_reserved_by_the_partner_not_by_the_lead_owner(client, users):
    lead = make_lead(users["kumla"], "partner")
    share(lead, "orebro", ShareLevel.ANONYMISED)
    site = make_site("orebro", name="Törsjö tomt 2", lat=59.2050, lon=15.1700)
    candidate = _candidate(lead, site)
    login(client, "kumla")  # the lead's owner: Örebro decides on Örebro's land
    assert client.post(f"/candidates/{candidate.id}/reservations", data=FORM).status_code == 403
    client.post("/logout")
    login(client, "orebro")
    assert client.post(f"/candidates/{candidate.id}/reservations", data=FORM).status_code == 302
    assert _fresh(Site, site.id).status == SiteStatus.RESERVED
    # Both municipalities see it; a third does not.
    for who, seen in (("orebro", 1), ("kumla", 1), ("hallsberg", 0)):
        assert len(service.reservations_of_lead(users[who], lead.id)) == seen


@pytest.mark.parametrize(("field", "value", "swedish"), [
    ("valid_until", "2026-11-01", "måste sluta efter"),
    ("decided_by", "", "Fältet måste fyllas i"),
    ("kind", "arrende", "giltigt val"),
    ("fee_sek", "-1", "under noll"),
    ("valid_from", "9999-01-01", "rimliga"),
])
def test_bad_input_is_refused_in_swedish_and_nothing_changes(client, selected, field, value,
                                                             swedish):
    login(client, "kumla")
    response = client.post(f"/candidates/{selected.id}/reservations",
                           data={**FORM, field: value}, follow_redirects=True)
    assert swedish in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Reservation)) == 0
    assert _fresh(Site, selected.site_id).status == SiteStatus.AVAILABLE


def test_the_site_status_is_locked_while_reserved_in_form_and_api(client, users, tokens,
                                                                  selected):
    from tests.leads_helpers import bearer

    service.reserve(users["kumla"], selected, {
        "kind": "markreservation", "decided_on": date(2026, 11, 20), "decided_by": "KS",
        "valid_from": date(2026, 12, 1), "valid_until": date(2027, 6, 1)})
    site = _fresh(Site, selected.site_id)
    response = client.patch(f"/api/v1/sites/{site.id}", headers=bearer(tokens["kumla"]),
                            json={"version": site.version, "status": "available"})
    assert response.status_code == 422, response.json
    assert "reserverat till" in " ".join(response.json["error"]["fields"]["status"])
    assert _fresh(Site, site.id).status == SiteStatus.RESERVED
    # Other fields stay editable.
    response = client.patch(f"/api/v1/sites/{site.id}", headers=bearer(tokens["kumla"]),
                            json={"version": site.version, "power_mw": 12.0})
    assert response.status_code == 200, response.json


@pytest.mark.parametrize(("action", "status", "site_status"), [
    ("extend", ReservationStatus.EXTENDED, SiteStatus.RESERVED),
    ("cancel", ReservationStatus.CANCELLED, SiteStatus.AVAILABLE),
    ("convert", ReservationStatus.CONVERTED, SiteStatus.SOLD),
])
def test_extend_cancel_convert(client, users, selected, action, status, site_status):
    reservation = service.reserve(users["kumla"], selected, {
        "kind": "markreservation", "decided_on": date(2026, 11, 20), "decided_by": "KS",
        "valid_from": date(2026, 12, 1), "valid_until": date(2027, 6, 1)})
    login(client, "kumla")
    response = client.post(f"/reservations/{reservation.id}", data={
        "version": str(reservation.version), "action": action, "valid_until": "2027-12-01"})
    assert response.status_code == 302
    reservation = _fresh(Reservation, reservation.id)
    assert reservation.status == status
    assert _fresh(Site, selected.site_id).status == site_status
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == f"reservation.{action}")) == 1
    page = client.get(f"/leads/{selected.lead_id}").get_data(as_text=True)
    assert ('data-testid="offer-won-stage"' in page) == (action == "convert")
    # A stale form changes nothing more.
    client.post(f"/reservations/{reservation.id}", data={
        "version": "1", "action": "cancel"})
    assert _fresh(Reservation, reservation.id).status == status


def test_an_extension_must_end_later(client, users, selected):
    reservation = service.reserve(users["kumla"], selected, {
        "kind": "markreservation", "decided_on": date(2026, 11, 20), "decided_by": "KS",
        "valid_from": date(2026, 12, 1), "valid_until": date(2027, 6, 1)})
    login(client, "kumla")
    response = client.post(f"/reservations/{reservation.id}", data={
        "version": "1", "action": "extend", "valid_until": "2027-05-01"}, follow_redirects=True)
    assert "En förlängning slutar senare än" in response.get_data(as_text=True)
    assert _fresh(Reservation, reservation.id).valid_until == date(2027, 6, 1)


def _reserved_until(users, candidate, end: date) -> Reservation:
    return service.reserve(users["kumla"], candidate, {
        "kind": "markreservation", "decided_on": date(2026, 11, 20), "decided_by": "KS",
        "valid_from": date(2026, 12, 1), "valid_until": end})


def _at(day: date):
    from datetime import UTC, datetime

    import time_machine

    return time_machine.travel(datetime(day.year, day.month, day.day, 8, 0, tzinfo=UTC),
                               tick=False)


def test_reminders_at_60_30_and_7_days_each_once_then_expiry(app, smtp_server, users):
    from datetime import timedelta

    from app.reminders.service import send_due_reminders

    app.config.update(smtp_server.settings())
    lead = make_lead(users["kumla"], "påminnelse")
    share(lead, "orebro", ShareLevel.ANONYMISED)
    site = make_site("orebro", name="Törsjö tomt 2", lat=59.2050, lon=15.1700)
    candidate = _candidate(lead, site)
    end = date(2027, 6, 1)
    reservation = service.reserve(users["orebro"], candidate, {
        "kind": "markreservation", "decided_on": date(2026, 11, 20), "decided_by": "KS",
        "valid_from": date(2026, 12, 1), "valid_until": end})

    def mails() -> list[str]:
        return [m["To"].addresses[0].addr_spec for m in smtp_server.messages()]

    with _at(end - timedelta(days=61)):
        send_due_reminders()
    assert mails() == []
    for days, count in ((60, 2), (30, 4), (7, 6)):
        for _run in range(2):  # a second run (another scheduler) sends nothing more
            with _at(end - timedelta(days=days)):
                send_due_reminders()
        assert sorted(mails()) == sorted(["kumla@test.example", "orebro@test.example"]
                                         * (count // 2)), days
    message = smtp_server.messages()[-1]
    assert "Törsjö tomt 2" in message["Subject"]
    assert "Bolaget" not in message.get_body(("plain",)).get_content()  # never the company
    with _at(end):  # the last day: still in force
        send_due_reminders()
    assert _fresh(Reservation, reservation.id).status == ReservationStatus.ACTIVE
    with _at(end + timedelta(days=1)):
        send_due_reminders()
        send_due_reminders()
    assert _fresh(Reservation, reservation.id).status == ReservationStatus.EXPIRED
    assert _fresh(Site, site.id).status == SiteStatus.AVAILABLE
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "reservation.expired")) == 1
    # the expiry reaches the same two people once, in the product and by e-mail
    assert sorted(mails()[6:]) == ["kumla@test.example", "orebro@test.example"]
    expired = smtp_server.messages()[-1]
    assert "Törsjö tomt 2" in expired["Subject"] and "Bolaget" not in expired.as_string()
    assert sorted(db.session.scalars(sa.select(Notification.user_id).where(
        Notification.kind == "reservation_expired"))) == sorted(
        [users["kumla"].id, users["orebro"].id])


def test_a_short_reservation_is_reminded_at_the_milestone_it_has_reached(app, smtp_server,
                                                                           users, selected):
    from datetime import timedelta

    from app.reminders.service import send_due_reminders

    app.config.update(smtp_server.settings())
    end = date(2027, 1, 10)
    _reserved_until(users, selected, end)
    with _at(end - timedelta(days=20)):  # past 60 and 30: the 30-day reminder, once
        send_due_reminders()
        send_due_reminders()
    assert len(smtp_server.messages()) == 1
    with _at(end - timedelta(days=7)):
        send_due_reminders()
    assert len(smtp_server.messages()) == 2


API_BODY = {"kind": "markanvisning", "decided_on": "2026-11-20", "decided_by": "Tekniska nämnden",
            "valid_from": "2026-12-01", "valid_until": "2027-12-01", "fee_sek": 25000}


def test_the_api_reserves_extends_and_refuses_as_the_pages_do(client, users, tokens, selected):
    from tests.leads_helpers import bearer

    kumla = bearer(tokens["kumla"])
    created = client.post(f"/api/v1/sites/{selected.site_id}/reservations", headers=kumla,
                          json={**API_BODY, "candidate_id": selected.id})
    assert created.status_code == 201, created.json
    assert created.json["status"] == "active" and created.json["lead_codename"] == "Projekt reservation"
    again = client.post(f"/api/v1/sites/{selected.site_id}/reservations", headers=kumla,
                        json={**API_BODY, "candidate_id": selected.id})
    assert again.status_code == 422 and "valid_from" in again.json["error"]["fields"]
    other_site = make_site("kumla", name="Annan tomt")
    wrong = client.post(f"/api/v1/sites/{other_site.id}/reservations", headers=kumla,
                        json={**API_BODY, "candidate_id": selected.id})
    assert wrong.status_code == 422 and "candidate_id" in wrong.json["error"]["fields"]
    rid = created.json["id"]
    extended = client.patch(f"/api/v1/reservations/{rid}", headers=kumla, json={
        "version": 1, "action": "extend", "valid_until": "2028-06-01"})
    assert extended.status_code == 200 and extended.json["status"] == "extended"
    stale = client.patch(f"/api/v1/reservations/{rid}", headers=kumla,
                         json={"version": 1, "action": "cancel"})
    assert stale.status_code == 409
    hidden = client.patch(f"/api/v1/reservations/{rid}", headers=bearer(tokens["hallsberg"]),
                          json={"version": 2, "action": "cancel"})
    assert hidden.status_code == 404
    assert _fresh(Reservation, rid).status == ReservationStatus.EXTENDED


def test_reserved_sites_without_a_reservation_are_listed_for_the_admin_and_in_the_digest(
        app, client, auth, users, smtp_server):
    from datetime import UTC, datetime

    import time_machine

    from app.digest.service import send_weekly_digests
    from tests.mailbox import text_part

    app.config.update(smtp_server.settings())
    hand = make_site("kumla", name="Handreserverad", status=SiteStatus.RESERVED)
    make_site("kumla", name="Ledig")
    auth.login("admin@test.example")
    page = client.get("/admin/reservations-missing").get_data(as_text=True)
    assert "Handreserverad" in page and "Ledig" not in page
    assert client.get("/admin/").get_data(as_text=True).count("reservations-missing") == 1
    with time_machine.travel(datetime(2026, 11, 30, 6, 0, tzinfo=UTC), tick=False):
        send_weekly_digests()
    by_recipient = {m["To"].addresses[0].addr_spec: m for m in smtp_server.messages()}
    title = "Era objekt som är markerade som reserverade utan registrerad reservation"
    assert title in text_part(by_recipient["kumla@test.example"])
    assert f"/sites/{hand.id}" in text_part(by_recipient["kumla@test.example"])
    orebro = by_recipient.get("orebro@test.example")
    assert orebro is None or title not in text_part(orebro)
    auth.logout()
    login(client, "kumla")
    assert client.get("/admin/reservations-missing").status_code == 403


def test_seed_demo_records_a_reservation_for_every_reserved_demo_site(runner):
    runner.invoke(args=["seed-demo"])
    assert service.reserved_without_details() == []
    reserved = db.session.scalar(sa.select(sa.func.count()).select_from(Site).where(
        Site.status == SiteStatus.RESERVED))
    assert reserved > 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Reservation)) == reserved
    runner.invoke(args=["seed-demo"])  # idempotent
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Reservation)) == reserved


def test_the_site_page_names_the_reservation_to_who_may_see_it(client, users, selected):
    service.reserve(users["kumla"], selected, {
        "kind": "markreservation", "decided_on": date(2026, 11, 20), "decided_by": "KS",
        "valid_from": date(2026, 12, 1), "valid_until": date(2027, 6, 1),
        "agreement_ref": "KS 2026/9"})
    login(client, "kumla")
    page = client.get(f"/sites/{selected.site_id}").get_data(as_text=True)
    assert 'data-testid="site-reservation"' in page and "Projekt reservation" in page
    client.post("/logout")
    login(client, "hallsberg")  # sees the site, not whose reservation it is
    page = client.get(f"/sites/{selected.site_id}").get_data(as_text=True)
    assert "Projekt reservation" not in page and 'data-testid="site-reservation"' not in page
