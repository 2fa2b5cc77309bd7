"""How a generation lies on disk, and what opening it costs in memory."""

from __future__ import annotations

import tracemalloc

from indexer.generations import live_generation
from search_service.searcher import SearchIndex


def test_segments_are_separate_files_read_in_place(corpus_index):
    gen = live_generation(corpus_index)
    # Whoosh opens a file inside a compound segment (.seg) by copying it into memory
    assert not list(gen.glob("*.seg"))
    postings = max(gen.glob("*.pst"), key=lambda p: p.stat().st_size)
    assert postings.stat().st_size > 10 << 20
    index = SearchIndex(corpus_index)
    tracemalloc.start()
    try:
        searcher = index.searcher()
        assert searcher.doc_count() == 2425
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
        index.close()
    assert held < postings.stat().st_size / 10, (held, postings.stat().st_size)
