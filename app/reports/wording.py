"""The annual follow-up's generated summary, in the reader's language
("2026 etablerades 4 företag i Hallsberg med 310 arbetstillfällen, …")."""

from __future__ import annotations

from flask_babel import gettext, ngettext

from app.i18n import Figures
from app.reports.service import Summary


def annual_summary(summary: Summary, where: str) -> str:
    figures = Figures.current()
    if summary.established:
        sentences = [ngettext(
            "In %(year)s, %(num)d company was established in %(where)s with %(jobs)s jobs, "
            "an investment of %(investment)s and %(land)s of land.",
            "In %(year)s, %(num)d companies were established in %(where)s with %(jobs)s jobs, "
            "an investment of %(investment)s and %(land)s of land.",
            summary.established, year=summary.year, where=where,
            jobs=figures.number(summary.jobs),
            investment=figures.quantity(summary.investment_msek, "mnkr"),
            land=figures.quantity(summary.land_ha, "ha"))]
    else:
        sentences = [gettext("In %(year)s, no company was established in %(where)s.",
                             year=summary.year, where=where)]
    sentences.append(ngettext("%(num)d matter was received", "%(num)d matters were received",
                              summary.received))
    if summary.answered_in_time_percent is not None:
        sentences[-1] = gettext("%(received)s; %(share)s %% were answered within 2 working "
                                "days", received=sentences[-1],
                                share=figures.number(summary.answered_in_time_percent, "ha"))
    sentences[-1] += "."
    sentences.append(ngettext("%(num)d matter was closed without establishment.",
                              "%(num)d matters were closed without establishment.",
                              summary.lost))
    return " ".join(sentences)
