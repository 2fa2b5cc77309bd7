"""search_service.keyterms: the key terms Whoosh's Bo1 expander would pick, and their weights.

The reference is Whoosh's own ``key_terms_from_text`` on the same real index, for the
documents and fields "more like this" uses.
"""

from __future__ import annotations

import pytest
from whoosh import classify

from search_service.keyterms import key_terms
from search_service.searcher import SIMILAR, SearchIndex


@pytest.fixture(scope="module")
def searcher(corpus_index):
    index = SearchIndex(corpus_index)
    yield index.searcher()
    index.close()


def test_same_terms_and_weights_as_whoosh(searcher):
    compared = 0
    for docnum in range(0, searcher.doc_count_all(), 97):
        stored = searcher.stored_fields(docnum)
        text = f"{stored.get('title', '')}\n{stored.get('text', '')[:SIMILAR['chars']]}"
        for field, count in SIMILAR["fields"].items():
            ours = key_terms(searcher, field, text, count)
            theirs = searcher.key_terms_from_text(field, text, numterms=count,
                                                  model=classify.Bo1Model, normalize=False)
            assert [w for w, _ in ours] == [w for w, _ in theirs]
            assert [s for _, s in ours] == pytest.approx([s for _, s in theirs], rel=1e-12)
            compared += len(ours)
    assert compared > 500


def test_text_without_indexed_terms(searcher):
    assert key_terms(searcher, "body", "", 12) == []
    assert key_terms(searcher, "body_bi", "zzqxv wwqxk", 12) == []
