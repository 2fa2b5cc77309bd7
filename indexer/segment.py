"""Step 2 of analysis: cut text into words with pyvi, keeping character offsets.

``pyvi.ViTokenizer.tokenize`` returns a re-spaced string, so its tokens cannot
be mapped back to the text reliably. This module runs the same three steps as
pyvi (its syllable regex, its CRF features, its model, its joining rule) but
keeps each syllable's span, so every word knows where it stands in the text.
The output is identical to ``ViTokenizer.tokenize`` (tested on real news).

pyvi is imported lazily: importing it loads a CRF model (~0.7 s, ~120 MB), and
the Whoosh schema that references our analyzers must unpickle without it.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import lru_cache

# pyvi's syllable pattern (ViTokenizer.sylabelize), alternatives in pyvi's order.
_SYLLABLE = re.compile(
    "("
    + "|".join(
        [
            r"[A-ZĐ]+\.", r"Tp\.", r"Mr\.", r"Mrs\.", r"Ms\.", r"Dr\.", r"ThS\.",
            "==>", "->", r"\.\.\.", ">>", "\n",
            r"\w+://[^\s]+",
            r"([a-zA-Z0-9_.+-]+@([a-zA-Z0-9-]+\.)+[a-zA-Z0-9-]+)",
            r"\d+([\.,_]\d+)+",
            r"[^\w\s]",
            r"\w+",
        ]
    )
    + ")",
    re.UNICODE,
)
_PUNCTUATION = frozenset(string.punctuation)


@dataclass(frozen=True, slots=True)
class Word:
    """One segmented word: its syllables' spans in the text, in order."""

    spans: tuple[tuple[int, int], ...]

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]

    def syllables(self, text: str) -> list[str]:
        return [text[s:e] for s, e in self.spans]

    def joined(self, text: str) -> str:
        """The word as pyvi writes it: syllables joined by ``_``."""
        return "_".join(self.syllables(text))


@lru_cache(maxsize=1)
def _pyvi():
    from pyvi.ViTokenizer import ViTokenizer  # lazy: loads the CRF model

    return ViTokenizer


def syllable_spans(text: str) -> list[tuple[int, int]]:
    """pyvi's syllables (and punctuation, and newlines) as spans of ``text``."""
    return [m.span() for m in _SYLLABLE.finditer(text)]


def _joins(prev: str, cur: str, label: str) -> bool:
    # pyvi's rule for gluing a syllable to the previous one.
    return (
        label == "I_W"
        and cur not in _PUNCTUATION
        and prev not in _PUNCTUATION
        and not cur[0].isdigit()
        and not prev[0].isdigit()
        and not (cur[0].istitle() and not prev[0].istitle())
    )


def segment(text: str) -> list[Word]:
    """Words of NFC ``text`` exactly as pyvi cuts them, with their spans."""
    spans = syllable_spans(text)
    if not spans:
        return []
    sylls = [text[s:e] for s, e in spans]
    tokenizer = _pyvi()
    labels = tokenizer.model.predict([tokenizer.sent2features(sylls, False)])[0]
    words: list[list[tuple[int, int]]] = [[spans[0]]]
    for i in range(1, len(sylls)):
        if _joins(sylls[i - 1], sylls[i], labels[i]):
            words[-1].append(spans[i])
        else:
            words.append([spans[i]])
    return [Word(tuple(w)) for w in words]


def as_pyvi_string(text: str, words: list[Word]) -> str:
    """What ``ViTokenizer.tokenize(text)`` returns, for comparing the two."""
    return " ".join(w.joined(text) for w in words)
