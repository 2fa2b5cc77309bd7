"""The key terms of a document for "more like this": frequent in it, rare in the index.

Each distinct term of the text on a field is scored TF-IDF, its weight in the text times
``ln(N / df)``, among the terms of at most ``max_df_share`` of the documents: a term that
most documents hold (on official texts, "quyết định", "ban hành", "căn cứ") says what form a
document has, not what it is about. docs/relevance.md has the measurements behind the
choice (against Whoosh's Bo1 and KL expanders, which the service used before).

Whoosh's own ``key_terms_from_text`` asks the reader twice for each distinct term (``in``,
then ``frequency``), each a hash look-up in every segment's term table: on the
49k-document index two thirds of a "more like this" request. Here a term costs one
look-up of its document frequency per segment, and the terms whose score cannot reach the
best ``count`` (bounded by their weight in the text, as ``df`` is at least 1) are not
looked up at all.
"""

from __future__ import annotations

import heapq
from math import log


def key_terms(searcher, field: str, text: str, count: int,
              max_df_share: float = 1.0) -> list[tuple[str, float]]:
    """The ``count`` best terms of ``text`` on ``field`` and their weights (the best 1.0),
    among the terms of at most ``max_df_share`` of the documents (and at least 2)."""
    fieldobj = searcher.schema[field]
    in_text: dict[bytes, float] = {}
    for btext, _, weight, _ in fieldobj.index(text):
        in_text[btext] = in_text.get(btext, 0.0) + weight
    reader = searcher.reader()
    documents = reader.doc_count_all()
    if not in_text or not documents:
        return []
    max_df = max(max_df_share * documents, 2)
    rarest = log(documents)  # the idf of a term of one document: no term scores more
    scored: list[tuple[float, str]] = []
    floor: list[float] = []  # the ``count`` best scores so far (a min-heap)
    for btext, weight in sorted(in_text.items(), key=lambda kv: -kv[1]):
        if len(floor) == count and weight * rarest < floor[0]:
            break  # weights only fall from here, and the bound with them
        df = reader.doc_frequency(field, btext)  # deleted documents too, as Whoosh counts
        if not df or df > max_df:
            continue
        score = weight * log(documents / df)
        scored.append((score, fieldobj.from_bytes(btext)))
        if len(floor) < count:
            heapq.heappush(floor, score)
        elif score > floor[0]:
            heapq.heapreplace(floor, score)
    scored.sort(key=lambda x: (-x[0], x[1]))
    scored = scored[:count]
    if not scored or scored[0][0] <= 0:
        return []
    best = scored[0][0]
    return [(word, score / best) for score, word in scored if score > 0]

