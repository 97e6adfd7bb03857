"""Each speed trick (app.caching.TRICKS) can be switched off, for `make bench` only: a page
is the same with every trick off, and the bench's header switches them off for one
request."""

from __future__ import annotations

import re

import pytest

from app.caching import TRICKS, tricks_off
from tests.factories import make_site
from tests.leads_helpers import add_followups, login, make_lead


def _page(client, path: str, **headers: str) -> str:
    body = client.get(path, headers=headers).get_data(as_text=True)
    body = re.sub(r"_[0-9a-f]{32}", "_id", body)  # the map's elements' random names
    return re.sub(r'name="(csrf_token|submission_token)"([^>]*)value="[^"]*"', r'name="\1"\2',
                  re.sub(r'(nonce|data-csrf)="[^"]*"', "", body))


@pytest.mark.parametrize("app_overrides", [{"BENCH_ROUTES": True}])
def test_every_page_is_the_same_with_the_tricks_off(client, users):
    lead = make_lead(users["kumla"], "own")
    add_followups(lead, users["kumla"], -2, 9)
    for n in range(3):
        make_site("kumla", name=f"Via {n}", land_area_m2=40_000 + n * 20_000)
    login(client, "kumla")
    for path in ("/leads", "/pipeline", f"/leads/{lead.id}", f"/leads/{lead.id}/matches"):
        expected = _page(client, path)
        assert _page(client, path) == expected  # from the caches
        assert _page(client, path, **{"X-Bench-Tricks-Off": ",".join(sorted(TRICKS))}) \
            == expected, path
        with tricks_off(*TRICKS):
            assert _page(client, path) == expected, path


@pytest.mark.parametrize("app_overrides", [{"BENCH_ROUTES": True}])
def test_the_bench_header_switches_a_trick_off_for_one_request(client, users):
    from app.auth.service import _ADVISOR_OPTIONS

    login(client, "kumla")
    client.get("/leads", headers={"X-Bench-Tricks-Off": "owner_filter"})
    assert len(_ADVISOR_OPTIONS._values) == 0
    client.get("/leads")
    assert len(_ADVISOR_OPTIONS._values) == 1


def test_without_the_bench_the_header_changes_nothing(client, users):
    from app.auth.service import _ADVISOR_OPTIONS

    login(client, "kumla")
    client.get("/leads", headers={"X-Bench-Tricks-Off": "owner_filter"})
    assert len(_ADVISOR_OPTIONS._values) == 1
