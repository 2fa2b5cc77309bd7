"""search_service.vectorscore: numpy scoring gives Whoosh's own scores, totals and facets.

The reference is Whoosh searching the same real index exhaustively (``limit=None``: its
block-quality skipping is measured to drop documents from And queries, see below), so
every test compares two real engines over real Vietnamese text.
"""

from __future__ import annotations

import shutil

import pytest
from whoosh import sorting

from indexer import writer
from indexer.schema import FACETS
from search_service.query import parse_query
from search_service.searcher import FACET_FIELDS, SearchIndex, build_filter, build_query
from search_service.vectorscore import VectorScorer
from tests.conftest import ROOT

QUERIES = [
    "nghị quyết", "phát triển kinh tế xã hội", "nong thon moi", "UBND huyện",
    "Ủy ban nhân dân tỉnh", "2820/QĐ-UBND", "nghị định 15/2020", '"an toàn giao thông"',
    '"chuyen doi so" cải cách', "thuỷ lợi", "hoà bình", "Đảng ủy", "CẤP ỦY",
    "đúng hay sai theo quy định", "quasar", "Tết Nguyên đán", "phòng chống thiên tai",
]


def whoosh_top(searcher, query, limit=10):
    """Whoosh's ranking with every match scored: (docnum, score) best first, and total."""
    results = searcher.search(query, limit=None)
    ranked = sorted(((h.docnum, h.score) for h in results), key=lambda t: (-t[1], t[0]))
    return ranked[:limit], len(results)


def ours_top(scorer, query, allow=None, limit=10):
    docs, scores, mask = scorer.top(scorer.evaluate(query), allow, limit)
    return list(zip(docs.tolist(), scores.tolist(), strict=True)), int(mask.sum())


def assert_same(ours, theirs):
    (o, o_total), (t, t_total) = ours, theirs
    assert o_total == t_total
    assert [d for d, _ in o] == [d for d, _ in t]
    assert [s for _, s in o] == pytest.approx([s for _, s in t], rel=1e-9)


@pytest.fixture(scope="module")
def searcher(corpus_index):
    index = SearchIndex(corpus_index)
    yield index.searcher()
    index.close()


@pytest.mark.parametrize("q", QUERIES)
def test_scores_and_totals_are_whooshs(searcher, q):
    query = build_query(parse_query(q))
    assert query is not None
    scorer = VectorScorer(searcher)
    assert_same(ours_top(scorer, query), whoosh_top(searcher, query))


def test_a_query_with_words_has_matches(searcher):
    scorer = VectorScorer(searcher)
    top, total = ours_top(scorer, build_query(parse_query("nghị quyết")))
    assert total > 100 and len(top) == 10 and top[0][1] > top[-1][1] > 0


def test_facets_and_filters_are_whooshs(searcher):
    from search_service.query import Filters

    scorer = VectorScorer(searcher)
    query = build_query(parse_query("kế hoạch"))
    groupedby = {n: sorting.FieldFacet(FACET_FIELDS[n], maptype=sorting.Count) for n in FACETS}
    theirs = searcher.search(query, limit=None, groupedby=groupedby)
    _, _, mask = scorer.top(scorer.evaluate(query), None, 10)
    for name in FACETS:
        expected = {k: v for k, v in theirs.groups(name).items() if k}
        assert scorer.facet_counts(FACET_FIELDS[name], mask) == expected
        assert expected  # the corpus has values for every facet

    for filters in (Filters(type="Quyết định"), Filters(date_from="2020-01-01",
                                                        date_to="2023-12-31")):
        flt = build_filter(filters)
        theirs = searcher.search(query, limit=None, filter=flt)
        ranked = sorted(((h.docnum, h.score) for h in theirs), key=lambda t: (-t[1], t[0]))
        assert 0 < len(theirs) < len(searcher.search(query, limit=None))
        assert_same(ours_top(scorer, query, scorer.mask_of(flt)), (ranked[:10], len(theirs)))


def test_several_segments_and_deleted_documents(tmp_path):
    src = tmp_path / "data"
    shutil.copytree(ROOT / "data", src)
    root = tmp_path / "index"
    writer.build([src], root)
    (src / "tin-bai" / "12-giao-nhan-quan-2025.txt").unlink()
    article = src / "tin-bai" / "05-ra-quan-bao-dam-atgt-tet.txt"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "Ra quân bảo đảm", "Ra quân đồng loạt bảo đảm", 1), encoding="utf-8")
    writer.update([src], root, prune=True)  # a second segment, and deletions in the first
    index = SearchIndex(root)
    searcher = index.searcher()
    assert len(list(searcher.reader().leaf_readers())) == 2
    assert searcher.doc_count() < searcher.doc_count_all()
    scorer = VectorScorer(searcher)
    for q in ("giao nhận quân", "ra quân đồng loạt", "an toàn giao thông", "nghị quyết"):
        query = build_query(parse_query(q))
        assert_same(ours_top(scorer, query), whoosh_top(searcher, query))
    index.close()


def test_the_postings_cache_stays_within_its_bound(searcher):
    scorer = VectorScorer(searcher, cache_bytes=64 << 10)
    for q in QUERIES:
        query = build_query(parse_query(q))
        assert_same(ours_top(scorer, query), whoosh_top(searcher, query))
        assert scorer._cached_bytes <= 64 << 10
    assert scorer._postings  # it does keep some


def test_more_like_this_is_whooshs_search_of_its_key_terms(corpus_index):
    from search_service.searcher import SIMILAR, similar_query

    index = SearchIndex(corpus_index)
    searcher = index.searcher()
    ids = searcher.reader().column_reader("id")
    for docnum in list(searcher.reader().all_doc_ids())[::250]:
        fields = searcher.stored_fields(docnum)
        text = f"{fields.get('title', '')}\n{fields.get('text', '')[:SIMILAR['chars']]}"
        query = similar_query(searcher, text)
        # key terms from every field, as many as asked where the text has enough
        assert {t.fieldname for t in query.subqueries} == set(SIMILAR["fields"])
        assert len(query.subqueries) > sum(SIMILAR["fields"].values()) // 2
        theirs = [(d, s) for d, s in whoosh_top(searcher, query, limit=6)[0] if d != docnum][:5]
        ours = index.similar(ids[docnum], 5)
        assert len(ours) == 5 and ids[docnum] not in [h["id"] for h in ours]
        assert [h["id"] for h in ours] == [ids[d] for d, _ in theirs]
        assert [h["score"] for h in ours] == [round(s, 4) for _, s in theirs]
    index.close()
