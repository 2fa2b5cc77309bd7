"""Query understanding: what a user typed, as terms of the index (no engine here).

The user's text goes through the same analysis chain as documents
(``indexer.analysis``), so every spelling of a word (NFD, either tone style,
``Ð``) gives the same terms and therefore the same ranking and scores.
Document numbers, however loosely typed (``nghị định 15/2020``, ``NĐ 15``,
``5-nq/tu``: ``indexer.loosenumber``), and quoted phrases are taken out first. Nothing a user types
is syntax: stray operators, field names or unbalanced quotes are just text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from indexer import analysis
from indexer.abbreviations import Expansion, expand_query
from indexer.fold import fold, has_diacritics
from indexer.loosenumber import LooseNumber, parse_loose_numbers
from search_service.boilerplate import minor_syllables

_QUOTES = re.compile(r"[\"“”„«»]")


@dataclass(frozen=True)
class Filters:
    """Restrictions on metadata; values as displayed in facets, matched by folded key."""

    type: str = ""
    issuer: str = ""
    category: str = ""
    year: str = ""
    date_from: str = ""  # ISO, inclusive
    date_to: str = ""

    def __bool__(self) -> bool:
        return any((self.type, self.issuer, self.category, self.year, self.date_from,
                    self.date_to))


@dataclass(frozen=True)
class Phrase:
    syllables: tuple[str, ...]
    folded: bool  # typed without diacritics: match it on folded terms


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    words: tuple[str, ...]
    syllables: tuple[str, ...]
    folded: tuple[str, ...]
    bigrams: tuple[str, ...]
    phrases: tuple[Phrase, ...]
    numbers: tuple[LooseNumber, ...]
    accented: bool  # the user typed some diacritics
    ordered: tuple[str, ...] = ()  # the syllables in order, with repeats
    # abbreviations in the query spelled out, and full forms abbreviated (UBND ⇄ Ủy ban nhân dân)
    expansions: tuple[Expansion, ...] = ()
    # syllables that occur only in question boilerplate ("đúng hay sai", "theo quy định"),
    # as typed and folded
    minor: frozenset[str] = frozenset()

    def is_minor(self, term: str) -> bool:
        """A word, syllable, folded syllable or pair made only of boilerplate syllables."""
        return bool(self.minor) and all(part in self.minor for part in term.split("_"))

    @property
    def is_empty(self) -> bool:
        return not (self.syllables or self.numbers)

    def highlight_terms(self) -> tuple[frozenset[str], frozenset[str]]:
        """Exact syllables to mark, and folded forms to mark for syllables typed bare."""
        bare = frozenset(s for s in self.syllables if not has_diacritics(s))
        spelled = frozenset(s for e in self.expansions if not e.folded for s in e.syllables)
        return frozenset(self.syllables) | spelled, bare


def _unique(items) -> tuple:
    return tuple(dict.fromkeys(items))


def _split_phrases(text: str) -> tuple[str, list[str]]:
    parts = _QUOTES.split(text)
    if len(parts) % 2 == 0:  # an unbalanced quote: the last one is not syntax
        parts = [*parts[:-2], parts[-2] + " " + parts[-1]]
    phrases = [p for p in parts[1::2] if p.strip()]
    return " ".join(parts), phrases


@lru_cache(maxsize=4096)  # popular queries repeat; the result is immutable
def parse_query(q: str) -> ParsedQuery:
    text = analysis.prepare(q)
    numbers = parse_loose_numbers(text)
    for number in reversed(numbers):  # numbers are searched whole, not as pieces
        text = text[: number.start] + " " + text[number.end:]
    free, phrase_texts = _split_phrases(text)
    syllables = [t.text for t in analysis.syllable_terms(free)]
    phrases = []
    for p in phrase_texts:
        sylls = tuple(t.text for t in analysis.syllable_terms(p))
        if len(sylls) > 1:
            folded = not has_diacritics(p)
            phrases.append(Phrase(tuple(fold(s) for s in sylls) if folded else sylls,
                                  folded))
    # Queries are segmented in lower case: pyvi's cuts depend on case, and
    # "CẤP ỦY" must find exactly what "cấp ủy" finds.
    words = [t.text for t in analysis.word_terms(free.lower())] if syllables else []
    return ParsedQuery(
        text=analysis.prepare(q).strip(),
        words=_unique(w for w in words if "_" in w),
        syllables=_unique(syllables),
        folded=_unique(fold(s) for s in syllables),
        bigrams=_unique(t.text for t in analysis.bigram_terms(free)),
        phrases=tuple(phrases),
        numbers=tuple(numbers),
        accented=has_diacritics(free),
        ordered=tuple(syllables),
        expansions=expand_query(syllables) if syllables else (),
        minor=(minor := minor_syllables(syllables)) | {fold(s) for s in minor},
    )
