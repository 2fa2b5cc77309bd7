"""Filters, facets and sort of /api/search, over the real official documents."""

from __future__ import annotations

import pytest


def get(client, **params):
    response = client.get("/api/search", query_string=params)
    return response.status_code, response.get_json()


def test_facets_count_all_matches_and_filters_agree(client):
    status, body = get(client, q="quyết định", facets="type,year,issuer,category", per_page=5)
    assert status == 200 and set(body["facets"]) == {"type", "year", "issuer", "category"}
    types = body["facets"]["type"]
    assert list(types.values()) == sorted(types.values(), reverse=True)
    assert types["Quyết định"] > 100
    for name, count in list(types.items())[:4]:
        _, narrowed = get(client, q="quyết định", type=name, per_page=1)
        assert narrowed["total"] == count, name
    years = body["facets"]["year"]
    _, in_2025 = get(client, q="quyết định", year="2025", per_page=100)
    assert in_2025["total"] == years["2025"]
    assert all(h["date"].startswith("2025") for h in in_2025["hits"])


@pytest.mark.parametrize("spelling", ["Quyết định", "quyết định", "QUYET DINH", "quyet  dinh"])
def test_filter_values_match_as_displayed_and_without_diacritics(client, spelling):
    _, reference = get(client, type="Quyết định", per_page=20)
    _, body = get(client, type=spelling, per_page=20)
    assert [h["id"] for h in body["hits"]] == [h["id"] for h in reference["hits"]]
    assert reference["total"] > 100 and all(h["doc_type"] == "Quyết định"
                                            for h in body["hits"])


def test_issuer_and_category_filters(client):
    _, body = get(client, issuer="Tỉnh Lai Châu", per_page=50)
    assert body["total"] >= 1 and {h["issuer"] for h in body["hits"]} == {"Tỉnh Lai Châu"}
    _, body = get(client, category="chinh tri", per_page=5)
    assert [h["id"] for h in body["hits"]] == ["000_9621e5eb919ebfc1"]


def test_date_range_is_inclusive(client):
    _, body = get(client, q="2820/QĐ-UBND", **{"from": "2025-11-19", "to": "2025-11-19"})
    assert body["hits"][0]["id"] == "tvpl-001c610b2efdcf0c"
    _, body = get(client, **{"from": "2025-11-01", "to": "2025-11-20"}, per_page=100)
    assert body["total"] > 10
    assert all("2025-11-01" <= h["date"] <= "2025-11-20" for h in body["hits"])
    _, before = get(client, q="2820/QĐ-UBND", to="2025-11-18")
    assert "tvpl-001c610b2efdcf0c" not in {h["id"] for h in before["hits"]}


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_sort_by_date_puts_undated_documents_last(client, sort):
    _, body = get(client, q="thủy lợi", sort=sort, per_page=100)
    dates = [h["date"] for h in body["hits"]]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=sort == "newest")
    assert dates[: len(dated)] == dated  # the undated ones, if any, come after
    assert all(h["score"] is None for h in body["hits"])


def test_date_sorted_search_requires_every_word(client):
    _, by_date = get(client, q="thủy lợi", sort="newest", per_page=1)
    _, relevance = get(client, q="thủy lợi", per_page=1)
    assert 0 < by_date["total"] < relevance["total"]


def test_empty_query_with_a_filter_lists_newest_first(client):
    status, body = get(client, type="Nghị quyết", per_page=30)
    assert status == 200 and body["total"] > 10
    dates = [h["date"] for h in body["hits"] if h["date"]]
    assert dates == sorted(dates, reverse=True)
    status, body = get(client, q="", facets="type")
    assert status == 400 and "give a filter" in body["error"]


@pytest.mark.parametrize(("params", "message"), [
    ({"q": "a", "year": "25"}, "parameter 'year' must be a year"),
    ({"q": "a", "from": "19/11/2025"}, "parameter 'from' must be a date as yyyy-mm-dd"),
    ({"q": "a", "to": "2025-02-30"}, "parameter 'to' must be a date"),
    ({"q": "a", "from": "2025-12-01", "to": "2025-01-01"}, "'from' must not be after 'to'"),
    ({"q": "a", "facets": "type,author"}, "unknown facet 'author'"),
    ({"q": "a", "sort": "random"}, "parameter 'sort' must be one of relevance, newest, oldest"),
])
def test_filter_errors(client, params, message):
    status, body = get(client, **params)
    assert status == 400 and message in body["error"]
