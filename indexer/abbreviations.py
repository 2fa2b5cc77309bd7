"""Administrative abbreviations, used both ways at query time (no engine here).

``UBND huyện`` should find ``Ủy ban nhân dân huyện`` and the reverse. The table
is data, ``indexer/data/abbreviations.tsv``, one entry a line (format, rules and
how to add an entry: ``docs/abbreviations.md``). Both sides of every entry go
through ``indexer.analysis``, so they are the very terms the index holds:
``Ủy ban nhân dân`` → ``ủy ban nhân dân`` (one tone style), ``KT-XH`` → ``kt xh``,
``GD&ĐT`` → ``gd đt``.

``expand_query`` reads the query's syllables (as ``analysis.syllable_terms``
gives them, in order, not deduplicated) and returns alternatives, each replacing
a span of them: the full form for an abbreviation, the abbreviation for a full
form, in accented and in folded form. A query syllable matches a table syllable
when it is the same, or when it was typed without diacritics and is its fold
(``hdnd`` → HĐND, ``uy ban nhan dan`` → UBND).

Ambiguous abbreviations (``TT`` thông tư / thị trấn / trung tâm) carry a context
rule. A reading whose context holds is safe (weight 1.0) and silences the
other readings of the same abbreviation; readings that are merely possible are
kept at a low weight so the literal form ranks first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from indexer.analysis import prepare, syllable_terms
from indexer.fold import fold, has_diacritics

DATA_FILE = Path(__file__).resolve().parent / "data" / "abbreviations.tsv"
HEADER = ("abbreviation", "full form", "context", "note")

SAFE_WEIGHT = 1.0  # unambiguous, or the context confirms this reading
AMBIGUOUS_WEIGHT = 0.3  # only possible here: rank it below the literal form

Direction = Literal["expand", "abbreviate"]


class TableError(ValueError):
    """A line of the table that cannot be used, with its file and line number."""


@dataclass(frozen=True)
class Rule:
    """The context column of one entry."""

    number: bool = False  # safe next to a number
    before: tuple[tuple[str, ...], ...] = ()  # ``prev=``: safe right after one of these
    after: tuple[tuple[str, ...], ...] = ()  # ``next=``: safe right before one of these
    ambiguous: bool = False  # never safe by itself
    word: bool = False  # the abbreviation is an ordinary syllable too
    oneway: bool = False  # the full form is never replaced by the abbreviation

    @property
    def conditional(self) -> bool:
        return self.number or bool(self.before) or bool(self.after)

    @property
    def plain(self) -> bool:
        """Always safe: no condition and no warning."""
        return not (self.conditional or self.ambiguous or self.word)

    @property
    def reversible(self) -> bool:
        """Whether the full form in a query gets the abbreviation as an alternative."""
        return not (self.word or self.oneway)

    def holds(self, syllables: Sequence[str], start: int, end: int) -> bool:
        """Whether a condition holds around ``syllables[start:end]``."""
        if self.number and _near_number(syllables, start, end):
            return True
        if any(_matches_at(syllables, start - len(p), p) for p in self.before):
            return True
        return any(_matches_at(syllables, end, p) for p in self.after)


@dataclass(frozen=True)
class Entry:
    """One line of the table."""

    abbreviation: str  # as written in the table: ``UBND``, ``KT-XH``, ``TTg``
    full_form: str  # as written: ``Ủy ban nhân dân``
    abbreviation_syllables: tuple[str, ...]  # index terms: ``("ubnd",)``, ``("kt", "xh")``
    full_syllables: tuple[str, ...]  # index terms: ``("ủy", "ban", "nhân", "dân")``
    rule: Rule
    note: str = ""
    line: int = 0


@dataclass(frozen=True)
class Expansion:
    """An alternative for ``syllables[start:end]`` of the query.

    ``syllables`` are index terms: match them as a phrase (a term when there is
    one) on the ``*_syl`` fields, or on the ``*_fold`` fields when ``folded``.
    Every match gives two alternatives, accented then folded, with the same weight.
    """

    start: int
    end: int  # exclusive
    syllables: tuple[str, ...]
    folded: bool
    weight: float  # SAFE_WEIGHT or AMBIGUOUS_WEIGHT
    direction: Direction  # "expand": abbreviation → full form; "abbreviate": the reverse
    entry: Entry

    @property
    def text(self) -> str:
        return " ".join(self.syllables)


# --- matching ----------------------------------------------------------------


def _syllable_matches(typed: str, term: str) -> bool:
    """Same syllable, or typed without diacritics and equal to its fold."""
    return typed == term or (not has_diacritics(typed) and typed == fold(term))


def _matches_at(syllables: Sequence[str], at: int, phrase: tuple[str, ...],
                exact: bool = False) -> bool:
    if at < 0 or at + len(phrase) > len(syllables):
        return False
    window = syllables[at:at + len(phrase)]
    if exact:
        return tuple(window) == phrase
    return all(_syllable_matches(t, p) for t, p in zip(window, phrase, strict=True))


def _is_number(syllable: str) -> bool:
    return syllable.isascii() and syllable.isdigit()


def _near_number(syllables: Sequence[str], start: int, end: int) -> bool:
    """``TT 15``, ``TT số 15``, ``15 TT``."""
    n = len(syllables)
    if end < n and _is_number(syllables[end]):
        return True
    if end + 1 < n and _syllable_matches(syllables[end], "số") and _is_number(syllables[end + 1]):
        return True
    return start > 0 and _is_number(syllables[start - 1])


# --- the table ---------------------------------------------------------------


def _terms(text: str) -> tuple[str, ...]:
    return tuple(t.text for t in syllable_terms(text))


def _folded(syllables: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(fold(s) for s in syllables)


def _parse_rule(text: str, where: str) -> Rule:
    number = ambiguous = word = oneway = False
    before: list[tuple[str, ...]] = []
    after: list[tuple[str, ...]] = []
    for item in (i.strip() for i in text.split(";")):
        if not item:
            continue
        name, eq, value = item.partition("=")
        name = name.strip()
        if name in ("prev", "next") and eq:
            phrases = [_terms(p) for p in value.split("|")]
            if not all(phrases):
                raise TableError(f"{where}: an empty phrase in {item!r}")
            (before if name == "prev" else after).extend(phrases)
        elif eq or name not in ("number", "ambiguous", "word", "oneway"):
            raise TableError(f"{where}: unknown context {item!r}")
        elif name == "number":
            number = True
        elif name == "ambiguous":
            ambiguous = True
        elif name == "word":
            word = True
        else:
            oneway = True
    rule = Rule(number, tuple(before), tuple(after), ambiguous, word, oneway)
    if rule.ambiguous and (rule.conditional or rule.word):
        raise TableError(f"{where}: 'ambiguous' is for entries without a condition or 'word'")
    if rule.word and not rule.conditional:
        raise TableError(f"{where}: 'word' needs a condition (number, prev=, next=)")
    if rule.word and rule.oneway:
        raise TableError(f"{where}: 'word' already implies 'oneway'")
    return rule


def parse_table(text: str, source: str = "<table>") -> AbbreviationTable:
    """Entries of a table in the file format; ``TableError`` names the first bad line."""
    entries: list[Entry] = []
    header_seen = False
    seen: dict[tuple[tuple[str, ...], tuple[str, ...]], int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        where = f"{source}:{number}"
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if not header_seen:
            if tuple(c.lower() for c in cells) != HEADER:
                raise TableError(f"{where}: the first line must be the header {HEADER}")
            header_seen = True
            continue
        if not 2 <= len(cells) <= 4:
            raise TableError(f"{where}: expected 2 to 4 tab-separated columns, got {len(cells)}")
        abbreviation, full_form = cells[0], cells[1]
        context = cells[2] if len(cells) > 2 else ""
        note = cells[3] if len(cells) > 3 else ""
        abbr_sylls, full_sylls = _terms(abbreviation), _terms(full_form)
        if not abbr_sylls:
            raise TableError(f"{where}: the abbreviation has no letters")
        if len(full_sylls) < 2:
            raise TableError(f"{where}: a full form has two syllables or more")
        if abbr_sylls == full_sylls:
            raise TableError(f"{where}: the abbreviation is its own full form")
        key = (abbr_sylls, full_sylls)
        if key in seen:
            raise TableError(f"{where}: the same entry as line {seen[key]}")
        seen[key] = number
        entries.append(Entry(abbreviation, full_form, abbr_sylls, full_sylls,
                             _parse_rule(context, where), note, number))
    if not header_seen:
        raise TableError(f"{source}: no header line")
    table = AbbreviationTable(entries)
    for entry in entries:
        if _folded(entry.abbreviation_syllables) in table.full_keys:
            raise TableError(f"{source}:{entry.line}: {entry.abbreviation!r} is also a full form")
    return table


class AbbreviationTable:
    """Entries indexed by the folded syllables of either side."""

    def __init__(self, entries: Iterable[Entry]):
        self.entries: tuple[Entry, ...] = tuple(entries)
        self.abbreviation_keys: dict[tuple[str, ...], list[Entry]] = {}
        self.full_keys: dict[tuple[str, ...], list[Entry]] = {}
        for e in self.entries:
            self.abbreviation_keys.setdefault(_folded(e.abbreviation_syllables), []).append(e)
            self.full_keys.setdefault(_folded(e.full_syllables), []).append(e)
        self._longest = max((len(k) for k in (*self.abbreviation_keys, *self.full_keys)),
                            default=0)

    def __len__(self) -> int:
        return len(self.entries)

    def expand(self, syllables: Sequence[str]) -> tuple[Expansion, ...]:
        """Alternatives for index-form syllables, left to right, longest match first."""
        q = tuple(syllables)
        out: list[Expansion] = []
        i = 0
        while i < len(q):
            for length in range(min(self._longest, len(q) - i), 0, -1):
                found = self._at(q, i, i + length)
                if found:
                    out.extend(found)
                    i += length
                    break
            else:
                i += 1
        return tuple(out)

    def _at(self, q: tuple[str, ...], start: int, end: int) -> list[Expansion]:
        key = _folded(q[start:end])
        chosen: list[tuple[Entry, float, Direction]] = []
        readings = [e for e in self.abbreviation_keys.get(key, ())
                    if _matches_at(q, start, e.abbreviation_syllables, exact=e.rule.word)]
        confirmed = [e for e in readings if e.rule.holds(q, start, end)]
        if confirmed:  # the context picks these readings: the others are dropped
            chosen += [(e, SAFE_WEIGHT, "expand") for e in confirmed]
        else:
            chosen += [(e, SAFE_WEIGHT if e.rule.plain else AMBIGUOUS_WEIGHT, "expand")
                       for e in readings if not e.rule.word]
        for e in self.full_keys.get(key, ()):
            if e.rule.reversible and _matches_at(q, start, e.full_syllables):
                safe = e.rule.plain or e.rule.holds(q, start, end)
                chosen.append((e, SAFE_WEIGHT if safe else AMBIGUOUS_WEIGHT, "abbreviate"))
        out: dict[tuple[tuple[str, ...], bool], Expansion] = {}
        for entry, weight, direction in chosen:
            target = entry.full_syllables if direction == "expand" else entry.abbreviation_syllables
            for folded, sylls in ((False, target), (True, _folded(target))):
                alt = Expansion(start, end, sylls, folded, weight, direction, entry)
                if (sylls, folded) not in out or out[sylls, folded].weight < weight:
                    out[sylls, folded] = alt
        return list(out.values())


@lru_cache(maxsize=8)
def load_table(path: str | Path = DATA_FILE) -> AbbreviationTable:
    """The table in ``path`` (the project's own by default), parsed once."""
    path = Path(path)
    return parse_table(path.read_text(encoding="utf-8"), source=str(path))


# --- the query side ----------------------------------------------------------


@lru_cache(maxsize=4096)
def _expand_default(syllables: tuple[str, ...]) -> tuple[Expansion, ...]:
    return load_table().expand(syllables)


def expand_query(syllables: Sequence[str]) -> tuple[Expansion, ...]:
    """Alternatives for a query's syllables, in query order (spans never overlap).

    ``syllables`` are the query's syllables in order, as ``analysis.syllable_terms``
    gives them (lowercased, one tone style); other spellings are normalised the
    same way first, so ``UBND`` or ``uỷ`` work too. Document numbers should be taken
    out before, as ``parse_query`` does: they are searched whole.
    """
    return _expand_default(tuple(prepare(s).lower() for s in syllables))


def expand_text(text: str) -> tuple[Expansion, ...]:
    """``expand_query`` of the syllables of ``text``: spans index those syllables."""
    return expand_query([t.text for t in syllable_terms(text)])


def rewrite(syllables: Sequence[str], expansion: Expansion) -> tuple[str, ...]:
    """The query's syllables with the span replaced: a whole alternative phrase.

    For a folded alternative the other syllables are folded too, so the result is
    one phrase for the ``*_fold`` fields.
    """
    head, tail = tuple(syllables[:expansion.start]), tuple(syllables[expansion.end:])
    if expansion.folded:
        head, tail = _folded(head), _folded(tail)
    return (*head, *expansion.syllables, *tail)
