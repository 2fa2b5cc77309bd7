"""CORS for /api/*: only origins on TRACUU_CORS_ORIGINS may read the API from a browser.
(The browser's side of it, a portal page on another origin, is in test_browser.py.)"""

from __future__ import annotations

import pytest

from search_service import create_app
from search_service.cors import parse_origins
from search_service.settings import from_environ

PORTAL = "https://cong.xa-song-may.example"
OTHER = "https://trang-khac.example"


@pytest.fixture(scope="module")
def allow_list(sample_index):
    return create_app({"INDEX": str(sample_index), "TESTING": True,
                       "CORS_ORIGINS": f" {PORTAL}/ , http://localhost:8080"}).test_client()


def test_the_setting_is_read_from_the_environment():
    assert from_environ({})["CORS_ORIGINS"] == ""
    assert from_environ({"TRACUU_CORS_ORIGINS": PORTAL})["CORS_ORIGINS"] == PORTAL
    assert parse_origins(f"{PORTAL}/, ,{OTHER}") == {PORTAL, OTHER}
    assert parse_origins("") == frozenset()


def test_an_allowed_origin_may_read(allow_list):
    response = allow_list.get("/api/search?q=huyện", headers={"Origin": PORTAL})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == PORTAL
    assert "Origin" in response.headers["Vary"]
    other = allow_list.get("/api/health", headers={"Origin": "http://localhost:8080"})
    assert other.headers["Access-Control-Allow-Origin"] == "http://localhost:8080"


def test_errors_are_readable_by_an_allowed_origin(allow_list):
    response = allow_list.get("/api/search?q=huyện&page=0", headers={"Origin": PORTAL})
    assert response.status_code == 400
    assert response.headers["Access-Control-Allow-Origin"] == PORTAL


@pytest.mark.parametrize("origin", [OTHER, PORTAL + ".evil.example", "http://localhost:8081",
                                    "null", PORTAL.replace("https", "http")])
def test_other_origins_are_refused(allow_list, origin):
    response = allow_list.get("/api/search?q=huyện", headers={"Origin": origin})
    assert response.status_code == 200  # the answer is given; the browser withholds it
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Origin" in response.headers["Vary"]


def test_preflight(allow_list):
    response = allow_list.options("/api/search?q=huyện", headers={
        "Origin": PORTAL, "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "content-type"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == PORTAL
    assert set(response.headers["Access-Control-Allow-Methods"].split(", ")) == {"GET", "OPTIONS"}
    assert "Content-Type" in response.headers["Access-Control-Allow-Headers"]
    assert int(response.headers["Access-Control-Max-Age"]) > 0
    refused = allow_list.options("/api/search", headers={
        "Origin": OTHER, "Access-Control-Request-Method": "GET"})
    assert "Access-Control-Allow-Origin" not in refused.headers
    assert "Access-Control-Allow-Methods" not in refused.headers


def test_pages_get_no_cors_headers(allow_list):
    response = allow_list.get("/tim-kiem?q=huyện", headers={"Origin": PORTAL})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers


def test_any_origin(sample_index):
    client = create_app({"INDEX": str(sample_index), "TESTING": True,
                         "CORS_ORIGINS": "*"}).test_client()
    response = client.get("/api/search?q=huyện", headers={"Origin": OTHER})
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_no_cors_by_default(sample_client):
    response = sample_client.get("/api/search?q=huyện", headers={"Origin": PORTAL})
    assert response.status_code == 200
    assert not [name for name, _ in response.headers if name.startswith("Access-Control-")]
    preflight = sample_client.options("/api/search", headers={
        "Origin": PORTAL, "Access-Control-Request-Method": "GET"})
    assert "Access-Control-Allow-Origin" not in preflight.headers
