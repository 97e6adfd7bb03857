"""Small per-process caches of values computed from the database.

A key names everything that decides the value (a data revision read cheaply from the
database, the user's scope class, the filter, the locale), so a change to the data shows
at once and nothing stale is served across processes."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class ProcessCache:
    """The `size` most recently used values, by key."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        if key in self._values:
            self._values.move_to_end(key)
            return self._values[key]
        value = self._values[key] = compute()
        while len(self._values) > self.size:
            self._values.popitem(last=False)
        return value
