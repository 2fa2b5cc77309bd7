"""Batch reindexing: incremental updates, prune, locking, rollback, parallel and Dask builds.

Everything runs for real: indexes on disk, CLI subprocesses, a Dask scheduler and
workers on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer import fingerprints, generations, writer
from indexer.integrity import check_generation
from search_service import create_app
from search_service.query import parse_query
from search_service.searcher import SearchIndex
from tests.conftest import LEGAL_DOCUMENTS, NEWS_2K, ROOT
from tests.serving import free_port

DATA = ROOT / "data"
QUERIES = ["nghị quyết", "thuỷ lợi", "nong thon moi", "2820/QĐ-UBND", "Văn phòng cấp ủy",
           "phòng chống thiên tai", "chuyển đổi số", "ubnd huyen", '"an toàn giao thông"']


def cli(*args, check: bool = True, timeout: int = 600) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "indexer", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture()
def sources(tmp_path) -> Path:
    """A private copy of data/ that a test may change."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    return copy


# --- incremental updates ---------------------------------------------------------------

def test_update_with_nothing_changed_analyses_nothing(sources, tmp_path):
    index = tmp_path / "index"
    writer.build([sources], index)
    gen = generations.live_generation(index)
    files_before = sorted(p.name for p in gen.iterdir())
    summary = writer.update([sources], index)
    assert (summary.added, summary.updated, summary.unchanged) == (0, 0, 34)
    assert sorted(p.name for p in gen.iterdir()) == files_before  # no segment was written


def test_update_does_not_read_files_unchanged_since_the_last_run(sources, tmp_path):
    index = tmp_path / "index"
    writer.build([sources], index)
    gen = generations.live_generation(index)
    assert len(fingerprints.load(gen)) == 23  # every file of data/ gave documents

    summary = writer.update([sources], index)
    assert (summary.unchanged, summary.skipped_files, summary.added, summary.updated) == (
        34, 23, 0, 0)

    # touched, same bytes: the digest says unchanged
    touched = sources / "tin-bai" / "01-hoi-nghi-ban-chap-hanh.txt"
    os.utime(touched, ns=(time.time_ns(), time.time_ns() + 10**9))
    assert writer.update([sources], index).skipped_files == 23

    # same size and same mtime but other bytes (a copy that kept the time): read again
    article = sources / "tin-bai" / "05-ra-quan-bao-dam-atgt-tet.txt"
    st = article.stat()
    article.write_text(article.read_text(encoding="utf-8").replace(
        "Ra quân bảo đảm", "Ra quân đảm bảo", 1), encoding="utf-8")
    assert article.stat().st_size == st.st_size
    os.utime(article, ns=(st.st_atime_ns, st.st_mtime_ns))
    summary = writer.update([sources], index)
    assert (summary.skipped_files, summary.updated, summary.unchanged) == (22, 1, 33)
    with SearchIndex(index) as search:
        assert search.document("05-ra-quan-bao-dam-atgt-tet")["title"].startswith(
            "Ra quân đảm bảo")
    # the record now describes the new bytes; the generation still checks whole
    assert writer.update([sources], index).skipped_files == 23
    assert check_generation(gen) == 34


def test_a_document_deleted_since_the_last_run_makes_its_file_read_again(sources, tmp_path):
    index = tmp_path / "index"
    writer.build([sources], index)
    writer.delete(["vb-2024-nq-15"], index)  # one record of van-ban.jsonl
    summary = writer.update([sources], index)
    assert (summary.added, summary.skipped_files) == (1, 22)
    with SearchIndex(index) as search:
        assert search.document("vb-2024-nq-15") is not None


def test_a_lost_or_damaged_fingerprint_record_only_costs_a_full_read(sources, tmp_path):
    index = tmp_path / "index"
    writer.build([sources], index)
    record = generations.live_generation(index) / fingerprints.SOURCES
    for damage in (b"{not json", b'{"files": {"x": {"size": "?"}}}'):
        record.write_bytes(damage)
        summary = writer.update([sources], index)
        assert (summary.skipped_files, summary.unchanged, summary.added) == (0, 34, 0)
    record.unlink()
    assert writer.update([sources], index).skipped_files == 0
    assert writer.update([sources], index).skipped_files == 23


def test_update_replaces_only_changed_documents_and_prunes(sources, tmp_path):
    index = tmp_path / "index"
    writer.build([sources], index)
    article = sources / "tin-bai" / "05-ra-quan-bao-dam-atgt-tet.txt"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "Ra quân bảo đảm", "Ra quân đồng loạt bảo đảm", 1), encoding="utf-8")
    (sources / "tin-bai" / "12-giao-nhan-quan-2025.txt").unlink()
    new = sources / "tin-bai" / "17-hoi-thi-cam-trai.txt"
    new.write_text("Văn hóa - Xã hội\nHội thi cắm trại thanh niên xã Phú Lâm\n"
                   "Sáng nay, Đoàn xã Phú Lâm tổ chức hội thi cắm trại cho 12 chi đoàn.\n",
                   encoding="utf-8")

    summary = writer.update([sources], index)  # without --prune nothing is deleted
    assert (summary.added, summary.updated, summary.unchanged, summary.deleted) == (1, 1, 32, 0)
    summary = writer.update([sources], index, prune=True)
    assert (summary.added, summary.updated, summary.unchanged, summary.deleted) == (0, 0, 34, 1)

    index_ = SearchIndex(index)
    assert index_.doc_count() == 34
    assert index_.document("12-giao-nhan-quan-2025") is None
    assert index_.document("05-ra-quan-bao-dam-atgt-tet")["title"].startswith(
        "Ra quân đồng loạt")
    hits = index_.search(parse_query("hội thi cắm trại"), 1, 1).hits
    assert hits[0]["id"] == "17-hoi-thi-cam-trai"
    index_.close()


def test_prune_keeps_documents_of_files_that_failed_to_read(sources, tmp_path):
    index = tmp_path / "index"
    writer.build([sources], index)
    jsonl = sources / "van-ban" / "van-ban.jsonl"
    jsonl.write_bytes(b"\xff\xfe not utf-8 \x00\n" + jsonl.read_bytes()[:200])
    summary = writer.update([sources], index, prune=True)
    assert summary.failures and summary.deleted == 0
    with SearchIndex(index) as search:
        assert search.doc_count() == 34


def test_update_cli_json_summary(sources, tmp_path):
    index = tmp_path / "index"
    cli("build", sources, "--index", index, "--quiet")
    out = json.loads(cli("update", sources, "--index", index, "--json", "--prune").stdout)
    assert out == {"added": 0, "updated": 0, "unchanged": 34, "deleted": 0, "missing": 0,
                   "failed": 0, "failures": [], "skipped_files": 23, "seconds": out["seconds"]}


def test_progress_lines_for_cron_logs(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "indexer", "build", str(LEGAL_DOCUMENTS), "--index",
         str(tmp_path / "index"), "--workers", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        env={**os.environ, "TRACUU_LOG_INTERVAL": "0.5"})
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert lines and all(re.fullmatch(r"build: \d+/424 documents, \d+\.\d docs/s, "
                                      r"about \d+ s left", line) for line in lines), lines
    assert "\r" not in proc.stderr  # no progress bar when not on a terminal
    quiet = cli("build", DATA, "--index", tmp_path / "index", "--quiet")
    assert quiet.stderr == ""


def _start_writer(command: str, index: Path, source: Path = NEWS_2K,
                  workers: int = 1) -> subprocess.Popen:
    """A long-running writer (news-2k, serial) to interrupt or to collide with."""
    return subprocess.Popen([sys.executable, "-m", "indexer", command, str(source),
                             "--index", str(index), "--quiet", "--workers", str(workers)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_killed_update_leaves_the_index_searchable(tmp_path):
    index = tmp_path / "index"
    cli("build", DATA, "--index", index, "--quiet")
    update = _start_writer("update", index)
    time.sleep(4)  # reading, analysing and adding documents by now
    assert update.poll() is None, "the update finished before it could be interrupted"
    update.send_signal(signal.SIGKILL)
    update.wait(timeout=30)
    with SearchIndex(index) as search:
        assert search.doc_count() == 34
        hits = search.search(parse_query("thủy lợi"), 1, 1).hits
    assert hits[0]["id"] == "07-kiem-tra-an-toan-ho-dap"
    out = json.loads(cli("update", DATA, "--index", index, "--json").stdout)
    assert out["unchanged"] == 34 and out["failed"] == 0
    assert not list(index.glob(".spool-*"))


# --- locking ---------------------------------------------------------------------------

def test_second_writer_fails_at_once_naming_the_holder_and_stale_locks_are_taken(tmp_path):
    index = tmp_path / "index"
    cli("build", DATA, "--index", index, "--quiet")
    first = _start_writer("build", index)
    try:
        deadline = time.monotonic() + 60
        while not list((index / "generations").glob(".building-*")):
            assert time.monotonic() < deadline and first.poll() is None
            time.sleep(0.05)
        started = time.monotonic()
        second = cli("update", DATA, "--index", index, check=False)
        assert time.monotonic() - started < 30  # it does not wait for the lock
        assert second.returncode == 3
        assert f"is locked by pid {first.pid} on host {socket.gethostname()} since " \
            in second.stderr
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    # the dead writer's lock is stale: the next writer takes it over and cleans up
    assert (index / ".lock").read_text()  # the holder's record is still in the file
    out = cli("update", DATA, "--index", index, "--json")
    assert json.loads(out.stdout)["unchanged"] == 34
    assert not list((index / "generations").glob(".building-*"))
    assert not list(index.glob(".spool-*"))


# --- generations: rollback, and removal only when unused ----------------------------------

def test_rollback_swaps_current_and_previous(sources, tmp_path):
    index = tmp_path / "index"
    cli("build", sources / "tin-bai", "--index", index, "--quiet")
    first = generations.live_generation(index).name
    cli("build", sources, "--index", index, "--quiet")
    second = generations.live_generation(index).name
    client = create_app({"INDEX": str(index), "TESTING": True}).test_client()
    assert client.get("/api/health").get_json()["documents"] == 34
    out = cli("rollback", "--index", index)
    assert out.stdout.strip() == f"rollback: {first} is live (was {second})"
    assert client.get("/api/health").get_json() == {
        "status": "ok", "documents": 16, "generation": first}
    cli("rollback", "--index", index)
    assert client.get("/api/health").get_json()["documents"] == 34


def test_rollback_without_a_previous_generation(tmp_path):
    index = tmp_path / "index"
    cli("build", DATA, "--index", index, "--quiet")
    out = cli("rollback", "--index", index, check=False)
    assert out.returncode == 2 and "no previous generation" in out.stderr


def test_a_generation_in_use_by_a_server_is_kept_until_released(tmp_path):
    index = tmp_path / "index"
    writer.build([DATA / "tin-bai"], index)
    oldest = generations.live_generation(index)
    server = SearchIndex(index)
    assert server.doc_count() == 16  # holds the oldest generation open
    writer.build([DATA], index)
    writer.build([DATA], index)  # the oldest is neither current nor previous now
    assert oldest.is_dir()
    # the server, asked again, moves to the live generation and lets the old one go
    assert server.doc_count() == 34
    writer.build([DATA], index)
    assert not oldest.exists()
    server.close()


# --- parallel and distributed analysis: the same index as a serial build -----------------

def _content(index: Path) -> tuple[int, dict, dict]:
    idx = SearchIndex(index)
    searcher = idx._searcher()
    stored = {f["id"]: f for f in searcher.all_stored_fields()}
    for fields in stored.values():
        fields.pop("source", None)  # spooled or not, the same file
    tops = {q: [(h["id"], h["score"]) for h in idx.search(parse_query(q), 1, 10).hits]
            for q in QUERIES}
    count = idx.doc_count()
    idx.close()
    return count, stored, tops


@pytest.fixture(scope="module")
def serial_index(tmp_path_factory) -> Path:
    index = tmp_path_factory.mktemp("serial") / "index"
    cli("build", DATA, LEGAL_DOCUMENTS, "--index", index, "--workers", "1", "--quiet")
    return index


def test_local_workers_build_the_same_index(serial_index, tmp_path):
    index = tmp_path / "index"
    cli("build", DATA, LEGAL_DOCUMENTS, "--index", index, "--workers", "2", "--quiet")
    assert _content(index) == _content(serial_index)


@pytest.fixture()
def dask_cluster(tmp_path):
    """A real `dask scheduler` and two `dask worker` processes on 127.0.0.1."""
    bindir = Path(sys.executable).parent
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = tmp_path / "dask-logs"
    logs.mkdir()
    common = ["--dashboard-address", ":0"]
    with contextlib.ExitStack() as stack:
        files = [stack.enter_context(open(logs / name, "w"))
                 for name in ("scheduler", "worker0", "worker1")]
        procs = [subprocess.Popen([bindir / "dask", "scheduler", "--host", "127.0.0.1",
                                   "--port", str(port), *common],
                                  stdout=subprocess.DEVNULL, stderr=files[0])]
        for i in range(2):
            procs.append(subprocess.Popen(
                [bindir / "dask", "worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                 *common], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=files[1 + i]))
        try:
            deadline = time.monotonic() + 60
            while sum((logs / f"worker{i}").read_text().count("Registered to")
                      for i in range(2)) < 2:
                assert time.monotonic() < deadline, "the Dask cluster did not start"
                time.sleep(0.2)
            yield address, procs
        finally:
            for proc in reversed(procs):
                proc.terminate()
            for proc in procs:
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


def test_dask_build_is_the_same_index_even_when_a_worker_dies(serial_index, dask_cluster,
                                                                tmp_path):
    address, procs = dask_cluster
    index = tmp_path / "index"
    build = subprocess.Popen([sys.executable, "-m", "indexer", "build", str(DATA),
                              str(LEGAL_DOCUMENTS), "--index", str(index), "--scheduler",
                              address, "--json", "--quiet"],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(3)  # tasks are running on both workers by now
    procs[1].kill()  # a worker dies: its batches are rerun on the other one
    out, err = build.communicate(timeout=600)
    assert build.returncode == 0, err
    assert json.loads(out)["added"] == 34 + 424
    assert _content(index) == _content(serial_index)


def test_unreachable_scheduler_is_a_clear_error(tmp_path):
    out = cli("build", DATA, "--index", tmp_path / "index", "--scheduler",
              f"tcp://127.0.0.1:{free_port()}", check=False, timeout=120)
    assert out.returncode == 4 and "cannot reach the Dask scheduler" in out.stderr
