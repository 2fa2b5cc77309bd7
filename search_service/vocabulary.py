"""The index's words with their counts, read once per index generation (for did-you-mean).

The words fields (``title``, ``body``: pyvi's words, accented, lowercase) hold most of the
language model we need: every word and how often it occurs. Which word follows which is
counted by the build beside the index (``indexer.wordpairs``). Reading both takes a moment on
a big index, so it is done once per process and generation and kept until the generation
changes: before gunicorn forks its workers (``warm``), and by each worker on first use after a
change; requests meanwhile wait for it rather than read it twice.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import whoosh.index

from indexer.generations import GENERATIONS, live_generation
from indexer.wordpairs import WordPairs
from search_service.restore import Vocabulary, build_vocabulary
from search_service.searcher import SearchIndex

# A title word says more about what people search for than a body word.
FIELD_WEIGHTS = (("title", 5), ("body", 1))
# Every indexed word counts: a word seen once is still a word the user may have meant to
# type as is (a name), and must not be "corrected".
MIN_COUNT = 1
# At most this many words are kept (the most frequent): about 370 bytes each in memory, so
# some 75 MB per server process on the largest index.
MAX_TERMS = 200_000


def lexicon_terms(reader) -> Iterator[tuple[str, int]]:
    """``(word, weighted count)`` for every word of the words fields (a Whoosh reader)."""
    for fieldname, weight in FIELD_WEIGHTS:
        if fieldname not in reader.schema:
            continue
        for text, info in reader.iter_field(fieldname):
            word = text.decode("utf-8") if isinstance(text, bytes) else text
            if word.replace("_", "").isalpha():
                yield word, int(info.weight()) * weight


def read_vocabulary(reader, generation: str | Path | None = None) -> Vocabulary:
    """The vocabulary of an index reader, with the word pairs its build counted (in the
    ``generation`` directory: ``indexer.wordpairs``) when there are some."""
    pairs = WordPairs.load(generation) if generation is not None else None
    return build_vocabulary(lexicon_terms(reader), min_count=MIN_COUNT, pairs=pairs,
                            max_terms=MAX_TERMS)


class VocabularyCache:
    """The vocabulary of ``index``'s live generation, rebuilt when that changes."""

    def __init__(self, index: SearchIndex):
        self.index = index
        self._lock = threading.Lock()
        self._key: tuple | None = None
        self._vocab: Vocabulary | None = None

    def warm(self) -> Vocabulary:
        """Read the live generation's vocabulary now, without keeping a searcher open: in
        gunicorn's master before it forks, so that workers start with it (and share its
        memory until they write to it)."""
        gen = live_generation(self.index.root)
        index = whoosh.index.open_dir(str(gen))
        try:
            with index.reader() as reader:
                vocab = read_vocabulary(reader, gen)
                key = (gen.name, reader.generation())
        finally:
            index.close()
        with self._lock:
            self._vocab, self._key = vocab, key
        return vocab

    def get(self) -> Vocabulary:
        searcher = self.index.searcher()
        reader = searcher.reader()
        name = self.index.generation()
        key = (name, reader.generation())
        if key == self._key and self._vocab is not None:
            return self._vocab
        with self._lock:
            if key != self._key or self._vocab is None:
                self._vocab = read_vocabulary(reader, self.index.root / GENERATIONS / name)
                self._key = key
            return self._vocab
