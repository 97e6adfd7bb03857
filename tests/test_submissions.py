"""One-time submission tokens (issue 13, items 5 and 6): a double click or a resubmit of
a create form creates one object and shows it; a unique violation from a concurrent
request is a field error, never a 500."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.clock import local_today
from app.extensions import db
from app.leads import commands
from app.leads.models import Activity, Contact, FollowUp, Lead, LeadShare, ShareLevel
from app.sites.models import LogisticsNode, Site
from app.submissions.models import FormSubmission
from tests.factories import TEST_PASSWORD
from tests.leads_helpers import make_lead, share

TOKEN = "double-click-token-0123456789ab"
OTHER_TOKEN = "another-click-token-0123456789ab"
ALREADY_SAVED = "Redan sparat."
CODENAME_TAKEN = "Ett annat ärende har redan detta kodnamn."


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def tokens_in(html: str) -> list[str]:
    return re.findall(r'name="submission_token" type="hidden" value="([^"]+)"', html)


def lead_data(**overrides) -> dict:
    return {"codename": "", "source": "direct",
                            "description": "Lagerbehov", "submission_token": TOKEN, **overrides}


def login(client, email: str) -> None:
    assert client.post("/login", data={"email": email, "password": TEST_PASSWORD}
                       ).status_code == 302


@pytest.fixture
def kumla(client, users):
    login(client, "kumla@test.example")
    return users["kumla"]


# --- the token in the forms ------------------------------------------------------------


def test_every_create_form_of_a_lead_page_carries_its_own_token(client, kumla):
    lead = make_lead(kumla, "kumla_own")
    page = client.get(f"/leads/{lead.id}").get_data(as_text=True)
    tokens = tokens_in(page)
    assert len(tokens) == 4 and len(set(tokens)) == 4  # activity, follow-up, contact, share
    assert not set(tokens) & set(tokens_in(client.get(f"/leads/{lead.id}").get_data(as_text=True)))


@pytest.mark.parametrize("path, who", [("/leads/new", "kumla@test.example"),
                                       ("/sites/new", "kumla@test.example"),
                                       ("/admin/nodes/new", "admin@test.example"),
                                       ("/admin/users/new", "admin@test.example")])
def test_the_new_forms_carry_a_token(client, users, path, who):
    login(client, who)
    assert len(tokens_in(client.get(path).get_data(as_text=True))) == 1


# --- double submits ----------------------------------------------------------------------


def test_double_submitted_new_lead_with_a_blank_codename_creates_one_lead(client, kumla):
    first = client.post("/leads/new", data=lead_data())
    second = client.post("/leads/new", data=lead_data())
    assert count(Lead) == 1
    lead = db.session.scalar(sa.select(Lead))
    assert first.status_code == second.status_code == 302
    assert second.location == first.location == f"/leads/{lead.id}"
    assert ALREADY_SAVED in client.get(second.location).get_data(as_text=True)
    submission = db.session.scalar(sa.select(FormSubmission))
    assert (submission.user_id, submission.token, submission.endpoint, submission.object_type,
            submission.object_id) == (kumla.id, TOKEN, "leads.new", "leads", lead.id)


def test_resubmit_after_success_does_not_create_a_second_lead(client, kumla):
    created = client.post("/leads/new", data=lead_data(codename="Projekt Trana"),
                          follow_redirects=True)
    assert created.status_code == 200
    again = client.post("/leads/new", data=lead_data(codename="Projekt Trana"),
                        follow_redirects=True)
    assert again.status_code == 200 and ALREADY_SAVED in again.get_data(as_text=True)
    assert count(Lead) == 1


def test_a_refused_submission_keeps_its_token_for_the_corrected_one(client, kumla):
    refused = client.post("/leads/new", data=lead_data(land_min_m2="-1"))
    assert refused.status_code == 422 and tokens_in(refused.get_data(as_text=True)) == [TOKEN]
    assert client.post("/leads/new", data=lead_data()).status_code == 302
    assert count(Lead) == 1


def test_a_form_without_a_token_still_works_once(client, kumla):
    data = lead_data()
    del data["submission_token"]
    assert client.post("/leads/new", data=data).status_code == 302
    assert count(Lead) == 1 and count(FormSubmission) == 1


def test_a_token_of_another_user_is_not_honoured(client, app, users, kumla):
    assert client.post("/leads/new", data=lead_data()).status_code == 302
    kumla_lead = db.session.scalar(sa.select(Lead))
    other = app.test_client()
    login(other, "arboga@test.example")
    response = other.post("/leads/new", data=lead_data())
    assert response.status_code == 302 and response.location != f"/leads/{kumla_lead.id}"
    assert count(Lead) == 2
    arboga_lead = db.session.scalar(sa.select(Lead).where(Lead.id != kumla_lead.id))
    assert arboga_lead.owner_id == users["arboga"].id
    assert ALREADY_SAVED not in other.get(response.location).get_data(as_text=True)


def test_a_token_used_by_another_form_starts_afresh(client, kumla):
    lead = make_lead(kumla, "kumla_own")
    followups = count(FollowUp)
    assert client.post(f"/leads/{lead.id}/activities", data={
        "kind": "note", "body": "Samtal", "submission_token": TOKEN}).status_code == 302
    assert client.post(f"/leads/{lead.id}/followups", data={
        "title": "Ring", "due_on": local_today().isoformat(), "assignee_id": str(kumla.id),
        "submission_token": TOKEN}).status_code == 302
    assert count(FollowUp) == followups + 1


def _lead_page_forms(kumla_lead_id: int, user: User) -> dict:
    return {
        "activity": (f"/leads/{kumla_lead_id}/activities", Activity,
                     {"kind": "note", "body": "Samtal med bolaget", "internal": "y"}),
        "follow-up": (f"/leads/{kumla_lead_id}/followups", FollowUp,
                      {"title": "Ring tillbaka", "due_on": local_today().isoformat(),
                       "assignee_id": str(user.id)}),
        "contact": (f"/leads/{kumla_lead_id}/contacts", Contact,
                    {"name": "Anna Andersson", "title": "VD"}),
        "share": (f"/leads/{kumla_lead_id}/shares", LeadShare,
                  {"municipalities": "arboga", "level": "anonymised"}),
    }


@pytest.mark.parametrize("form", ["activity", "follow-up", "contact", "share"])
def test_double_submitted_lead_page_form_creates_one(client, kumla, form):
    lead = make_lead(kumla, "kumla_own")
    path, model, data = _lead_page_forms(lead.id, kumla)[form]
    before = count(model)
    first = client.post(path, data={**data, "submission_token": TOKEN})
    second = client.post(path, data={**data, "submission_token": TOKEN})
    assert count(model) == before + 1
    assert first.status_code == second.status_code == 302
    assert second.location == first.location
    assert ALREADY_SAVED in client.get(second.location).get_data(as_text=True)


def test_double_submitted_response_is_recorded_once(client, app, users):
    lead = make_lead(users["arboga"], "arboga_shared")
    share(lead, "kumla", ShareLevel.ANONYMISED)
    login(client, "kumla@test.example")
    data = {"response": "interested", "comment": "Vi har mark", "submission_token": TOKEN}
    assert client.post(f"/leads/{lead.id}/response", data=data).status_code == 302
    second = client.post(f"/leads/{lead.id}/response", data=data)
    assert second.status_code == 302
    assert ALREADY_SAVED in client.get(second.location).get_data(as_text=True)
    from app.core.models import AuditEvent
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "lead.share_response")) == 1


def site_data(**overrides) -> dict:
    return {"name": "Viatomten", "municipality": "kumla", "kind": "land", "lat": "59.1380",
            "lon": "15.1180", "status": "available", "owner": "municipal",
            "land_area_m2": "40000", "detaljplan_status": "", "rail_siding": "",
            "water_sewage": "", "action": "save", "submission_token": TOKEN, **overrides}


def test_double_submitted_site_creates_one_site(client, kumla):
    first = client.post("/sites/new", data=site_data())
    second = client.post("/sites/new", data=site_data())
    assert count(Site) == 1
    site = db.session.scalar(sa.select(Site))
    assert first.status_code == second.status_code == 302
    assert second.location == first.location == f"/sites/{site.id}"
    assert ALREADY_SAVED in client.get(second.location).get_data(as_text=True)


def node_data(**overrides) -> dict:
    return {"kind": "intermodal_terminal", "name": "Kumla kombiterminal", "municipality": "kumla",
            "lat": "59.1300", "lon": "15.1400", "accuracy": "published", "note": "",
            "submission_token": TOKEN, **overrides}


def test_double_submitted_logistics_node_creates_one(client, users):
    login(client, "admin@test.example")
    before = count(LogisticsNode)
    assert client.post("/admin/nodes/new", data=node_data()).status_code == 302
    second = client.post("/admin/nodes/new", data=node_data())
    assert second.status_code == 302 and count(LogisticsNode) == before + 1
    assert ALREADY_SAVED in client.get(second.location).get_data(as_text=True)


def test_a_logistics_node_name_taken_is_a_field_error(client, users):
    login(client, "admin@test.example")
    taken = db.session.scalar(sa.select(LogisticsNode.name))
    before = count(LogisticsNode)
    response = client.post("/admin/nodes/new", data=node_data(name=taken))
    assert response.status_code == 422
    assert "En annan logistiknod har redan detta namn." in response.get_data(as_text=True)
    assert count(LogisticsNode) == before


def test_double_submitted_user_invitation_creates_one_account(client, users):
    login(client, "admin@test.example")
    data = {"email": "ny@test.example", "name": "Ny Person", "municipality": "kumla",
            "role": "viewer", "locale": "sv", "active": "y", "submission_token": TOKEN}
    first = client.post("/admin/users/new", data=data)
    second = client.post("/admin/users/new", data=data)
    assert first.status_code == second.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User).where(
        User.email == "ny@test.example")) == 1
    new = db.session.scalar(sa.select(User).where(User.email == "ny@test.example"))
    assert second.location == f"/admin/users/{new.id}"


def test_submissions_older_than_a_week_are_pruned(client, app, kumla):
    import time_machine

    from app.clock import utcnow

    with time_machine.travel(utcnow() - timedelta(days=8), tick=False):
        assert client.post("/leads/new", data=lead_data()).status_code == 302
    assert client.post("/leads/new", data=lead_data(submission_token=OTHER_TOKEN)
                       ).status_code == 302
    assert [row.token for row in db.session.scalars(sa.select(FormSubmission))] == [OTHER_TOKEN]


# --- races: the other request commits between this one's check and its insert -------------


def _during(app, target, name: str, other_request) -> None:
    """Run `other_request` in another thread (its own app context, session and
    connection), to its end, when `target.name` is first called; then go on."""
    original = getattr(target, name)

    def in_context() -> None:
        with app.app_context():
            other_request()

    done: list[bool] = []

    def patched(*args, **kwargs):
        result = original(*args, **kwargs)
        if not done:
            done.append(True)
            thread = threading.Thread(target=in_context)
            thread.start()
            thread.join()
        return result

    return patched


def _second_client(app, email: str):
    other = app.test_client()
    login(other, email)
    return other


def test_double_click_racing_the_first_request_creates_one_lead(client, app, kumla,
                                                                 monkeypatch):
    other = _second_client(app, "kumla@test.example")
    answers = []
    monkeypatch.setattr(commands, "_check_lead_values", _during(
        app, commands, "_check_lead_values",
        lambda: answers.append(other.post("/leads/new", data=lead_data()))))
    response = client.post("/leads/new", data=lead_data())
    assert count(Lead) == 1
    assert answers[0].status_code == 302
    assert response.status_code == 302 and response.location == answers[0].location
    assert ALREADY_SAVED in client.get(response.location).get_data(as_text=True)


def test_two_concurrent_new_leads_with_one_codename_give_a_field_error_not_500(
        client, app, kumla, monkeypatch):
    other = _second_client(app, "kumla@test.example")
    answers = []
    monkeypatch.setattr(commands, "_check_lead_values", _during(
        app, commands, "_check_lead_values",
        lambda: answers.append(other.post("/leads/new", data=lead_data(
            codename="Projekt Trana", submission_token=OTHER_TOKEN)))))
    response = client.post("/leads/new", data=lead_data(codename="Projekt Trana"))
    assert answers[0].status_code == 302
    assert response.status_code == 422
    assert CODENAME_TAKEN in response.get_data(as_text=True)
    assert count(Lead) == 1 and count(FormSubmission) == 1


def test_two_concurrent_blank_codenames_get_two_suggestions(client, app, kumla, monkeypatch):
    other = _second_client(app, "kumla@test.example")
    answers = []
    monkeypatch.setattr(commands, "_check_lead_values", _during(
        app, commands, "_check_lead_values",
        lambda: answers.append(other.post("/leads/new", data=lead_data(
            submission_token=OTHER_TOKEN)))))
    response = client.post("/leads/new", data=lead_data())
    assert answers[0].status_code == response.status_code == 302
    assert count(Lead) == 2
    assert len(set(db.session.scalars(sa.select(Lead.codename)))) == 2


def test_two_concurrent_lead_edits_to_one_codename_give_a_field_error_not_500(
        client, app, kumla, monkeypatch):
    first, second = make_lead(kumla, "first"), make_lead(kumla, "second")
    other = _second_client(app, "kumla@test.example")
    answers = []

    def edit(lead, version):
        return {"codename": "Projekt Trana", "source": "direct",
                                             "description": "Lagerbehov", "version": str(version)}

    monkeypatch.setattr(commands, "_check_lead_values", _during(
        app, commands, "_check_lead_values",
        lambda: answers.append(other.post(f"/leads/{second.id}/edit",
                                          data=edit(second, second.version)))))
    response = client.post(f"/leads/{first.id}/edit", data=edit(first, first.version))
    assert answers[0].status_code == 302
    assert response.status_code == 422
    assert CODENAME_TAKEN in response.get_data(as_text=True)


def test_two_threads_double_submitting_one_new_lead_create_one(client, app, kumla):
    """The real thing: two clients of one user post the same form at the same moment."""
    clients = [client, _second_client(app, "kumla@test.example")]
    start = threading.Barrier(2)
    answers: list = [None, None]

    def post(index: int) -> None:
        start.wait()
        with app.app_context():
            answers[index] = clients[index].post("/leads/new", data=lead_data())

    threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [answer.status_code for answer in answers] == [302, 302]
    assert count(Lead) == 1
    assert answers[0].location == answers[1].location


def test_two_threads_creating_leads_with_one_codename_give_no_500(client, app, kumla):
    clients = [client, _second_client(app, "kumla@test.example")]
    start = threading.Barrier(2)
    answers: list = [None, None]

    def post(index: int) -> None:
        start.wait()
        with app.app_context():
            answers[index] = clients[index].post("/leads/new", data=lead_data(
            codename="Projekt Trana", submission_token=[TOKEN, OTHER_TOKEN][index]))

    threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answer.status_code for answer in answers) == [302, 422]
    assert count(Lead) == 1
