"""Snippets: the best passage of a stored text, escaped, with matches in ``<mark>``.

Matches are found by running the index's own syllable analysis over the stored
text, so their offsets are the characters the index saw (stored text is
normalised, and the analysis keeps its length).
"""

from __future__ import annotations

import re
from bisect import bisect_left

from markupsafe import escape

from indexer import analysis
from indexer.docnumber import find_in_text_lenient
from indexer.fold import fold
from indexer.loosenumber import number_keys as loose_keys

_SPACE = re.compile(r"\s+")


def match_spans(text: str, exact: frozenset[str], bare: frozenset[str],
                number_keys: frozenset[str] = frozenset()) -> list[tuple[int, int, str]]:
    """(start, end, term) of every syllable or number of ``text`` that the query matched.

    ``exact`` holds query syllables as indexed; ``bare`` those typed without
    diacritics, which also match any accented form that folds to them.
    """
    spans = []
    for term in analysis.syllable_terms(text):
        if term.text in exact:
            spans.append((term.start, term.end, term.text))
        elif bare and fold(term.text) in bare:
            spans.append((term.start, term.end, fold(term.text)))
    if number_keys:
        numbers = [n for n in find_in_text_lenient(text)
                   if not number_keys.isdisjoint(loose_keys(n.canonical))]
        spans = [s for s in spans if not any(n.start <= s[0] < n.end for n in numbers)]
        spans.extend((n.start, n.end, n.folded_key) for n in numbers)
        spans.sort()
    return spans


def _window(text: str, spans: list[tuple[int, int, str]], size: int) -> tuple[int, int]:
    starts = [s[0] for s in spans]
    best, best_score = (0, 0), -1
    for i, (start, _, _) in enumerate(spans):
        lo = max(0, start - size // 5)
        hi = lo + size
        j = bisect_left(starts, hi)
        score = len({s[2] for s in spans[i:j]}) * 1000 + (j - i)
        if score > best_score:
            best, best_score = (lo, hi), score
    lo, hi = best
    hi = min(len(text), hi)
    # widen to whole words at both ends
    while lo > 0 and not text[lo - 1].isspace():
        lo -= 1
    while hi < len(text) and not text[hi].isspace():
        hi += 1
    return lo, hi


def _plain(text: str) -> str:
    return str(escape(_SPACE.sub(" ", text)))


def snippet(text: str, spans: list[tuple[int, int, str]], size: int = 240) -> str:
    """HTML of the best passage of ``text`` around ``spans``, or its beginning if none."""
    if not text:
        return ""
    if not spans:
        end = min(len(text), size)
        while end < len(text) and not text[end].isspace():
            end += 1
        return _plain(text[:end]).strip() + (" …" if end < len(text) else "")
    lo, hi = _window(text, spans, size)
    out, cursor = [], lo
    for start, end, _ in spans:
        if start < cursor or end > hi:
            continue
        out.append(_plain(text[cursor:start]))
        out.append(f"<mark>{_plain(text[start:end])}</mark>")
        cursor = end
    out.append(_plain(text[cursor:hi]))
    html = "".join(out).strip()
    return ("… " if lo > 0 else "") + html + (" …" if hi < len(text) else "")


def mark_all(text: str, spans: list[tuple[int, int, str]]) -> str:
    """HTML of the whole of ``text``, escaped, every span in ``<mark>`` (line breaks kept)."""
    out, cursor = [], 0
    for start, end, _ in spans:
        if start < cursor:
            continue
        out.append(str(escape(text[cursor:start])))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    out.append(str(escape(text[cursor:])))
    return "".join(out)
