"""The one pager macro: previous/next keep the list's query arguments."""

from flask import render_template_string

from tests.leads_helpers import login, make_lead

PAGER = '{% from "_pagination.html" import pager %}{{ pager(page, pages, "leads.index", args, **kw) }}'


def _render(app, **values):
    with app.test_request_context():
        return render_template_string(PAGER, **{"args": {}, "kw": {}, **values})


def test_one_page_shows_no_pager(app):
    assert "pagination" not in _render(app, page=1, pages=1)


def test_middle_page_links_both_ways_with_the_query_arguments(app):
    html = _render(app, page=2, pages=3, args={"stage": "new"}, kw={"position": "2 / 3"})
    assert 'href="/leads?page=1&amp;stage=new"' in html
    assert 'href="/leads?page=3&amp;stage=new"' in html
    assert "2 / 3" in html and "Föregående" in html and "Nästa" in html


def test_custom_labels_and_no_link_past_the_ends(app):
    html = _render(app, page=1, pages=2, kw={"prev_label": "Newer", "next_label": "Older"})
    assert "Newer" not in html and "Older" in html


def test_lead_list_pages_by_fifty(client, users):
    for n in range(51):
        make_lead(users["kumla"], f"page_{n}", company=False)
    login(client, "kumla")
    first = client.get("/leads").get_data(as_text=True)
    assert "Sida 1 av 2" in first and "page=2" in first
    second = client.get("/leads?page=2").get_data(as_text=True)
    assert "Sida 2 av 2" in second
