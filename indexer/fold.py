"""Step 4 of analysis: fold a lowercased token to ASCII for diacritic-less queries.

Folding is per token (never whole text) so that offsets stay valid, and cached
because the vocabulary is small next to the token stream.
"""

from __future__ import annotations

from functools import lru_cache

from unidecode import unidecode

from indexer.normalize import normalize_line


# 65,536 syllables cover nearly every occurrence (the rest are names, numbers, typos);
# four times as many cost an analysis worker 50 MB more for a build (issue 4: 1 GB)
@lru_cache(maxsize=65536)
def fold(token: str) -> str:
    """``nghị`` → ``nghi``, ``đảng`` → ``dang``; ASCII tokens come back unchanged."""
    if token.isascii():
        return token
    if "_" in token:  # a bigram: each syllable on its own (see below)
        return "_".join(fold(part) for part in token.split("_"))
    # unidecode knows no ASCII for some scripts (Tangut, Linear B, many symbols) and
    # returns "": an empty term would make every such token match every other one.
    return unidecode(token).lower().strip() or token


def has_diacritics(text: str) -> bool:
    """True when folding would change the text (its letters carry Vietnamese marks)."""
    return not text.isascii() and unidecode(text) != text


def fold_key(value: str) -> str:
    """A metadata value as a filter key: ``Quyết định`` and ``quyet  dinh`` are one key."""
    return unidecode(normalize_line(value).lower()).strip()
