"""The rules of prospect packs: made by an advisor of the lead's municipality from its
proposed, visited or selected candidates; a 256-bit secret link of which only the hash is
kept; open until it expires (30 days unless chosen) or is revoked; every opening logged
with the client's network truncated; the pack shows only a site's public facts."""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app import audit, scope
from app.auth.models import User
from app.candidates.models import CandidateSite, CandidateStatus
from app.clock import utcnow
from app.extensions import db
from app.input_rules import FieldErrors
from app.leads.errors import PermissionDenied
from app.leads.models import Lead
from app.notifications import service as notifications
from app.packs import staticmap
from app.packs.access import can_make_pack
from app.packs.models import PackOpening, ProspectPack
from app.sites.models import LogisticsNode
from app.viewer import Viewer

PACKABLE = (CandidateStatus.PROPOSED, CandidateStatus.VISITED, CandidateStatus.SELECTED)
LANGUAGES = ("sv", "en")
DEFAULT_DAYS, MAX_DAYS = 30, 365


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def packable_candidates(user: Viewer, lead: Lead) -> list[CandidateSite]:
    return list(db.session.scalars(
        scope.select_visible(user, CandidateSite)
        .where(CandidateSite.lead_id == lead.id, CandidateSite.status.in_(PACKABLE))
        .order_by(CandidateSite.id)))


def make_pack(user: Viewer, lead: Lead, candidate_ids: list[int], language: str,
              expires_in_days: int | None = None) -> tuple[ProspectPack, str]:
    """A new pack and its secret token (returned once; only its hash is stored)."""
    if not can_make_pack(user, lead):
        raise PermissionDenied()
    errors: dict[str, list[str]] = {}
    offered = {c.id: c for c in packable_candidates(user, lead)}
    chosen = [offered[i] for i in dict.fromkeys(candidate_ids) if i in offered]
    if not chosen or len(chosen) != len(set(candidate_ids)):
        errors["candidate_ids"] = [str(_l(
            "Choose one or more of the lead's proposed, visited or selected candidates."))]
    if language not in LANGUAGES:
        errors["language"] = [str(_l("Not a valid choice."))]
    days = DEFAULT_DAYS if expires_in_days is None else expires_in_days
    if not 1 <= days <= MAX_DAYS:
        errors["expires_in_days"] = [str(_l("From 1 to %(max)s days.", max=MAX_DAYS))]
    if errors:
        raise FieldErrors(errors)
    token = secrets.token_urlsafe(32)  # 256 bits
    pack = ProspectPack(lead_id=lead.id, municipality_id=lead.municipality_id,
                        token_hash=_hash(token), language=language,
                        expires_at=utcnow() + timedelta(days=days), created_by_id=user.id,
                        candidates=chosen)
    db.session.add(pack)
    db.session.flush()
    audit.record(user, "pack.created", "lead", lead.id,
                 after={"pack": pack.id, "candidates": [c.id for c in chosen],
                        "language": language, "expires_at": pack.expires_at.isoformat()},
                 municipality_id=lead.municipality_id)
    db.session.commit()
    return pack, token


def packs_of(user: Viewer, lead: Lead) -> list[ProspectPack]:
    return list(db.session.scalars(
        scope.select_visible(user, ProspectPack).where(ProspectPack.lead_id == lead.id)
        .order_by(ProspectPack.created_at.desc(), ProspectPack.id.desc())))


def get_pack_or_404(user: Viewer, pack_id: int) -> ProspectPack:
    return scope.get_visible_or_404(user, ProspectPack, pack_id)


def revoke(user: Viewer, pack: ProspectPack) -> ProspectPack:
    if not can_make_pack(user, pack.lead):
        raise PermissionDenied()
    if pack.revoked_at is None:
        pack.revoked_at = utcnow()
        audit.record(user, "pack.revoked", "lead", pack.lead_id, after={"pack": pack.id},
                     municipality_id=pack.municipality_id)
        db.session.commit()
    return pack


def truncated_network(address: str | None) -> str | None:
    """The client's network, not its address: IPv4 /24, IPv6 /48."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return None
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def open_by_token(token: str, client_address: str | None) -> ProspectPack | None:
    """The pack of this secret, if open; the opening is logged."""
    pack = db.session.scalar(sa.select(ProspectPack).where(
        ProspectPack.token_hash == _hash(token)))
    now = utcnow()
    if pack is None or not pack.is_open(now):
        return None
    first = not pack.openings
    db.session.add(PackOpening(pack_id=pack.id, opened_at=now,
                               network=truncated_network(client_address)))
    if first:
        _notify_opened(pack)
    db.session.commit()
    return pack


def _notify_opened(pack: ProspectPack) -> None:
    """The pack's maker and the lead's owner learn of its first opening. Not committed."""
    readers = db.session.scalars(sa.select(User).where(
        User.id.in_({pack.created_by_id, pack.lead.owner_id} - {None}),
        User.active.is_(True)))
    notifications.notify(readers, "pack_opened", {"codename": pack.lead.codename},
                         f"/leads/{pack.lead_id}#packs", lead_id=pack.lead_id)


@dataclass(frozen=True)
class PackSite:
    """What the company sees of a site: its public facts, never an internal field."""

    number: int
    name: str
    municipality: str
    kind: str
    address: str | None
    property_designation: str | None
    land_area_m2: int | None
    contiguous_area_m2: int | None
    building_area_m2: int | None
    price_sek_m2: int | None  # only where the site publishes its price
    rail_siding: str | None
    power_mw: float | None
    water_sewage: bool | None
    readiness: str | None
    detaljplan: str | None
    available_from: date | None
    dist_motorway_km: float | None
    dist_terminal_km: float | None
    dist_airport_km: float | None
    contact_person: str | None


def pack_sites(pack: ProspectPack) -> list[PackSite]:
    sites = [candidate.site for candidate in pack.candidates]
    return [PackSite(
        number=n, name=site.name, municipality=site.municipality.name, kind=site.kind.value,
        address=site.address, property_designation=site.property_designation,
        land_area_m2=site.land_area_m2, contiguous_area_m2=site.contiguous_area_m2,
        building_area_m2=site.building_area_m2,
        price_sek_m2=site.price_sek_m2 if site.price_public else None,
        rail_siding=site.rail_siding.value if site.rail_siding else None,
        power_mw=site.power_mw, water_sewage=site.water_sewage,
        readiness=site.readiness.value if site.readiness else None,
        detaljplan=site.detaljplan_status.value if site.detaljplan_status else None,
        available_from=site.available_from, dist_motorway_km=site.dist_motorway_km,
        dist_terminal_km=site.dist_terminal_km, dist_airport_km=site.dist_airport_km,
        contact_person=site.contact_person) for n, site in enumerate(sites, start=1)]


def map_data_uri(pack: ProspectPack) -> str:
    """The pack's map as a data: URI (the page needs no other request to show or print)."""
    points = [staticmap.MapPoint(str(n), c.site.lat, c.site.lon)
              for n, c in enumerate(pack.candidates, start=1)]
    nodes = [staticmap.MapPoint(node.name.split(" (")[0], node.lat, node.lon)
             for node in db.session.scalars(sa.select(LogisticsNode))]
    png = staticmap.render(points, nodes)
    return "data:image/png;base64," + base64.b64encode(png).decode()

