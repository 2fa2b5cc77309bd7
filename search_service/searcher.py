"""The only module that talks to Whoosh at query time.

One searcher per thread (Whoosh searchers are not shared across threads),
reopened when the live generation changes (``refresh()`` alone does not see a
swapped directory) and refreshed when a writer commits into it.
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np
import whoosh.index
from whoosh import query as Q
from whoosh import sorting
from whoosh.scoring import BM25F

from indexer.abbreviations import SAFE_WEIGHT
from indexer.fold import fold, fold_key
from indexer.generations import GenerationHold, live_generation
from indexer.integrity import IndexDamaged, check_generation, signature
from indexer.loosenumber import Strength, number_keys
from indexer.schema import FACETS
from search_service.bm25f import fields_term
from search_service.cache import LRUCache
from search_service.highlight import match_spans, snippet
from search_service.keyterms import key_terms
from search_service.query import Filters, ParsedQuery
from search_service.timelimit import search_within
from search_service.vectorscore import VectorScorer

# How a query is scored. Each query word is one BM25F term over the title and the body
# (search_service.bm25f): its frequencies in both, length-normalised, are summed before
# BM25 saturates them. A query typed with diacritics scores on the exact syllables and
# the syllable pairs; a query typed without any diacritics is read as accents left out,
# and searches the folded syllables and the pairs (folded too), where pairs tell "nghị
# quyết" from "nghi". A weight of 0 means not searched. docs/relevance.md measures each.
WEIGHTS = {
    # BM25's parameters: frequencies saturate fast (a question's words matter by being
    # there, not by repeating), lengths count a little less than the usual 0.75
    "k1": 1.0, "b": 0.6,
    # a word in the title counts as three in the body (inside the sum, so a word in both
    # does not count twice over)
    "title": 3.0,
    # what a query word counts, by how it matches: the syllable as typed, its folded
    # form, a pair of neighbouring syllables (twice a single one); pyvi's words add
    # nothing the syllables and pairs do not
    "syl": 1.0, "fold": 0.4, "bi": 2.0, "words": 0.0,
    # share of the folded fields' weight when the query has diacritics: the exact
    # syllables say it better (0: not searched)
    "accented_fold": 0.0,
    "docnum": 10.0, "cites_keys": 1.0,
    # an abbreviation spelled out (or a full form abbreviated); an ambiguous one (TT:
    # thị trấn, thông tư, trung tâm) so lightly that the literal form ranks first
    "abbreviation": 2.0, "ambiguous": 0.05,
    # a term made only of question boilerplate ("đúng hay sai", "theo quy định"), as a share
    # of its field's weight (search_service.boilerplate)
    "boilerplate": 0.1,
    # 0: score the title and the body apart and add them, as Whoosh's BM25F does (the
    # ranking before session 4, kept for the ablation)
    "combine_fields": 1.0,
}
# the field suffix of each kind of query term
_KINDS = {"words": "", "syl": "_syl", "fold": "_fold", "bi": "_bi"}
HIT_FIELDS = ("id", "title", "url", "doc_number", "doc_type", "issuer", "date", "category")
DOCUMENT_FIELDS = (*HIT_FIELDS, "summary", "author", "signer", "related", "cites", "text")
# "More like this": the key terms (TF-IDF, search_service.keyterms) of the title and the
# first ``chars`` characters of the text, per field (field → how many), among the terms of
# at most ``max_df_share`` of the documents, searched as one OR: pyvi's words and syllable
# pairs (bench/similar_eval.py measures them; docs/relevance.md says what else was tried)
SIMILAR = {"fields": {"body": 30, "body_bi": 30}, "chars": 4000, "max_df_share": 0.1}


FACET_FIELDS = {**FACETS, "year": "year"}
NO_FILTERS = Filters()
SORTS = ("relevance", "newest", "oldest")


@dataclass
class SearchPage:
    total: int
    hits: list[dict]
    took_ms: float
    facets: dict[str, dict[str, int]] | None = None
    partial: bool = False  # the time limit stopped the matching: the best hits found so far


def _phrase(field: str, syllables: tuple[str, ...], boost: float = 1.0,
            exact: bool = False) -> Q.Query:
    """Syllables next to each other on ``field`` (``title_syl``, ``body_fold`` …): the one
    term, or every pair of neighbours on the field's pair field (``title_bi``), and with
    ``exact`` each syllable as typed too. Pairs rather than positions: "ủy ban nhân dân"
    is in most official texts, and checking positions in each of them cost a second a
    query; three pairs in a row can only be parted when the text repeats a syllable."""
    if len(syllables) == 1:
        return Q.Term(field, syllables[0], boost=boost)
    base = field.split("_")[0]
    pairs = [f"{fold(a)}_{fold(b)}" for a, b in pairwise(syllables)]
    terms = [Q.Term(base + "_bi", pair) for pair in dict.fromkeys(pairs)]
    if exact:
        terms += [Q.Term(field, s) for s in dict.fromkeys(syllables)]
    return Q.And(terms, boost=boost / len(terms))


def build_required(parsed: ParsedQuery) -> Q.Query | None:
    """Every syllable (and number) of the query must match: for date-sorted listings,
    where no score pushes weak OR matches down. A safe abbreviation or its full form
    may stand for the other."""
    suffix = "_syl" if parsed.accented else "_fold"

    def literal(syllables) -> list[Q.Query]:
        terms = syllables if parsed.accented else [fold(s) for s in syllables]
        return [Q.Or([Q.Term("title" + suffix, t), Q.Term("body" + suffix, t)]) for t in terms]

    alternatives = {e.start: e for e in parsed.expansions
                    if e.weight >= SAFE_WEIGHT and e.folded != parsed.accented}
    musts: list[Q.Query] = []
    i = 0
    while i < len(parsed.ordered):
        exp = alternatives.get(i)
        if exp is None:
            musts += literal(parsed.ordered[i:i + 1])
            i += 1
            continue
        spelled = Q.Or([_phrase("title" + suffix, exp.syllables),
                        _phrase("body" + suffix, exp.syllables)])
        musts.append(Q.Or([Q.And(literal(parsed.ordered[exp.start:exp.end])), spelled]))
        i = exp.end
    for number in parsed.numbers:
        musts.append(Q.Or([Q.Term(field, key) for key in number.keys
                           for field in ("docnum", "cites_keys")]))
    return Q.And(musts) if musts else None


def build_filter(filters: Filters) -> Q.Query | None:
    """Metadata restrictions as a Whoosh filter (it narrows, it does not score)."""
    clauses: list[Q.Query] = [
        Q.Term(f"{name}_key", fold_key(value))
        for name, value in (("type", filters.type), ("issuer", filters.issuer),
                            ("category", filters.category)) if value]
    if filters.year:
        clauses.append(Q.Term("year", filters.year))
    if filters.date_from or filters.date_to:
        clauses.append(Q.TermRange("date", filters.date_from or None, filters.date_to or None))
    return Q.And(clauses) if clauses else None


def _sort(sort: str):
    if sort == "relevance":
        return None
    # documents with a date first, then by date
    return [sorting.FieldFacet("has_date", reverse=True),
            sorting.FieldFacet("date", reverse=sort == "newest")]


def build_query(parsed: ParsedQuery) -> Q.Query | None:
    """The Whoosh query for a parsed user query (OR of all terms, phrases required)."""
    w = WEIGHTS
    clauses: list[Q.Query] = []

    def terms(kind: str, values) -> None:
        weight = w[kind]
        if kind == "fold" and parsed.accented:
            weight *= w["accented_fold"]
        if not weight:
            return  # not searched: no clause to walk
        suffix = _KINDS[kind]
        fields = {"title" + suffix: w["title"], "body" + suffix: 1.0}
        for value in values:
            boost = weight * (w["boilerplate"] if parsed.is_minor(value) else 1.0)
            if w["combine_fields"]:
                clauses.append(fields_term(value, fields, boost))
            else:
                clauses.extend(Q.Term(f, value, boost=boost * fw) for f, fw in fields.items())

    if parsed.accented:
        terms("words", parsed.words)
        terms("syl", parsed.syllables)
    terms("bi", parsed.bigrams)
    terms("fold", parsed.folded)
    for exp in parsed.expansions:
        # an accented query tries the spelled-out form on the exact fields and the folded
        # form on the folded ones, as it does its own words; a bare query only the latter
        if not exp.folded and not parsed.accented:
            continue
        kind = "fold" if exp.folded else "syl"
        weight = w["abbreviation"] if exp.weight >= SAFE_WEIGHT else w["ambiguous"]
        # "ubnd" stands for four typed syllables: let it count as much as they do
        weight *= (exp.end - exp.start) * w[kind]
        if exp.folded and parsed.accented and len(exp.syllables) == 1:
            weight *= w["accented_fold"]  # a folded term, as the query's own
        if weight:
            clauses.extend(_phrase(field + _KINDS[kind], exp.syllables, weight)
                           for field in ("title", "body"))
    for number in parsed.numbers:
        # the more of the number was typed, the more a match counts (FULL = 4 … TYPE_NUMBER = 1)
        for key, strength in number.weighted_keys():
            if strength == Strength.TYPE_NUMBER and number.strength >= Strength.TYPE_NUMBER_YEAR:
                continue  # "nd#15" would find NĐ 15 of every year: not what was typed
            clauses += [Q.Term("docnum", key, boost=w["docnum"] * strength),
                        Q.Term("cites_keys", key, boost=w["cites_keys"] * strength)]
    if not clauses:
        return None
    query: Q.Query = Q.Or(clauses)
    if parsed.phrases:
        required = []
        for phrase in parsed.phrases:
            suffix = "_fold" if phrase.folded else "_syl"
            required.append(Q.Or([_phrase(base + suffix, phrase.syllables, exact=True)
                                  for base in ("title", "body")]))
        query = Q.And([*required, query])
    return query


def similar_query(searcher, text: str) -> Q.Query:
    """The key terms of ``text`` on each field of ``SIMILAR``, each boosted by its weight,
    as one OR."""
    clauses = []
    for field, count in SIMILAR["fields"].items():
        clauses += [Q.Term(field, word, boost=weight) for word, weight
                    in key_terms(searcher, field, text, count, SIMILAR["max_df_share"])]
    return Q.Or(clauses)


def _weighting() -> BM25F:
    return BM25F(B=WEIGHTS["b"], K1=WEIGHTS["k1"])


def _marks(parsed: ParsedQuery | None) -> tuple[frozenset, frozenset, frozenset]:
    """What a snippet marks: exact syllables, folded forms of bare ones, number keys."""
    if parsed is None:
        return frozenset(), frozenset(), frozenset()
    exact, bare = parsed.highlight_terms()
    return exact, bare, frozenset(k for n in parsed.numbers for k in n.keys)


def _facet_order(groups: dict) -> dict[str, int]:
    """A facet's values, most documents first, then by name (documents without one out)."""
    return dict(sorted(((k, v) for k, v in groups.items() if k),
                       key=lambda kv: (-kv[1], kv[0])))


def _pick(fields: dict, names: tuple[str, ...]) -> dict:
    out = {}
    for name in names:
        value = fields.get(name)
        out[name] = value if value is not None else ([] if name in ("related", "cites") else "")
    return out


class SearchIndex:
    """A live index directory, as seen by one process."""

    def __init__(self, root: str | Path, snippet_chars: int = 240, cache_size: int = 1024,
                 postings_cache_mb: int = 64):
        self.root = Path(root)
        # decoded posting lists of the terms queries use most (search_service.vectorscore)
        self.postings_cache_bytes = postings_cache_mb << 20
        self.snippet_chars = snippet_chars
        self._local = threading.local()
        # result pages of popular queries; keyed by index version, so never stale
        self._pages: LRUCache[SearchPage] = LRUCache(cache_size)
        # the last generation check: (generation, its files' signature) and its verdict
        self._check_lock = threading.Lock()
        self._checked: tuple[tuple, int] | None = None
        # every Whoosh index and searcher opened here and not closed yet, whichever thread
        # opened it: a searcher holds its segment files open, and a thread that ends leaves
        # its own to the garbage collector (close() closes them all)
        self._open: set = set()
        self._open_lock = threading.Lock()

    def _opened(self, obj):
        with self._open_lock:
            self._open.add(obj)
        return obj

    def _close(self, obj) -> None:
        with self._open_lock:
            self._open.discard(obj)
        obj.close()

    def _searcher(self):
        local = self._local
        gen = live_generation(self.root)
        if getattr(local, "generation", None) != gen:
            self._close_local()
            local.hold = GenerationHold(gen)  # before opening: no writer may delete it now
            index = None
            try:
                index = self._opened(whoosh.index.open_dir(str(gen)))
                local.searcher = self._opened(index.searcher(weighting=_weighting()))
            except Exception as exc:  # a damaged file: a 503 that says so, not a 500
                if index is not None:
                    self._close(index)
                local.hold.release()
                raise IndexDamaged(f"index generation {gen.name} cannot be opened: "
                                   f"{type(exc).__name__}: {exc}") from exc
            local.index, local.generation = index, gen
            local.scorer = None
        elif not local.searcher.up_to_date():
            # a commit into the live generation: a new searcher. Not refresh(): in
            # whoosh-reloaded 2.7.5 it keeps the old reader's segments, so deletions stay
            # unseen and segments merged away are searched twice (tests/test_write_api.py)
            self._close(local.searcher)
            local.searcher = self._opened(local.index.searcher(weighting=_weighting()))
            local.scorer = None
        return local.searcher

    def _scorer(self, searcher) -> VectorScorer:
        """This thread's numpy scorer of ``searcher`` (made again with each searcher)."""
        local = self._local
        if getattr(local, "scorer", None) is None or local.scorer.searcher is not searcher:
            local.scorer = VectorScorer(searcher, self.postings_cache_bytes)
        return local.scorer

    def _close_local(self) -> None:
        local = self._local
        if getattr(local, "searcher", None) is not None:
            self._close(local.searcher)
            self._close(local.index)
            local.hold.release()
        local.searcher = local.index = local.generation = local.hold = local.scorer = None

    def close(self) -> None:
        self._close_local()
        with self._open_lock:  # what other threads opened (searchers before indexes)
            left = sorted(self._open, key=lambda o: isinstance(o, whoosh.index.Index))
            self._open.clear()
        for obj in left:
            obj.close()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc) -> None:
        self.close()  # a searcher holds its segment files open

    def searcher(self):
        """This thread's Whoosh searcher on the live generation (suggest, autocomplete)."""
        return self._searcher()

    def doc_count(self) -> int:
        return self._searcher().doc_count()

    def check(self) -> int:
        """Documents of the live generation once its files are checked (``IndexDamaged``).

        The check runs again only when a file of the generation changed size or time:
        load balancers poll ``/api/health`` every few seconds, and a check opens the index."""
        gen = live_generation(self.root)
        key = (gen, signature(gen))
        with self._check_lock:
            if self._checked is None or self._checked[0] != key:
                self._checked = (key, check_generation(gen))
            return self._checked[1]

    def generation(self) -> str:
        self._searcher()
        return self._local.generation.name

    def search(self, parsed: ParsedQuery | None, page: int, per_page: int,
               filters: Filters = NO_FILTERS, sort: str = "relevance",
               facets: tuple[str, ...] = (), time_limit: float = 0.0) -> SearchPage:
        """One page of results; ``parsed`` None lists the documents the filters select.

        Matching stops after ``time_limit`` seconds (0: never) with a partial page."""
        started = time.perf_counter()
        searcher = self._searcher()
        # the generation and its latest commit: a new one never hits pages of the old
        version = (self._local.generation.name, searcher.reader().generation())
        key = (version, parsed, page, per_page, filters, sort, facets)
        cached = self._pages.get_or_compute(
            key, lambda: self._search(searcher, parsed, page, per_page, filters, sort, facets,
                                      time_limit),
            keep=lambda result: not result.partial)  # a cut-short page is not the answer
        # callers may change what they get: hand out copies
        return SearchPage(cached.total, [dict(h) for h in cached.hits],
                          (time.perf_counter() - started) * 1000,
                          None if cached.facets is None
                          else {k: dict(v) for k, v in cached.facets.items()}, cached.partial)

    def _search(self, searcher, parsed: ParsedQuery | None, page: int, per_page: int,
                filters: Filters, sort: str, facets: tuple[str, ...],
                time_limit: float) -> SearchPage:
        started = time.perf_counter()
        if parsed is None:
            query = Q.Every()
        elif sort == "relevance":
            query = build_query(parsed)
        else:
            query = build_required(parsed)
        if query is None:
            return SearchPage(0, [], (time.perf_counter() - started) * 1000,
                              {name: {} for name in facets} if facets else None)
        if sort == "relevance" and parsed is not None:
            return self._scored(searcher, parsed, query, page, per_page, filters, facets,
                                time_limit, started)
        groupedby = {name: sorting.FieldFacet(FACET_FIELDS[name], maptype=sorting.Count)
                     for name in facets}
        options = {"limit": page * per_page, "filter": build_filter(filters),
                   "sortedby": _sort(sort), "groupedby": groupedby or None}
        results, partial = search_within(searcher, query, time_limit, **options)
        total = len(results)
        marks = _marks(parsed)
        hits = []
        for hit in results[(page - 1) * per_page: page * per_page]:
            fields = hit.fields()
            out = _pick(fields, HIT_FIELDS)
            out["snippet"] = self._snippet(fields, *marks)
            # sorted by date, Whoosh puts the sort key where the score was: no score then
            out["score"] = round(hit.score, 4) if sort == "relevance" and parsed else None
            hits.append(out)
        counted = {name: _facet_order(results.groups(name)) for name in facets} or None
        return SearchPage(total, hits, (time.perf_counter() - started) * 1000, counted, partial)

    def _scored(self, searcher, parsed: ParsedQuery, query: Q.Query, page: int,
                per_page: int, filters: Filters, facets: tuple[str, ...], time_limit: float,
                started: float) -> SearchPage:
        """A relevance search, scored with numpy over whole posting lists (the scores of
        Whoosh's BM25F, search_service.vectorscore); the total and the facets count every
        match. (Listing only the documents with every word first was measured: it costs
        0.03 MRR@10 on ALQAC and 0.03 known-item Recall@1, docs/relevance.md.)"""
        scorer = self._scorer(searcher)
        allow = scorer.mask_of(build_filter(filters))
        # past the time limit the clauses not yet summed are left out: a partial page
        scorer.deadline = time.monotonic() + time_limit if time_limit > 0 else 0.0
        try:
            matched = scorer.evaluate(query)
        finally:
            partial, scorer.deadline, scorer.cut = scorer.cut, 0.0, False
        docs, scores, mask = scorer.top(matched, allow, page * per_page)
        marks = _marks(parsed)
        hits = []
        for docnum, score in zip(docs[(page - 1) * per_page:].tolist(),
                                 scores[(page - 1) * per_page:].tolist(), strict=True):
            fields = searcher.stored_fields(docnum)
            out = _pick(fields, HIT_FIELDS)
            out["snippet"] = self._snippet(fields, *marks)
            out["score"] = round(score, 4)
            hits.append(out)
        counted = {name: _facet_order(scorer.facet_counts(FACET_FIELDS[name], mask))
                   for name in facets} or None
        return SearchPage(int(mask.sum()), hits, (time.perf_counter() - started) * 1000,
                          counted, partial)

    def _snippet(self, fields: dict, exact, bare, keys) -> str:
        text, summary = fields.get("text", ""), fields.get("summary", "")
        for source in (text, summary):
            spans = match_spans(source, exact, bare, keys)
            if spans:
                return snippet(source, spans, self.snippet_chars)
        return snippet(summary or text, [], self.snippet_chars)

    def document(self, doc_id: str) -> dict | None:
        searcher = self._searcher()
        docnum = searcher.document_number(id=doc_id)
        if docnum is None:
            return None
        return _pick(searcher.stored_fields(docnum), DOCUMENT_FIELDS)

    def citations(self, doc_id: str, limit: int = 200) -> dict | None:
        """What ``doc_id`` cites and what cites it, among the indexed documents."""
        searcher = self._searcher()
        docnum = searcher.document_number(id=doc_id)
        if docnum is None:
            return None
        fields = searcher.stored_fields(docnum)

        def brief(n: int) -> dict:
            f = searcher.stored_fields(n)
            return {"id": f["id"], "title": f.get("title", ""), "number": f.get("doc_number", "")}

        cites, not_indexed = [], []
        for number in fields.get("cites", []):
            keys = number_keys(number)
            target = searcher.document_number(docnum=keys[0]) if keys else None
            if target is None or target == docnum:
                not_indexed.append(number)
            else:
                cites.append({**brief(target), "number": number})
        cited_by = []
        own = number_keys(fields.get("doc_number", ""))
        if own:
            results = searcher.search(Q.Term("cites_keys", own[0]), limit=limit,
                                      mask={docnum}, sortedby=_sort("newest"))
            cited_by = [brief(hit.docnum) for hit in results]
        return {"id": doc_id, "number": fields.get("doc_number", ""), "cites": cites,
                "not_indexed": not_indexed, "cited_by": cited_by}

    def similar(self, doc_id: str, limit: int) -> list[dict] | None:
        """Documents sharing the key words of ``doc_id``, never the document itself."""
        searcher = self._searcher()
        docnum = searcher.document_number(id=doc_id)
        if docnum is None:
            return None
        fields = searcher.stored_fields(docnum)
        text = f"{fields.get('title', '')}\n{fields.get('text', '')[:SIMILAR['chars']]}"
        query = similar_query(searcher, text)
        scorer = self._scorer(searcher)
        others = np.ones(scorer.n, bool)
        others[docnum] = False
        docs, scores, _ = scorer.top(scorer.evaluate(query), others, limit)
        hits = []
        for n, score in zip(docs.tolist(), scores.tolist(), strict=True):
            hit = searcher.stored_fields(n)
            out = _pick(hit, HIT_FIELDS)
            out["snippet"] = snippet(hit.get("summary") or hit.get("text", ""), [],
                                     self.snippet_chars)
            out["score"] = round(score, 4)
            hits.append(out)
        return hits
