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
