"""The write API on the production server (gunicorn, 2 workers) over HTTP: a write is
searchable by every worker once acknowledged and survives a restart; a running build's
lock is a 409 naming it; an oversized body is a JSON 413."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.conftest import NEWS_2K, ROOT
from tests.serving import Reply, get, running_server

pytestmark = pytest.mark.server

TOKEN = "server-test-token"
RECORD = {
    "id": "tin-giai-viet-da-2025",
    "title": "Giải việt dã truyền thống huyện lần thứ 15",
    "text": "Hơn ba trăm vận động viên của 14 xã chạy việt dã quanh hồ Khe Lau.",
    "date": "2025-03-09",
}
MARKDOWN = ("# Thông báo lịch đấu giải bóng chuyền hơi người cao tuổi\n\n"
            "Giải bóng chuyền hơi người cao tuổi khai mạc tại nhà văn hóa huyện.\n")
DELETED = "vb-2024-nq-15"
SEARCHES = 12  # sequential searches, spread over the two workers


def send(base: str, method: str, path: str, body: bytes = b"", content_type: str = "",
         token: str = TOKEN) -> Reply:
    request = urllib.request.Request(base + path, data=body or None, method=method)
    if content_type:
        request.add_header("Content-Type", content_type)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            return Reply(r.status, r.headers.get_content_type(), json.loads(r.read()))
    except urllib.error.HTTPError as exc:
        with exc:
            reply = Reply(exc.code, exc.headers.get_content_type(), json.loads(exc.read()))
            reply.body["_retry_after"] = exc.headers.get("Retry-After")
            return reply


def multipart(name: str, data: bytes) -> tuple[bytes, str]:
    """A form with one file, its name in UTF-8 as browsers and curl send it."""
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def search_ids(base: str, q: str) -> list[str]:
    reply = get(base, "/api/search", q=q, per_page=20)
    assert reply.status == 200, reply.body
    return [hit["id"] for hit in reply.body["hits"]]


@pytest.fixture()
def index(sample_index, tmp_path, monkeypatch) -> Path:
    copy = tmp_path / "index"
    shutil.copytree(sample_index, copy, symlinks=True)
    # the server process reads its settings from the environment
    monkeypatch.setenv("TRACUU_ADMIN_TOKEN", TOKEN)
    monkeypatch.setenv("TRACUU_WRITE_LOCK_WAIT", "0.5")
    monkeypatch.setenv("TRACUU_MAX_CONTENT_LENGTH", "20000")
    return copy


def test_acknowledged_writes_are_searchable_at_once_and_survive_a_restart(index, tmp_path):
    with running_server(index, tmp_path) as (base, _):
        for _ in range(SEARCHES):  # every worker opens its searcher before the writes
            assert DELETED in search_ids(base, "15/NQ-HĐND")
        assert send(base, "POST", "/api/documents", json.dumps(RECORD).encode(),
                    "application/json", token="").status == 401
        added = send(base, "POST", "/api/documents", json.dumps(RECORD).encode(),
                     "application/json")
        assert added.status == 201 and added.body["ids"] == [RECORD["id"]]
        for _ in range(SEARCHES):
            assert search_ids(base, "việt dã")[0] == RECORD["id"]
        body, content_type = multipart("bóng-chuyền-hơi.md", MARKDOWN.encode())
        uploaded = send(base, "POST", "/api/documents", body, content_type)
        assert uploaded.status == 201 and uploaded.body["ids"] == ["bóng-chuyền-hơi"]
        deleted = send(base, "DELETE", f"/api/documents/{DELETED}")
        assert deleted.status == 200
        for _ in range(SEARCHES):
            assert search_ids(base, "bóng chuyền hơi")[0] == "bóng-chuyền-hơi"
            assert DELETED not in search_ids(base, "15/NQ-HĐND")
        assert get(base, "/api/health").body["documents"] == 35
        too_big = send(base, "POST", "/api/documents",
                       json.dumps({**RECORD, "text": "chạy " * 5000}).encode(),
                       "application/json")
        assert too_big.status == 413 and "20000 bytes" in too_big.body["error"]
    with running_server(index, tmp_path) as (base, _):
        assert search_ids(base, "việt dã")[0] == RECORD["id"]
        assert get(base, f"/api/documents/{urllib.parse.quote('bóng-chuyền-hơi')}").status \
            == 200
        assert get(base, f"/api/documents/{DELETED}").status == 404
        assert get(base, "/api/health").body["documents"] == 35


def test_a_running_build_makes_writes_409_naming_it(index, tmp_path):
    with running_server(index, tmp_path) as (base, _):
        build = subprocess.Popen([sys.executable, "-m", "indexer", "build", str(NEWS_2K),
                                  "--index", str(index), "--quiet", "--workers", "1"],
                                 cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while not list((index / "generations").glob(".building-*")):
                assert time.monotonic() < deadline and build.poll() is None
                time.sleep(0.05)
            for method, path, body in (
                    ("POST", "/api/documents", json.dumps(RECORD).encode()),
                    ("DELETE", f"/api/documents/{DELETED}", b"")):
                reply = send(base, method, path, body, "application/json" if body else "")
                assert reply.status == 409, reply.body
                assert f"is locked by pid {build.pid}" in reply.body["error"]
                assert reply.body["holder"]["pid"] == build.pid
                assert reply.body["_retry_after"]
            assert search_ids(base, "15/NQ-HĐND")  # reads go on meanwhile
        finally:
            build.send_signal(signal.SIGKILL)
            build.wait(timeout=30)
        # the killed build's lock died with it: the next write takes it
        added = send(base, "POST", "/api/documents", json.dumps(RECORD).encode(),
                     "application/json")
        assert added.status == 201
        assert search_ids(base, "việt dã")[0] == RECORD["id"]


def _server_processes(base: str) -> list:
    import psutil

    port = base.rsplit(":", 1)[1]
    masters = [p for p in psutil.process_iter(["cmdline"])
               if p.info["cmdline"] and "search_service" in p.info["cmdline"]
               and port in p.info["cmdline"]]
    return [q for m in masters for q in (m, *m.children(recursive=True))]


@pytest.mark.parametrize("seed", [1, 2])
def test_acknowledged_writes_survive_kill_9_of_the_server(index, tmp_path, seed):
    import random
    import threading

    acknowledged: list[str] = []
    stop = threading.Event()

    def write(base: str) -> None:
        n = 0
        while not stop.is_set():
            n += 1
            record = {**RECORD, "id": f"viet-da-{seed}-{n}", "title": f"{RECORD['title']} {n}"}
            try:
                reply = send(base, "POST", "/api/documents", json.dumps(record).encode(),
                             "application/json")
            except OSError:  # the server died with this write in flight: not acknowledged
                return
            if reply.status == 201:
                acknowledged.append(record["id"])

    with running_server(index, tmp_path) as (base, _):
        writer = threading.Thread(target=write, args=(base,))
        writer.start()
        deadline = time.monotonic() + 120
        while len(acknowledged) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(random.Random(seed).uniform(0.0, 1.5))  # somewhere in a later write
        for proc in _server_processes(base):
            proc.kill()
        stop.set()
        writer.join(timeout=60)
    assert len(acknowledged) >= 3
    with running_server(index, tmp_path) as (base, _):
        assert get(base, "/api/health").status == 200  # whole: the manifest check passes
        for doc_id in acknowledged:
            assert get(base, f"/api/documents/{doc_id}").status == 200, doc_id
        assert acknowledged[0] in search_ids(base, "việt dã")  # and searchable
