"""Companies and contacts: organisation numbers, duplicate detection and merging.

Each municipality keeps its own register of companies (the same organisation number may
exist once per municipality). A user sees a company of their own municipality, or one
that a lead of the company's municipality shows them at full level; never through another
municipality's lead. A contact belongs to the lead (matter) it was added on and shows only
where that lead shows its company. Both rules are registered with app.scope.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app import audit, input_rules, scope
from app.extensions import db
from app.input_rules import FieldErrors, is_id
from app.leads.access import can_edit
from app.leads.errors import PermissionDenied
from app.leads.models import OPEN_STAGES, Company, Contact, Lead
from app.locking import update_versioned
from app.viewer import Viewer


class OrgnrError(input_rules.InputRejected):
    """An organisation number that we refuse; the message names the problem."""


def normalise_orgnr(raw: str) -> str:
    """`NNNNNN-NNNN` for a valid legal entity's organisation number, else OrgnrError
    (the rule lives in app.input_rules)."""
    try:
        return input_rules.normalise_orgnr_digits(raw)
    except input_rules.InputRejected as error:
        raise OrgnrError(error.message) from None


_SUFFIX = re.compile(r"\b(aktiebolag|ab|publ)\b")


def normalise_company_name(name: str) -> str:
    """Case, diacritics, punctuation and the AB/Aktiebolag suffix ignored."""
    text = unicodedata.normalize("NFKD", name or "").casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^\w\s]", " ", text)
    text = _SUFFIX.sub(" ", text)
    return " ".join(text.split())[:200]


def visible_companies(user: Viewer) -> sa.Select:
    return scope.select_visible(user, Company)


def get_visible_company(user: Viewer, company_id: int) -> Company | None:
    if not is_id(company_id):
        return None
    return scope.get_visible(user, Company, company_id)


def own_companies(user: Viewer) -> sa.Select:
    """The companies of the user's own municipality's register: the only ones a lead of
    the user may link to."""
    return visible_companies(user).where(Company.municipality_id == user.municipality_id)


def get_own_company(user: Viewer, company_id: Any) -> Company | None:
    """The company, if it is in the user's municipality's register; None otherwise, the
    same answer as for an id that does not exist."""
    if not is_id(company_id):
        return None
    return db.session.scalar(own_companies(user).where(Company.id == company_id))


def visible_contacts(user: Viewer, company: Company) -> list[Contact]:
    """The company's contacts the user may see (those of leads the user sees at full level)."""
    return list(db.session.scalars(scope.select_visible(user, Contact).where(
        Contact.company_id == company.id).order_by(Contact.name, Contact.id)))


def find_duplicates(user: Viewer, name: str | None, orgnr: str | None,
                    exclude_id: int | None = None) -> list[Company]:
    """Companies of the user's own municipality with the same organisation number or
    normalised name (the ones a new lead could link to instead)."""
    criteria = []
    if orgnr:
        criteria.append(Company.orgnr == orgnr)
    key = normalise_company_name(name or "")
    if key:
        criteria.append(Company.name_key == key)
    if not criteria:
        return []
    statement = own_companies(user).where(sa.or_(*criteria)).order_by(Company.name).limit(20)
    if exclude_id:
        statement = statement.where(Company.id != exclude_id)
    return list(db.session.scalars(statement))


def companies_by_orgnr(user: Viewer, orgnr: str) -> sa.Select:
    return visible_companies(user).where(Company.orgnr == orgnr).order_by(Company.id)


def regional_hints(user: Viewer, orgnr: str | None) -> list[str]:
    """A deliberate, narrow exception to "never reveal that it exists": registering an
    organisation number that another municipality has in an OPEN, NON-confidential lead
    names that municipality, the lead's codename and its advisor, so that the two can
    talk. Confidential leads never produce a hint (nor a different answer). It blocks
    nothing."""
    from app.auth.models import User
    from app.core.models import Municipality

    if not orgnr:
        return []
    rows = db.session.execute(
        sa.select(Municipality.name, Lead.codename, User.name)
        .join(Company, Company.id == Lead.company_id)
        .join(Municipality, Municipality.id == Lead.municipality_id)
        .join(User, User.id == Lead.owner_id)
        .where(Company.orgnr == orgnr, Company.municipality_id == Lead.municipality_id,
               Lead.municipality_id != user.municipality_id, Lead.confidential.is_(False),
               Lead.stage.in_(OPEN_STAGES))
        .order_by(Municipality.name, Lead.received_on, Lead.id).limit(10))
    return [str(_l("%(municipality)s has an open matter with this company "
                   "(%(codename)s, advisor: %(advisor)s)",
                   municipality=municipality, codename=codename, advisor=advisor))
            for municipality, codename, advisor in rows]


def _company_columns(values: dict[str, Any]) -> dict[str, Any]:
    """The stored form of a company's details (name key derived, blanks as NULL)."""
    name = values["name"].strip()
    return {
        "name": name,
        "name_key": normalise_company_name(name),
        "orgnr": values.get("orgnr") or None,
        "country": (values.get("country") or "Sverige").strip() or "Sverige",
        "sector": (values.get("sector") or "").strip() or None,
        "website": (values.get("website") or "").strip() or None,
    }


def build_company(values: dict[str, Any], municipality_id: int | None = None) -> Company:
    """A new company (not added to the session); create_lead and update_lead give it the
    lead's municipality when `municipality_id` is not given."""
    return Company(municipality_id=municipality_id, **_company_columns(values))


COMPANY_FIELDS = ("name", "orgnr", "country", "sector", "website")


def can_edit_company(user: Viewer, company: Company) -> bool:
    """Advisors and the admin of the company's own municipality (partners who see it
    through a share, and admins of other municipalities, do not edit it)."""
    return bool(user.is_authenticated and user.is_active
                and (user.is_advisor or user.is_admin)
                and company.municipality_id == user.municipality_id)


def editable_company_ids(user: Viewer, companies: list[Company]) -> set[int]:
    """Which of these companies the user may edit (`can_edit_company`)."""
    return {company.id for company in companies if can_edit_company(user, company)}


def update_company(user: Viewer, company: Company, submitted_version: int | None,
                   values: dict[str, Any]) -> Company:
    """Save a company's details if nobody saved a newer version first (StaleVersion
    otherwise); an organisation number another visible company has is refused."""
    if not can_edit_company(user, company):
        raise PermissionDenied()
    columns = _company_columns(values)
    if not columns["name"]:
        raise FieldErrors({"name": [str(_l("This field is required."))]})
    if columns["orgnr"] and db.session.scalar(sa.select(Company.id).where(
            Company.municipality_id == company.municipality_id,
            Company.orgnr == columns["orgnr"], Company.id != company.id).limit(1)) is not None:
        raise FieldErrors({"orgnr": [str(_l(
            "Another company has this organisation number: merge the two instead."))]})
    before = {name: getattr(company, name) for name in COMPANY_FIELDS}
    update_versioned(company, submitted_version, columns)
    audit.record(user, "company.updated", "company", company.id, before=before,
                 after={name: getattr(company, name) for name in COMPANY_FIELDS},
                 municipality_id=user.municipality_id)
    db.session.commit()
    return company


def add_contact(user: Viewer, lead: Lead, values: dict[str, Any]) -> Contact:
    if not can_edit(user, lead):
        raise PermissionDenied()
    if lead.company is None:
        raise FieldErrors({"name": [str(_l("Link a company to the lead first."))]})
    contact = Contact(company=lead.company, lead_id=lead.id, name=values["name"],
                      title=values.get("title") or None, email=values.get("email") or None,
                      phone=values.get("phone") or None)
    db.session.add(contact)
    db.session.flush()
    audit.record(user, "contact.created", "contact", contact.id,
                 after={"company_id": lead.company_id, "lead_id": lead.id},
                 municipality_id=lead.municipality_id)
    db.session.commit()
    return contact


def can_merge_companies(user: Viewer) -> bool:
    """Those who edit a municipality's companies merge duplicates in its register."""
    return bool(user.is_authenticated and user.is_active and (user.is_advisor or user.is_admin))


def merge_companies(user: Viewer, source_id: int, target_id: int) -> Company:
    """Merge `source` into `target`, two companies of the user's own municipality (advisors
    and the admin of that municipality): its leads and contacts move over, it is removed."""
    if not can_merge_companies(user):
        raise PermissionDenied()
    if source_id == target_id:
        raise FieldErrors({"target": [str(_l("Choose two different companies."))]})
    source = get_own_company(user, source_id)
    target = get_own_company(user, target_id)
    if source is None or target is None:
        raise FieldErrors({"source" if source is None else "target":
                                [str(_l("Unknown company."))]})
    lead_ids = list(db.session.scalars(sa.select(Lead.id).where(Lead.company_id == source.id)))
    db.session.execute(sa.update(Lead).where(Lead.company_id == source.id)
                       .values(company_id=target.id, version=Lead.version + 1)
                       .execution_options(synchronize_session=False))
    db.session.execute(sa.update(Contact).where(Contact.company_id == source.id)
                       .values(company_id=target.id).execution_options(synchronize_session=False))
    if not target.orgnr and source.orgnr:
        target.orgnr = source.orgnr
    audit.record(user, "company.merged", "company", target.id,
                 before={"source_id": source.id, "source_name": source.name,
                         "source_orgnr": source.orgnr},
                 after={"target_id": target.id, "lead_ids": lead_ids},
                 municipality_id=target.municipality_id)
    db.session.expire_all()
    db.session.execute(sa.delete(Company).where(Company.id == source_id))
    db.session.commit()
    return db.session.get_one(Company, target_id)
