""""Có phải bạn muốn tìm …": the query with its diacritics put back or its typos corrected.

Pure: the reading itself is ``search_service.restore``; this module finds the syllables of a
query that may be read again (runs of letters, not document numbers or codes), decides whether
the new reading is worth proposing, and writes it as text and as HTML with the changed words
in ``<em>``. Whatever is not a restorable syllable is kept exactly as typed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from html import escape

from indexer.analysis import prepare
from indexer.fold import has_diacritics
from search_service.restore import KEEP_KNOWN, Vocabulary, best_reading

# In a query typed with diacritics, the words the index knows as typed are read otherwise
# only when that reading is this much likelier (natural log) than the query with only its
# typos corrected: correct queries are left alone.
ACCENTED_MARGIN = math.log(1e6)
# Punctuation that may stick to a word (``nghị quyết,``) without making it a code.
_EDGE = "\"'“”‘’„«»()[]{},.;:!?…"
_PIECE = re.compile(r"\S+")


@dataclass(frozen=True)
class Suggestion:
    text: str
    html: str


@dataclass(frozen=True)
class _Syllable:
    start: int
    end: int
    text: str  # lowercase, as typed (prepared)


def _runs(text: str) -> list[list[_Syllable]]:
    """Runs of syllables parted by spaces only: a code, a number or punctuation ends a run."""
    runs: list[list[_Syllable]] = []
    current: list[_Syllable] = []
    for m in _PIECE.finditer(text):
        piece = m.group()
        core = piece.strip(_EDGE)
        lead = len(piece) - len(piece.lstrip(_EDGE))
        if not core or not core.isalpha():
            if current:
                runs.append(current)
            current = []
            continue
        if lead and current:
            runs.append(current)
            current = []
        start = m.start() + lead
        current.append(_Syllable(start, start + len(core), core.lower()))
        if piece.rstrip(_EDGE) != piece:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _with_case(typed: str, word: str) -> str:
    """``word`` in the case the user typed (``NGHI`` → ``NGHỊ``, ``Nghi`` → ``Nghị``)."""
    if len(typed) > 1 and typed.isupper():
        return word.upper()
    if typed[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def suggest(query: str, vocab: Vocabulary) -> Suggestion | None:
    """The reading of ``query`` to propose, or None when it is as likely as typed."""
    text = " ".join(prepare(query).split())
    accented = has_diacritics(text)
    changes: dict[int, tuple[int, str]] = {}  # start → (end, replacement)
    for run in _runs(text):
        typed = [s.text for s in run]
        reading, score = best_reading(typed, vocab, among_accents=accented)
        if accented:
            # typos first; then words the index knows bare read otherwise, if far likelier
            fixed, fixed_score = best_reading(typed, vocab, KEEP_KNOWN, among_accents=True)
            if score - fixed_score < ACCENTED_MARGIN:
                reading = fixed
        if reading == typed:
            continue
        if len(reading) != len(typed):  # never: one reading syllable per typed one
            continue
        for syl, new in zip(run, reading, strict=True):
            if new != syl.text:
                changes[syl.start] = (syl.end, _with_case(text[syl.start:syl.end], new))
    if not changes:
        return None
    return Suggestion(_compose(text, changes, html=False), _compose(text, changes, html=True))


def _compose(text: str, changes: dict[int, tuple[int, str]], html: bool) -> str:
    out: list[str] = []
    pos = 0
    open_em = False
    for start in sorted(changes):
        end, new = changes[start]
        between = text[pos:start]
        if html:
            # one <em> over neighbouring changed words: "<em>nghị quyết</em>"
            if open_em and between.isspace():
                out.append(escape(between))
            else:
                if open_em:
                    out.append("</em>")
                out.append(escape(between) + "<em>")
            open_em = True
            out.append(escape(new))
        else:
            out.append(between + new)
        pos = end
    if open_em:
        out.append("</em>")
    out.append(escape(text[pos:]) if html else text[pos:])
    return "".join(out)
