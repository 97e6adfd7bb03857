"""The kanban board's cards: the values of each card, which templates/leads/_cards.html
lays out (and escapes, as every template does).

/pipeline shows up to 400 cards. What all cards share (labels, URLs, the CSRF token) is
computed once per page (`Board`), and each card comes to the template as a plain tuple
(`Card`) that its loop unpacks: Jinja's attribute look-up per output would cost more
than the rest of a card."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, NamedTuple

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from app.clock import local_today
from app.forms import option_tags
from app.i18n import Figures, local_dates
from app.leads import labels
from app.leads.access import level_of, shows_company
from app.leads.models import Stage
from app.viewer import Viewer


class Board(NamedTuple):
    """What every card of one page shares, computed once, not per card."""

    csrf_token: str  # the move form's CSRF token
    next_url: str  # the move form's "next" (back to the board)
    move_label: str  # "Move"


class Card(NamedTuple):
    """One card, in the order templates/leads/_cards.html unpacks it."""

    id: str  # the lead's id and version as text (escaped faster than numbers)
    version: str
    show_url: str
    stage_url: str | None  # where the stage form posts; None: the user may not move it
    title: str  # the codename, with the municipality on another municipality's lead
    stage_label: str  # "Stage: <codename>", the visually hidden label of the stage select
    company: str | None  # None where the share level hides it
    byline: str  # "<municipality> · <owner>"
    due: str | None  # "Next follow-up: <date>"
    late: bool  # that date has passed
    facts: str  # "≥ 50 000 m² · 5 MW · 120 jobs": what the company needs ("" if nothing)
    anonymised: str | None  # the badge's text where the lead is shared anonymised
    new_web: str | None  # "New web inquiry": not yet opened by its municipality (ours only)


LEAD_ID_PLACEHOLDER = "999999999"


def url_around_id(endpoint: str) -> tuple[str, str]:
    """`endpoint`'s URL for a lead, split around the lead's id (joined again per row)."""
    prefix, suffix = url_for(endpoint, lead_id=LEAD_ID_PLACEHOLDER).split(LEAD_ID_PLACEHOLDER)
    return prefix, suffix


def render_board(user: Viewer, columns: dict[Stage, dict[str, Any]]) -> dict[Stage, Markup]:
    """The cards of each column of `service.pipeline` (pass the user object, not the
    current_user proxy: it is asked about every card)."""
    board = Board(
        csrf_token=generate_csrf(), next_url=url_for("leads.pipeline"),
        move_label=_("Move"))
    every_card = [card for column in columns.values() for card in column["cards"]]
    next_label = _("Next follow-up")
    due_labels = {day: f"{next_label}: {text}"  # text, escaped by the template
                  for day, text in local_dates(card.next_due for card in every_card).items()}
    texts = Texts(_("Stage"), {}, Figures.current(), _("jobs"), _("Anonymised"),
                  _("New web inquiry"))
    today, can_move = local_today(), user.is_advisor
    urls = Urls(url_around_id("leads.show"), url_around_id("leads.stage"))
    title = labels.lead_titles()
    macros: Any = current_app.jinja_env.get_template("leads/_cards.html").module
    column = macros.column
    choices = labels.stage_choices()
    html = {}
    for stage, content in columns.items():
        cards = [_card(card, level_of(user, card, card.shared), due_labels, today, can_move,
                       urls, title, texts)
                 for card in content["cards"]]
        html[stage] = column(cards, board, option_tags(choices, stage.value))
    return html


class Urls(NamedTuple):
    show: tuple[str, str]  # the lead page's URL, split around the lead's id
    stage: tuple[str, str]  # likewise the stage-change URL


class Texts(NamedTuple):
    stage_word: str  # "Stage"
    bylines: dict[tuple[str, str], str]  # (municipality, owner) -> "<municipality> · <owner>"
    figures: Figures
    jobs_word: str  # "jobs"
    anonymised: str  # "Anonymised"
    new_web: str  # "New web inquiry"


def card_facts(card: Any, texts: Texts) -> str:
    """The need at a glance: land area, power, jobs (each only when stated)."""
    figures, parts = texts.figures, []
    low, high = card.land_min_m2, card.land_max_m2
    if low is not None and high is not None:
        parts.append(f"{figures.number(low)}–{figures.quantity(high, 'm2')}")
    elif low is not None or high is not None:
        parts.append(("≥ " if low is not None else "≤ ") + figures.quantity(low or high, "m2"))
    if card.power_mw is not None:
        parts.append(figures.quantity(card.power_mw, "mw"))
    if card.expected_jobs is not None:
        parts.append(f"{figures.number(card.expected_jobs)} {texts.jobs_word}")
    return " · ".join(parts)


def _card(card: Any, level: str | None, due_labels: dict[date, str], today: date,
          can_move: bool, urls: Urls, title: Callable[[str, str, bool], str],
          texts: Texts) -> Card:
    own = level == "owner"
    lead_id = str(card.id)
    names = (card.municipality_name, card.owner_name)
    byline = texts.bylines.get(names)
    if byline is None:  # names repeat from card to card
        byline = texts.bylines[names] = f"{names[0]} · {names[1]}"
    return Card(
        lead_id, str(card.version), lead_id.join(urls.show),
        lead_id.join(urls.stage) if can_move and own else None,
        title(card.codename, card.municipality_name, own),
        f"{texts.stage_word}: {card.codename}",
        card.company_name if card.company_name and shows_company(level) else None,
        byline,
        due_labels[card.next_due] if card.next_due else None,
        bool(card.next_due) and card.next_due < today,
        card_facts(card, texts),
        texts.anonymised if level == "anonymised" else None,
        texts.new_web if own and card.web_inquiry_new else None)
