"""Real resources for the tests: Vietnamese text from ../shared, real Whoosh indexes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from indexer import writer
from search_service import create_app

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
NEWS_2K = SHARED / "corpus" / "news" / "news-2k.jsonl.gz"
LEGAL_DOCUMENTS = SHARED / "corpus" / "official" / "legal-documents.jsonl.gz"
PORTAL_PAGE = SHARED / "corpus" / "portal" / "000_9621e5eb919ebfc1.txt"
CORPUS = (NEWS_2K, LEGAL_DOCUMENTS, PORTAL_PAGE)


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory) -> Path:
    """One index of news-2k, the official documents and the portal page (~2 minutes)."""
    root = tmp_path_factory.mktemp("corpus") / "index"
    summary = writer.build(CORPUS, root)
    assert summary.failures == [] and summary.added == 2425
    return root


@pytest.fixture(scope="session")
def app(corpus_index):
    app = create_app({"INDEX": str(corpus_index), "TESTING": True})
    yield app
    app.extensions["tracuu.index"].close()


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def search(app):
    """GET /api/search and return the JSON, asserting a 200."""
    test_client = app.test_client()

    def run(q: str, **params) -> dict:
        response = test_client.get("/api/search", query_string={"q": q, **params})
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    return run


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory) -> Path:
    """The project's own sample corpus, data/ (a few seconds)."""
    root = tmp_path_factory.mktemp("sample") / "index"
    summary = writer.build([ROOT / "data"], root)
    assert summary.failures == []
    return root


@pytest.fixture(scope="session")
def sample_client(sample_index):
    return create_app({"INDEX": str(sample_index), "TESTING": True}).test_client()


def run_snippet(code: str) -> None:
    """Run Python ``code`` in a fresh interpreter (to see what importing loads); it prints ok."""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert out.stdout.strip() == "ok", out.stderr


# Our own text, with markup where a page or the widget could let it through unescaped.
HOSTILE_RECORDS = [
    {"id": "tb-the-script", "title": "Thông báo <script>window.__pwned = 1</script> lịch tiếp dân",
     "text": "Lịch tiếp dân của xã <img src=x onerror=\"window.__pwned = 2\"> vào thứ Hai, "
             "ký hiệu & < > \" ' giữ nguyên; tiếp dân tại trụ sở.",
     "url": "javascript:window.__pwned = 3", "doc_number": "07/TB-UBND",
     "doc_type": "Thông báo", "issuer": "UBND xã <b>Thử Nghiệm</b>", "date": "01/03/2025"},
    {"id": "kh-tiep-dan", "title": "Kế hoạch tiếp dân quý hai",
     "text": "Kế hoạch tiếp dân định kỳ, thực hiện Thông báo 07/TB-UBND về lịch tiếp dân.",
     "doc_type": "Kế hoạch", "date": "02/04/2025"},
]


@pytest.fixture(scope="session")
def hostile_index(tmp_path_factory) -> Path:
    """A tiny index of documents carrying HTML and script in every field (seconds)."""
    src = tmp_path_factory.mktemp("hostile") / "hostile.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in HOSTILE_RECORDS),
                   encoding="utf-8")
    root = src.parent / "index"
    summary = writer.build([src], root)
    assert summary.failures == [] and summary.added == len(HOSTILE_RECORDS)
    return root
