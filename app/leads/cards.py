"""The kanban board's cards, rendered here rather than in a Jinja loop.

/pipeline shows up to 400 cards; a Jinja loop spent about 40 µs a card (each output
goes through the environment's attribute lookup and escaping), most of the page's time.
Here a card is one f-string. Every value in it is escaped: what all cards share (labels,
URLs, the CSRF token) once per page in `CardContext`, the names that repeat from card to
card (municipality, owner) once per distinct name (`EscapedOnce`), codename and company
per card; ids and versions are formatted as integers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from app.clock import local_today
from app.forms import option_tags
from app.i18n import local_dates
from app.leads import labels
from app.leads.access import level_of, shows_company
from app.leads.models import Stage


class EscapedOnce(dict):
    """value → its HTML-escaped text, escaped on first use (names repeat on many cards)."""

    def __missing__(self, value: Any) -> str:
        text = self[value] = str(escape(value))
        return text


@dataclass(frozen=True)
class CardContext:
    """What every card of one page shares, computed (and escaped) once, not per card."""

    can_move: bool  # the user is an advisor (moves only their municipality's leads)
    show_url: tuple[str, str]  # the lead page's URL, escaped, split around the lead's id
    stage_url: tuple[str, str]  # likewise the stage-change URL
    csrf_field: str  # the move form's hidden CSRF token input
    next_field: str  # its hidden "next" input (back to the board)
    next_label: str  # "Next follow-up"
    stage_word: str  # "Stage", the label of the visually hidden select
    move_label: str  # "Move"
    due_labels: dict[date, str]
    today: date
    names: EscapedOnce


LEAD_ID_PLACEHOLDER = "999999999"


def url_around_id(endpoint: str) -> tuple[str, str]:
    prefix, suffix = str(escape(url_for(endpoint, lead_id=LEAD_ID_PLACEHOLDER))).split(
        LEAD_ID_PLACEHOLDER)
    return prefix, suffix


def render_board(user: Any, columns: dict[Stage, dict[str, Any]]) -> dict[Stage, Markup]:
    """The cards of each column of `service.pipeline` (pass the user object, not the
    current_user proxy: it is asked about every card)."""
    cards = [card for column in columns.values() for card in column["cards"]]
    levels = {card.id: level_of(user, card, card.shared) for card in cards}
    names = EscapedOnce()
    context = CardContext(
        can_move=user.is_advisor, show_url=url_around_id("leads.show"),
        stage_url=url_around_id("leads.stage"),
        csrf_field=f'<input type="hidden" name="csrf_token" value="{escape(generate_csrf())}">',
        next_field=f'<input type="hidden" name="next" value="{escape(url_for("leads.pipeline"))}">',
        next_label=names[_("Next follow-up")], stage_word=names[_("Stage")],
        move_label=names[_("Move")],
        due_labels={day: names[text]  # 400 cards, few dates
                    for day, text in local_dates(card.next_due for card in cards).items()},
        today=local_today(), names=names)
    choices = labels.stage_choices()
    return {stage: render_cards(column["cards"], levels, option_tags(choices, stage.value),
                                context)
            for stage, column in columns.items()}


def render_cards(cards: list[Any], levels: dict[int, str | None], stage_options: Markup,
                 context: CardContext) -> Markup:
    """The <article> of each card of one column; `stage_options` is that column's
    <option> list (the current stage selected)."""
    html = "".join([_card(card, levels.get(card.id), stage_options, context)
                    for card in cards])
    return Markup(html)  # noqa: S704 - every value in it was escaped (see the module)


def _card(card: Any, level: str | None, stage_options: Markup, context: CardContext) -> str:
    lead_id = f"{card.id:d}"
    codename = escape(card.codename)
    title = codename if level == "owner" else escape(
        labels.lead_title(card.codename, card.municipality_name, False))
    names = context.names
    company = (f'<div class="small">{escape(card.company_name)}</div>'
               if card.company_name and shows_company(level) else "")
    due = ""
    if card.next_due:
        late = " text-danger" if card.next_due < context.today else ""
        due = (f'<div class="small{late}">{context.next_label}: '
               f"{context.due_labels[card.next_due]}</div>")
    form = drag = ""
    if context.can_move and level == "owner":
        stage_url = lead_id.join(context.stage_url)
        form = (
            f'<form method="post" action="{stage_url}" class="d-flex gap-1 mt-1 stage-form">'
            f'{context.csrf_field}<input type="hidden" name="version" value="{card.version:d}">'
            f"{context.next_field}"
            f'<label class="visually-hidden" for="stage-{lead_id}">'
            f"{context.stage_word}: {codename}</label>"
            f'<select class="form-select form-select-sm" id="stage-{lead_id}" name="stage">'
            f"{stage_options}</select>"
            f'<button class="btn btn-sm btn-outline-primary" type="submit">'
            f"{context.move_label}</button></form>")
        drag = f' draggable="true" data-url="{stage_url}"'
    return (
        f'<article class="card mb-2 pipeline-card" data-lead="{lead_id}" '
        f'data-version="{card.version:d}" data-testid="card-{lead_id}"{drag}>'
        f'<div class="card-body p-2"><a class="fw-bold" href="{lead_id.join(context.show_url)}">'
        f"{title}</a>{company}"
        f'<div class="small text-muted">{names[card.municipality_name]} · '
        f"{names[card.owner_name]}</div>{due}{form}</div></article>")
