"""Official documents end to end: metadata from the text, citations both ways, numbers
typed loosely — over the sample corpus (data/) built by the real indexer."""

from __future__ import annotations

import pytest

from indexer import writer
from indexer.record import Record
from search_service import create_app


def search(client, q: str, **params) -> list[str]:
    response = client.get("/api/search", query_string={"q": q, **params})
    assert response.status_code == 200
    return [h["id"] for h in response.get_json()["hits"]]


def test_metadata_is_extracted_from_a_file_that_carries_none(sample_client):
    doc = sample_client.get("/api/documents/thong-bao-ket-luan-42-tb-ubnd").get_json()
    assert {k: doc[k] for k in ("doc_number", "doc_type", "issuer", "date", "signer")} == {
        "doc_number": "42/TB-UBND", "doc_type": "Thông báo", "issuer": "UBND huyện Tân Lạc Sơn",
        "date": "2025-04-16", "signer": "Đặng Thu Hương"}


def test_news_articles_are_not_filed_as_the_documents_they_mention(sample_client):
    doc = sample_client.get("/api/documents/01-hoi-nghi-ban-chap-hanh").get_json()
    assert (doc["doc_type"], doc["doc_number"]) == ("", "")
    assert doc["cites"] == ["5-NQ/HU"]


def test_citations_both_ways(sample_client):
    body = sample_client.get("/api/documents/vb-2025-qd-1287/citations").get_json()
    assert body["number"] == "1287/QĐ-UBND"
    assert [c["id"] for c in body["cites"]] == ["vb-2024-nq-15"]
    assert "30/2020/NĐ-CP" in body["not_indexed"]
    assert {c["id"] for c in body["cited_by"]} == {
        "bao-cao-118-bc-ubnd-phong-chong-thien-tai-6-thang-2025", "vb-2025-kh-27"}
    for item in body["cites"] + body["cited_by"]:
        assert set(item) == {"id", "title", "number"} and item["title"]


def test_citations_of_an_unknown_document(sample_client):
    response = sample_client.get("/api/documents/khong-co/citations")
    assert response.status_code == 404 and "error" in response.get_json()


@pytest.mark.parametrize("typed", ["1287/QĐ-UBND", "1287/qd-ubnd", "qđ-ubnd 1287",
                                   "quyết định 1287", "quyet dinh 1287", "QĐ 1287"])
def test_own_numbers_typed_loosely(sample_client, typed):
    assert search(sample_client, typed)[0] == "vb-2025-qd-1287"


@pytest.mark.parametrize("typed", ["05-NQ/HU", "5-nq/hu", "nghị quyết 05-NQ/HU"])
def test_party_numbers(sample_client, typed):
    assert search(sample_client, typed)[0] == "vb-2024-nq-05-hu"


@pytest.mark.parametrize("typed", ["30/2020/NĐ-CP", "30/2020/nd-cp", "nđ-cp 30/2020",
                                   "nghị định 30/2020", "nghi dinh 30/2020", "30/2020", "NĐ 30"])
def test_a_number_cited_but_not_indexed_finds_the_documents_citing_it(sample_client, typed):
    hits = search(sample_client, typed, per_page=50)
    assert "vb-2025-qd-1287" in hits[:3]


def test_a_fully_typed_number_does_not_match_other_years(client):
    # 15/2018/NĐ-CP is cited in the official corpus; 15/2020/NĐ-CP is not
    assert search(client, "15/2020/NĐ-CP") == []
    assert len(search(client, "15/2018/NĐ-CP")) >= 1


@pytest.mark.parametrize("typed", ["2820/QĐ-UBND", "quyết định 2820", "2820/qd-ubnd"])
def test_loose_numbers_on_the_official_corpus(client, typed):
    assert search(client, typed)[0] == "tvpl-001c610b2efdcf0c"


ABBREVIATION_RECORDS = [
    Record(id="full", title="Họp bàn kế hoạch mùa mưa lũ",
           text="Ủy ban nhân dân huyện Mường Tè họp với Hội đồng nhân dân huyện về đê điều."),
    Record(id="short", title="Kiểm tra đê điều trước mùa lũ",
           text="UBND huyện Mường Tè cùng HĐND huyện kiểm tra các tuyến đê."),
    Record(id="other", title="Khai giảng năm học mới ở các điểm trường",
           text="Học sinh các bản vui mừng đón năm học mới tại huyện Mường Tè."),
]


@pytest.fixture(scope="module")
def abbreviation_client(tmp_path_factory):
    index = tmp_path_factory.mktemp("abbr") / "index"
    writer.build([], index, records=ABBREVIATION_RECORDS)
    return create_app({"INDEX": str(index), "TESTING": True}).test_client()


@pytest.mark.parametrize("params", [{}, {"sort": "newest"}])
@pytest.mark.parametrize("q", ["UBND huyện", "ủy ban nhân dân huyện", "uy ban nhan dan huyen",
                               "ubnd huyen", "HĐND huyện", "hdnd huyen", "hội đồng nhân dân"])
def test_abbreviations_find_full_forms_and_back(abbreviation_client, q, params):
    assert set(search(abbreviation_client, q, **params)[:2]) == {"full", "short"}


def test_ambiguous_abbreviations_rank_the_literal_first(sample_client):
    # "TT" alone may be thị trấn, thông tư or trung tâm: the literal form comes first
    body = sample_client.get("/api/search", query_string={"q": "TT"}).get_json()
    top = sample_client.get(f"/api/documents/{body['hits'][0]['id']}").get_json()
    assert " tt " in f" {top['title']} {top['text']} ".lower().replace(".", " ")
