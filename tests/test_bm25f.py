"""search_service.bm25f: one word over the title and the body, scored as one BM25F term.

The expected scores are worked out here from the index's raw statistics (term frequencies
from the posting lists, field lengths, document frequencies), then compared with both
engines that score a ``FieldsTerm``: Whoosh running its matcher, and the numpy scorer.
"""

from __future__ import annotations

from math import log

import pytest
from whoosh import query as Q

from search_service.bm25f import FieldsTerm, fields_term
from search_service.searcher import WEIGHTS, SearchIndex
from search_service.vectorscore import VectorScorer

K1, B = WEIGHTS["k1"], WEIGHTS["b"]


@pytest.fixture(scope="module")
def searcher(sample_index):
    index = SearchIndex(sample_index)
    yield index.searcher()
    index.close()


def frequencies(searcher, field: str, text: str) -> dict[int, float]:
    """docnum → the term's frequency in ``field``, read from its posting list."""
    btext = searcher.schema[field].to_bytes(text)
    if (field, btext) not in searcher.reader():
        return {}
    m = searcher.reader().postings(field, btext)
    out = {}
    while m.is_active():
        out[m.id()] = m.weight()
        m.next()
    return out


def by_hand(searcher, text: str, weights: dict[str, float], boost: float) -> dict[int, float]:
    tfn: dict[int, float] = {}
    dfs = []
    for field, w in weights.items():
        freqs = frequencies(searcher, field, text)
        dfs.append(searcher.doc_frequency(field, searcher.schema[field].to_bytes(text)))
        avg = searcher.avg_field_length(field)
        for doc, tf in freqs.items():
            length = searcher.doc_field_length(doc, field)
            tfn[doc] = tfn.get(doc, 0.0) + w * tf / ((1 - B) + B * length / avg)
    idf = log(searcher.doc_count_all() / (max(dfs) + 1)) + 1
    return {d: boost * idf * t * (K1 + 1) / (t + K1) for d, t in tfn.items()}


def whoosh_scores(searcher, query) -> dict[int, float]:
    return {h.docnum: h.score for h in searcher.search(query, limit=None)}


def numpy_scores(searcher, query) -> dict[int, float]:
    matched = VectorScorer(searcher).evaluate(query)
    return {int(d): float(matched.scores[d]) for d in matched.mask.nonzero()[0]}


# (text, field suffix): a word in titles and bodies, a folded one, a syllable pair
CASES = [("giao", "_syl"), ("quan", "_fold"), ("an_toan", "_bi")]


@pytest.mark.parametrize(("text", "suffix"), CASES)
def test_scores_are_the_formula_in_both_engines(searcher, text, suffix):
    weights = {"title" + suffix: 3.0, "body" + suffix: 1.0}
    expected = by_hand(searcher, text, weights, boost=2.0)
    assert len(expected) > 1
    query = fields_term(text, weights, boost=2.0)
    for scores in (whoosh_scores(searcher, query), numpy_scores(searcher, query)):
        assert scores.keys() == expected.keys()
        for doc, score in expected.items():
            assert scores[doc] == pytest.approx(score, rel=1e-9)


def test_a_word_in_title_and_body_counts_once_saturated(searcher):
    weights = {"title_syl": 3.0, "body_syl": 1.0}
    title = frequencies(searcher, "title_syl", "giao")
    body = frequencies(searcher, "body_syl", "giao")
    both = sorted(set(title) & set(body))
    assert both, "the sample corpus has 'giao' in a title and its text"
    together = whoosh_scores(searcher, fields_term("giao", weights))
    apart = whoosh_scores(searcher, Q.Or([Q.Term("title_syl", "giao", boost=3.0),
                                          Q.Term("body_syl", "giao")]))
    for doc in both:
        # under k1 + 1 times idf, however many fields hold it
        assert together[doc] < apart[doc]
        assert together[doc] < (K1 + 1) * (log(searcher.doc_count_all()) + 1)


def test_one_field_is_whooshs_own_bm25f(searcher):
    query = fields_term("giao", {"body_syl": 1.0}, boost=1.5)
    assert isinstance(query, FieldsTerm)
    theirs = whoosh_scores(searcher, Q.Term("body_syl", "giao", boost=1.5))
    for scores in (whoosh_scores(searcher, query), numpy_scores(searcher, query)):
        assert scores == pytest.approx(theirs, rel=1e-9)


def test_a_field_of_weight_zero_is_left_out(searcher):
    query = fields_term("giao", {"title_syl": 0.0, "body_syl": 1.0})
    assert [t.fieldname for t in query.subqueries] == ["body_syl"]


def test_a_word_in_no_field_matches_nothing(searcher):
    query = fields_term("quasar", {"title_syl": 3.0, "body_syl": 1.0})
    assert whoosh_scores(searcher, query) == {} == numpy_scores(searcher, query)
