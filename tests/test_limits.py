"""Every limit answers with a clear 4xx JSON error: depth, query length, body and upload
size, the per-IP rate limit; and the time limit of a search answers a partial page."""

from __future__ import annotations

import gzip
import io
import json

import pytest

from search_service import create_app
from search_service.query import Filters, parse_query
from search_service.searcher import SearchIndex
from tests.conftest import NEWS_2K

TOKEN = "limits-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def client_for(index, **config):
    return create_app({"INDEX": str(index), "TESTING": True, **config}).test_client()


def error_of(response, status: int) -> str:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"} and body["error"]
    return body["error"]


# --- query length and depth -------------------------------------------------------------

def test_depth_and_query_length_are_settings(sample_index):
    client = client_for(sample_index, MAX_DEPTH=50, MAX_QUERY_LENGTH=20)
    assert client.get("/api/search?q=huyện&page=5&per_page=10").status_code == 200
    assert "must not exceed 50" in error_of(
        client.get("/api/search?q=huyện&page=6&per_page=10"), 400)
    assert "between 1 and 50" in error_of(client.get("/api/search?q=huyện&page=51"), 400)
    assert "longer than 20 characters" in error_of(
        client.get("/api/search", query_string={"q": "nghị quyết " * 2}), 400)


# --- request body and upload size -------------------------------------------------------

def test_a_body_over_the_limit_is_413(sample_index):
    client = client_for(sample_index, MAX_CONTENT_LENGTH=2000, ADMIN_TOKEN=TOKEN)
    record = {"id": "dai", "title": "Văn bản dài", "text": "Nội dung. " * 400}
    message = error_of(client.post("/api/documents", json=record, headers=AUTH), 413)
    assert "larger than 2000 bytes" in message and "TRACUU_MAX_CONTENT_LENGTH" in message
    upload = {"file": (io.BytesIO(b"# Tieu de\n\n" + b"noi dung " * 400), "dai.md")}
    assert "larger than 2000" in error_of(
        client.post("/api/documents", data=upload, headers=AUTH), 413)
    assert client.get("/api/documents/dai").status_code == 404
    # the token is checked before the body is read
    error_of(client.post("/api/documents", json=record), 401)


def test_an_upload_over_its_limit_is_413(sample_index, tmp_path):
    client = client_for(sample_index, MAX_UPLOAD_BYTES=1000, ADMIN_TOKEN=TOKEN)
    text = "# Thông báo lịch tiếp công dân tháng Tám\n\n" + "Lịch tiếp công dân. " * 60
    data = text.encode()
    assert len(data) > 1000
    message = error_of(client.post("/api/documents", headers=AUTH, data={
        "file": (io.BytesIO(data), "lich-tiep-dan.md")}), 413)
    assert "larger than 1000 bytes" in message and "TRACUU_MAX_UPLOAD_BYTES" in message
    assert client.get("/api/documents/lich-tiep-dan").status_code == 404


# --- rate limit -------------------------------------------------------------------------

def test_the_rate_limit_is_per_address_and_spares_the_health_check(sample_index):
    client = client_for(sample_index, RATE_LIMIT="3/minute")
    first = {"REMOTE_ADDR": "192.0.2.1"}
    for _ in range(3):
        response = client.get("/api/search?q=huyện", environ_base=first)
        assert response.status_code == 200
        assert response.headers["X-RateLimit-Limit"] == "3"
    refused = client.get("/api/documents/vb-2024-nq-15", environ_base=first)
    message = error_of(refused, 429)
    assert "3 per 1 minute" in message
    assert int(refused.headers["Retry-After"]) > 0
    other = {"REMOTE_ADDR": "192.0.2.2"}
    assert client.get("/api/search?q=huyện", environ_base=other).status_code == 200
    for _ in range(5):
        assert client.get("/api/health", environ_base=first).status_code == 200


def test_without_a_rate_limit_nothing_is_counted(sample_index):
    client = client_for(sample_index)
    for _ in range(30):
        response = client.get("/api/search?q=huyện")
        assert response.status_code == 200 and "X-RateLimit-Limit" not in response.headers


def test_a_rate_limit_that_cannot_be_read_stops_the_start(sample_index):
    with pytest.raises(ValueError, match="TRACUU_RATE_LIMIT: cannot read 'sixty a minute'"):
        client_for(sample_index, RATE_LIMIT="sixty a minute")


# --- the time limit of a search ---------------------------------------------------------

@pytest.fixture(scope="module")
def broad_query() -> str:
    """The start of the first news article: some 200 words, OR-ed over every field."""
    with gzip.open(NEWS_2K, "rt", encoding="utf-8") as f:
        text = json.loads(f.readline())["text"].replace('"', " ")
    return text[:1000].rsplit(" ", 1)[0]


def test_a_search_over_its_time_limit_answers_a_partial_page(corpus_index, broad_query):
    limited = client_for(corpus_index, QUERY_TIME_LIMIT=0.001)
    response = limited.get("/api/search", query_string={"q": broad_query})
    assert response.status_code == 200
    body = response.get_json()
    assert body["partial"] is True
    unlimited = client_for(corpus_index, QUERY_TIME_LIMIT=0.0).get(
        "/api/search", query_string={"q": broad_query, "per_page": 100}).get_json()
    assert unlimited["partial"] is False
    assert body["total"] <= unlimited["total"] and len(body["hits"]) <= body["total"]
    # the partial hits are real hits of the query
    assert {h["id"] for h in body["hits"]} <= {h["id"] for h in unlimited["hits"]} or \
        unlimited["total"] > 100


@pytest.mark.parametrize("q, filters, sort, facets", [
    ("ủy ban nhân dân", Filters(), "relevance", ("year",)),
    ("ủy ban nhân dân", Filters(year="2024"), "relevance", ()),
    ("nghi quyet", Filters(type="nghị quyết"), "newest", ("issuer", "type")),
    ("", None, "newest", ("year",)),  # the largest category, as the facets tell
    ("chuyển đổi số", Filters(date_from="1990-01-01", date_to="2030-12-31"), "oldest", ()),
])
def test_a_search_within_its_time_limit_is_the_unlimited_search(corpus_index, q, filters,
                                                                 sort, facets):
    """The limit sits inside Whoosh's filter and facet collectors: nothing changes."""
    index = SearchIndex(corpus_index)
    if filters is None:
        categories = index.search(parse_query("huyện"), 1, 1, facets=("category",)).facets
        filters = Filters(category=next(iter(categories["category"])))
    parsed = parse_query(q) if q else None
    free = index.search(parsed, 1, 20, filters, sort, facets, time_limit=0)
    timed = index.search(parsed, 1, 20, filters, sort, facets, time_limit=60)
    assert timed.partial is False and free.partial is False
    assert free.total > 0 and free.hits
    assert (timed.total, timed.hits, timed.facets) == (free.total, free.hits, free.facets)
    index.close()


def test_a_partial_page_is_not_cached(corpus_index, broad_query):
    index = SearchIndex(corpus_index)
    parsed = parse_query(broad_query)
    cut = index.search(parsed, 1, 10, time_limit=0.001)
    assert cut.partial
    full = index.search(parsed, 1, 10, time_limit=0)  # same key: computed, not the cut page
    assert not full.partial and full.total >= cut.total
    # once the full page is cached, a limited search is answered with it
    again = index.search(parsed, 1, 10, time_limit=0.001)
    assert not again.partial and (again.total, again.hits) == (full.total, full.hits)
    index.close()
