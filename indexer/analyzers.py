"""Whoosh analyzers over ``indexer.analysis``: the only place they meet.

The schema pickled into each index references these classes by module path:
they hold no model and no state but their parameters (pyvi loads lazily).
"""

from __future__ import annotations

from collections.abc import Iterator

from whoosh.analysis import Filter, LowercaseFilter, Token, Tokenizer

from indexer.analysis import bigrams, prepare, syllables, words
from indexer.fold import fold


class VietnameseTokenizer(Tokenizer):
    """Normalise then cut into ``words`` (pyvi), ``syllables`` or syllable ``bigrams``."""

    def __init__(self, mode: str = "syllables"):
        if mode not in ("words", "syllables", "bigrams"):
            raise ValueError(f"unknown mode {mode!r}")
        self.mode = mode

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True,
                 mode="", **kwargs) -> Iterator[Token]:
        text = prepare(value)
        if self.mode == "words":
            terms = words(text)
        elif self.mode == "bigrams":
            terms = bigrams(text, syllables(text))
        else:
            terms = syllables(text)
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, term in enumerate(terms):
            t.text = term.text
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = term.text
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar = start_char + term.start
                t.endchar = start_char + term.end
            yield t


class FoldFilter(Filter):
    """Replace each (lowercased) token by its ASCII fold."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = fold(t.text)
            yield t


def word_analyzer():
    return VietnameseTokenizer("words") | LowercaseFilter()


def syllable_analyzer():
    return VietnameseTokenizer("syllables") | LowercaseFilter()


def folded_analyzer():
    return VietnameseTokenizer("syllables") | LowercaseFilter() | FoldFilter()


def bigram_analyzer():
    return VietnameseTokenizer("bigrams") | LowercaseFilter() | FoldFilter()
