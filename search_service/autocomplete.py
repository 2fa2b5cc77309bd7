"""Autocomplete: titles and document numbers that continue what is being typed.

``nghi q`` → titles with ``nghị`` followed by a word starting with ``q`` (``Nghị quyết …``),
with or without diacritics; ``15/2020`` → documents numbered ``15/2020/…``. The work is done
by the index, per request, on the title fields it already has (no structure held in memory):

- consecutive words must stand together in the title: each pair is a term of ``title_bi``
  (folded syllable pairs), the last pair a *prefix* of one (``nghi_q…``);
- a lone word is a folded syllable of ``title_fold``, the last one a prefix;
- a token with digits and ``/``, ``-`` or ``.`` is the beginning of a document number (a
  prefix of a ``docnum`` key: ``15/2020`` → ``15/2020/nd-cp``);
- if the pairs find no title, the words are then required in any order.

A prefix is expanded to its most frequent completions only (``MAX_EXPANSIONS``), which
match without being scored (``AnyOf``): that bounds the cost of a one-letter prefix on a
large index. Titles that begin with the first typed word rank first, then those with the
syllables typed with diacritics, then BM25 of the complete pairs typed. A lone word being
typed is completed one completion at a time, most frequent first (``_lone_prefix``).
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass
from urllib.parse import quote

from whoosh import query as Q
from whoosh.matching import ListMatcher, NullMatcherClass
from whoosh.query.spans import SpanFirst

from indexer.analysis import prepare
from indexer.fold import fold

MAX_EXPANSIONS = 40
# The score a completed prefix adds (a constant: see AnyOf).
PREFIX_WEIGHT = 1.0
# Words typed with diacritics: a title with those exact syllables comes first.
EXACT_BOOST = 2.0
# A title that begins with the first typed word comes first.
START_BOOST = 4.0
_NUMBERISH = re.compile(r"\d.*[/\-.]|[/\-.].*\d")
_SYLLABLE = re.compile(r"[^\W_]+")
_EDGE = "\"'“”‘’„«»()[]{},;:!?…"
FIELDS = ("id", "title", "doc_number", "doc_type", "date")


@dataclass(frozen=True)
class Typed:
    """What was typed, as index terms: folded syllables (the last maybe incomplete)."""

    syllables: tuple[str, ...]  # folded, in order
    exact: tuple[str, ...]  # lowercase syllables typed with diacritics
    numbers: tuple[str, ...]  # document-number beginnings, as docnum keys are written
    prefix: bool  # the last thing typed is a syllable still being typed (no space after it)
    # joined[i]: syllable i follows syllable i-1 with only spaces between (a title_bi pair)
    joined: tuple[bool, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.syllables or self.numbers)


def number_prefix(token: str) -> str:
    """``05-NQ/TU`` → ``5-nq/tu``: lowercase, folded, leading zeros dropped (as docnum keys)."""
    key = fold(token.lower())
    return re.sub(r"^0+(?=\d)", "", key)


def parse_typed(q: str) -> Typed:
    text = prepare(q)
    sylls: list[str] = []
    exact: list[str] = []
    numbers: list[str] = []
    joined: list[bool] = []
    last_end, last_is_number = None, False
    for token in re.finditer(r"\S+", text):
        core = token.group().strip(_EDGE)
        if not core:
            last_end = None
            continue
        if _NUMBERISH.search(core) and any(c.isdigit() for c in core):
            numbers.append(number_prefix(core))
            last_end, last_is_number = None, True
            continue
        for m in _SYLLABLE.finditer(text, token.start(), token.end()):
            syl = m.group().lower()
            joined.append(last_end is not None and text[last_end:m.start()].isspace())
            sylls.append(fold(syl))
            if syl != fold(syl):
                exact.append(syl)
            last_end, last_is_number = m.end(), False
        if token.group().rstrip(_EDGE) != token.group():
            last_end = None  # "cửa, ng…": no pair across the comma
    prefix = bool(sylls) and not last_is_number and not text[-1:].isspace()
    return Typed(tuple(sylls), tuple(exact), tuple(numbers), prefix, tuple(joined))


def _expand(reader, field: str, prefix: str) -> list[str]:
    """The most frequent terms of ``field`` starting with ``prefix``."""
    found = [(info.doc_frequency(), text) for text, info in reader.iter_prefix(field, prefix)]
    found.sort(key=lambda ft: -ft[0])
    out = []
    for _, text in found[:MAX_EXPANSIONS]:
        out.append(text.decode("utf-8") if isinstance(text, bytes) else text)
    return out


class AnyOf(Q.Or):
    """Documents with any of the terms, unscored: a prefix's completions only filter.

    Scoring a union of frequent terms is most of the cost of a prefix query (every posting
    scored to rank them); the complete words typed before it rank the documents instead.
    """

    def matcher(self, searcher, context=None):
        from whoosh.searching import SearchContext

        context = (context or SearchContext()).set(weighting=None)
        m = super().matcher(searcher, context)
        if isinstance(m, NullMatcherClass):
            return m
        return ListMatcher(array("I", m.all_ids()), all_weights=self.boost)


def _term_or_prefix(reader, field: str, text: str, prefix: bool) -> Q.Query | None:
    if not prefix:
        return Q.Term(field, text)
    terms = _expand(reader, field, text)
    if not terms:
        return None
    return AnyOf([Q.Term(field, t) for t in terms], boost=PREFIX_WEIGHT)


def _numbers(reader, typed: Typed) -> list[Q.Query] | None:
    out = []
    for number in typed.numbers:
        clause = _term_or_prefix(reader, "docnum", number, prefix=True)
        if clause is None:
            return None
        out.append(clause)
    return out


def strict_query(reader, typed: Typed) -> Q.Query | None:
    """Words next to each other as typed (pairs), the last one a prefix; None: no match."""
    musts = _numbers(reader, typed)
    if musts is None:
        return None
    s, last = typed.syllables, len(typed.syllables) - 1
    for i, syl in enumerate(s):
        prefix = typed.prefix and i == last
        if i > 0 and typed.joined[i]:
            clause = _term_or_prefix(reader, "title_bi", f"{s[i - 1]}_{syl}", prefix)
        elif i < last and typed.joined[i + 1]:
            continue  # the pair with the next syllable stands for this one
        else:
            clause = _term_or_prefix(reader, "title_fold", syl, prefix)
        if clause is None:
            return None
        musts.append(clause)
    return Q.And(musts) if musts else None


def loose_query(reader, typed: Typed) -> Q.Query | None:
    """Every word somewhere in the title, the last one a prefix."""
    musts = _numbers(reader, typed)
    if musts is None:
        return None
    for i, syl in enumerate(typed.syllables):
        clause = _term_or_prefix(reader, "title_fold", syl,
                                 typed.prefix and i == len(typed.syllables) - 1)
        if clause is None:
            return None
        musts.append(clause)
    return Q.And(musts) if musts else None


def _ranked(query: Q.Query, typed: Typed) -> Q.Query:
    """Titles that begin with the first typed word, and titles with the exact syllables
    typed with diacritics, first."""
    if typed.syllables and (len(typed.syllables) > 1 or not typed.prefix):
        # (a span query cannot sit inside an Or: Whoosh cannot estimate its size)
        first = Q.Term("title_fold", typed.syllables[0], boost=START_BOOST)
        query = Q.AndMaybe(query, SpanFirst(first))
    if typed.exact:
        query = Q.AndMaybe(query, Q.Or([Q.Term("title_syl", s, boost=EXACT_BOOST)
                                        for s in typed.exact]))
    return query


def complete(searcher, q: str, limit: int) -> list[dict]:
    """Up to ``limit`` documents whose title or number continues ``q``, best first."""
    typed = parse_typed(q)
    if typed.is_empty:
        return []
    reader = searcher.reader()
    if len(typed.syllables) == 1 and typed.prefix and not typed.numbers:
        return [_item(searcher.stored_fields(n)) for n in _lone_prefix(searcher, typed, limit)]
    found: list[int] = []
    for build in (strict_query, loose_query):
        if found or (build is loose_query and len(typed.syllables) < 2):
            break  # words in order found titles; or the loose query is the same again
        query = build(reader, typed)
        if query is None:
            continue
        results = searcher.search(_ranked(query, typed), limit=limit)
        found += [hit.docnum for hit in results]
    return [_item(searcher.stored_fields(n)) for n in found]


def _lone_prefix(searcher, typed: Typed, limit: int) -> list[int]:
    """One word being typed (``q``, ``ngh``): titles with its most frequent completions,
    one completion at a time, each ranked by BM25 (short titles first). Reading only the
    postings needed keeps a one-letter prefix cheap on a large index."""
    found: list[int] = []
    for word in _expand(searcher.reader(), "title_fold", typed.syllables[0]):
        query = _ranked(Q.Term("title_fold", word), typed)
        results = searcher.search(query, limit=limit, mask=set(found) or None)
        found += [hit.docnum for hit in results][:limit - len(found)]
        if len(found) >= limit:
            break
    return found


def _item(fields: dict) -> dict:
    out = {name: fields.get(name, "") for name in FIELDS}
    out["url"] = "/van-ban/" + quote(str(out["id"]), safe="")
    return out
