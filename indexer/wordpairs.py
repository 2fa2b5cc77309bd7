"""Counts of adjacent word pairs, written beside the index by each build (for did-you-mean).

Putting diacritics back on ``me con`` or ``ban hanh`` needs the word before: the words
fields' lexicon has each word's count but not which words follow which. A build counts the
pairs of adjacent words of every title (weighted) and body as it writes them (the terms the
workers computed: no extra analysis) and saves the pairs seen at least twice as
``wordpairs.npz`` in the generation directory: two sorted arrays, a 64-bit hash of each
pair and its count (12 bytes a pair, read with ``allow_pickle=False`` by each server
process). An ``update`` leaves the file as the last build wrote it: counts
are a language model, a few documents more or less do not change it.

Memory while building is bounded: past ``MAX_ENTRIES`` distinct pairs, the rarest are
dropped (lossy counting), which only forgets pairs that could not have reached the file.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

FILE = "wordpairs.npz"
# (field, weight): a pair in a title counts as much as in five bodies, as for single words.
FIELDS = (("title", 5), ("body", 1))
MIN_COUNT = 2
MAX_ENTRIES = 1_500_000


def pair_key(first: str, second: str) -> int:
    """A stable 64-bit key of two words written with spaces (``nghị quyết``, ``đại hội``)."""
    digest = hashlib.blake2b(f"{first}\t{second}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def _is_word(term: str) -> bool:
    return term.replace("_", "").isalpha()


def document_pairs(terms: Mapping[str, Iterable[str]]) -> dict[int, int]:
    """Weighted counts of the adjacent word pairs of one document, by ``pair_key``."""
    counts: dict[int, int] = {}
    for field, weight in FIELDS:
        previous = None
        for term in terms.get(field, ()):
            word = term.replace("_", " ") if _is_word(term) else None
            if previous is not None and word is not None:
                key = pair_key(previous, word)
                counts[key] = counts.get(key, 0) + weight
            previous = word
    return counts


class PairCounter:
    """Adjacent word pairs of the documents of one build."""

    def __init__(self, max_entries: int = MAX_ENTRIES):
        self.counts: dict[int, int] = {}
        self.max_entries = max_entries

    def add(self, terms: Mapping[str, Iterable[str]]) -> None:
        """Count the pairs of one document's word terms (``title``, ``body``: ``nghị_quyết``)."""
        self.add_counts(document_pairs(terms))

    def add_counts(self, pairs: Mapping[int, int]) -> None:
        """Add one document's ``document_pairs`` (counted where it was analysed)."""
        counts = self.counts
        for key, n in pairs.items():
            counts[key] = counts.get(key, 0) + n
        if len(counts) > self.max_entries:
            self._prune()

    def _prune(self) -> None:
        floor = 1
        while len(self.counts) > self.max_entries // 2:
            self.counts = {k: c for k, c in self.counts.items() if c > floor}
            floor += 1

    def write(self, directory: str | Path) -> Path:
        kept = sorted((k, c) for k, c in self.counts.items() if c >= MIN_COUNT)
        keys = np.fromiter((k for k, _ in kept), dtype=np.uint64, count=len(kept))
        counts = np.fromiter((min(c, 2**32 - 1) for _, c in kept), dtype=np.uint32,
                             count=len(kept))
        path = Path(directory) / FILE
        np.savez(path, keys=keys, counts=counts)
        return path


class WordPairs(Mapping):
    """The pairs file of a generation: ``pairs[(first, second)]`` → count (0 if unseen)."""

    def __init__(self, keys: np.ndarray, counts: np.ndarray):
        self.keys, self.counts = keys, counts

    @classmethod
    def load(cls, directory: str | Path) -> WordPairs | None:
        """The pairs of a generation directory, or None when its build wrote none."""
        path = Path(directory) / FILE
        if not path.exists():
            return None
        try:
            with np.load(path, allow_pickle=False) as data:
                return cls(data["keys"], data["counts"])
        except (OSError, ValueError, KeyError, zipfile.BadZipFile):
            return None  # a damaged file: suggestions without pairs, not an error

    def __getitem__(self, pair: tuple[str, str]) -> int:
        key = np.uint64(pair_key(*pair))
        i = int(np.searchsorted(self.keys, key))
        if i < len(self.keys) and self.keys[i] == key:
            return int(self.counts[i])
        raise KeyError(pair)

    def get(self, pair, default=0):
        try:
            return self[pair]
        except KeyError:
            return default

    def __len__(self) -> int:
        return len(self.keys)

    def __iter__(self):
        raise TypeError("word pairs are stored hashed: they can be looked up, not listed")

    def __bool__(self) -> bool:
        return len(self.keys) > 0
