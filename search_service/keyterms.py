"""The key terms of a text, as Whoosh's Bo1 expander picks them, with one look-up per term.

"More like this" takes the terms of a document that are frequent in it and rare in the
index. Whoosh's ``key_terms_from_text`` asks the reader twice for each distinct term of the
text (``in``, then ``frequency``), each a hash look-up in every segment's term table: on
the 49k-document index that was two thirds of a "more like this" request. Here each term's
info is read once per segment and gives the term's total weight, and the terms that cannot
reach the best ``count`` are not looked up at all. The terms and scores are Whoosh's:
``classify.Bo1Model`` with ``normalize=False`` (tests/test_keyterms.py compares the two).
"""

from __future__ import annotations

import heapq
from math import log

from whoosh.reading import TermNotFound


def key_terms(searcher, field: str, text: str, count: int) -> list[tuple[str, float]]:
    """The ``count`` best terms of ``text`` on ``field`` and their weights (best is 1.0)."""
    fieldobj = searcher.schema[field]
    in_text: dict[bytes, float] = {}
    for btext, _, weight, _ in fieldobj.index(text):
        in_text[btext] = in_text.get(btext, 0.0) + weight
    if not in_text:
        return []
    reader = searcher.reader()
    documents = reader.doc_count_all()
    leaves = [leaf for leaf, _ in reader.leaf_readers()]
    # Most terms of a text occur once in it. A term's score can be bounded before its look-up
    # (from the least and the greatest weight it can have in the index), so once a text's
    # ``count``-th best score beats the bound of every term left, they need no look-up.
    rarest = fieldobj.format.field_boost / documents
    commonest = max(reader.field_length(field) / documents, rarest)
    scored: list[tuple[float, str]] = []
    floor: list[float] = []  # the ``count`` best scores so far (a min-heap)
    for btext, weight in sorted(in_text.items(), key=lambda kv: -kv[1]):
        if len(floor) == count and \
                max(_bo1(weight, rarest), _bo1(weight, commonest)) < floor[0]:
            break  # weights only fall from here, and the bound with them
        in_index = _collection_weight(leaves, field, btext)
        if in_index is None:
            continue
        score = _bo1(weight, in_index / documents)
        scored.append((score, fieldobj.from_bytes(btext)))
        if len(floor) < count:
            heapq.heappush(floor, score)
        elif score > floor[0]:
            heapq.heapreplace(floor, score)
    if not scored:
        return []
    scored.sort(key=lambda x: (-x[0], x[1]))
    best = scored[0][0]
    return [(word, score / best) for score, word in scored[:count]]


def _bo1(weight: float, f: float) -> float:
    """Whoosh's ``Bo1Model.score``: ``f`` is the term's weight in the index per document.
    Falls as ``f`` grows up to ``weight``, then rises: its largest value over an interval
    of ``f`` is at one of the ends."""
    return weight * log((1.0 + f) / f, 2) + log(1.0 + f, 2)


def _collection_weight(leaves, field: str, btext: bytes) -> float | None:
    """The term's total weight in the index (deleted documents too, as Whoosh counts it);
    None when no segment has it."""
    total, found = 0.0, False
    for leaf in leaves:
        try:
            total += leaf._terms.term_info(field, btext).weight()
        except TermNotFound:
            continue
        found = True
    return total if found else None
