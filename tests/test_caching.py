"""app.caching.ProcessCache: the most recently used values, safe under threads."""

from __future__ import annotations

import threading

from app.caching import ProcessCache, clear_process_caches


def test_keeps_the_most_recently_used_values():
    cache = ProcessCache(size=2)
    computed = []

    def compute(value):
        def inner():
            computed.append(value)
            return value * 10
        return inner

    assert cache.get("a", compute(1)) == 10
    assert cache.get("b", compute(2)) == 20
    assert cache.get("a", compute(99)) == 10  # kept, and now the most recent
    assert cache.get("c", compute(3)) == 30  # evicts b, the least recently used
    assert cache.get("b", compute(4)) == 40
    assert computed == [1, 2, 3, 4]
    clear_process_caches()
    assert cache.get("a", compute(5)) == 50


def test_threads_sharing_a_small_cache_get_their_own_values():
    cache = ProcessCache(size=3)
    failures = []

    def work(offset):
        try:
            for n in range(2000):
                key = (n + offset) % 7
                assert cache.get(key, lambda key=key: key * 2) == key * 2
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=work, args=(offset,)) for offset in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(cache._values) <= 3


def test_a_switched_off_cache_computes_every_time_and_keeps_nothing():
    from app.caching import tricks_off

    cache = ProcessCache(size=4, trick="assignees")
    computed = []
    with tricks_off("assignees"):
        assert cache.get("a", lambda: computed.append(1) or 1) == 1
        assert cache.get("a", lambda: computed.append(2) or 2) == 2
    assert len(cache._values) == 0
    assert cache.get("a", lambda: computed.append(3) or 3) == 3
    assert cache.get("a", lambda: computed.append(4) or 4) == 3  # on again: kept
    assert computed == [1, 2, 3]


def test_only_known_tricks_can_be_switched_off():
    import pytest

    from app.caching import trick_on, tricks_off

    with pytest.raises(ValueError):
        ProcessCache(size=1, trick="no-such-trick")
    with pytest.raises(ValueError), tricks_off("no-such-trick"):
        pass
    with tricks_off("assignees"):
        assert not trick_on("assignees") and trick_on("statements")
    assert trick_on("assignees")


def test_the_rows_behind_a_revision_cannot_be_deleted(app, users):
    """Caches keyed by table_revision (owner filter, assignees, site map and counts) see
    additions and changes only: a deleted user or site would leave them stale, so no
    deletion of one gets through the ORM, one by one or in bulk."""
    import pytest
    import sqlalchemy as sa

    from app.auth.models import User
    from app.caching import NEVER_DELETED, RowsNeverDeleted, table_revision
    from app.extensions import db
    from app.leads.models import Lead
    from app.sites.models import Site

    assert {User.__tablename__, Site.__tablename__} <= NEVER_DELETED
    nobody = User(email="ingen@test.example", name="Ingen", role=users["kumla"].role,
                  municipality_id=users["kumla"].municipality_id)
    db.session.add(nobody)
    db.session.commit()
    db.session.delete(nobody)
    with pytest.raises(RowsNeverDeleted):
        db.session.commit()
    db.session.rollback()
    for model in (User, Site):
        with pytest.raises(RowsNeverDeleted):
            db.session.execute(sa.delete(model).where(model.id == -1))
        db.session.rollback()
    assert db.session.get(User, nobody.id) is not None
    with pytest.raises(ValueError):
        table_revision(Lead)  # not declared never deleted: its revision could miss one
