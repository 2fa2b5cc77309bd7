"""The write API over the Flask app: token, JSON records, uploads in every reader format,
deletion, the index lock, and the searcher seeing every commit.

Each test writes into its own copy of the sample index (data/), with text written here.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import threading
from pathlib import Path

import docx
import pytest

from indexer import writer
from indexer.lock import IndexLock
from search_service import create_app
from search_service.query import parse_query
from search_service.searcher import SearchIndex
from tests.test_readers_office import write_pdf, write_scanned_pdf

TOKEN = "kiểm-thử-token-đủ-dài-0123456789"  # non-ASCII on purpose: compared as bytes
AUTH = {"Authorization": f"Bearer {TOKEN}".encode().decode("latin-1")}

RECORD = {
    "id": "tin-hoi-thi-keo-co-2025",
    "title": "Hội thi kéo co và đẩy gậy mừng Xuân Ất Tỵ ở xã Nậm Khao",
    "text": ["Sáng mùng Sáu Tết, mười hai đội của các bản tranh tài kéo co và đẩy gậy.",
             "Đội bản Nà Hừ giành giải nhất cả hai nội dung."],
    "category": "Văn hóa - Thể thao",
    "date": "04/02/2025",
}


@pytest.fixture()
def index(sample_index, tmp_path) -> Path:
    """A private copy of the sample index that a test may write into."""
    copy = tmp_path / "index"
    shutil.copytree(sample_index, copy, symlinks=True)
    return copy


def make_client(index: Path, **config):
    app = create_app({"INDEX": str(index), "TESTING": True, "ADMIN_TOKEN": TOKEN,
                      "WRITE_LOCK_WAIT": 0.0, **config})
    return app.test_client()


@pytest.fixture()
def client(index):
    return make_client(index)


def top_ids(client, q: str, n: int = 3) -> list[str]:
    response = client.get("/api/search", query_string={"q": q})
    assert response.status_code == 200, response.get_json()
    return [hit["id"] for hit in response.get_json()["hits"][:n]]


def snapshot(index: Path) -> dict[str, int]:
    """Every file of the live generation with its size: what a write would change."""
    gen = (index / "current").resolve()
    return {p.name: p.stat().st_size for p in gen.iterdir()}


def upload(client, name: str, data: bytes, headers=AUTH, **fields):
    form = {"file": (io.BytesIO(data), name), **fields}
    return client.post("/api/documents", data=form, headers=headers,
                       content_type="multipart/form-data")


# --- access ------------------------------------------------------------------------------

def test_no_token_configured_turns_the_write_api_off(index):
    client = make_client(index, ADMIN_TOKEN="")
    before = snapshot(index)
    for response in (client.post("/api/documents", json=RECORD, headers=AUTH),
                     client.delete("/api/documents/vb-2024-nq-15", headers=AUTH),
                     upload(client, "a.md", b"# Tieu de\n\nNoi dung")):
        assert response.status_code == 403
        assert "TRACUU_ADMIN_TOKEN" in response.get_json()["error"]
    assert snapshot(index) == before
    assert client.get("/api/documents/vb-2024-nq-15").status_code == 200


@pytest.mark.parametrize("header", [
    None, "", "Bearer", "Bearer ", f"Basic {TOKEN}", "Bearer wrong-token",
    AUTH["Authorization"][:-1], AUTH["Authorization"] + "x", "Bearer \x00\x01",
    "Bearer " + "é" * 40,
])
def test_missing_or_wrong_token_is_401(client, index, header):
    headers = {} if header is None else {"Authorization": header}
    before = snapshot(index)
    for response in (client.post("/api/documents", json=RECORD, headers=headers),
                     client.delete("/api/documents/vb-2024-nq-15", headers=headers)):
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert "Authorization: Bearer" in response.get_json()["error"]
    assert snapshot(index) == before


def test_the_scheme_is_case_insensitive_and_reads_need_no_token(client):
    response = client.post("/api/documents", json=RECORD,
                           headers={"Authorization": AUTH["Authorization"].replace("Bearer",
                                                                                   "bearer")})
    assert response.status_code == 201
    assert client.get(f"/api/documents/{RECORD['id']}").status_code == 200


# --- JSON records ------------------------------------------------------------------------

def test_a_json_record_is_searchable_once_acknowledged_and_replaced_in_place(client):
    response = client.post("/api/documents", json=RECORD, headers=AUTH)
    assert response.status_code == 201
    assert response.get_json() == {"ids": [RECORD["id"]], "added": 1, "updated": 0,
                                   "unchanged": 0}
    assert top_ids(client, "kéo co đẩy gậy")[0] == RECORD["id"]
    assert top_ids(client, "keo co day gay")[0] == RECORD["id"]
    stored = client.get(f"/api/documents/{RECORD['id']}").get_json()
    assert stored["date"] == "2025-02-04" and stored["category"] == RECORD["category"]
    assert stored["text"] == "\n\n".join(RECORD["text"])

    again = client.post("/api/documents", json=RECORD, headers=AUTH)
    assert again.status_code == 200 and again.get_json()["unchanged"] == 1

    changed = {**RECORD, "title": "Hội thi ném còn mừng Xuân ở xã Nậm Khao",
               "text": "Các đội tranh tài ném còn qua vòng tròn trên ngọn tre."}
    replaced = client.post("/api/documents", json=changed, headers=AUTH)
    assert replaced.status_code == 200 and replaced.get_json()["updated"] == 1
    assert top_ids(client, "ném còn")[0] == RECORD["id"]
    assert RECORD["id"] not in top_ids(client, "đẩy gậy", 10)
    assert client.get("/api/health").get_json()["documents"] == 35


@pytest.mark.parametrize("body, message", [
    (b"{", "not valid JSON"),
    (b"\xff\xfe{}", "not valid JSON"),
    (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
    (b"[]", "expected a JSON object, got list"),
    (b"null", "expected a JSON object, got null"),
    (b"{}", "no id"),
    (b'{"id": "  ", "title": "x"}', "no id"),
    (b'{"id": ["a"], "title": "x"}', "'id' must be a string or a number"),
    (b'{"id": "a"}', "neither title nor text"),
    (b'{"id": "a", "title": "x", "date": "31/02/2025"}', "invalid date"),
    (b'{"id": "a", "title": {"x": 1}}', "field 'title' must be"),
    (b'{"id": "a", "title": true}', "field 'title' must be"),
])
def test_bad_json_records_are_400_and_change_nothing(client, index, body, message):
    before = snapshot(index)
    response = client.post("/api/documents", data=body, headers=AUTH,
                           content_type="application/json")
    assert response.status_code == 400
    assert message in response.get_json()["error"]
    assert snapshot(index) == before


def test_a_body_neither_json_nor_multipart_is_415(client, index):
    before = snapshot(index)
    for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
        response = client.post("/api/documents", data=json.dumps(RECORD), headers=AUTH,
                               content_type=content_type)
        assert response.status_code == 415, content_type
        assert "multipart/form-data" in response.get_json()["error"]
    assert snapshot(index) == before


# --- uploads in every reader format ----------------------------------------------------

PORTAL_PAGE = "\n".join([
    "Văn hóa - Xã hội",
    "Ngày hội đánh đu và ném pao của đồng bào Mông xã Pà Cò",
    "Ngày hội đánh đu và ném pao thu hút hàng nghìn người dân và du khách về xã Pà Cò.",
    "Các cây đu được dựng từ tre già bên sườn đồi.",
    "Thực hiện: Lò Văn Pao",
]) + "\n"
MARKDOWN = ("---\ndoc_type: Kế hoạch\ndate: 2025-05-02\n---\n"
            "# Kế hoạch tổ chức giải bơi chải thuyền rồng trên hồ Khe Lau\n\n"
            "Giải bơi chải thuyền rồng có mười đội của các xã ven hồ tham gia.\n")
HTML = ("<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'>"
        "<title>Liên hoan cồng chiêng xã Đak Rông</title></head><body>"
        "<nav>Trang chủ | Tin tức</nav><article><h1>Liên hoan cồng chiêng xã Đak Rông</h1>"
        "<p>Mười hai đội cồng chiêng của các thôn biểu diễn bên ngọn lửa.</p></article>"
        "</body></html>")
JSONL = [
    {"id": "vb-thong-bao-giai-co-tuong", "title": "Thông báo giải cờ tướng người cao tuổi",
     "text": "Giải cờ tướng dành cho hội viên Hội Người cao tuổi các xã."},
    {"id": "vb-thong-bao-giai-cau-long", "title": "Thông báo giải cầu lông công nhân viên",
     "text": "Giải cầu lông dành cho công nhân viên chức huyện."},
]


def docx_bytes(tmp_path: Path) -> bytes:
    document = docx.Document()
    document.add_heading("Quyết định khen thưởng đội tuyển đua ghe ngo", level=1)
    document.add_paragraph("Khen thưởng đội tuyển đua ghe ngo của xã đạt giải Nhì toàn tỉnh.")
    path = tmp_path / "qd.docx"
    document.save(str(path))
    return path.read_bytes()


def pdf_bytes(tmp_path: Path) -> bytes:
    path = write_pdf(tmp_path / "bc.pdf", [[
        "Báo cáo kết quả hội thi nấu cơm lam",
        "Hội thi nấu cơm lam có ba mươi đội tham gia bên bờ suối.",
    ]])
    return path.read_bytes()


def jsonl(records: list[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()


UPLOADS = {
    # name: (bytes or a maker, query, ids)
    "ngay-hoi-danh-du.txt": (PORTAL_PAGE.encode(), "đánh đu ném pao", ["ngay-hoi-danh-du"]),
    "ke-hoach-boi-chai.md": (MARKDOWN.encode(), "bơi chải thuyền rồng",
                             ["ke-hoach-boi-chai"]),
    "cong-chieng.html": (HTML.encode(), "cồng chiêng", ["cong-chieng"]),
    "thong-bao.jsonl": (jsonl(JSONL), "cờ tướng", [r["id"] for r in JSONL]),
    "thong-bao.jsonl.gz": (gzip.compress(jsonl(JSONL)), "cầu lông", [r["id"] for r in JSONL]),
    "thong-bao.json": (json.dumps({"documents": JSONL}, ensure_ascii=False).encode(),
                       "cờ tướng", [r["id"] for r in JSONL]),
    "quyết-định-đua-ghe.docx": (docx_bytes, "đua ghe ngo", ["quyết-định-đua-ghe"]),
    "bao-cao-com-lam.pdf": (pdf_bytes, "cơm lam", ["bao-cao-com-lam"]),
}


@pytest.mark.parametrize("name", UPLOADS)
def test_a_file_in_each_reader_format_is_indexed(client, tmp_path, name):
    data, query, ids = UPLOADS[name]
    data = data(tmp_path) if callable(data) else data
    response = upload(client, name, data)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["ids"] == ids and response.get_json()["added"] == len(ids)
    assert top_ids(client, query, 1)[0] in ids
    for doc_id in ids:
        assert client.get(f"/api/documents/{doc_id}").status_code == 200
    # the same file again changes nothing
    assert upload(client, name, data).get_json()["unchanged"] == len(ids)


def test_an_upload_may_name_its_id_and_a_path_in_its_name_is_dropped(client):
    response = upload(client, "C:\\Users\\vanthu\\Desktop\\ke-hoach.md", MARKDOWN.encode(),
                      id="kh-boi-chai-2025")
    assert response.status_code == 201 and response.get_json()["ids"] == ["kh-boi-chai-2025"]
    assert top_ids(client, "bơi chải", 1) == ["kh-boi-chai-2025"]
    response = upload(client, "../../etc/ngay-hoi.txt", PORTAL_PAGE.encode())
    assert response.get_json()["ids"] == ["ngay-hoi"]


@pytest.mark.parametrize("name, data, message", [
    ("chuong-trinh.exe", b"MZ", "unsupported file type"),
    ("khong-duoi", b"abc", "unsupported file type"),
    ("", b"abc", "no usable name"),
    ("..", b"abc", "no usable name"),
    ("hỏng.txt", b"\xff\xfe\x00d\x00", "hỏng.txt"),
    ("trong.md", b"", "could not be read"),
    ("trong.jsonl", b"\n\n", "could not be read"),  # "empty file (no records)"
    ("mot-dong-hong.jsonl", jsonl(JSONL[:1]) + b'{"id": "x", "title": \n',
     "1 record(s) could not be read"),
    ("trung-id.jsonl", jsonl([JSONL[0], JSONL[0]]), "twice"),
    ("hong.docx", b"PK\x03\x04 not a zip", "could not be read"),
    ("hong.pdf", b"%PDF-1.4\n%%EOF", "could not be read"),
    ("x" * 250 + ".md", MARKDOWN.encode(), "longer than 200 bytes"),
])
def test_bad_uploads_are_400_and_change_nothing(client, index, name, data, message):
    before = snapshot(index)
    response = upload(client, name, data)
    assert response.status_code == 400, response.get_json()
    assert message in response.get_json()["error"]
    assert snapshot(index) == before
    assert client.get(f"/api/documents/{JSONL[0]['id']}").status_code == 404


def test_a_failed_file_lists_its_failures_without_the_server_path(client, tmp_path):
    response = upload(client, "quet.pdf", write_scanned_pdf(tmp_path / "s.pdf").read_bytes())
    assert response.status_code == 400
    failures = response.get_json()["failures"]
    assert failures == [{"source": "quet.pdf", "reason": failures[0]["reason"]}]
    assert "no text layer" in failures[0]["reason"]
    bad_line = upload(client, "hai.jsonl", jsonl(JSONL[:1]) + b"{oops}\n").get_json()
    assert [f["source"] for f in bad_line["failures"]] == ["hai.jsonl:2"]


def test_an_upload_without_a_file_or_with_an_id_for_many_documents_is_400(client):
    response = client.post("/api/documents", data={"id": "x"}, headers=AUTH,
                           content_type="multipart/form-data")
    assert response.status_code == 400 and "'file'" in response.get_json()["error"]
    response = upload(client, "thong-bao.jsonl", jsonl(JSONL), id="mot-id")
    assert response.status_code == 400 and "holds 2" in response.get_json()["error"]


# --- deletion ----------------------------------------------------------------------------

def test_delete_is_committed_before_the_answer(client, index):
    assert "vb-2024-nq-15" in top_ids(client, "15/NQ-HĐND", 1)
    response = client.delete("/api/documents/vb-2024-nq-15", headers=AUTH)
    assert response.status_code == 200
    assert response.get_json() == {"id": "vb-2024-nq-15", "deleted": True}
    assert "vb-2024-nq-15" not in top_ids(client, "15/NQ-HĐND", 10)
    assert client.get("/api/documents/vb-2024-nq-15").status_code == 404
    assert client.get("/api/health").get_json()["documents"] == 33
    before = snapshot(index)
    for doc_id in ("vb-2024-nq-15", "khong-co", "a/b"):
        response = client.delete(f"/api/documents/{doc_id}", headers=AUTH)
        assert response.status_code == 404 and doc_id in response.get_json()["error"]
    assert snapshot(index) == before  # a 404 takes no lock and commits nothing


# --- the lock ----------------------------------------------------------------------------

def test_a_held_lock_is_409_naming_the_holder(index):
    client = make_client(index, WRITE_LOCK_WAIT=0.3)
    before = snapshot(index)
    with IndexLock(index):
        for response in (client.post("/api/documents", json=RECORD, headers=AUTH),
                         client.delete("/api/documents/vb-2024-nq-15", headers=AUTH)):
            assert response.status_code == 409
            body = response.get_json()
            assert f"is locked by pid {os.getpid()}" in body["error"]
            assert body["holder"]["pid"] == os.getpid()
            assert int(response.headers["Retry-After"]) > 0
    assert snapshot(index) == before
    assert client.post("/api/documents", json=RECORD, headers=AUTH).status_code == 201


def test_a_write_waits_for_a_lock_released_within_the_wait(index):
    client = make_client(index, WRITE_LOCK_WAIT=30.0)
    lock = IndexLock(index).acquire()
    release = threading.Timer(0.3, lock.release)
    release.start()
    try:
        response = client.post("/api/documents", json=RECORD, headers=AUTH)
    finally:
        release.join()
    assert response.status_code == 201
    assert top_ids(client, "kéo co", 1) == [RECORD["id"]]


# --- the searcher sees every commit, deletions and merges included -----------------------

def test_the_searcher_sees_deletions_and_merged_segments(index):
    """whoosh-reloaded's Searcher.refresh() keeps the old reader's segments: a deleted
    document stayed searchable and merged segments were searched twice."""
    live = SearchIndex(index)
    assert live.doc_count() == 34
    writer.delete(["vb-2024-nq-15"], index)
    assert live.doc_count() == 33 and live.document("vb-2024-nq-15") is None
    client = make_client(index)
    for i in range(12):  # enough small segments for Whoosh to merge them
        record = {"id": f"tin-thu-{i}", "title": f"Tin thử số {i} về giải việt dã",
                  "text": "Giải việt dã truyền thống của huyện."}
        assert client.post("/api/documents", json=record, headers=AUTH).status_code == 201
        page = live.search(parse_query("việt dã"), 1, 100)
        ids = [hit["id"] for hit in page.hits]
        assert len(ids) == len(set(ids)) == page.total  # no document twice
        assert sum(doc_id.startswith("tin-thu-") for doc_id in ids) == i + 1
    assert live.doc_count() == writer.stats(index)["documents"] == 45
    assert writer.stats(index)["segments"] < 12  # they were merged
