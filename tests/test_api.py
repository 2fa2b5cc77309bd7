"""The HTTP contract of /api, over a real index of news-2k + official documents + portal page."""

from __future__ import annotations

import gzip
import itertools
import json
import re
import unicodedata

import pytest
from unidecode import unidecode

from indexer.fold import fold
from indexer.tone import other_tone_style
from tests.conftest import NEWS_2K

HIT_KEYS = {"id", "title", "url", "snippet", "score", "doc_number", "doc_type", "issuer",
            "date", "category"}
MARK = re.compile(r"<mark>(.*?)</mark>")


def ranking(result: dict) -> list[tuple[str, float]]:
    return [(h["id"], h["score"]) for h in result["hits"]]


def test_search_contract(search):
    result = search("nghị quyết", per_page=5)
    assert set(result) == {"query", "total", "page", "per_page", "took_ms", "partial", "hits"}
    assert result["query"] == "nghị quyết" and result["page"] == 1 and result["per_page"] == 5
    assert result["total"] > 100 and len(result["hits"]) == 5
    for hit in result["hits"]:
        assert set(hit) == HIT_KEYS
    scores = [h["score"] for h in result["hits"]]
    assert scores == sorted(scores, reverse=True)


def test_dates_are_iso(search):
    hits = search("2820/QĐ-UBND")["hits"]
    assert hits[0]["date"] == "2025-11-19"
    assert hits[0]["doc_type"] == "Quyết định"


@pytest.mark.parametrize(
    "variant",
    ["cấp uỷ", unicodedata.normalize("NFD", "cấp ủy"), "CẤP ỦY", "cấp\u00a0ủy"],
)
def test_spellings_of_one_query_rank_and_score_identically(search, variant):
    reference = search("cấp ủy", per_page=20)
    assert ranking(search(variant, per_page=20)) == ranking(reference)
    assert reference["total"] > 0


def test_eth_lookalike_query_is_the_same_query(search):
    assert ranking(search("tài sản của \u00d0ảng")) == ranking(search("tài sản của Đảng"))


def test_query_without_diacritics_finds_the_accented_words(search):
    hits = search("nghi quyet", per_page=10)["hits"]
    assert len(hits) == 10
    for hit in hits:
        marked = {fold(m.lower()) for m in MARK.findall(hit["snippet"])}
        assert "nghị quyết" in (hit["title"] + hit["snippet"]).lower() or \
            {"nghi", "quyet"} <= marked, hit


def test_exact_accents_outrank_folded_matches(search, client):
    # "đang" (being) is far more frequent in news than "Đảng" (the Party); both fold to "dang".
    for hit in search("Đảng", per_page=10)["hits"]:
        doc = client.get(f"/api/documents/{hit['id']}").get_json()
        assert "đảng" in (doc["title"] + doc["text"]).lower(), hit["title"]
    bare = search("dang", per_page=10)["hits"]
    texts = [client.get(f"/api/documents/{h['id']}").get_json()["text"].lower() for h in bare]
    assert any("đang" in t and "đảng" not in t for t in texts)


def _titles(n: int) -> list[dict]:
    with gzip.open(NEWS_2K, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in itertools.islice(f, 0, 2000, 2000 // n)]


@pytest.mark.parametrize("style", ["typed", "no_diacritics", "other_tone_style"])
def test_news_titles_find_their_article_first(search, style):
    transform = {"typed": str, "no_diacritics": unidecode,
                 "other_tone_style": other_tone_style}[style]
    records = _titles(40)
    found = [search(transform(r["title"]), per_page=1)["hits"][0]["id"] == r["id"]
             for r in records]
    assert sum(found) == len(records), [r["title"] for r, ok in zip(records, found,
                                                                     strict=True) if not ok]


@pytest.mark.parametrize("typed", ["2820/QĐ-UBND", "2820/qd-ubnd", "2820/qđ-ubnd",
                                   "quyết định 2820/QĐ-UBND"])
def test_document_number_puts_the_document_first(search, typed):
    hit = search(typed)["hits"][0]
    assert hit["id"] == "tvpl-001c610b2efdcf0c" and hit["doc_number"] == "2820/QĐ-UBND"
    assert "<mark>2820/QĐ-UBND</mark>" in hit["snippet"]


def test_quoted_phrase_matches_the_phrase(search):
    phrase = search('"chuyển đổi số"', per_page=100)
    loose = search("chuyển đổi số", per_page=100)
    assert 0 < phrase["total"] < loose["total"]
    for hit in phrase["hits"]:
        text = (hit["title"] + " " + re.sub(r"</?mark>", "", hit["snippet"])).lower()
        assert "chuyển đổi số" in text or hit["snippet"].count("<mark>") >= 3


def test_snippet_marks_the_matched_characters(search):
    for hit in search("văn phòng cấp ủy", per_page=10)["hits"]:
        marked = MARK.findall(hit["snippet"])
        assert marked, hit
        for word in marked:
            # "VP" is "văn phòng" abbreviated (indexer/data/abbreviations.tsv)
            assert fold(word.lower()) in {"van", "phong", "cap", "uy", "vp"}, word


def test_pagination(search):
    first = search("huyện", per_page=5, page=1)
    second = search("huyện", per_page=5, page=2)
    assert first["total"] == second["total"] > 10
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}
    assert ranking(search("huyện", per_page=10))[5:] == ranking(second)


def test_portal_page_is_searchable_without_its_navigation(search, client):
    hits = search("Văn phòng Huyện ủy Ninh Giang 90 năm")["hits"]
    assert hits[0]["id"] == "000_9621e5eb919ebfc1"
    assert hits[0]["category"] == "Chính trị"
    doc = client.get("/api/documents/000_9621e5eb919ebfc1").get_json()
    assert doc["author"].startswith("Đồng chí Bùi")
    assert "LIÊN KẾT WEBSITE" not in doc["text"] and "Truyền thanh" not in doc["text"]
    assert len(doc["related"]) == 5


def test_document_endpoint(client):
    response = client.get("/api/documents/tvpl-001c610b2efdcf0c")
    assert response.status_code == 200
    doc = response.get_json()
    assert HIT_KEYS - {"snippet", "score"} <= set(doc)
    assert {"text", "summary", "author"} <= set(doc)
    assert doc["doc_number"] == "2820/QĐ-UBND" and doc["date"] == "2025-11-19"
    assert "Căn cứ Luật Tổ chức chính" in doc["text"]


def test_similar_documents_share_the_subject(client):
    # A decision on administrative procedures of a province: its neighbours are too.
    response = client.get("/api/documents/tvpl-a4a312239ee6c741/similar?limit=5")
    assert response.status_code == 200
    hits = response.get_json()["hits"]
    assert len(hits) == 5
    assert "tvpl-a4a312239ee6c741" not in {h["id"] for h in hits}
    assert sum("thủ tục hành chính" in h["title"].lower() for h in hits) >= 3


def test_similar_news_share_key_words_more_than_random_documents(client):
    # Over many articles, similar titles share far more words than unrelated titles do.
    records = _titles(20)
    ids = {r["id"] for r in records}
    with gzip.open(NEWS_2K, "rt", encoding="utf-8") as f:
        unrelated = [json.loads(line)["title"] for line in itertools.islice(f, 1, 2000, 7)]
    unrelated = [t for t in unrelated if t not in ids][:100]
    stop = {"va", "cua", "la", "o", "trong", "cho", "voi", "khong", "co", "nguoi", "cac"}
    shared = random_shared = 0
    for i, record in enumerate(records):
        words = set(fold(record["title"].lower()).split()) - stop
        hits = client.get(f"/api/documents/{record['id']}/similar").get_json()["hits"]
        assert len(hits) == 5 and record["id"] not in {h["id"] for h in hits}
        for hit in hits:
            shared += len(words & set(fold(hit["title"].lower()).split()))
        for title in unrelated[i * 5: i * 5 + 5]:
            random_shared += len(words & set(fold(title.lower()).split()))
    assert shared > 3 * random_shared, (shared, random_shared)


def test_health(client):
    body = client.get("/api/health").get_json()
    assert body["status"] == "ok" and body["documents"] == 2425
