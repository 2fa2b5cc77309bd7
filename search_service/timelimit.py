"""A time limit on one search: Whoosh's ``TimeLimitCollector``, placed where it works.

Wrapped around the whole collector chain (as Whoosh's docs show) it steps through the
matches itself and so bypasses a ``FilterCollector``: filters would be ignored. So the
limit goes innermost, just above the collector that scores or sorts, and is checked as
each match is read, whichever collector reads it, and before each segment. No SIGALRM
(Whoosh's default): a signal handler can only be set in the main thread, and an exception
raised anywhere inside Whoosh's readers is not safe. So the limit cannot cut short what
Whoosh does before the first match: building the matcher of a very long OR query reads its
postings whole (``TRACUU_MAX_QUERY_LENGTH`` bounds that).
"""

from __future__ import annotations

from whoosh.collectors import TimeLimitCollector, WrappingCollector
from whoosh.searching import Results, Searcher, TimeLimit


class _Deadline(TimeLimitCollector):
    def __init__(self, child, seconds: float):
        super().__init__(child, seconds, use_alarm=False)
        self.collected = 0  # matches that got past the filters: the total of a partial search

    def set_subsearcher(self, subsearcher, offset):
        if self.timedout:  # before a segment's matcher is built: that is the costly part
            raise TimeLimit
        super().set_subsearcher(subsearcher, offset)

    def matches(self):
        for sub_docnum in self.child.matches():
            if self.timedout:
                raise TimeLimit
            yield sub_docnum

    def computes_count(self):
        # Collector's default says True, and a FilterCollector above would then take the
        # child's unfiltered count as the total
        return self.child.computes_count()

    def collect(self, sub_docnum):
        self.collected += 1
        return self.child.collect(sub_docnum)

    # TimeLimitCollector's own loop bypasses the filter wrappers above it
    collect_matches = WrappingCollector.collect_matches


def search_within(searcher: Searcher, query, seconds: float, **kwargs) -> tuple[Results, bool]:
    """``searcher.search(query, **kwargs)`` stopped after ``seconds`` (0: no limit).

    Returns the results and whether the limit cut the matching short, in which case
    they hold the best of the documents matched so far, and count only those.
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
        results = outer.results()
        # else len(results) would run the whole query again, without a limit
        results._total = deadline.collected
        return results, True
    return outer.results(), False
