"""Issue 18: the lead's history (Historik) speaks: each change a sentence in the user's
language with the field's label and values as the product shows them, never JSON,
escapes or codes."""

from __future__ import annotations

import re
from datetime import date

from app.extensions import db
from app.leads import followups
from app.leads.sharing import respond, revoke_share, share_lead
from tests.leads_helpers import login, make_lead

NBSP = "\u00a0"


def _history(client, lead_id: int) -> str:
    page = client.get(f"/leads/{lead_id}").get_data(as_text=True)
    section = page[page.index('data-testid="history"'):]
    return re.sub(r"<[^>]+>", " ", section[:section.index("</ul>")])


def test_a_change_is_a_sentence_with_label_and_formatted_values(client, users):
    login(client, "kumla")
    response = client.post("/leads/new", data={
        "source": "direct", "codename": "Projekt Historia", "description": "Lager",
        "land_min_m2": "30 000"})
    lead_id = int(response.location.rsplit("/", 1)[1])
    edit = client.get(f"/leads/{lead_id}/edit").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', edit) or re.search(
        r'name="version" value="(\d+)"', edit)
    client.post(f"/leads/{lead_id}/edit", data={
        "source": "direct", "codename": "Projekt Historia", "description": "Lager",
        "land_min_m2": "50 000", "rail_siding": "yes", "land_must": "y",
        "version": version.group(1)})
    name = users["kumla"].name
    text = _history(client, lead_id)
    assert (f"{name} ändrade Markareal min (m²) från 30{NBSP}000 m² till 50{NBSP}000 m²"
            in text), text
    assert f"{name} ändrade Markarealen är ett krav från Nej till Ja" in text
    assert f"{name} angav Behöver industrispår: Ja" in text
    assert f"{name} skapade ärendet" in text
    for raw in ("{", "\\u", "True", "False", "land_min_m2", "lead.updated"):
        assert raw not in text, raw


def test_every_kind_of_event_reads_as_words_in_both_languages(client, users):
    lead = make_lead(users["kumla"], "händelser")
    share_lead(users["kumla"], lead, ["hallsberg"], "anonymised")
    share_lead(users["kumla"], lead, ["hallsberg"], "full")
    respond(users["hallsberg"], lead, "interested", "Ja")
    followups.add_followup(users["kumla"], lead, "Ring vd", date(2026, 12, 10))
    revoke_share(users["kumla"], lead, "hallsberg")
    login(client, "kumla")
    text = _history(client, lead.id)
    assert "delade ärendet med Hallsberg (Anonymiserad)" in text
    assert "delade ärendet med Hallsberg (Fullständig)" in text
    assert "svarade för Hallsberg: Intresserad" in text
    assert "lade till uppföljningen ”Ring vd”, senast 10 dec. 2026" in text
    assert "slutade dela ärendet med Hallsberg" in text
    users["kumla"].locale = "en"
    db.session.commit()
    english = _history(client, lead.id)
    assert "shared the lead with Hallsberg (Full)" in english
    for raw in ("{", "\\u", "anonymised", "hallsberg", "interested", "lead.shared"):
        assert raw not in text and raw not in english, raw
