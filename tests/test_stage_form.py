"""Issue 18: the stage form shows only the section of the chosen outcome, marks its
required fields, and shows no error before the user has submitted."""

from __future__ import annotations

import re

from tests.leads_helpers import login, make_lead


def _sections(page: str) -> dict[str, bool]:
    """Each outcome section: shown (True) or hidden."""
    return {name: "hidden" not in attributes for attributes, name in (
        (m.group(0), m.group(1)) for m in re.finditer(r'<fieldset data-outcome="(\w+)"[^>]*>', page))}


def test_only_the_chosen_outcome_is_shown_without_errors_before_submitting(client, users):
    lead = make_lead(users["kumla"], "utfall")
    login(client, "kumla")
    lost = client.get(f"/leads/{lead.id}/stage?stage=lost").get_data(as_text=True)
    assert _sections(lost) == {"lost": True, "won": False}
    assert "is-invalid" not in lost and lost.count(">Krävs<") == 5
    won = client.get(f"/leads/{lead.id}/stage?stage=won").get_data(as_text=True)
    assert _sections(won) == {"lost": False, "won": True} and "is-invalid" not in won
    other = client.get(f"/leads/{lead.id}/stage?stage=qualified").get_data(as_text=True)
    assert _sections(other) == {"lost": False, "won": False}


def test_a_submitted_lost_without_reason_shows_its_errors_in_its_section(client, users):
    lead = make_lead(users["kumla"], "utfall2")
    login(client, "kumla")
    response = client.post(f"/leads/{lead.id}/stage", data={"stage": "lost",
                                                            "version": str(lead.version)})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert _sections(page) == {"lost": True, "won": False}
    assert page.count("Krävs för detta skede.") == 2


def test_a_viewer_sees_no_done_button_on_someone_elses_follow_up(client, users):
    from datetime import date

    from app.leads import followups

    lead = make_lead(users["kumla"], "knapp")
    followups.add_followup(users["kumla"], lead, "Ring vd", date(2026, 12, 10))
    login(client, "viewer")
    page = client.get(f"/leads/{lead.id}").get_data(as_text=True)
    assert "Ring vd" in page and "/done" not in page
    client.post("/logout")
    login(client, "kumla")
    assert "/done" in client.get(f"/leads/{lead.id}").get_data(as_text=True)
