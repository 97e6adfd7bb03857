"""The kanban board's cards, rendered here rather than in a Jinja loop.

/pipeline shows up to 400 cards; a Jinja loop spent about 40 µs a card (each output
goes through the environment's attribute lookup and escaping), most of the page's time.
Here a card is one f-string in which every value from the database goes through
`escape`. templates/leads/pipeline.html keeps the page around the columns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from app.forms import option_tags
from app.i18n import local_dates
from app.leads import labels
from app.leads.models import Stage
from app.leads.service import level_of, local_today, shows_company


@dataclass(frozen=True)
class CardContext:
    """What every card of one page shares: computed once, not per card."""

    can_move: bool  # the user is an advisor (moves only their municipality's leads)
    csrf_token: str
    show_url: str  # with LEAD_ID_PLACEHOLDER for the lead's id
    stage_url: str  # likewise
    back_url: str
    next_label: str  # "Next follow-up"
    stage_word: str  # "Stage", the label of the visually hidden select
    move_label: str  # "Move"
    due_labels: dict[date, str]
    today: date


LEAD_ID_PLACEHOLDER = "999999999"


def render_board(user: Any, columns: dict[Stage, dict[str, Any]]) -> dict[Stage, Markup]:
    """The cards of each column of `service.pipeline` (pass the user object, not the
    current_user proxy: it is asked about every card)."""
    cards = [card for column in columns.values() for card in column["cards"]]
    levels = {card.id: level_of(user, card, card.shared) for card in cards}
    context = CardContext(
        can_move=user.is_advisor, csrf_token=generate_csrf(),
        show_url=url_for("leads.show", lead_id=LEAD_ID_PLACEHOLDER),
        stage_url=url_for("leads.stage", lead_id=LEAD_ID_PLACEHOLDER),
        back_url=url_for("leads.pipeline"), next_label=_("Next follow-up"),
        stage_word=_("Stage"), move_label=_("Move"),
        due_labels=local_dates(card.next_due for card in cards),  # 400 cards, few dates
        today=local_today())
    choices = labels.stage_choices()
    return {stage: render_cards(column["cards"], levels, option_tags(choices, stage.value),
                                context)
            for stage, column in columns.items()}


def render_cards(cards: list[Any], levels: dict[int, str | None], stage_options: Markup,
                 context: CardContext) -> Markup:
    """The <article> of each card of one column; `stage_options` is that column's
    <option> list (the current stage selected)."""
    html = "".join(_card(card, levels.get(card.id), stage_options, context) for card in cards)
    return Markup(html)  # noqa: S704 - every value in it went through escape()


def _card(card: Any, level: str | None, stage_options: Markup, context: CardContext) -> str:
    lead_id = str(card.id)
    codename = escape(card.codename)
    stage_url = escape(context.stage_url.replace(LEAD_ID_PLACEHOLDER, lead_id))
    movable = context.can_move and level == "owner"
    company = (f'<div class="small">{escape(card.company_name)}</div>'
               if shows_company(level) and card.company_name else "")
    due = ""
    if card.next_due:
        late = " text-danger" if card.next_due < context.today else ""
        due = (f'<div class="small{late}">{escape(context.next_label)}: '
               f"{escape(context.due_labels[card.next_due])}</div>")
    form = ""
    if movable:
        form = (
            f'<form method="post" action="{stage_url}" class="d-flex gap-1 mt-1 stage-form">'
            f'<input type="hidden" name="csrf_token" value="{escape(context.csrf_token)}">'
            f'<input type="hidden" name="version" value="{card.version:d}">'
            f'<input type="hidden" name="next" value="{escape(context.back_url)}">'
            f'<label class="visually-hidden" for="stage-{lead_id}">'
            f"{escape(context.stage_word)}: {codename}</label>"
            f'<select class="form-select form-select-sm" id="stage-{lead_id}" name="stage">'
            f"{stage_options}</select>"
            f'<button class="btn btn-sm btn-outline-primary" type="submit">'
            f"{escape(context.move_label)}</button></form>")
    drag = f' draggable="true" data-url="{stage_url}"' if movable else ""
    show_url = escape(context.show_url.replace(LEAD_ID_PLACEHOLDER, lead_id))
    return (
        f'<article class="card mb-2 pipeline-card" data-lead="{lead_id}" '
        f'data-version="{card.version:d}" data-testid="card-{lead_id}"{drag}>'
        f'<div class="card-body p-2"><a class="fw-bold" href="{show_url}">{codename}</a>'
        f"{company}"
        f'<div class="small text-muted">{escape(card.municipality_name)} · '
        f"{escape(card.owner_name)}</div>{due}{form}</div></article>")
