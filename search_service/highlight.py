"""Snippets: the best passage of a stored text, escaped, with matches in ``<mark>``.

Matches are the query's syllables found in the stored text by one regex (whole
syllables, either tone-mark style, any marks for a syllable typed bare): the same
syllables the index's analysis finds there, at the characters the index saw (stored text
is normalised, and the analysis keeps its length). tests/test_highlight compares the two.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from markupsafe import escape

from indexer.docnumber import find_in_text_lenient
from indexer.fold import fold
from indexer.loosenumber import number_keys as loose_keys
from indexer.tone import normalize_tone, other_tone_style

_SPACE = re.compile(r"\s+")
# every letter that folds to an ASCII letter (à, ạ, ă, ầ … → a; đ → d), for bare terms
_FOLDS_TO: dict[str, str] = {}
for _code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
    _ch = chr(_code)
    if _ch.isalpha() and len(_folded := fold(_ch.lower())) == 1 and _folded.isalpha():
        _FOLDS_TO[_folded] = _FOLDS_TO.get(_folded, "") + _ch


@lru_cache(maxsize=1024)
def _terms_pattern(exact: frozenset[str], bare: frozenset[str]) -> re.Pattern | None:
    """One regex for every whole syllable a snippet marks: the exact terms, and any form
    of the bare ones with or without marks. A scan of a long stored text for a few terms
    is then one regex pass, not a Python step per syllable."""
    # the stored text keeps the tone style it was written in (hoà or hòa): both are looked for
    spelled = {form for t in exact for form in (t, other_tone_style(t))}
    alternatives = [re.escape(t) for t in sorted(spelled, key=len, reverse=True)]
    for term in sorted(bare, key=len, reverse=True):
        alternatives.append("".join(f"[{re.escape(c)}{_FOLDS_TO.get(c, '')}]" if c.isalpha()
                                    else re.escape(c) for c in term))
    if not alternatives:
        return None
    return re.compile(r"(?<![^\W_])(?:" + "|".join(alternatives) + r")(?![^\W_])",
                      re.IGNORECASE)


def match_spans(text: str, exact: frozenset[str], bare: frozenset[str],
                number_keys: frozenset[str] = frozenset()) -> list[tuple[int, int, str]]:
    """(start, end, term) of every syllable or number of ``text`` that the query matched.

    ``text`` is stored text (``normalize_text`` already applied by the readers, so offsets
    are the index's). ``exact`` holds query syllables as indexed, found in either tone-mark
    style; ``bare`` those typed without diacritics, which also match any accented form that
    folds to them.
    """
    spans = []
    pattern = _terms_pattern(exact, bare)
    if pattern is not None:
        for m in pattern.finditer(text):
            term = normalize_tone(m.group().lower())
            spans.append((m.start(), m.end(), term if term in exact else fold(term)))
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
