"""A time limit on one search: Whoosh's ``TimeLimitCollector``, placed where it works.

Wrapped around the whole collector chain (as Whoosh's docs show) it steps through the
matches itself and so bypasses a ``FilterCollector``: filters would be ignored. So the
limit goes innermost, just above the collector that scores or sorts, and is checked as
each match is read, whichever collector reads it. No SIGALRM (Whoosh's default): a signal
handler can only be set in the main thread, and gunicorn's workers have their own.
"""

from __future__ import annotations

from whoosh.collectors import TimeLimitCollector, WrappingCollector
from whoosh.searching import Results, Searcher, TimeLimit


class _Deadline(TimeLimitCollector):
    def __init__(self, child, seconds: float):
        super().__init__(child, seconds, use_alarm=False)

    def matches(self):
        for sub_docnum in self.child.matches():
            if self.timedout:
                raise TimeLimit
            yield sub_docnum

    # TimeLimitCollector's own loop bypasses the filter wrappers above it
    collect_matches = WrappingCollector.collect_matches


def search_within(searcher: Searcher, query, seconds: float, **kwargs) -> tuple[Results, bool]:
    """``searcher.search(query, **kwargs)`` stopped after ``seconds`` (0: no limit).

    Returns the results and whether the limit cut the matching short, in which case
    they hold the best of the documents matched so far.
    """
    if not seconds or seconds <= 0:
        return searcher.search(query, **kwargs), False
    outer = searcher.collector(**kwargs)
    parent, inner = None, outer
    while isinstance(inner, WrappingCollector):
        parent, inner = inner, inner.child
    deadline = _Deadline(inner, seconds)
    if parent is None:
        outer = deadline
    else:
        parent.child = deadline
    try:
        searcher.search_with_collector(query, outer)
    except TimeLimit:
        return outer.results(), True
    return outer.results(), False
