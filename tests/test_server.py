"""The production server (``python -m search_service``, gunicorn, 2 workers) over HTTP."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from indexer import writer
from tests.serving import get, running_server

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"

# Used only when data/ is missing: enough for the "nghị quyết" search.
FALLBACK_RECORDS = [
    {"id": "nq-21", "title": "Nghị quyết số 21/NQ-HĐND về kế hoạch đầu tư công năm 2025",
     "text": "Hội đồng nhân dân huyện quyết nghị thông qua kế hoạch đầu tư công năm 2025.",
     "doc_number": "21/NQ-HĐND", "doc_type": "Nghị quyết", "date": "12/12/2024"},
    {"id": "nq-22", "title": "Nghị quyết số 22/NQ-HĐND về biên chế công chức năm 2025",
     "text": "Giao Ủy ban nhân dân huyện tổ chức thực hiện Nghị quyết này.",
     "doc_number": "22/NQ-HĐND", "doc_type": "Nghị quyết", "date": "12/12/2024"},
    {"id": "tin-01", "title": "Kỳ họp thứ 12 HĐND huyện thông qua 9 nghị quyết",
     "text": "Các đại biểu đã thảo luận và biểu quyết thông qua 9 nghị quyết quan trọng.",
     "date": "13/12/2024"},
]

NEW_ID = "tin-hoi-thi-cam-trai-phu-lam"
NEW_RECORD = {
    "id": NEW_ID,
    "title": "Hội thi cắm trại thanh niên xã Phú Lâm",
    "text": "Hai mươi trại của các chi đoàn thôn đã dựng trại, thi nấu ăn dã ngoại và "
            "đốt lửa trại trong đêm giao lưu văn nghệ tại sân vận động xã Phú Lâm.",
    "category": "Thanh niên",
    "date": "26/03/2025",
}


@dataclass
class Server:
    base: str
    index: Path
    sources: list[Path]
    documents: int
    log_dir: Path


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return path


def plain(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"</?mark>", "", text)).lower()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    work = tmp_path_factory.mktemp("server")
    if DATA.is_dir():
        sources = [DATA]
    else:
        sources = [write_jsonl(work / "src" / "van-ban.jsonl", FALLBACK_RECORDS)]
    index = work / "index"
    summary = writer.build(sources, index)
    assert summary.documents > 0

    with running_server(index, work) as (base, _):
        yield Server(base, index, sources, summary.documents, work)


def test_health(server: Server) -> None:
    r = get(server.base, "/api/health")
    assert (r.status, r.content_type) == (200, "application/json")
    assert r.body["status"] == "ok"
    assert r.body["documents"] == server.documents
    assert r.body["generation"] == (server.index / "current").resolve().name


def test_search_nghi_quyet(server: Server) -> None:
    r = get(server.base, "/api/search", q="nghi quyet", per_page=5)
    assert (r.status, r.content_type) == (200, "application/json")
    assert r.body["query"] == "nghi quyet"
    assert (r.body["page"], r.body["per_page"]) == (1, 5)
    assert r.body["total"] >= 1
    hits = r.body["hits"]
    assert 1 <= len(hits) <= 5
    for hit in hits:
        assert "nghị quyết" in plain(hit["title"] + " " + hit["snippet"]), hit
    # the snippet marks what matched
    assert any("<mark>" in hit["snippet"] for hit in hits)


def test_document_and_similar(server: Server) -> None:
    top = get(server.base, "/api/search", q="nghị quyết").body["hits"][0]
    r = get(server.base, f"/api/documents/{urllib.parse.quote(top['id'])}")
    assert (r.status, r.content_type) == (200, "application/json")
    assert (r.body["id"], r.body["title"]) == (top["id"], top["title"])
    r = get(server.base, f"/api/documents/{urllib.parse.quote(top['id'])}/similar", limit=3)
    assert (r.status, r.content_type) == (200, "application/json")
    assert r.body["id"] == top["id"]
    assert len(r.body["hits"]) <= 3
    assert top["id"] not in [h["id"] for h in r.body["hits"]]


@pytest.mark.parametrize(("path", "params", "status"), [
    ("/api/search", {"q": ""}, 400),
    ("/api/search", {"q": "   "}, 400),
    ("/api/search", {"q": "nghị quyết", "page": "abc"}, 400),
    ("/api/search", {"q": "nghị quyết", "per_page": "0"}, 400),
    ("/api/documents/khong-co-van-ban-nay", {}, 404),
    ("/api/documents/khong-co-van-ban-nay/similar", {}, 404),
    ("/api/khong-co", {}, 404),
])
def test_errors_are_json(server: Server, path: str, params: dict, status: int) -> None:
    r = get(server.base, path, **params)
    assert (r.status, r.content_type) == (status, "application/json")
    assert isinstance(r.body["error"], str) and r.body["error"]


def test_rebuild_is_served_without_restart(server: Server) -> None:
    """Runs last: it replaces the live generation under the running server."""
    query = {"q": NEW_RECORD["title"], "per_page": 5}

    def found() -> bool:
        r = get(server.base, "/api/search", **query)
        assert r.status == 200, r.body
        return bool(r.body["hits"]) and r.body["hits"][0]["id"] == NEW_ID

    assert not found()
    old = (server.index / "current").resolve().name
    extra = write_jsonl(server.log_dir / "moi" / "hoi-thi.jsonl", [NEW_RECORD])
    proc = subprocess.run(
        [sys.executable, "-m", "indexer", "build", *map(str, server.sources), str(extra),
         "--index", str(server.index), "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    added = json.loads(proc.stdout)["added"]
    new = (server.index / "current").resolve().name
    assert new != old

    started = time.monotonic()
    while not found():
        assert time.monotonic() - started < 5, "the new document is not served after 5 s"
        time.sleep(0.1)

    # Every worker must serve the new generation: 10 answers in a row (each request is a
    # new connection, so the two workers share them).
    streak, deadline = 0, time.monotonic() + 10
    while streak < 10:
        assert time.monotonic() < deadline, f"only {streak} consecutive hits within 10 s"
        streak = streak + 1 if found() else 0
    health = get(server.base, "/api/health").body
    assert (health["generation"], health["documents"]) == (new, added)
    doc = get(server.base, f"/api/documents/{NEW_ID}")
    assert (doc.status, doc.body["title"]) == (200, NEW_RECORD["title"])
