"""Helpers of the intake tests: filling the public inquiry form as a visitor does."""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.extensions import db
from app.leads.models import Lead

FORM = {
    "company_name": "Nordlager AB",
    "orgnr": "",
    "country": "Sverige",
    "contact_name": "Stina Svensson",
    "email": "stina@nordlager.example",
    "phone": "019-12 34 56",
    "sector": "Lager och logistik",
    "plans": "Ett lager på 20 000 m² med industrispår.",
    "land_area_m2": "60 000",
    "building_area_m2": "20 000",
    "rail_siding": "yes",
    "power_mw": "5,5",
    "expected_jobs": "80",
    "desired_start": "",
    "consent": "y",
}


def started_token(client, path: str = "/inquiry") -> str:
    """The signed time of the form as the page shows it."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="started" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="started" value="([^"]+)"', html)
    assert match, "no started token in the inquiry form"
    return match.group(1)


def submit(client, municipalities: list[str] | None = None, query: str = "",
           **fields: str):
    """Show the form, then send it (the fill time is the test's: INTAKE_MIN_FILL_SECONDS
    is 0 unless a test sets it)."""
    data: dict = {**FORM, **fields, "started": started_token(client, "/inquiry" + query)}
    data.setdefault("site_id", "")
    if municipalities is not None:
        data["municipalities"] = municipalities
    return client.post("/inquiry" + query, data=data)


def leads() -> list[Lead]:
    return list(db.session.scalars(sa.select(Lead).order_by(Lead.id)))
