"""Diacritics put back, and misspelt syllables corrected, from the index's own words.

Pure functions over a ``Vocabulary`` (built from an index by ``search_service.vocabulary``,
or by hand in tests): no engine here.

A run of syllables typed without diacritics (``nghi quyet dai hoi``) has many readings
(``nghi`` ← nghị, nghỉ, nghi, nghĩ …). We pick the likeliest under a model of the index's
words (pyvi's segmented words, ``nghị_quyết``, with their counts) and, when the build counted
them (``indexer.wordpairs``), of which word follows which. The cut into words and the accented
form of each word are chosen together (a Viterbi search over the last word): a known two- or
three-syllable word (``đại_hội``) is far likelier than two single syllables, so longer words
win where the index knows them; the word before decides between forms of one syllable; the
most frequent form wins otherwise. A syllable typed with diacritics that the index knows is
kept as typed; one that the index does not know (a typo) is read through its folded form and
its neighbours one edit away (ASCII, so ``quyeet`` → ``quyet``), keeping the marks typed.
The output is in the index's tone style (``ủy``, ``hòa``: ``indexer.tone``) and lowercase; the
caller restores the typed case.
"""

from __future__ import annotations

import heapq
import math
import re
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
MARK_MISSING = math.log(0.01)  # per letter with a mark typed that the correction lacks

KEEP_ACCENTED, KEEP_KNOWN = "accented", "known"
# Readings kept per position when word pairs make the last word matter.
BEAM = 12
# Weight of the word-pair estimate against the single-word one.
PAIR_WEIGHT = 0.8
LOG_NO_PAIR = math.log(1 - PAIR_WEIGHT)

_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
# The shape of a Vietnamese syllable without its marks: onset, one to three vowels, coda.
# A bare word the index does not know and of another shape (``Dash``, ``iKON``, ``NES``)
# is a name or a foreign word, not a typo: it is left alone.
_VIETNAMESE = re.compile(r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
                         r"[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?")


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
    # optional: (word, next word) → count, words written with spaces ("nghị quyết")
    pairs: Mapping[tuple[str, str], int] = field(default_factory=dict)
    _by_fold: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict, repr=False)

    def count(self, form: str) -> int:
        """How often the word ``form`` (``nghị quyết``) was indexed (0: not among the
        forms kept)."""
        key = " ".join(fold(s) for s in form.split(" "))
        return next((c for f, c in self.words.get(key, ()) if f == form), 0)

    def syllable_forms(self, folded: str) -> tuple[tuple[str, int], ...]:
        """Accented syllables folding to ``folded``, most frequent first."""
        return self._by_fold.get(folded, ())


def build_vocabulary(terms: Iterable[tuple[str, int]], forms_per_key: int = FORMS_PER_KEY,
                     min_count: int = 1, pairs: Mapping[tuple[str, str], int] | None = None,
                     max_terms: int | None = None) -> Vocabulary:
    """A vocabulary from ``(word, count)`` pairs: words as indexed (``nghị_quyết``), lowercase.

    Terms that are not all letters (numbers, codes) are skipped; a word listed twice (title
    and body fields) adds up; past ``max_terms`` words only the most frequent are kept.
    """
    counts: dict[str, int] = {}
    for term, count in terms:
        if count < min_count or not term.replace("_", "").isalpha():
            continue
        counts[term] = counts.get(term, 0) + count
    if max_terms is not None and len(counts) > max_terms:
        # memory is bounded: the rarest words go first
        counts = dict(heapq.nlargest(max_terms, counts.items(), key=lambda tc: tc[1]))
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
    return Vocabulary(words, syllables, folded, total, max_len, pairs=pairs or {},
                      _by_fold=by_fold_sorted)


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


def may_be_typo(syl: str, vocab: Vocabulary, among_accents: bool = False) -> bool:
    """A syllable the index does not know as written that may be a Vietnamese one mistyped:
    it has marks (only Vietnamese has these), or the shape of a Vietnamese syllable and
    either no indexed syllable folds to it or the rest of the query has diacritics (so this
    one was meant to have them too: ``vit`` beside ``Nam`` in ``Vit Nam vay``)."""
    if syl in vocab.syllables:
        return False
    f = fold(syl)
    if not any(c in "aeiouy" for c in f):
        return False  # no vowel: an acronym (CĐCS), not a syllable
    if syl != f:
        return True
    return (among_accents or f not in vocab.folded) and _VIETNAMESE.fullmatch(f) is not None


def _choices(typed: list[str], vocab: Vocabulary, keep: str, among_accents: bool
             ) -> list[_Choice]:
    out = []
    for syl in typed:
        f = fold(syl)
        kept = syl in vocab.syllables and (keep == KEEP_KNOWN or syl != f)
        options: tuple[tuple[str, float], ...] = ((f, 0.0),) if f in vocab.folded else ()
        if may_be_typo(syl, vocab, among_accents):
            options = ((f, 0.0), *((n, EDIT_COST) for n in neighbours(f, vocab)))
        out.append(_Choice(options or ((f, 0.0),), syl if kept else None))
    return out


def _marks_cost(form: list[str], typed: list[str]) -> float:
    """Marks typed on a syllable the index does not know should survive its correction
    (``gớii`` → ``giới``, not ``gọi``)."""
    cost = 0.0
    for got, want in zip(form, typed, strict=False):
        if got != want:
            cost += MARK_MISSING * sum(1 for c in set(want) if not c.isascii() and c not in got)
    return cost


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
                cost_marks = _marks_cost(sylls, typed[i:j])
                out.append((sylls, math.log(count) - log_total + cost + cost_marks))
                seen.add(tuple(sylls))
        if j - i == 1:
            # a syllable known only inside longer words may still stand alone
            for form, count in vocab.syllable_forms(key):
                if (form,) not in seen and _fits([form], choices, i):
                    out.append(([form], math.log(count) - log_total + SYLLABLE_ONLY + cost
                                + _marks_cost([form], typed[i:j])))
                    seen.add((form,))
    if j - i == 1 and (typed[i],) not in seen:
        # as typed: always possible, never likely unless nothing else is
        known = vocab.syllables.get(typed[i], 0)
        score = (math.log(known) - log_total + SYLLABLE_ONLY) if known else \
            UNKNOWN - log_total
        out.append(([typed[i]], score))
    return out


def best_reading(typed: list[str], vocab: Vocabulary, keep: str = KEEP_ACCENTED,
                 among_accents: bool = False) -> tuple[list[str], float]:
    """The likeliest accented reading of lowercase syllables ``typed`` and its log-probability.

    Syllables the index knows as typed stay as typed: those with diacritics
    (``KEEP_ACCENTED``) or all of them (``KEEP_KNOWN``: only typos are read again).
    ``among_accents``: the query has diacritics elsewhere, so a bare syllable the index does
    not know bare is taken for a typo too. With word pairs in the vocabulary, a word's
    likelihood also depends on the word before it (a Viterbi search over the last word).
    """
    n = len(typed)
    if n == 0:
        return [], 0.0
    choices = _choices(typed, vocab, keep, among_accents)
    # states[j]: last word (joined) → (score, start of that word, previous word, syllables)
    states: list[dict[str, tuple[float, int, str, list[str]]]] = [{} for _ in range(n + 1)]
    states[0][""] = (0.0, 0, "", [])
    for j in range(1, n + 1):
        found = states[j]
        for i in range(max(0, j - vocab.max_len), j):
            if not states[i]:
                continue
            for sylls, score in _candidates(choices, typed, vocab, i, j):
                word = " ".join(sylls)
                for prev, (prev_score, _, _, _) in states[i].items():
                    total = prev_score + score + _pair_bonus(vocab, prev, word)
                    if word not in found or total > found[word][0]:
                        found[word] = (total, i, prev, sylls)
        if len(found) > BEAM:
            kept = sorted(found.items(), key=lambda kv: -kv[1][0])[:BEAM]
            states[j] = dict(kept)
    word, (score, _, _, _) = max(states[n].items(), key=lambda kv: kv[1][0])
    out: list[str] = []
    j = n
    while j > 0:
        _, i, prev, sylls = states[j][word]
        out[:0] = sylls
        j, word = i, prev
    return out, score


def _pair_bonus(vocab: Vocabulary, prev: str, word: str) -> float:
    """How much likelier ``word`` is after ``prev`` than anywhere (interpolated bigram)."""
    if not vocab.pairs or not prev:
        return 0.0
    together = vocab.pairs.get((prev, word), 0)
    if not together:
        return LOG_NO_PAIR
    p_word = vocab.count(word) / vocab.total
    prev_count = vocab.count(prev)
    if not p_word or not prev_count:
        return LOG_NO_PAIR
    return math.log((1 - PAIR_WEIGHT) + PAIR_WEIGHT * together / prev_count / p_word)
