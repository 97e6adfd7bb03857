"""Gallring: each municipality keeps the personal data of a closed lead for a set number
of years (default 3 after it was closed as lost, 10 after won), then anonymises it.

A lead is closed on its decision date (`decided_on`), else on the day its stage became won
or lost. Anonymising a lead erases its contacts' personal fields and — once none of the
company's leads in that municipality keeps personal data — the company's contact details
(website) and the contacts no lead holds. Everything reports count stays: stage, dates,
sector, areas, jobs, investment, lost reason. Each anonymised lead is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app import audit
from app.clock import local_date_of, local_today, local_zone, utcnow
from app.core.models import Municipality
from app.extensions import db
from app.input_rules import FieldErrors, InputRejected, check_number
from app.leads.errors import PermissionDenied
from app.leads.models import Company, Contact, Lead, Stage
from app.privacy.service import erase_fields
from app.viewer import Viewer

DEFAULT_LOST_YEARS = 3
DEFAULT_WON_YEARS = 10


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _closed_on_or_before(day: date) -> sa.ColumnElement[bool]:
    """Leads closed on `day` or earlier: by decision date, else by the (local) day of the
    stage change."""
    next_midnight = datetime.combine(day + timedelta(days=1), time.min, tzinfo=local_zone())
    return sa.or_(Lead.decided_on <= day,
                  sa.and_(Lead.decided_on.is_(None), Lead.stage_changed_at < next_midnight))


def due_criterion(municipality: Municipality, today: date) -> sa.ColumnElement[bool]:
    """The municipality's closed leads whose personal data is due for anonymisation."""
    lost = years_before(today, municipality.retention_lost_years)
    won = years_before(today, municipality.retention_won_years)
    return sa.and_(Lead.municipality_id == municipality.id, Lead.anonymised_at.is_(None),
                   sa.or_(sa.and_(Lead.stage == Stage.LOST, _closed_on_or_before(lost)),
                          sa.and_(Lead.stage == Stage.WON, _closed_on_or_before(won))))


@dataclass(frozen=True)
class DueLead:
    """A lead due for anonymisation as lists show it (codename only, never the company)."""

    id: int
    codename: str
    stage: Stage
    closed_on: date
    due_on: date


def closed_on(lead: Lead) -> date:
    return lead.decided_on or local_date_of(lead.stage_changed_at)


def due_leads(municipality: Municipality, limit: int | None = None) -> list[DueLead]:
    """The municipality's leads due for anonymisation, longest due first."""
    statement = (sa.select(Lead).where(due_criterion(municipality, local_today()))
                 .order_by(sa.func.coalesce(Lead.decided_on, Lead.stage_changed_at), Lead.id))
    if limit is not None:
        statement = statement.limit(limit)
    return [_due(lead, municipality) for lead in db.session.scalars(statement)]


def count_due(municipality: Municipality) -> int:
    return db.session.scalar(sa.select(sa.func.count(Lead.id)).where(
        due_criterion(municipality, local_today()))) or 0


def _due(lead: Lead, municipality: Municipality) -> DueLead:
    years = (municipality.retention_won_years if lead.stage == Stage.WON
             else municipality.retention_lost_years)
    closed = closed_on(lead)
    return DueLead(lead.id, lead.codename, lead.stage, closed,
                   years_before(closed, -years))


def can_anonymise(user: Viewer, municipality: Municipality) -> bool:
    """The municipality's advisors (and the admin of that municipality) decide on its
    matters' personal data."""
    return bool(user.is_authenticated and user.is_active and (user.is_advisor or user.is_admin)
                and user.municipality_id == municipality.id)


def can_see_due(user: Viewer, municipality: Municipality) -> bool:
    return can_anonymise(user, municipality)


def anonymise(user: Viewer | None, municipality: Municipality, lead_ids: list[int]) -> int:
    """Anonymise those of `lead_ids` that are still due (others are left alone); the number
    anonymised. `user` None: the system."""
    if user is not None and not can_anonymise(user, municipality):
        raise PermissionDenied()
    leads = list(db.session.scalars(sa.select(Lead).where(
        Lead.id.in_(lead_ids), due_criterion(municipality, local_today()))))
    now = utcnow()
    for lead in leads:
        _anonymise_lead(user, lead, now)
    db.session.commit()
    return len(leads)


def _anonymise_lead(user: Viewer | None, lead: Lead, now: datetime) -> None:
    contacts = list(db.session.scalars(sa.select(Contact).where(Contact.lead_id == lead.id)))
    erased = sum(erase_fields(contact, now) for contact in contacts)
    lead.anonymised_at = now
    company_cleared = False
    if lead.company_id is not None:
        company_cleared = _clear_company_if_done(lead.company_id, lead.id, now)
    db.session.flush()
    audit.record(user, "lead.anonymised", "lead", lead.id,
                 after={"contacts_erased": erased, "company_details_removed": company_cleared},
                 municipality_id=lead.municipality_id)


def _clear_company_if_done(company_id: int, lead_id: int, now: datetime) -> bool:
    """Remove the company's contact details once none of its leads keeps personal data."""
    keeping = db.session.scalar(sa.select(sa.func.count(Lead.id)).where(
        Lead.company_id == company_id, Lead.id != lead_id, Lead.anonymised_at.is_(None)))
    if keeping:
        return False
    company = db.session.get_one(Company, company_id)
    company.website = None
    for contact in company.contacts:
        if contact.lead_id is None:
            erase_fields(contact, now)
    return True


# ---------------------------------------------------------------- the setting

def save_setting(user: Viewer, municipality: Municipality, lost_years: Any,
                 won_years: Any) -> None:
    """The admin sets a municipality's retention (whole years, 1–50; audited)."""
    if not (user.is_authenticated and user.is_active and user.is_admin):
        raise PermissionDenied()
    errors: dict[str, list] = {}
    values: dict[str, int] = {}
    for name, value in (("lost_years", lost_years), ("won_years", won_years)):
        try:
            if value is None:
                raise InputRejected(_l("This field is required."))
            values[name] = int(check_number(value, "retention_years") or 0)
        except InputRejected as rejected:
            errors[name] = [rejected.message]
    if errors:
        raise FieldErrors(errors)
    before = {"lost_years": municipality.retention_lost_years,
              "won_years": municipality.retention_won_years}
    municipality.retention_lost_years = values["lost_years"]
    municipality.retention_won_years = values["won_years"]
    audit.record(user, "municipality.retention_changed", "municipality", municipality.id,
                 before=before, after=values, municipality_id=municipality.id)
    db.session.commit()
