"""BM25F over whole posting lists with numpy: Whoosh's scores, without Whoosh's matchers.

On the full corpus (49k documents) a portal query of a few common words matches most of
the index, through 20–40 term clauses over eight fields. Whoosh walks those postings one
Python call at a time (and again to count them, and again for facets): 0.7 s of CPU at
the median. Here each term's posting list is decoded once into arrays (kept in a bounded
cache: the common terms are the costly ones and the ones that repeat), scored with
vectorised BM25F, and summed into one dense score array per query; the total and the
facets are counts over a boolean array.

The scores are Whoosh's own: the same BM25F formula with the searcher's ``idf`` and
average field lengths, the same 8-bit field lengths, term weights as stored, boosts
multiplied, an OR summing its clauses (tests/test_vectorscore.py compares them with
Whoosh's search on real queries). Clauses other than terms (phrases, ranges) are run
through Whoosh's own matchers, document by document: they are rare or short.

Reads Whoosh's posting lists through ``search_service.postingsread``, which knows the
internals of ``whoosh.codec.whoosh3`` (and is why Whoosh is pinned).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from whoosh import query as Q
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length

from search_service.bm25f import FieldsTerm, idf, normalised, saturate
from search_service.postingsread import read_postings

_LENGTH_OF_BYTE = np.array([byte_to_length(b) if b else 0.0 for b in range(256)])


@dataclass
class Matched:
    """Which documents a query matches, and their scores (dense, by global docnum)."""

    mask: np.ndarray  # bool
    scores: np.ndarray  # float64; 0 where not matched


class VectorScorer:
    """Scoring over one Whoosh searcher (one reader generation: make a new one after a
    commit). Not shared between threads, like the searcher."""

    def __init__(self, searcher, cache_bytes: int = 64 << 20):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.n = self.reader.doc_count_all()
        self.weighting = searcher.weighting
        self.leaves = list(self.reader.leaf_readers())
        self.live = np.ones(self.n, bool)
        for leaf, offset in self.leaves:
            for docnum in leaf.deleted_docs_set or ():
                self.live[offset + docnum] = False
        self.cache_bytes, self._cached_bytes = cache_bytes, 0
        self._postings: OrderedDict[tuple[str, bytes], tuple[np.ndarray, np.ndarray]] = \
            OrderedDict()
        self._lengths: dict[str, np.ndarray] = {}
        self._facets: dict[str, tuple[list[str], np.ndarray]] = {}
        # time.monotonic() after which no more clauses are evaluated (0: none); ``cut`` then
        # says the scores are partial: those of the clauses evaluated so far
        self.deadline = 0.0
        self.cut = False

    # --- posting lists, lengths, facet values ------------------------------------------

    def postings(self, field: str, text: bytes) -> tuple[np.ndarray, np.ndarray]:
        """Global docnums (int32, ascending) and weights (float32) of one term, live or
        not (callers mask with ``live``)."""
        key = (field, text)
        hit = self._postings.get(key)
        if hit is not None:
            self._postings.move_to_end(key)
            return hit
        ids, weights = [], []
        for leaf, offset in self.leaves:
            found = read_postings(leaf, field, text)
            if found is None:
                continue
            ids.append(found[0] + offset if offset else found[0])
            weights.append(found[1])
        if len(ids) == 1:
            entry = (ids[0], weights[0])
        elif ids:
            entry = (np.concatenate(ids), np.concatenate(weights))
        else:
            entry = (np.zeros(0, np.int32), np.zeros(0, np.float32))
        size = entry[0].nbytes + entry[1].nbytes
        if size <= self.cache_bytes:
            self._postings[key] = entry
            self._cached_bytes += size
            while self._cached_bytes > self.cache_bytes:
                _, (a, b) = self._postings.popitem(last=False)
                self._cached_bytes -= a.nbytes + b.nbytes
        return entry

    def lengths(self, field: str) -> np.ndarray:
        """Every document's length of ``field`` as Whoosh scores it (decoded from a byte)."""
        if field not in self._lengths:
            parts = []
            for leaf, _ in self.leaves:
                column = leaf._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
                count = leaf.doc_count_all()
                raw = (np.zeros(count, np.uint8) if column is None
                       else np.fromiter(column, dtype=np.uint8, count=count))
                parts.append(_LENGTH_OF_BYTE[raw])
            self._lengths[field] = np.concatenate(parts) if parts else np.zeros(0)
        return self._lengths[field]

    def facet_values(self, field: str) -> tuple[list[str], np.ndarray]:
        """The field's values, and per document the index of its value (-1: none)."""
        if field not in self._facets:
            values, which = [], np.full(self.n, -1, np.int32)
            fieldobj = self.searcher.schema[field]
            for btext in self.reader.lexicon(field):
                docs, _ = self.postings(field, btext)
                which[docs] = len(values)
                values.append(fieldobj.from_bytes(btext))
            self._facets[field] = (values, which)
        return self._facets[field]

    # --- evaluation ----------------------------------------------------------------------

    def evaluate(self, query: Q.Query) -> Matched:
        """The documents ``query`` matches and the score Whoosh would give each."""
        if self._expired():
            return Matched(np.zeros(self.n, bool), np.zeros(self.n))
        if isinstance(query, (Q.Term, FieldsTerm)):
            return self._term(query)
        if isinstance(query, Q.Or):
            # summed in place: a query is an OR of 20–40 terms, mostly
            mask, scores = np.zeros(self.n, bool), np.zeros(self.n)
            for sub in query.subqueries:
                if self._expired():
                    break
                if isinstance(sub, (Q.Term, FieldsTerm)):
                    docs, term_scores = self._term_scores(sub)
                    mask[docs] = True
                    scores[docs] += term_scores
                else:
                    part = self.evaluate(sub)
                    mask |= part.mask
                    scores += part.scores
            if query.boost != 1.0:
                scores *= query.boost
            return Matched(mask, scores)
        if isinstance(query, Q.And):
            return self._combine([self.evaluate(q) for q in query.subqueries], np.logical_and,
                                 query.boost)
        if isinstance(query, Q.Require):
            scored, required = self.evaluate(query.a), self.evaluate(query.b)
            mask = scored.mask & required.mask
            return Matched(mask, np.where(mask, scored.scores, 0.0))
        return self._by_matcher(query)

    def _expired(self) -> bool:
        if self.deadline and not self.cut and time.monotonic() > self.deadline:
            self.cut = True
        return self.cut

    def _combine(self, parts: list[Matched], op: Callable, boost: float) -> Matched:
        if not parts:
            return Matched(np.zeros(self.n, bool), np.zeros(self.n))
        mask = parts[0].mask.copy()
        scores = parts[0].scores.copy()
        for part in parts[1:]:
            op(mask, part.mask, out=mask)
            scores += part.scores
        if op is np.logical_and:
            scores[~mask] = 0.0
        if boost != 1.0:
            scores *= boost
        return Matched(mask, scores)

    def _term(self, term: Q.Term | FieldsTerm) -> Matched:
        mask, scores = np.zeros(self.n, bool), np.zeros(self.n)
        docs, term_scores = self._term_scores(term)
        mask[docs] = True
        scores[docs] = term_scores
        return Matched(mask, scores)

    def _term_scores(self, term: Q.Term | FieldsTerm) -> tuple[np.ndarray, np.ndarray]:
        """The documents holding ``term`` and their scores (boost included)."""
        if isinstance(term, FieldsTerm):
            return self._fields_scores(term)
        schema = self.searcher.schema
        nothing = (np.zeros(0, np.int32), np.zeros(0))
        if term.fieldname not in schema:
            return nothing
        field = schema[term.fieldname]
        try:
            btext = field.to_bytes(term.text)
        except ValueError:
            return nothing
        docs, weights = self.postings(term.fieldname, btext)
        if not len(docs):
            return nothing
        if field.scorable:
            # whoosh.scoring.BM25FScorer, with the parent searcher's statistics
            model = self.weighting
            b = model._field_B.get(term.fieldname, model.B)
            k1 = model.K1
            idf = self.searcher.idf(term.fieldname, btext)
            avgfl = self.searcher.avg_field_length(term.fieldname) or 1
            fl = self.lengths(term.fieldname)[docs]
            tf = weights.astype(np.float64)
            scores = idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / avgfl)))
        else:
            scores = weights.astype(np.float64)
        if term.boost != 1.0:
            scores *= term.boost
        return docs, scores

    def _fields_scores(self, query: FieldsTerm) -> tuple[np.ndarray, np.ndarray]:
        """One word on several fields: frequencies summed over the fields, then saturated
        (search_service.bm25f, which scores it the same way through Whoosh)."""
        schema, model = self.searcher.schema, self.weighting
        tfn, dfs = None, []
        for term in query.subqueries:
            if term.fieldname not in schema:
                continue
            btext = schema[term.fieldname].to_bytes(term.text)
            docs, weights = self.postings(term.fieldname, btext)
            dfs.append(len(docs))  # Whoosh's doc_frequency: deleted documents count too
            if not len(docs):
                continue
            if tfn is None:
                tfn = np.zeros(self.n)
            avg = self.searcher.avg_field_length(term.fieldname) or 1
            b = model._field_B.get(term.fieldname, model.B)
            tfn[docs] += term.boost * normalised(weights.astype(np.float64),
                                                 self.lengths(term.fieldname)[docs], avg, b)
        if tfn is None:
            return np.zeros(0, np.int32), np.zeros(0)
        docs = np.flatnonzero(tfn).astype(np.int32)
        factor = query.boost * idf(max(dfs), self.searcher.doc_count_all())
        return docs, saturate(tfn[docs], factor, model.K1)

    def _by_matcher(self, query: Q.Query) -> Matched:
        """Any other query, through Whoosh's matchers (phrases: few documents)."""
        mask, scores = np.zeros(self.n, bool), np.zeros(self.n)
        for sub, offset in self.searcher.leaf_searchers():
            m = query.matcher(sub, sub.context())
            while m.is_active():
                docnum = offset + m.id()
                mask[docnum] = True
                scores[docnum] = m.score()
                m.next()
        return Matched(mask, scores)

    # --- results -------------------------------------------------------------------------

    def top(self, matched: Matched, allow: np.ndarray | None, limit: int
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The best ``limit`` documents (ties: lower docnum first, as Whoosh), their
        scores, and the mask of every live allowed match (for the total and facets)."""
        mask = matched.mask & self.live
        if allow is not None:
            mask &= allow
        docs = np.flatnonzero(mask)
        scores = matched.scores[docs]
        if len(docs) > limit:
            keep = np.argpartition(-scores, limit - 1)[:limit]
            # everything scoring as the last kept one competes on docnum
            floor = scores[keep].min()
            keep = np.flatnonzero(scores >= floor)
            docs, scores = docs[keep], scores[keep]
        order = np.lexsort((docs, -scores))[:limit]
        return docs[order], scores[order], mask

    def facet_counts(self, field: str, mask: np.ndarray) -> dict[str, int]:
        values, which = self.facet_values(field)
        picked = which[mask]
        counts = np.bincount(picked[picked >= 0], minlength=len(values))
        return {values[i]: int(counts[i]) for i in np.flatnonzero(counts)}

    def mask_of(self, query: Q.Query | None) -> np.ndarray | None:
        """A filter query as a boolean mask, unscored (None: no filter)."""
        if query is None:
            return None
        if isinstance(query, Q.And):
            mask = np.ones(self.n, bool)
            for sub in query.subqueries:
                mask &= self.mask_of(sub)
            return mask
        if isinstance(query, Q.MultiTerm):  # a date range: the union of its terms
            mask = np.zeros(self.n, bool)
            for btext in query._btexts(self.reader):
                mask[self.postings(query.fieldname, btext)[0]] = True
            return mask
        return self.evaluate(query).mask

