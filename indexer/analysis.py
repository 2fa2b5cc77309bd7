"""The analysis chain, top to bottom: normalise → segment → lowercase → fold.

The pure functions below are what both sides use: documents are indexed
through the Whoosh analyzers built from them, queries are analysed by calling
them directly, so a query and a document always get the same terms.

Terms (all lowercased, tone marks in one place, see ``indexer.tone``):
- words:     pyvi's words, syllables joined by ``_`` (``văn_phòng``)
- syllables: every run of letters or digits (``văn``, ``phòng``, ``2820``)
- folded:    syllables without diacritics (``van``, ``phong``), for queries typed without them
- bigrams:   adjacent folded syllables (``van_phong``): cheap proximity, and the only
             way to tell ``nghi quyet`` (nghị quyết) from ``nghi`` (nghi phạm) without accents

Offsets point into the text as given when it is already normalised, which is
how readers store it, so highlights land on the right characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple

from indexer.fold import fold
from indexer.normalize import normalize_text
from indexer.segment import segment
from indexer.tone import normalize_tone

_SYLLABLE = re.compile(r"[^\W_]+")
_WORDLIKE = re.compile(r"[^\W_]")
_SYLLABLE_SPLIT = re.compile(r"([^\W_]+)")


class Term(NamedTuple):
    text: str
    start: int
    end: int


def prepare(text: str) -> str:
    """Step 1: normalise characters and tone placement (length-preserving on stored text)."""
    return normalize_tone(normalize_text(text))


def words(text: str) -> list[Term]:
    """Step 2 (words): pyvi words of prepared text, in original case."""
    out = []
    for word in segment(text):
        sylls = word.syllables(text)
        if len(sylls) == 1:
            if _WORDLIKE.search(sylls[0]):
                out.append(Term(sylls[0], word.start, word.end))
        elif all(_SYLLABLE.fullmatch(s) for s in sylls):
            out.append(Term("_".join(sylls), word.start, word.end))
        else:  # pyvi glued something that is not a word (a line break): keep its syllables
            pairs = zip(word.spans, sylls, strict=True)
            out.extend(Term(s, a, b) for (a, b), s in pairs if _WORDLIKE.search(s))
    return out


def syllables(text: str) -> list[Term]:
    """Step 2 (syllables): runs of letters or digits, in original case."""
    return [Term(m.group(), m.start(), m.end()) for m in _SYLLABLE.finditer(text)]


def iter_syllable_terms(text: str) -> Iterator[tuple[int, int, str]]:
    """``syllable_terms`` as (start, end, term) tuples, one at a time: for scanning long
    stored texts (snippets), where building every Term first costs more than the scan."""
    for m in _SYLLABLE.finditer(prepare(text)):
        yield m.start(), m.end(), _lower(m.group())


def bigrams(text: str, terms: list[Term]) -> list[Term]:
    """Pairs of syllables that stand next to each other, parted by spaces only."""
    out = []
    for a, b in pairwise(terms):
        if text[a.end:b.start].isspace():
            out.append(Term(f"{a.text}_{b.text}", a.start, b.end))
    return out


def lowercase(terms: list[Term]) -> list[Term]:
    """Step 3."""
    return [t._replace(text=t.text.lower()) for t in terms]


def folded(terms: list[Term]) -> list[Term]:
    """Step 4: ASCII form of lowercased terms."""
    return [t._replace(text=fold(t.text)) for t in terms]


def word_terms(text: str) -> list[Term]:
    return lowercase(words(prepare(text)))


def syllable_terms(text: str) -> list[Term]:
    return lowercase(syllables(prepare(text)))


def folded_terms(text: str) -> list[Term]:
    return folded(syllable_terms(text))


def bigram_terms(text: str) -> list[Term]:
    text = prepare(text)
    return folded(lowercase(bigrams(text, syllables(text))))


class IndexTerms(NamedTuple):
    """The four term streams of one text, as the index fields take them."""

    words: list[str]
    syllables: list[str]
    folded: list[str]
    bigrams: list[str]


def index_terms(text: str) -> IndexTerms:
    """All four streams in one pass: the text is prepared and cut into syllables once.

    The same terms as ``word_terms``, ``syllable_terms``, ``folded_terms`` and
    ``bigram_terms`` (tests/test_analysis.py checks it on real text); this is what the
    indexer runs, where each of those would repeat the normalisation.
    """
    text = prepare(text)
    # syllables and what stands between them, without a Term per syllable: [gap, syllable,
    # gap, syllable, …, gap]
    parts = _SYLLABLE_SPLIT.split(text)
    sylls = [_lower(t) for t in parts[1::2]]
    folds = [fold(s) for s in sylls]
    gaps = parts[2:-1:2]  # gaps[i] stands between syllables i and i + 1
    pairs = [f"{folds[i]}_{folds[i + 1]}" for i, gap in enumerate(gaps) if gap.isspace()]
    return IndexTerms([_lower(t.text) for t in words(text)], sylls, folds, pairs)


@lru_cache(maxsize=65536)
def _lower(term: str) -> str:
    return term.lower()
