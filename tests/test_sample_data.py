"""The project's own corpus (data/): every format reads, and its Vietnamese cases are found."""

from __future__ import annotations

import pytest


def search(client, q: str, **params) -> dict:
    response = client.get("/api/search", query_string={"q": q, **params})
    assert response.status_code == 200
    return response.get_json()


def ids(result: dict) -> list[str]:
    return [h["id"] for h in result["hits"]]


def test_all_formats_are_indexed(sample_client):
    assert sample_client.get("/api/health").get_json()["documents"] == 34
    for doc_id in ("01-hoi-nghi-ban-chap-hanh", "vb-2025-qd-1287",
                   "thong-bao-ket-luan-42-tb-ubnd", "tiep-xuc-cu-tri-truoc-ky-hop-19"):
        assert sample_client.get(f"/api/documents/{doc_id}").status_code == 200


def test_tone_styles_find_each_other(sample_client):
    # "thuỷ lợi" is written in the old style in 07 and 27/KH-UBND, in the new one in 06.
    new, old = search(sample_client, "thủy lợi"), search(sample_client, "thuỷ lợi")
    assert [(h["id"], h["score"]) for h in new["hits"]] == \
        [(h["id"], h["score"]) for h in old["hits"]]
    assert ids(new)[:2] == ["07-kiem-tra-an-toan-ho-dap", "vb-2025-kh-27"]


def test_nfd_article_is_found_by_an_nfc_query(sample_client):
    assert ids(search(sample_client, "Lễ hội Khai hạ Mường Khê"))[0] == \
        "10-le-hoi-khai-ha-muong-khe"
    assert ids(search(sample_client, "le hoi khai ha"))[0] == "10-le-hoi-khai-ha-muong-khe"


def test_eth_written_words_are_found_as_dj(sample_client):
    doc = sample_client.get("/api/documents/02-ky-hop-thu-19-hdnd-huyen").get_json()
    assert "\u00d0" not in doc["text"] and "HĐND" in doc["text"]
    assert "02-ky-hop-thu-19-hdnd-huyen" in ids(search(sample_client, "HĐND huyện"))


@pytest.mark.parametrize(("typed", "doc_id"), [
    ("1287/QĐ-UBND", "vb-2025-qd-1287"), ("1287/qd-ubnd", "vb-2025-qd-1287"),
    ("05-NQ/HU", "vb-2024-nq-05-hu"), ("5-nq/hu", "vb-2024-nq-05-hu"),
])
def test_document_numbers(sample_client, typed, doc_id):
    assert ids(search(sample_client, typed))[0] == doc_id


def test_more_like_this_stays_on_the_subject(sample_client):
    similar = sample_client.get("/api/documents/vb-2025-qd-1287/similar").get_json()
    disaster = {"06-tong-ket-phong-chong-thien-tai-2024", "07-kiem-tra-an-toan-ho-dap",
                "vb-2025-kh-27", "bao-cao-118-bc-ubnd-phong-chong-thien-tai-6-thang-2025"}
    assert disaster <= set(ids(similar))
    rural = sample_client.get("/api/documents/13-tong-ket-ntm-2021-2025/similar").get_json()
    assert {"vb-2024-qd-3415", "03-phu-lam-dat-chuan-ntm-nang-cao"} <= set(ids(rural)[:3])
