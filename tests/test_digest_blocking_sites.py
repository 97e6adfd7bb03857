"""The digest section of issue 15: an advisor learns which of the municipality's sites
lack a fact that an open inquiry the advisor can see requires as a must."""

from datetime import UTC, date, datetime

import time_machine

from app.digest.service import send_weekly_digests
from app.extensions import db
from app.leads.models import ShareLevel, Stage
from tests.factories import make_site
from tests.leads_helpers import make_lead, share
from tests.mailbox import html_part, text_part

MONDAY = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
TITLE = "Saknade uppgifter om era platser som hindrar ett besked i en förfrågan"


def _section(text: str) -> str:
    """The lines of this section in a digest's text part (up to the next blank line)."""
    return text.replace("\r\n", "\n").split(TITLE, 1)[1].split("\n\n", 1)[0]


def _lead(owner, key, stage=Stage.QUALIFIED, **requirements):
    lead = make_lead(owner, key, stage=stage)
    for name, value in requirements.items():
        setattr(lead, name, value)
    db.session.commit()
    return lead


def test_advisors_learn_which_of_their_sites_lack_a_fact_an_open_inquiry_requires(
        app, smtp_server, users):
    app.config.update(smtp_server.settings())
    _lead(users["kumla"], "effekt", power_mw=5.0, power_must=True)
    secret = _lead(users["orebro"], "pris", price_max_sek_m2=500, price_must=True)
    _lead(users["kumla"], "vunnen", stage=Stage.WON, rail_siding=True, rail_must=True,
          decided_on=date(2026, 11, 1))
    no_power = make_site("kumla", name="Via 3 <i>", power_mw=None, price_sek_m2=None)
    make_site("kumla", name="Via 4", power_mw=8.0, price_sek_m2=None, rail_siding=None)
    make_site("orebro", name="Törsjö utan pris", lat=59.21, lon=15.18, power_mw=9.0,
              price_sek_m2=None)
    with time_machine.travel(MONDAY, tick=False):
        send_weekly_digests()
    by_recipient = {m["To"].addresses[0].addr_spec: m for m in smtp_server.messages()}
    kumla = by_recipient["kumla@test.example"]
    for part in (text_part(kumla), html_part(kumla)):
        assert TITLE in part
        assert f"http://etablera.test/sites/{no_power.id}/edit" in part
    assert "Via 3 <i> · saknar: effekt" in text_part(kumla)
    assert "Via 3 &lt;i&gt;" in html_part(kumla)
    # Via 4 lacks only the price and the rail siding: musts of leads Kumla cannot see
    # (Örebro's, not shared) or of a closed one.
    section = _section(text_part(kumla))
    assert "Via 4" not in section and "pris" not in section, section
    orebro = text_part(by_recipient["orebro@test.example"])
    assert "Törsjö utan pris · saknar: pris" in _section(orebro)
    arboga = by_recipient.get("arboga@test.example")  # no lead: no section, maybe no mail
    assert arboga is None or TITLE not in text_part(arboga)

    # Shared with Kumla, Örebro's price must now counts for Kumla's sites too.
    share(secret, "kumla", ShareLevel.ANONYMISED)
    with time_machine.travel(datetime(2026, 12, 7, 6, 0, tzinfo=UTC), tick=False):
        send_weekly_digests()
    kumla = [m for m in smtp_server.messages()
             if m["To"].addresses[0].addr_spec == "kumla@test.example"][-1]
    assert "Via 4 · saknar: pris" in _section(text_part(kumla))
    assert "Via 3 <i> · saknar: effekt, pris" in _section(text_part(kumla))
