"""Diacritics put back, and misspelt syllables corrected, from the index's own words.

Pure functions over a ``Vocabulary`` (built from an index by ``search_service.vocabulary``,
or by hand in tests): no engine here.

A run of syllables typed without diacritics (``nghi quyet dai hoi``) has many readings
(``nghi`` ← nghị, nghỉ, nghi, nghĩ …). We pick the most likely one under a unigram model of
the index's words (pyvi's segmented words, ``nghị_quyết``, with their counts), choosing the
cut into words and the accented form of each word together by dynamic programming: a known
two- or three-syllable word (``đại_hội``) is far likelier than two single syllables, so
longer words win where the index knows them, and the most frequent form wins otherwise. A
syllable typed with diacritics that the index knows is kept as typed; one that no indexed word
has (a typo) is read through its folded form, and a folded form that no indexed syllable has
is replaced by its nearest neighbours (one edit away, ASCII, so ``quyeet`` → ``quyet``).
The output is in the index's tone style (``ủy``, ``hòa``: ``indexer.tone``) and lowercase; the
caller restores the typed case.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from indexer.fold import fold

# How many accented forms of one folded word are kept (the rest never win).
FORMS_PER_KEY = 4
# Longest word considered, in syllables.
MAX_WORD = 4
# Neighbours tried for a syllable the index does not know.
EDIT_CANDIDATES = 4
# log-probability costs, relative to the model's own (natural log)
EDIT_COST = math.log(1e-4)  # one letter wrong: rare next to any reading without a typo
SYLLABLE_ONLY = math.log(0.05)  # a syllable seen only inside longer words, read on its own
UNKNOWN = math.log(1e-3)  # a typed syllable no indexed word has, kept as typed

_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


@dataclass
class Vocabulary:
    """Folded word → its accented forms with counts, and the counts of single syllables.

    ``words`` keys are folded syllables joined by spaces (``nghi quyet``); values the
    accented forms (``nghị quyết``), most frequent first. ``syllables`` counts every accented
    syllable, inside words too; ``folded`` every folded syllable.
    """

    words: Mapping[str, tuple[tuple[str, int], ...]]
    syllables: Mapping[str, int]
    folded: Mapping[str, int]
    total: int
    max_len: int = 1
    _by_fold: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict, repr=False)

    def syllable_forms(self, folded: str) -> tuple[tuple[str, int], ...]:
        """Accented syllables folding to ``folded``, most frequent first."""
        return self._by_fold.get(folded, ())


def build_vocabulary(terms: Iterable[tuple[str, int]], forms_per_key: int = FORMS_PER_KEY,
                     min_count: int = 1) -> Vocabulary:
    """A vocabulary from ``(word, count)`` pairs: words as indexed (``nghị_quyết``), lowercase.

    Terms that are not all letters (numbers, codes) are skipped; a word listed twice (title
    and body fields) adds up.
    """
    counts: dict[str, int] = {}
    for term, count in terms:
        if count < min_count or not term.replace("_", "").isalpha():
            continue
        counts[term] = counts.get(term, 0) + count
    forms: dict[str, list[tuple[str, int]]] = {}
    syllables: dict[str, int] = {}
    max_len = 1
    for term, count in counts.items():
        sylls = term.split("_")
        if len(sylls) > MAX_WORD or not all(sylls):
            continue
        max_len = max(max_len, len(sylls))
        forms.setdefault(" ".join(fold(s) for s in sylls), []).append((" ".join(sylls), count))
        for s in sylls:
            syllables[s] = syllables.get(s, 0) + count
    words = {key: tuple(sorted(v, key=lambda fc: (-fc[1], fc[0]))[:forms_per_key])
             for key, v in forms.items()}
    by_fold: dict[str, list[tuple[str, int]]] = {}
    folded: dict[str, int] = {}
    for s, count in syllables.items():
        f = fold(s)
        by_fold.setdefault(f, []).append((s, count))
        folded[f] = folded.get(f, 0) + count
    by_fold_sorted = {f: tuple(sorted(v, key=lambda fc: (-fc[1], fc[0]))[:forms_per_key])
                      for f, v in by_fold.items()}
    total = sum(counts.values()) or 1
    return Vocabulary(words, syllables, folded, total, max_len, by_fold_sorted)


def edits1(word: str) -> set[str]:
    """ASCII strings one deletion, transposition, substitution or insertion from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in _ALPHABET]
    inserts = [a + c + b for a, b in splits for c in _ALPHABET]
    return set(deletes + transposes + replaces + inserts) - {word}


def neighbours(folded: str, vocab: Vocabulary, limit: int = EDIT_CANDIDATES) -> list[str]:
    """Indexed folded syllables one edit from ``folded``, most frequent first."""
    if len(folded) < 2 or not folded.isascii():
        return []
    found = [w for w in edits1(folded) if w in vocab.folded]
    return sorted(found, key=lambda w: (-vocab.folded[w], w))[:limit]


@dataclass(frozen=True)
class _Choice:
    """The folded spellings a position may take, with their costs."""

    options: tuple[tuple[str, float], ...]  # (folded syllable, cost)
    fixed: str | None  # an accented syllable the reading must keep, or None


def _choices(typed: list[str], vocab: Vocabulary, keep_accents: bool) -> list[_Choice]:
    out = []
    for syl in typed:
        f = fold(syl)
        keep = keep_accents and syl != f and syl in vocab.syllables
        if f in vocab.folded:
            options: tuple[tuple[str, float], ...] = ((f, 0.0),)
        else:
            options = ((f, 0.0), *((n, EDIT_COST) for n in neighbours(f, vocab)))
        out.append(_Choice(options, syl if keep else None))
    return out


def _span_options(choices: list[_Choice], i: int, j: int) -> list[tuple[str, float]]:
    """Folded keys for syllables i..j-1 over every combination of their options."""
    keys: list[tuple[str, float]] = [("", 0.0)]
    for c in choices[i:j]:
        keys = [(f"{k} {o}" if k else o, cost + oc) for k, cost in keys for o, oc in c.options]
    return keys


def _fits(form: list[str], choices: list[_Choice], i: int) -> bool:
    return all(c.fixed is None or c.fixed == s for c, s in zip(choices[i:], form, strict=False))


def _candidates(choices: list[_Choice], typed: list[str], vocab: Vocabulary, i: int, j: int
                ) -> list[tuple[list[str], float]]:
    log_total = math.log(vocab.total)
    out: list[tuple[list[str], float]] = []
    seen: set[tuple[str, ...]] = set()
    for key, cost in _span_options(choices, i, j):
        for form, count in vocab.words.get(key, ()):
            sylls = form.split(" ")
            if _fits(sylls, choices, i):
                out.append((sylls, math.log(count) - log_total + cost))
                seen.add(tuple(sylls))
        if j - i == 1:
            # a syllable known only inside longer words may still stand alone
            for form, count in vocab.syllable_forms(key):
                if (form,) not in seen and _fits([form], choices, i):
                    out.append(([form], math.log(count) - log_total + SYLLABLE_ONLY + cost))
                    seen.add((form,))
    if j - i == 1 and (typed[i],) not in seen:
        # as typed: always possible, never likely unless nothing else is
        known = vocab.syllables.get(typed[i], 0)
        score = (math.log(known) - log_total + SYLLABLE_ONLY) if known else \
            UNKNOWN - log_total
        out.append(([typed[i]], score))
    return out


def best_reading(typed: list[str], vocab: Vocabulary, keep_accents: bool = True
                 ) -> tuple[list[str], float]:
    """The likeliest accented reading of lowercase syllables ``typed`` and its log-probability.

    ``keep_accents``: syllables typed with diacritics that the index knows stay as typed.
    """
    n = len(typed)
    if n == 0:
        return [], 0.0
    choices = _choices(typed, vocab, keep_accents)
    best: list[tuple[float, int, list[str]] | None] = [None] * (n + 1)
    best[0] = (0.0, 0, [])
    for j in range(1, n + 1):
        for i in range(max(0, j - vocab.max_len), j):
            prev = best[i]
            if prev is None:
                continue
            for sylls, score in _candidates(choices, typed, vocab, i, j):
                total = prev[0] + score
                current = best[j]
                if current is None or total > current[0]:
                    best[j] = (total, i, sylls)
    out: list[str] = []
    j = n
    while j > 0:
        entry = best[j]
        assert entry is not None  # position j-1 always has its typed form as a candidate
        out[:0] = entry[2]
        j = entry[1]
    final = best[n]
    assert final is not None
    return out, final[0]


def typed_score(typed: list[str], vocab: Vocabulary) -> float:
    """The log-probability of the syllables read exactly as typed (for a margin)."""
    log_total = math.log(vocab.total)
    fixed = [_Choice(((fold(s), 0.0),), s) for s in typed]
    n = len(typed)
    best: list[float | None] = [None] * (n + 1)
    best[0] = 0.0
    for j in range(1, n + 1):
        for i in range(max(0, j - vocab.max_len), j):
            prev = best[i]
            if prev is None:
                continue
            scores = [math.log(count) - log_total
                      for form, count in vocab.words.get(" ".join(fold(s) for s in typed[i:j]), ())
                      if _fits(form.split(" "), fixed, i)]
            if j - i == 1:
                known = vocab.syllables.get(typed[i], 0)
                scores.append((math.log(known) - log_total + SYLLABLE_ONLY) if known
                              else UNKNOWN - log_total)
            if scores and (best[j] is None or prev + max(scores) > best[j]):
                best[j] = prev + max(scores)
    return best[n] if best[n] is not None else UNKNOWN * n
