"""The lead list's page reads a search as the union of its branches (codename; company
or organisation number at full level; description at full level), each with the other
filters. It must find exactly what `lead_query` (one condition with OR) finds, in the
same order, with the same total, for every sort and filter."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.extensions import db
from app.leads.companies import build_company
from app.leads.models import Lead, ShareLevel, Stage
from app.leads.queries import PAGE_SIZE, LeadFilters, lead_page, lead_query
from tests.leads_helpers import make_lead, share


@pytest.fixture
def searchable(users):
    """Leads that match "Falk" by one, two or three branches, in several municipalities
    and share levels, with companies that sort differently; and some that do not."""
    falk_company, other_company = "Falkenberg Logistik AB", "Ö-Varv AB"
    registers: dict[tuple[str, str], object] = {}  # each municipality its own company records
    made = []
    for n, (owner, codename, company, description, level) in enumerate([
        ("kumla", "Projekt Falk", falk_company, "Falk i beskrivningen", None),
        ("kumla", "Projekt Trana", falk_company, "inget", None),
        ("kumla", "Projekt Örn", other_company, "falkar och ugglor", None),
        ("kumla", "Projekt Mås", other_company, "inget", None),
        ("arboga", "Projekt Falkö", falk_company, "Falk", ShareLevel.ANONYMISED),
        ("arboga", "Projekt Stare", falk_company, "inget", ShareLevel.ANONYMISED),
        ("arboga", "Projekt Lärka", falk_company, "inget", ShareLevel.FULL),
        ("arboga", "Projekt Svala", other_company, "Falkenberg", ShareLevel.FULL),
        ("arboga", "Projekt Hök", falk_company, "Falk", None),
        ("hallsberg", "Projekt Falkeneld", None, "Falk", None),
    ]):
        lead = make_lead(users[owner], f"search-{n}", company=False,
                         stage=Stage.QUALIFIED if n % 2 else Stage.NEW)
        if company is not None:
            company = registers.setdefault((owner, company), build_company(
                {"name": company}, users[owner].municipality_id))
        lead.codename, lead.company, lead.description = codename, company, description
        lead.received_on = lead.received_on.replace(day=1 + n % 3)  # ties: id decides
        db.session.commit()
        if level is not None:
            share(lead, "kumla", level)
        made.append(lead)
    return made


SORTS = ("received_desc", "received_asc", "codename", "company", "stage", "updated_desc")


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("extra", [{}, {"stage": ["qualified"]}, {"municipality": "arboga"}])
@pytest.mark.parametrize("who", ["kumla", "admin", "arboga"])
def test_the_page_finds_what_the_query_finds(app, users, searchable, sort, extra, who):
    user = users[who]
    for text in ("Falk", "falkenberg", "Projekt", "ingenting alls", "100%_"):
        filters = LeadFilters(q=text, sort=sort, **extra)
        expected = [lead.id for lead in db.session.scalars(lead_query(user, filters))]
        page = lead_page(user, filters, 1)
        assert [row.id for row in page.rows] == expected[:PAGE_SIZE], (who, text, sort, extra)
        assert page.total == len(expected)


def test_a_lead_matching_several_branches_is_listed_once(app, users, searchable):
    page = lead_page(users["kumla"], LeadFilters(q="Falk"), 1)
    codenames = [row.codename for row in page.rows]
    assert codenames.count("Projekt Falk") == 1 and len(codenames) == len(set(codenames))
    # Kumla's own three matches, Lärka and Svala at full level (company, description),
    # Falkö by codename only: its company and description are hidden at anonymised level.
    assert set(codenames) == {"Projekt Falk", "Projekt Trana", "Projekt Örn", "Projekt Falkö",
                              "Projekt Lärka", "Projekt Svala"}
    assert page.total == 6


def test_pages_beyond_the_first_follow_the_same_order(app, users, searchable):
    filters = LeadFilters(q="Projekt", sort="codename")
    everything = [lead.id for lead in db.session.scalars(lead_query(users["admin"], filters))]
    assert len(everything) > 1
    import app.leads.queries as queries

    original = queries.PAGE_SIZE
    queries.PAGE_SIZE = 2
    try:
        pages = [row.id for number in range(1, len(everything) // 2 + 2)
                 for row in queries.lead_page(users["admin"], replace(filters), number).rows]
    finally:
        queries.PAGE_SIZE = original
    assert pages == everything
    assert db.session.get(Lead, everything[0]) is not None
