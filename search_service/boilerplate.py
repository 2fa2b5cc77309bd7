"""Question boilerplate: the words of a Vietnamese question that ask, not what it asks about.

"…, đúng hay sai?", "Theo quy định của pháp luật, …", "… có được … không?", "bao nhiêu"
occur in questions far more often than in the texts that answer them, and an answer does
not contain them any more than a non-answer does. Their syllables still match, at a
fraction of the weight (``searcher.WEIGHTS["boilerplate"]``), so a query made only of them
still finds something.

Phrases are written folded and matched on the query's folded syllables, so they are found
however the question was typed; a syllable is minor only where it is part of a phrase
("quy định" in "theo quy định" is minor, "quy định" alone is not).
"""

from __future__ import annotations

from collections.abc import Sequence

from indexer.fold import fold

PHRASES: tuple[str, ...] = (
    # asking for a judgement or a choice
    "dung hay sai", "dung khong", "sai khong", "phai khong", "co phai", "hay khong",
    "nao sau day", "sau day", "dieu nao", "truong hop nao", "y nao", "phuong an nao",
    "nhung gi", "la gi", "the nao", "nhu the nao", "ra sao", "bao nhieu", "bao lau",
    "khi nao", "o dau", "tai sao", "vi sao", "co duoc", "duoc khong", "co the",
    "co bat buoc", "hay", "khong",
    # pointing at the law in general rather than at a subject
    "theo quy dinh cua phap luat", "theo quy dinh hien hanh", "theo quy dinh",
    "quy dinh cua phap luat", "theo phap luat", "phap luat hien hanh",
)
_PHRASES = sorted((tuple(p.split()) for p in PHRASES), key=len, reverse=True)


def minor_positions(syllables: Sequence[str]) -> frozenset[int]:
    """Positions of ``syllables`` (lowercased, accented or not) inside a boilerplate phrase;
    the longest phrase wins where several start at one place."""
    folded = [fold(s) for s in syllables]
    minor: set[int] = set()
    i = 0
    while i < len(folded):
        for phrase in _PHRASES:
            if tuple(folded[i:i + len(phrase)]) == phrase:
                minor.update(range(i, i + len(phrase)))
                i += len(phrase)
                break
        else:
            i += 1
    return frozenset(minor)


def minor_syllables(syllables: Sequence[str]) -> frozenset[str]:
    """The syllables that occur in the query *only* inside boilerplate."""
    positions = minor_positions(syllables)
    inside = {s for i, s in enumerate(syllables) if i in positions}
    outside = {s for i, s in enumerate(syllables) if i not in positions}
    return frozenset(inside - outside)
