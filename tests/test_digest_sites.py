"""The sites section of the weekly digest: advisors see their municipality's offered
sites that lack key facts, with what is missing."""

from datetime import UTC, datetime

import time_machine

from app.digest.service import send_weekly_digests
from app.sites.models import DetaljplanStatus, RailSiding, SiteStatus
from tests.factories import make_site
from tests.mailbox import html_part, text_part

MONDAY = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)


def complete(**values) -> dict:
    return {"price_sek_m2": 450, "power_mw": 10.0, "detaljplan_status": DetaljplanStatus.LAGA_KRAFT,
            "rail_siding": RailSiding.EXISTING, **values}


def test_advisors_get_their_municipalitys_sites_with_missing_key_data(app, smtp_server, users):
    app.config.update(smtp_server.settings())
    gap = make_site("kumla", name="Via norra <b>", **complete(price_sek_m2=None, power_mw=None))
    make_site("kumla", name="Via södra", **complete())
    make_site("kumla", name="Såld tomt", **complete(price_sek_m2=None, status=SiteStatus.SOLD))
    make_site("arboga", name="Arbogatomten", **complete(power_mw=None))
    with time_machine.travel(MONDAY, tick=False):
        send_weekly_digests()
    by_recipient = {m["To"].addresses[0].addr_spec: m for m in smtp_server.messages()}
    message = by_recipient["kumla@test.example"]
    for part in (text_part(message), html_part(message)):
        assert "Din kommuns objekt som saknar nyckeluppgifter" in part
        assert f"http://etablera.test/sites/{gap.id}" in part
        assert "Via södra" not in part and "Såld tomt" not in part and "Arbogatomten" not in part
    assert "Via norra <b> · saknar: pris, effekt" in text_part(message)
    assert "Via norra &lt;b&gt;" in html_part(message)
    assert "viewer@test.example" not in by_recipient  # viewers: not their task
    assert "Arbogatomten" in text_part(by_recipient["arboga@test.example"])

