"""Bad input gets a clear JSON error with a 4xx code, never a 500 (over a real index)."""

from __future__ import annotations

import pytest

from search_service import create_app


def error(response, status: int) -> str:
    assert response.status_code == status, response.data[:300]
    assert response.is_json
    body = response.get_json()
    assert set(body) == {"error"} and body["error"]
    return body["error"]


@pytest.mark.parametrize(
    ("query_string", "message"),
    [
        ("", "parameter 'q' is required"),
        ("q=", "parameter 'q' is required"),
        ("q=%20%20%09", "parameter 'q' is required"),
        ("q=huyện&page=0", "'page' must be between 1 and"),
        ("q=huyện&page=-3", "'page' must be between 1 and"),
        ("q=huyện&page=abc", "'page' must be a whole number"),
        ("q=huyện&page=1.5", "'page' must be a whole number"),
        ("q=huyện&per_page=0", "'per_page' must be between 1 and 100"),
        ("q=huyện&per_page=101", "'per_page' must be between 1 and 100"),
        ("q=huyện&per_page=x", "'per_page' must be a whole number"),
        ("q=huyện&page=200&per_page=100", "must not exceed 10000"),
        ("q=" + "a" * 1001, "longer than 1000 characters"),
        ("q=" + "%E1%BB%A7" * 1001, "longer than 1000 characters"),
    ],
)
def test_search_parameter_errors(sample_client, query_string, message):
    assert message in error(sample_client.get("/api/search?" + query_string), 400)


def test_query_of_exactly_the_limit_is_accepted(sample_client):
    assert sample_client.get("/api/search?q=" + "a" * 1000).status_code == 200


@pytest.mark.parametrize(
    "q",
    [
        '"unbalanced quote', 'nghị "quyết', '""', '"', "AND OR NOT", "title:huyện", "*", "?",
        "huyện*", "(((", ")", "[a TO b]", "{}", "\\", "huyện^5", "~2", "-", "+", "a:b:c",
        "\x00\x01\x1f", "🙂🙂 nghị quyết 🏛️", "\u200f\u202eđảo ngược", "ủ\u0301y", "\u0301",
        "x" * 999, "nghị " * 199, "%", "<script>alert(1)</script>", "' OR 1=1 --",
        "2820/", "/QĐ-UBND", "2820//qd", "15-/TU", "\ufeff", "\U0010ffff", "ǅ ǈ ﬁ",
    ],
)
def test_malformed_queries_never_fail(sample_client, q):
    response = sample_client.get("/api/search", query_string={"q": q})
    assert response.status_code in (200, 400), response.data[:300]
    body = response.get_json()
    assert ("hits" in body) if response.status_code == 200 else ("error" in body)


def test_invalid_utf8_in_the_url(sample_client):
    response = sample_client.get("/api/search?q=%ED%A0%80%FF")
    assert response.status_code in (200, 400)
    assert response.is_json


def test_html_in_a_query_is_escaped_in_snippets(sample_client):
    body = sample_client.get("/api/search", query_string={"q": "<b>huyện</b>"}).get_json()
    for hit in body["hits"]:
        assert "<b>" not in hit["snippet"]


def test_unknown_document_and_similar(sample_client):
    assert "no document with id 'khong-co'" in error(
        sample_client.get("/api/documents/khong-co"), 404)
    assert "no document" in error(sample_client.get("/api/documents/khong-co/similar"), 404)


@pytest.mark.parametrize("limit", ["0", "51", "x", "-1"])
def test_similar_limit(sample_client, limit):
    error(sample_client.get(f"/api/documents/vb-2025-qd-1287/similar?limit={limit}"), 400)


def test_unknown_route_and_method_are_json(sample_client):
    error(sample_client.get("/api/nothing-here"), 404)
    error(sample_client.post("/api/search?q=huyện"), 405)


def test_missing_index_is_a_clear_503(tmp_path):
    client = create_app({"INDEX": str(tmp_path / "none"), "TESTING": True}).test_client()
    response = client.get("/api/health")
    assert response.status_code == 503
    assert "no index at" in response.get_json()["error"]
    assert client.get("/api/search?q=huyện").status_code == 503
