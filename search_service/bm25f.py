"""One query word over several fields, scored as one BM25F term.

Whoosh's ``BM25F`` scores each field on its own and adds the scores: a word in both the
title and the body counts twice, each time saturated apart, so a long article that
repeats the query's words in its title and its body beats the short one that answers
the question. Real BM25F (Robertson, Zaragoza & Taylor 2004) adds the word's weighted,
length-normalised frequencies over the fields first and saturates the sum once:

    tf~ = Σ_f w_f · tf_f / (1 − b + b · len_f / avglen_f)
    score = boost · idf · tf~ · (k1 + 1) / (tf~ + k1)

with ``idf`` from the field where the word is most frequent (the body, nearly always: a
word in a title is nearly always in its text too). On ALQAC this alone raised MRR@10
from 0.861 to 0.876 (docs/relevance.md).

``FieldsTerm`` is a Whoosh ``Or`` of the field terms: ``search_service.vectorscore``
scores it over whole posting lists, and its own Whoosh matcher here scores it the same
way wherever Whoosh's matchers run a query (tests/test_bm25f.py compares both with the
formula; tests/test_vectorscore.py uses Whoosh as the reference for whole queries).
"""

from __future__ import annotations

from math import log

from whoosh import matching
from whoosh import query as Q
from whoosh.reading import TermNotFound
from whoosh.util import make_binary_tree


def fields_term(text: str, weights: dict[str, float], boost: float = 1.0) -> Q.Query:
    """``text`` on each field of ``weights`` (field → weight inside the sum), as one term."""
    return FieldsTerm([Q.Term(field, text, boost=w) for field, w in weights.items() if w],
                      boost=boost)


class FieldsTerm(Q.Or):
    """Subqueries: ``Term``s of one text on several fields, each boost its field's weight."""

    def matcher(self, searcher, context=None):
        parent = searcher.get_parent()
        model = searcher.weighting
        leaves, dfs = [], []
        for term in self.subqueries:
            if term.fieldname not in searcher.schema:
                continue
            btext = searcher.schema[term.fieldname].to_bytes(term.text)
            dfs.append(parent.doc_frequency(term.fieldname, btext))
            try:
                m = searcher.reader().postings(term.fieldname, btext)
            except TermNotFound:
                continue
            avg = parent.avg_field_length(term.fieldname) or 1
            b = model._field_B.get(term.fieldname, model.B)
            leaves.append((m, term.boost, term.fieldname, avg, b))
        if not leaves:
            return matching.NullMatcher()
        factor = self.boost * idf(max(dfs), parent.doc_count_all())
        return _FieldsMatcher(leaves, searcher, factor, model.K1)


def idf(df: int, documents: int) -> float:
    """Whoosh's idf (``WeightingModel.idf``), the one its other terms are scored with."""
    return log(documents / (df + 1)) + 1


def saturate(tfn, factor, k1: float):
    """``factor`` (boost × idf) times BM25's saturation of the summed frequency ``tfn``
    (a float or a numpy array)."""
    return factor * tfn * (k1 + 1) / (tfn + k1)


def normalised(tf, length, avg: float, b: float):
    """A field's term frequency over its length normalisation (floats or arrays)."""
    return tf / ((1 - b) + b * length / avg)


class _FieldsMatcher(matching.WrappingMatcher):
    """The union of the fields' posting lists; the score reads the leaves on the current
    document (a union moves its children, and does not copy them)."""

    def __init__(self, leaves, searcher, factor: float, k1: float):
        union = make_binary_tree(matching.UnionMatcher, [m for m, *_ in leaves])
        super().__init__(union)
        self.leaves, self.searcher, self.factor, self.k1 = leaves, searcher, factor, k1

    def replace(self, minquality=0):
        return self  # the leaves are read directly: never swap the union for a part of it

    def copy(self):
        # as Whoosh's own leaf matchers (W3LeafMatcher.copy), which this one is made of
        raise NotImplementedError("a FieldsTerm matcher cannot be copied")

    def supports_block_quality(self):
        return False

    def score(self):
        doc = self.child.id()
        tfn = 0.0
        for m, weight, fieldname, avg, b in self.leaves:
            if m.is_active() and m.id() == doc:
                length = self.searcher.doc_field_length(doc, fieldname, 1)
                tfn += weight * normalised(m.weight(), length, avg, b)
        return saturate(tfn, self.factor, self.k1)
