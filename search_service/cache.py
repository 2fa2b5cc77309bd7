"""A small bounded LRU cache shared by the threads of one process.

Results are cached under a key that names the index version they were computed on,
so a new generation or a new commit simply stops hitting the old entries (and the
LRU order evicts them); nothing has to be invalidated by hand.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class LRUCache(Generic[V]):
    def __init__(self, maxsize: int):
        self.maxsize = maxsize
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get_or_compute(self, key: Hashable, compute: Callable[[], V],
                       keep: Callable[[V], bool] = lambda _: True) -> V:
        """The cached value of ``key``, or ``compute()``, stored under it if ``keep`` says so.

        Two threads missing the same key both compute it: cheaper than holding the
        lock through a search, and the results are equal.
        """
        if self.maxsize <= 0:
            return compute()
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
            self.misses += 1
        value = compute()
        if not keep(value):
            return value
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._items)
