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
    """Adjacent word pairs of the documents of one build.

    Counts go to a small dict first and are merged into sorted numpy arrays every
    ``BUFFER`` new pairs: a dict of 1.5M Python ints held 150–300 MB of the writer's memory
    on the full corpus, the arrays hold 12 bytes a pair.
    """

    BUFFER = 200_000

    def __init__(self, max_entries: int = MAX_ENTRIES):
        self.max_entries = max_entries
        self.keys = np.zeros(0, np.uint64)
        self.totals = np.zeros(0, np.uint64)
        self.pending: dict[int, int] = {}

    def add(self, terms: Mapping[str, Iterable[str]]) -> None:
        """Count the pairs of one document's word terms (``title``, ``body``: ``nghị_quyết``)."""
        self.add_counts(document_pairs(terms))

    def add_counts(self, pairs: Mapping[int, int]) -> None:
        """Add one document's ``document_pairs`` (counted where it was analysed)."""
        pending = self.pending
        for key, n in pairs.items():
            pending[key] = pending.get(key, 0) + n
        if len(pending) > self.BUFFER:
            self._merge()

    def _merge(self) -> None:
        if self.pending:
            keys = np.concatenate([self.keys, np.fromiter(
                self.pending, dtype=np.uint64, count=len(self.pending))])
            totals = np.concatenate([self.totals, np.fromiter(
                self.pending.values(), dtype=np.uint64, count=len(self.pending))])
            self.pending = {}
            self.keys, where = np.unique(keys, return_inverse=True)
            self.totals = np.bincount(where, weights=totals).astype(np.uint64)
        if len(self.keys) > self.max_entries:
            # bounded: the rarest pairs go first, until half the bound is left
            floor = 1
            while len(self.keys) > self.max_entries // 2:
                keep = self.totals > floor
                self.keys, self.totals = self.keys[keep], self.totals[keep]
                floor += 1

    @property
    def counts(self) -> dict[int, int]:
        """Every pair counted so far (for tests and small builds)."""
        self._merge()
        return dict(zip(self.keys.tolist(), self.totals.tolist(), strict=True))

    def write(self, directory: str | Path) -> Path:
        self._merge()
        kept = self.totals >= MIN_COUNT
        path = Path(directory) / FILE
        np.savez(path, keys=self.keys[kept],
                 counts=np.minimum(self.totals[kept], 2**32 - 1).astype(np.uint32))
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
