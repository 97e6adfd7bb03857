"""Shared set-up of the lead tests: a small world of leads around Kumla and Arboga."""

from __future__ import annotations

from datetime import date

from app.extensions import db
from app.leads.companies import build_company
from app.leads.models import Activity, ActivityKind, Lead, LeadShare, ShareLevel, Source, Stage
from tests.factories import TEST_PASSWORD, municipality

# Each lead's company name and description are unique strings the tests look for.
LEADS = {
    # key: (owner, confidential, shared with kumla at)
    "kumla_own": ("kumla", False, None),
    "arboga_shared_anonymised": ("arboga", False, ShareLevel.ANONYMISED),
    "arboga_shared_full": ("arboga", False, ShareLevel.FULL),
    "arboga_unshared": ("arboga", False, None),
    "arboga_unshared_confidential": ("arboga", True, None),
}


def company_name(key: str) -> str:
    return f"Bolaget {key.replace('_', ' ').title().replace(' ', '')} AB"


def description(key: str) -> str:
    return f"Beskrivning-{key}-hemlig"


def make_lead(owner, key: str, confidential: bool = False, stage: Stage = Stage.NEW,
              company: bool = True, **extra) -> Lead:
    lead = Lead(
        codename=f"Projekt {key}", source=Source.DIRECT, received_on=date(2026, 10, 1),
        stage=stage, owner_id=owner.id, municipality_id=owner.municipality_id,
        sector="Warehousing", confidential=confidential, description=description(key),
        company=build_company({"name": company_name(key)}, owner.municipality_id)
        if company else None,
        land_min_m2=10000, land_max_m2=20000, **extra,
    )
    db.session.add(lead)
    db.session.flush()
    db.session.add(Activity(lead_id=lead.id, kind=ActivityKind.NOTE, body=f"Intern-{key}",
                            internal=True, author_id=owner.id,
                            municipality_id=owner.municipality_id))
    db.session.commit()
    return lead


def add_followups(lead: Lead, assignee, *days_from_today: int) -> None:
    """Open follow-ups of `lead`, due that many days from today (negative: overdue)."""
    from datetime import timedelta

    from app.clock import local_today
    from app.leads.models import FollowUp

    today = local_today()
    db.session.add_all([FollowUp(lead_id=lead.id, title=f"due {days:+d}",
                                 due_on=today + timedelta(days=days), assignee_id=assignee.id)
                        for days in days_from_today])
    db.session.commit()


def share(lead: Lead, slug: str, level: ShareLevel) -> None:
    db.session.add(LeadShare(lead_id=lead.id, municipality_id=municipality(slug).id, level=level))
    db.session.commit()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def login(client, who: str) -> None:
    response = client.post("/login", data={"email": f"{who}@test.example",
                                           "password": TEST_PASSWORD})
    assert response.status_code == 302


def export_rows(text: str) -> list[dict[str, str]]:
    """A lead export's CSV (byte-order mark, semicolons, Swedish headers) as rows keyed
    by the export's column keys (app.leads.export.COLUMNS)."""
    import csv
    import io

    from flask_babel import force_locale

    from app.leads.export import COLUMNS

    with force_locale("sv"):
        keys = {str(label): key for key, label in COLUMNS}
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")
    return [{keys[header]: value for header, value in row.items()} for row in reader]


def export_header(key: str) -> str:
    """The Swedish header of the lead export's column `key`."""
    from flask_babel import force_locale

    from app.leads.export import COLUMNS

    with force_locale("sv"):
        return next(str(label) for name, label in COLUMNS if name == key)
