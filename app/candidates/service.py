"""Proposing candidate sites for a lead and deciding on them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app import audit, scope
from app.caching import reused_statement
from app.candidates import ranking
from app.candidates.access import can_decide, can_edit_note, can_propose
from app.candidates.matching import DEFAULT_WEIGHTS, Match, Needs, SiteFacts, Wording, evaluate
from app.candidates.models import STATUS_LABELS, CandidateSite, CandidateStatus
from app.clock import local_today, utcnow
from app.core.models import Municipality
from app.extensions import db
from app.input_rules import FieldErrors
from app.leads import sharing
from app.leads.errors import PermissionDenied
from app.leads.models import Lead, ShareLevel
from app.locking import update_versioned
from app.maps.service import CandidatePoint
from app.notifications import service as notifications
from app.scope import scope_key
from app.sites.models import Site, SiteStatus
from app.sites.nodes import estimated_distances
from app.viewer import Viewer

# Where a candidate may go from each status; rejecting needs a reason.
NEXT_STATUSES = {
    CandidateStatus.PROPOSED: (CandidateStatus.VISITED, CandidateStatus.SELECTED,
                               CandidateStatus.REJECTED),
    CandidateStatus.VISITED: (CandidateStatus.SELECTED, CandidateStatus.REJECTED,
                              CandidateStatus.PROPOSED),
    CandidateStatus.SELECTED: (CandidateStatus.VISITED, CandidateStatus.REJECTED,
                               CandidateStatus.PROPOSED),
    CandidateStatus.REJECTED: (CandidateStatus.PROPOSED,),
}


def needs_of(lead: Lead) -> Needs:
    """What the lead states, for matching (the columns of its requirements)."""
    return Needs(
        land_min_m2=lead.land_min_m2, land_max_m2=lead.land_max_m2, land_must=lead.land_must,
        contiguous_m2=lead.contiguous_m2, contiguous_must=lead.contiguous_must,
        building_m2=lead.building_m2, building_must=lead.building_must,
        rail_siding=lead.rail_siding, rail_accept_possible=lead.rail_accept_possible,
        rail_must=lead.rail_must,
        motorway_km_max=lead.motorway_km_max, motorway_must=lead.motorway_must,
        terminal_km_max=lead.terminal_km_max, terminal_must=lead.terminal_must,
        airport_km_max=lead.airport_km_max, airport_must=lead.airport_must,
        power_mw=lead.power_mw, power_lead_time_months=lead.power_lead_time_months,
        power_must=lead.power_must,
        water_sewage=lead.water_sewage, water_must=lead.water_must,
        preferred_municipalities=tuple(lead.preferred_slugs),
        preferred_must=lead.preferred_must,
        desired_start=lead.desired_start, start_must=lead.start_must,
        price_max_sek_m2=lead.price_max_sek_m2, price_must=lead.price_must)


UNFIT_SHOWN = 50


def _fact_columns() -> dict[str, Any]:
    """SiteFacts' fields as SQL columns."""
    columns: dict[str, Any] = {
        "id": Site.id, "name": Site.name, "municipality": Municipality.slug,
        "status": Site.status, "land_area_m2": Site.land_area_m2,
        "building_area_m2": Site.building_area_m2, "rail_siding": Site.rail_siding,
        "dist_motorway_km": Site.dist_motorway_km, "dist_terminal_km": Site.dist_terminal_km,
        "dist_airport_km": Site.dist_airport_km, "power_mw": Site.power_mw,
        "water_sewage": Site.water_sewage, "detaljplan": Site.detaljplan_status,
        "available_from": Site.available_from, "price_sek_m2": Site.price_sek_m2,
        "contiguous_area_m2": Site.contiguous_area_m2,
        "power_expandable_mw": Site.power_expandable_mw,
        "power_lead_time_months": Site.power_lead_time_months}
    return columns


@dataclass(frozen=True)
class MatchPage:
    fitting: list[Match]  # the first `shown`, ranked
    total: int  # fitting sites in all
    unfit_total: int  # sites failing a must
    blocked: list[Match]  # of the fitting sites shown, those with a must unknown: whom to ask
    positions: dict[int, tuple[float, float]]


@dataclass(frozen=True)
class Offer:
    """Which sites are matched: the user's, offered (available, or reserved too), filtered."""

    municipality: str | None = None
    include_reserved: bool = False
    readiness: str | None = None

    def sites(self, user: Viewer, needs: Needs) -> sa.Select[Any]:
        """The offered sites' ids, ready for `needs`' verdicts (ranking.verdicts) as
        conditions and columns. Joined to their municipality only when the lead prefers
        some: the join cost the match page's statement a fifth of its time."""
        statuses = [SiteStatus.AVAILABLE] + (
            [SiteStatus.RESERVED] if self.include_reserved else [])
        offered = sa.select(Site.id).where(scope.visible_filter(user, Site),
                                           Site.status.in_(statuses))
        if needs.preferred_municipalities:  # the criterion reads Municipality.slug
            offered = offered.join(Municipality, Municipality.id == Site.municipality_id)
        if self.municipality:
            offered = offered.where(Site.municipality_id == sa.select(Municipality.id).where(
                Municipality.slug == self.municipality).scalar_subquery())
        if self.readiness:
            offered = offered.where(Site.readiness == self.readiness)
        return offered


def match_page(user: Viewer, needs: Needs, shown: int, offer: Offer = Offer(),
               weights: Mapping[str, int] = DEFAULT_WEIGHTS) -> MatchPage:
    """Every offered site the user may see, ranked against the lead by the database
    (app/candidates/ranking.py); the rows shown are evaluated and explained by
    app/candidates/matching.py. Reads only sites (and `needs`, a lead's requirements).

    One statement scores the sites that fail no must (the CTE), ranks and counts them,
    counts the offered sites, and joins only the `shown` best to their facts."""
    today = local_today()
    key = ("match_page", scope_key(user), db.engine.dialect.name, today, needs, offer,
           tuple(sorted(weights.items())), shown)
    statement = reused_statement(
        key, lambda: _match_statement(user, needs, shown, offer, weights, today))
    rows = db.session.execute(statement).all()
    fitting = [row for row in rows if row.id is not None]
    say = Wording.current(estimated_distances())
    ranked = [evaluate(needs, _facts_of(row), today, weights, say) for row in fitting]
    return MatchPage(ranked, rows[0].fitting, rows[0].offered - rows[0].fitting,
                     [match for match in ranked if match.unknown_musts],
                     {row.id: (row.lat, row.lon) for row in fitting})


def _match_statement(user: Viewer, needs: Needs, shown: int, offer: Offer,
                     weights: Mapping[str, int], today: date) -> sa.Select[Any]:
    """match_page's statement: built once per process for each scope, lead requirements,
    offer, weights, day and number shown (app.caching.reused_statement), as the lead list's
    is; building it and SQLAlchemy's cache key of it cost about 3 ms a request."""
    facts = _fact_columns()
    order = ranking.ranking(ranking.verdicts(needs, facts, today), weights)
    offered = offer.sites(user, needs)
    fitting_sites = offered.where(order.fits).add_columns(
        order.unknown_musts.label("unknown"), order.score.label("score"),
        Site.dist_terminal_km.label("terminal_km")).cte("fitting_sites")
    best = (sa.select(fitting_sites).order_by(*_rank_order(fitting_sites.c)).limit(shown)
            .subquery("best"))
    counts = sa.select(
        sa.select(sa.func.count()).select_from(fitting_sites).scalar_subquery().label("fitting"),
        sa.select(sa.func.count()).select_from(offered.subquery()).scalar_subquery()
        .label("offered")).subquery("counts")
    return (sa.select(*(column.label(name) for name, column in facts.items()), Site.lat,
                      Site.lon, counts.c.fitting, counts.c.offered)
            .select_from(counts).outerjoin(best, sa.true())
            .outerjoin(Site, best.c.id == Site.id)
            .outerjoin(Municipality, Municipality.id == Site.municipality_id)
            .order_by(*_rank_order(best.c)))


def unfit_matches(user: Viewer, needs: Needs, limit: int = UNFIT_SHOWN, offer: Offer = Offer(),
                  weights: Mapping[str, int] = DEFAULT_WEIGHTS) -> list[Match]:
    """The first `limit` offered sites failing a must (by id), with their reasons."""
    today = local_today()
    facts = _fact_columns()
    order = ranking.ranking(ranking.verdicts(needs, facts, today), weights)
    rows = db.session.execute(
        sa.select(*(column.label(name) for name, column in facts.items()))
        .select_from(Site).join(Municipality, Municipality.id == Site.municipality_id)
        .where(Site.id.in_(offer.sites(user, needs).where(sa.not_(order.fits))))
        .order_by(Site.id).limit(limit)).all()
    say = Wording.current(estimated_distances())
    return [evaluate(needs, _facts_of(row), today, weights, say) for row in rows]


def _rank_order(fitting: Any) -> tuple[Any, ...]:
    """matching.rank_key over the fitting sites' columns: fewest musts unknown, highest
    score, nearest the terminal, lowest id."""
    return (fitting.unknown, fitting.score.desc(), fitting.terminal_km.asc().nulls_last(),
            fitting.id)


def site_facts(user: Viewer, include_reserved: bool = False) -> list[SiteFacts]:
    """The facts of every offered site the user may see, for matching in Python."""
    statuses = [SiteStatus.AVAILABLE] + ([SiteStatus.RESERVED] if include_reserved else [])
    rows = db.session.execute(
        sa.select(*(column.label(name) for name, column in _fact_columns().items()))
        .join(Municipality, Municipality.id == Site.municipality_id)
        .where(scope.visible_filter(user, Site), Site.status.in_(statuses)))
    return [_facts_of(row) for row in rows]


def _facts_of(row: Any) -> SiteFacts:
    values = {name: getattr(row, name) for name in SiteFacts.__dataclass_fields__}
    values["status"] = str(values["status"])
    for name in ("rail_siding", "detaljplan"):  # enums as their values
        if values[name] is not None:
            values[name] = str(values[name])
    return SiteFacts(**values)


def candidates_of(user: Viewer, lead: Lead) -> list[CandidateSite]:
    """The lead's candidates the user may see: all for the owner, a partner's own sites'."""
    return list(db.session.scalars(
        scope.select_visible(user, CandidateSite)
        .where(CandidateSite.lead_id == lead.id)
        .options(selectinload(CandidateSite.proposed_by))
        .order_by(CandidateSite.proposed_at, CandidateSite.id)))


def proposed_site_ids(user: Viewer, lead: Lead) -> set[int]:
    """The sites of the lead's candidates the user may see (the match page marks them)."""
    return set(db.session.scalars(
        sa.select(CandidateSite.site_id).where(scope.visible_filter(user, CandidateSite),
                                               CandidateSite.lead_id == lead.id)))


def candidate_points(user: Viewer, lead: Lead) -> list[CandidatePoint]:
    """The lead's candidates the user may see, for the lead map."""
    labels = {status: str(label) for status, label in STATUS_LABELS.items()}
    return [CandidatePoint(c.site.name, c.status.value, labels[c.status], c.site.lat, c.site.lon)
            for c in candidates_of(user, lead)]


def get_candidate_or_404(user: Viewer, candidate_id: int) -> CandidateSite:
    return scope.get_visible_or_404(user, CandidateSite, candidate_id)


def propose(user: Viewer, lead: Lead, site: Site, note: str | None = None) -> CandidateSite:
    """Add `site` as a candidate of `lead`. A site of a municipality the lead is not shared
    with shares the lead with it (anonymised) and e-mails its advisors; a confidential
    lead is never shared that way: the owner decides on sharing first."""
    if not can_propose(user, lead, site.municipality_id):
        raise PermissionDenied()
    errors: dict[str, list[str]] = {}
    if site.status in (SiteStatus.SOLD, SiteStatus.WITHDRAWN):
        errors["site_id"] = [str(_l("This site is no longer offered."))]
    elif db.session.scalar(sa.select(CandidateSite.id).where(
            CandidateSite.lead_id == lead.id, CandidateSite.site_id == site.id)) is not None:
        errors["site_id"] = [str(_l("This site is already a candidate of the lead."))]
    shared_with = {share.municipality_id for share in lead.shares}
    needs_share = (site.municipality_id != lead.municipality_id
                   and site.municipality_id not in shared_with)
    if needs_share and lead.confidential and not errors:
        errors["site_id"] = [str(_l(
            "The lead is confidential: share it with %(municipality)s first, then propose "
            "the site.", municipality=site.municipality.name))]
    if errors:
        raise FieldErrors(errors)
    if needs_share:
        sharing.add_anonymised_share(user, lead, site.municipality, because="candidate")
    candidate = CandidateSite(lead=lead, site=site, municipality_id=site.municipality_id,
                              proposed_by_id=user.id, note=note or None)
    db.session.add(candidate)
    db.session.flush()
    audit.record(user, "candidate.proposed", "lead", lead.id,
                 after={"candidate": candidate.id, "site": site.id, "note": candidate.note},
                 municipality_id=lead.municipality_id)
    _notify_proposed(user, lead, site)
    db.session.commit()
    if needs_share:
        sharing.notify_partner(lead, site.municipality, ShareLevel.ANONYMISED)
    return candidate


def _notify_proposed(user: Viewer, lead: Lead, site: Site) -> None:
    """The site's municipality learns that another municipality proposed its site; the
    lead's municipality learns that a partner proposed a site for its lead."""
    params = {"codename": lead.codename, "site": site.name}
    url = f"/leads/{lead.id}#candidates"
    if site.municipality_id != user.municipality_id:
        notifications.notify(notifications.municipality_readers(site.municipality_id),
                             "candidate_proposed", params, url, actor=user, lead_id=lead.id)
    if user.municipality_id != lead.municipality_id:
        partner = notifications.municipality_name(user.municipality_id)
        notifications.notify(notifications.municipality_readers(lead.municipality_id),
                             "candidate_proposed", params | {"partner": partner}, url,
                             actor=user, lead_id=lead.id)


def change(user: Viewer, candidate: CandidateSite, submitted_version: int | None,
           values: dict[str, Any]) -> CandidateSite:
    """Change status (with a reason when rejected) and note, under optimistic locking."""
    status = values.get("status", candidate.status)
    if status != candidate.status and not can_decide(user, candidate.lead):
        raise PermissionDenied()
    if not can_edit_note(user, candidate):
        raise PermissionDenied()
    errors: dict[str, list[str]] = {}
    if status not in CandidateStatus._value2member_map_:
        errors["status"] = [str(_l("Not a valid choice."))]
    elif status != candidate.status and status not in NEXT_STATUSES[candidate.status]:
        errors["status"] = [str(_l("A candidate cannot go from this status to that one."))]
    reason = values.get("reason", candidate.reason)
    if status == CandidateStatus.REJECTED and not (reason or "").strip():
        errors["reason"] = [str(_l("Say why the site is rejected."))]
    if errors:
        raise FieldErrors(errors)
    changes = {"status": CandidateStatus(status), "reason": reason or None,
               "note": values.get("note", candidate.note) or None, "updated_at": utcnow()}
    before = {name: getattr(candidate, name) for name in ("status", "reason", "note")}
    update_versioned(candidate, submitted_version, changes)
    audit.record(user, "candidate.changed", "lead", candidate.lead_id, before=before,
                 after={name: changes[name] for name in ("status", "reason", "note")}
                 | {"candidate": candidate.id}, municipality_id=candidate.lead.municipality_id)
    db.session.commit()
    return candidate
