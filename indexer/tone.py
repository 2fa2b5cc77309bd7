"""Step 1b of analysis: one tone-mark placement for ``oa``, ``oe``, ``uy``.

Vietnamese writes the tone of an open syllable ending in ``oa``/``oe``/``uy``
on either vowel (``hoà``/``hòa``, ``thuỷ``/``thủy``). We index one style, the
one most of our corpora use (``hóa`` 8,145 news articles vs ``hoá`` 5,481;
``ủy`` 5,717 vs ``uỷ`` 599): **the mark sits on the first vowel of the open
syllable** (``hòa``, ``thủy``, ``ủy``, ``khỏe``). With a final consonant or a
following vowel the mark has one place only, on the second vowel (``hoàn``,
``ngoài``, ``khuỷu``), and misplaced marks there are moved back. After ``q`` the
``u`` belongs to the consonant, so ``quý``/``quỳnh`` keep the mark on ``y``.
``gi`` needs no rule: ``i`` after ``g`` is never part of these clusters.

The mapping only moves a mark between two adjacent letters, so the text keeps
its length and every offset into the stored text stays valid.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TONES = "\u0300\u0301\u0309\u0303\u0323"  # huyền, sắc, hỏi, ngã, nặng
_CONSONANTS = frozenset("bcdđghklmnpqrstvx")

# Two letters of a cluster, at least one carrying a tone: (o|u)(a|e|y) in any case.
_TONED = {b: "".join(unicodedata.normalize("NFC", b + t) for t in _TONES) for b in "oaeuyOAEUY"}


def _cls(*bases: str) -> str:
    return "[" + "".join(b + _TONED[b] for b in bases) + "]"


_CLUSTER = re.compile(
    "(" + _cls("o", "O") + _cls("a", "e", "A", "E") + "|" + _cls("u", "U") + _cls("y", "Y") + ")"
)
_WORD = re.compile(r"[^\W\d_]+")
# only the words that hold a cluster: a callback for every word of a long text costs more
# than the rest of the normalisation (the leftmost match starts at the word's first letter)
_CLUSTER_WORD = re.compile(r"(?<![^\W\d_])[^\W\d_]*?" + _CLUSTER.pattern + r"[^\W\d_]*")


def _split_tone(ch: str) -> tuple[str, str]:
    decomposed = unicodedata.normalize("NFD", ch)
    base = "".join(c for c in decomposed if c not in _TONES)
    tone = "".join(c for c in decomposed if c in _TONES)
    return unicodedata.normalize("NFC", base), tone


def _with_tone(ch: str, tone: str) -> str:
    return unicodedata.normalize("NFC", ch + tone)


@lru_cache(maxsize=65536)
def _normalize_word(word: str) -> str:
    match = _CLUSTER.search(word)
    if match is None:
        return word
    start = match.start()
    prefix, suffix = word[:start], word[start + 2:]
    if any(c not in _CONSONANTS for c in prefix.lower()):
        return word  # the cluster is not the syllable's vowel nucleus
    first, t1 = _split_tone(word[start])
    second, t2 = _split_tone(word[start + 1])
    tone = t1 or t2
    if not tone or (t1 and t2):
        return word
    on_first = not suffix and not prefix.lower().endswith("q")
    if on_first:
        pair = _with_tone(first, tone) + second
    else:
        pair = first + _with_tone(second, tone)
    return prefix + pair + suffix


def normalize_tone(text: str) -> str:
    """Move tone marks of ``oa``/``oe``/``uy`` syllables to one place (NFC input)."""
    if not _CLUSTER.search(text):
        return text
    return _CLUSTER_WORD.sub(lambda m: _normalize_word(m.group()), text)


def other_tone_style(text: str) -> str:
    """The same text in the style we do not index: for tests and the evaluation."""

    def flip(m: re.Match) -> str:
        word = m.group()
        canon = _normalize_word(word)
        match = _CLUSTER.search(canon)
        if match is None:
            return word
        start = match.start()
        prefix, suffix = canon[:start], canon[start + 2:]
        if suffix or prefix.lower().endswith("q"):
            return word
        first, t1 = _split_tone(canon[start])
        second, _ = _split_tone(canon[start + 1])
        if not t1:
            return word
        return prefix + first + _with_tone(second, t1) + suffix

    return _WORD.sub(flip, text)
