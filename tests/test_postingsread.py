"""search_service.postingsread: a posting list read at once is the one Whoosh's matcher walks.

The reference is Whoosh's own leaf matcher, posting by posting, over real indexes: the
corpus index as the indexer writes it (blocks uncompressed, several blocks for common
terms) and an index Whoosh writes with its defaults (zlib-compressed blocks).
"""

from __future__ import annotations

import gzip
import json
from itertools import islice

import numpy as np
import pytest
import whoosh.index
from whoosh.fields import ID, TEXT, Schema

from indexer.integrity import IndexDamaged
from search_service.postingsread import PostingsDamaged, decode, read_postings
from tests.conftest import ROOT

NEWS = ROOT.parent / "shared" / "corpus" / "news" / "news-2k.jsonl.gz"


def whoosh_postings(leaf, field: str, text: bytes) -> tuple[list[int], list[float]]:
    m = leaf.postings(field, text)
    ids, weights = [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        m.next()
    return ids, weights


def assert_same_lists(leaf, fields, every: int = 1) -> int:
    """Compare every ``every``-th term of ``fields``; return how many lists had >1 block."""
    multi_block = 0
    for field in fields:
        for i, text in enumerate(leaf.lexicon(field)):
            if i % every:
                continue
            ids, weights = read_postings(leaf, field, text)
            want_ids, want_weights = whoosh_postings(leaf, field, text)
            assert ids.dtype == np.int32 and weights.dtype == np.float32
            assert ids.tolist() == want_ids, (field, text)
            assert weights.tolist() == pytest.approx(want_weights), (field, text)
            multi_block += len(want_ids) > 128
    return multi_block


def test_corpus_index_lists_are_whooshs(corpus_index):
    from indexer.generations import live_generation

    ix = whoosh.index.open_dir(str(live_generation(corpus_index)))
    with ix.searcher() as searcher:
        (leaf, _), = searcher.reader().leaf_readers()
        # syllables (frequencies), folded title (positions), pairs, numbers, facets
        multi = assert_same_lists(leaf, ["body_syl", "title_fold", "docnum", "issuer"])
        multi += assert_same_lists(leaf, ["body_bi"], every=11)
        assert multi > 50  # lists spanning several blocks were compared
        assert read_postings(leaf, "body_syl", "khôngcó".encode()) is None
    ix.close()


def test_compressed_blocks_as_whoosh_writes_them_by_default(tmp_path):
    schema = Schema(id=ID(stored=True), body=TEXT)
    ix = whoosh.index.create_in(str(tmp_path), schema)
    with ix.writer() as w, gzip.open(NEWS, "rt", encoding="utf-8") as f:  # zlib level 3
        for line in islice(f, 400):
            article = json.loads(line)
            w.add_document(id=str(article["id"]), body=article["text"])
    with ix.searcher() as searcher:
        (leaf, _), = searcher.reader().leaf_readers()
        assert leaf._terms.term_info("body", "của".encode()).doc_frequency() > 128
        assert assert_same_lists(leaf, ["body"]) > 10
    ix.close()


def test_a_cut_list_is_reported_not_misread(corpus_index):
    from indexer.generations import live_generation

    ix = whoosh.index.open_dir(str(live_generation(corpus_index)))
    with ix.searcher() as searcher:
        (leaf, _), = searcher.reader().leaf_readers()
        info = leaf._terms.term_info("body_syl", "của".encode())
        offset, length = info.extent()
        length = length[0] if isinstance(length, tuple) else length
        buf = leaf._terms._postfile.get(offset, length)
        ids, _ = decode(buf)
        assert len(ids) == info.doc_frequency() > 128
        with pytest.raises(PostingsDamaged):
            decode(b"XXXX" + buf[4:])
        with pytest.raises(PostingsDamaged):
            decode(buf[:len(buf) // 2])
        # the service's handler of damaged generations answers it (503, not 500)
        with pytest.raises(IndexDamaged):
            decode(buf[:-3])
    ix.close()
