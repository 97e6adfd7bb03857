"""The digest section of issue 15: an advisor learns which of the municipality's sites
lack a fact that an open inquiry the advisor can see requires as a must."""

from datetime import UTC, date, datetime

import time_machine
from sqlalchemy import event

from app.candidates.digest import collect_blocking_sites
from app.digest.service import compose_digests, digest_context, send_weekly_digests
from app.digest.weeks import IsoWeek
from app.extensions import db
from app.leads.models import ShareLevel, Stage
from app.sites.models import SiteStatus
from tests.factories import make_site
from tests.leads_helpers import make_lead, share
from tests.mailbox import html_part, text_part

MONDAY = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
TITLE = "Saknade uppgifter om era objekt som hindrar ett besked i ett ärende"


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


def _blocking_lines(users, *who: str) -> dict[str, list]:
    """The section's items per user, composed for the given users (no mail)."""
    recipients = [users[name] for name in who]
    with time_machine.travel(MONDAY, tick=False):
        digests = compose_digests(recipients, digest_context(IsoWeek.parse("2026-W49"), MONDAY))
    found = {}
    for name in who:
        sections = dict((section.key, items)
                        for section, items in digests[users[name].id].sections)
        found[name] = sections.get("blocking_site_data", [])
    return found


def test_the_section_is_in_english_for_an_english_reader(app, smtp_server, users):
    app.config.update(smtp_server.settings())
    users["kumla"].locale = "en"
    _lead(users["kumla"], "effekt", power_mw=5.0, power_must=True, rail_siding=True,
          rail_must=True)
    make_site("kumla", name="Via 3", power_mw=None, rail_siding=None)
    with time_machine.travel(MONDAY, tick=False):
        send_weekly_digests()
    (kumla,) = [m for m in smtp_server.messages()
                if m["To"].addresses[0].addr_spec == "kumla@test.example"]
    text = text_part(kumla)
    assert "Missing site data that blocks a verdict on an inquiry" in text
    assert "Via 3 · missing: rail siding, power" in text
    assert TITLE not in text and "saknar" not in text


def test_only_offered_sites_lacking_a_fact_some_open_must_needs_are_listed(app, users):
    _lead(users["kumla"], "effekt", power_mw=5.0, power_must=True,
          contiguous_m2=30_000, contiguous_must=False)  # contiguous: only nice to have
    listed = make_site("kumla", name="Saknar effekt", power_mw=None)
    make_site("kumla", name="Saknar sammanhängande yta", power_mw=6.0, contiguous_area_m2=None,
              water_sewage=None)
    make_site("kumla", name="Såld", power_mw=None, status=SiteStatus.SOLD)
    make_site("kumla", name="Återtagen", power_mw=None, status=SiteStatus.WITHDRAWN)
    make_site("kumla", name="Reserverad", power_mw=None, status=SiteStatus.RESERVED)
    make_site("orebro", name="Örebros tomt", lat=59.21, lon=15.18, power_mw=None)
    lines = _blocking_lines(users, "kumla", "hallsberg", "viewer", "admin")
    assert [(item.text, item.detail) for item in lines["kumla"]] == [
        ("Reserverad", "saknar: effekt"), ("Saknar effekt", "saknar: effekt")]
    assert lines["kumla"][1].url == f"http://etablera.test/sites/{listed.id}/edit"
    # Advisors of another municipality (and users who are not advisors) get nothing of it.
    assert lines["hallsberg"] == [] and lines["viewer"] == [] and lines["admin"] == []


def test_a_long_section_stops_at_the_limit_with_a_link_to_the_municipalitys_sites(app, users):
    app.config["DIGEST_SECTION_LIMIT"] = 2
    _lead(users["kumla"], "effekt", power_mw=5.0, power_must=True)
    for n in range(5):
        make_site("kumla", name=f"Tomt {n}", power_mw=None)
    items = _blocking_lines(users, "kumla")["kumla"]
    assert [item.text for item in items] == ["Tomt 0", "Tomt 1", "… och 3 till"]
    assert items[-1].url == "http://etablera.test/sites?municipality=kumla"


def test_composing_the_section_takes_as_many_queries_for_many_sites_as_for_few(app, users):
    _lead(users["kumla"], "effekt", power_mw=5.0, power_must=True, price_max_sek_m2=400,
          price_must=True)
    _lead(users["hallsberg"], "spår", rail_siding=True, rail_must=True)

    def add_sites(count: int, tag: str) -> None:
        for n in range(count):
            make_site("kumla", name=f"{tag} {n}", power_mw=None, price_sek_m2=None)
            make_site("hallsberg", name=f"{tag} H {n}", lat=59.07, lon=15.11, rail_siding=None)

    def compose() -> int:
        db.session.expire_all()
        readers = [users["kumla"], users["hallsberg"]]
        assert all(reader.role for reader in readers)  # loaded again before counting
        count = 0

        def counter(*_args):
            nonlocal count
            count += 1

        event.listen(db.engine, "before_cursor_execute", counter)
        try:
            with time_machine.travel(MONDAY, tick=False):
                found = collect_blocking_sites(readers, None)
        finally:
            event.remove(db.engine, "before_cursor_execute", counter)
        assert found[users["kumla"].id] and found[users["hallsberg"].id]
        return count

    add_sites(2, "Få")
    few = compose()
    add_sites(30, "Många")
    many = compose()
    assert many == few, (few, many)
    assert few <= 4  # the musts and the sites, per municipality of the recipients
