"""indexer.batches: a run cut into batches by path, bounded in documents and in bytes.

Real sources from ../shared/corpus: news (short articles) and the encyclopaedia pages
(20 KB on average), spooled from .jsonl.gz as the indexer does.
"""

from __future__ import annotations

import gzip
import json

from indexer.batches import BATCH_BYTES, BATCH_SIZE, plan, read_batch
from indexer.record import Record
from tests.conftest import ROOT

CORPUS = ROOT.parent / "shared" / "corpus"
NEWS = CORPUS / "news" / "news-2k.jsonl.gz"
WIKI = CORPUS / "official" / "politics-history-wiki.jsonl.gz"


def part_bytes(batch) -> int:
    return sum(p.end - p.start for p in batch.parts)


def test_every_document_once_in_order_within_both_bounds(tmp_path):
    result = plan([NEWS, WIKI], tmp_path / "spool")
    ids = [r.id for b in result.batches for r in read_batch(b) if isinstance(r, Record)]
    with gzip.open(NEWS, "rt", encoding="utf-8") as f:
        news = [str(json.loads(line)["id"]) for line in f if line.strip()]
    assert ids[:len(news)] == news
    assert len(ids) == len(set(ids)) == sum(b.documents for b in result.batches)
    assert all(b.documents <= BATCH_SIZE for b in result.batches)
    # one document may outweigh the bound alone, never a batch of several
    assert all(part_bytes(b) <= BATCH_BYTES for b in result.batches if b.documents > 1)
    news_batches = [b for b in result.batches if b.parts[0].source.endswith(NEWS.name)]
    wiki_batches = [b for b in result.batches if b.parts[0].source.endswith(WIKI.name)]
    # news articles fill batches by count, encyclopaedia pages by bytes
    assert max(b.documents for b in news_batches) == BATCH_SIZE
    assert max(b.documents for b in wiki_batches[:-1]) < BATCH_SIZE
    assert min(part_bytes(b) for b in wiki_batches[:-1]) > BATCH_BYTES // 2


def test_a_lower_byte_bound_makes_more_batches_of_the_same_documents(tmp_path):
    coarse = plan([NEWS], tmp_path / "a")
    fine = plan([NEWS], tmp_path / "b", max_bytes=64 << 10)
    assert len(fine.batches) > 3 * len(coarse.batches)
    assert sum(b.documents for b in fine.batches) == sum(b.documents for b in coarse.batches)
