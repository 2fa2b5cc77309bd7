"""Result pages are cached per index version: a repeat is served from memory, a commit or a
new generation is never answered from the old entries."""

from __future__ import annotations

import json
import shutil

from indexer import writer
from search_service.query import parse_query
from search_service.searcher import SearchIndex
from tests.conftest import ROOT


def _record(doc_id: str, title: str, text: str) -> str:
    return json.dumps({"id": doc_id, "title": title, "text": text}, ensure_ascii=False) + "\n"


def test_repeats_hit_the_cache_and_commits_are_seen(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOT / "data", src)
    root = tmp_path / "index"
    writer.build([src], root)
    index = SearchIndex(root)
    query = parse_query("cây xanh đường phố")
    first = index.search(query, 1, 10)
    again = index.search(query, 1, 10)
    assert index._pages.hits == 1 and index._pages.misses == 1
    assert again.hits == first.hits and again.total == first.total
    again.hits.clear()  # a caller changing its copy does not change the cache
    assert index.search(query, 1, 10).hits == first.hits

    (src / "them.jsonl").write_text(_record(
        "cache-moi", "Trồng cây xanh đường phố năm nay",
        "Phường trồng thêm cây xanh trên các đường phố chính."), encoding="utf-8")
    writer.update([src], root)  # a commit into the live generation
    after_update = index.search(query, 1, 10)
    assert after_update.total == first.total + 1
    assert "cache-moi" in [h["id"] for h in after_update.hits]

    writer.build([ROOT / "data"], root)  # a new generation without it
    after_build = index.search(query, 1, 10)
    assert after_build.total == first.total
    assert "cache-moi" not in [h["id"] for h in after_build.hits]
    index.close()


def test_cache_off(tmp_path):
    root = tmp_path / "index"
    writer.build([ROOT / "data"], root)
    index = SearchIndex(root, cache_size=0)
    query = parse_query("ngân sách")
    assert index.search(query, 1, 5).hits == index.search(query, 1, 5).hits
    assert len(index._pages) == 0 and index._pages.hits == 0
    index.close()
