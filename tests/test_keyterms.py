"""search_service.keyterms: the key terms of "more like this", against the formula.

The reference computes each distinct term's TF-IDF the slow way, through Whoosh's public
reader (``doc_frequency`` of every term, no bound, no early stop), on the real corpus index.
"""

from __future__ import annotations

from math import log

import pytest

from search_service.keyterms import key_terms
from search_service.searcher import SIMILAR, SearchIndex


@pytest.fixture(scope="module")
def searcher(corpus_index):
    index = SearchIndex(corpus_index)
    yield index.searcher()
    index.close()


def by_formula(searcher, field, text, count, share):
    fieldobj = searcher.schema[field]
    weights = {}
    for btext, _, weight, _ in fieldobj.index(text):
        weights[btext] = weights.get(btext, 0.0) + weight
    n = searcher.doc_count_all()
    scored = []
    for btext, weight in weights.items():
        df = searcher.doc_frequency(field, btext)
        if 0 < df <= max(share * n, 2):
            scored.append((weight * log(n / df), fieldobj.from_bytes(btext)))
    scored.sort(key=lambda x: (-x[0], x[1]))
    top = [(w, s) for s, w in scored[:count] if s > 0]
    return [(w, s / top[0][1]) for w, s in top]


@pytest.mark.parametrize("share", [SIMILAR["max_df_share"], 1.0])
def test_terms_and_weights_are_the_formulas(searcher, share):
    compared = 0
    for docnum in range(0, searcher.doc_count_all(), 97):
        stored = searcher.stored_fields(docnum)
        text = f"{stored.get('title', '')}\n{stored.get('text', '')[:SIMILAR['chars']]}"
        for field, count in SIMILAR["fields"].items():
            ours = key_terms(searcher, field, text, count, share)
            expected = by_formula(searcher, field, text, count, share)
            assert [w for w, _ in ours] == [w for w, _ in expected]
            assert [s for _, s in ours] == pytest.approx([s for _, s in expected], rel=1e-12)
            compared += len(ours)
    assert compared > 1000


def test_common_terms_say_the_form_not_the_subject(searcher):
    # a decision's own words: "quyết định" is in far more than a tenth of the documents
    text = "Quyết định về việc phòng chống thiên tai và tìm kiếm cứu nạn trên địa bàn huyện"
    words = [w for w, _ in key_terms(searcher, "body", text, 30, SIMILAR["max_df_share"])]
    assert "thiên_tai" in words and "phòng_chống" in words
    assert "quyết_định" not in words and "quyết_định" in \
        [w for w, _ in key_terms(searcher, "body", text, 30, 1.0)]


def test_text_without_indexed_terms(searcher):
    assert key_terms(searcher, "body", "", 12) == []
    assert key_terms(searcher, "body_bi", "zzqxv wwqxk", 12) == []
