"""The lead list's rows (app/leads/rows.py): every typed value escaped, the badges, the
company only where the share level shows it, an overdue follow-up marked."""

from __future__ import annotations

from app.leads.models import ShareLevel
from tests.leads_helpers import add_followups, company_name, login, make_lead, share


def row(body: str, lead_id: int) -> str:
    start = body.rindex("<tr>", 0, body.index(f'href="/leads/{lead_id}"'))
    return body[start:body.index("</tr>", start)]


def test_a_row_escapes_what_was_typed_and_marks_an_overdue_follow_up(client, users):
    lead = make_lead(users["kumla"], "own", confidential=True)
    lead.codename = "<script>alert(1)</script>"
    lead.sector = 'Lager & "kyl"'
    add_followups(lead, users["kumla"], -2, 9)
    login(client, "kumla")
    html = row(client.get("/leads").get_data(as_text=True), lead.id)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</a>" in html and "<script>" not in html
    assert "<td>Lager &amp; &#34;kyl&#34;</td>" in html
    assert '<span class="badge text-bg-warning">Sekretessmarkerad</span>' in html
    assert company_name("own") in html and "Kumla" in html
    assert '<span class="text-danger fw-bold">' in html  # the earliest open one is late


def test_a_partner_row_shows_the_company_only_at_full_level(client, users):
    anonymised = make_lead(users["arboga"], "anon")
    full = make_lead(users["arboga"], "full")
    share(anonymised, "kumla", ShareLevel.ANONYMISED)
    share(full, "kumla", ShareLevel.FULL)
    login(client, "kumla")
    body = client.get("/leads").get_data(as_text=True)
    hidden, shown = row(body, anonymised.id), row(body, full.id)
    assert company_name("anon") not in body
    assert '<span class="badge text-bg-secondary">Anonymiserad</span>' in hidden
    assert company_name("full") in shown and "Anonymiserad" not in shown
    assert "text-danger" not in shown and shown.endswith("<td></td>")  # no follow-up


def test_no_rows_says_so(client, users):
    login(client, "kumla")
    body = client.get("/leads?q=finns-inte").get_data(as_text=True)
    assert 'data-testid="result-count">0 ' in body and "<tr><td colspan=\"8\">" in body


HOSTILE = '<script>alert("x")</script>'
HOSTILE_ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"


def test_a_row_escapes_a_typed_company_and_a_partner_codename(client, users):
    from app.extensions import db

    own = make_lead(users["kumla"], "own")
    partner = make_lead(users["arboga"], "partner")
    share(partner, "kumla", ShareLevel.FULL)
    for lead in (own, partner):
        lead.codename = f"Projekt {HOSTILE}"
        lead.company.name = f'Bolaget "{HOSTILE}" AB'
    db.session.commit()
    login(client, "kumla")
    body = client.get("/leads").get_data(as_text=True)
    assert "<script>alert" not in body
    mine, theirs = row(body, own.id), row(body, partner.id)
    assert f">Projekt {HOSTILE_ESCAPED}</a>" in mine
    assert f">Projekt {HOSTILE_ESCAPED} (Arboga)</a>" in theirs
    for html in (mine, theirs):
        assert f"<td>Bolaget &#34;{HOSTILE_ESCAPED}&#34; AB</td>" in html
