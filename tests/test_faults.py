"""Faults, for real: a full disk, damaged index files, ``kill -9`` of the server and of writers.

- disk full: a small tmpfs mounted for the test (we run as root; where mounting is not
  permitted, the writer runs under ``RLIMIT_FSIZE`` instead, which fails its writes with
  EFBIG rather than ENOSPC): the build and the update fail with exit code 5 and a clear
  message, the live index keeps serving, and the next run cleans up and succeeds;
- a truncated, missing or corrupted file in the live generation: ``/api/health`` answers
  503 naming the file, and ``python -m search_service`` refuses to start on it;
- ``kill -9`` of the server (master and workers) at random points under load: the index
  opens and serves the same answers after a restart;
- ``kill -9`` of a writer at random points (``tests/test_reindex.py`` kills one update and
  one build at fixed points; here at random ones, during commits too): every update that
  was acknowledged (exit 0) is still there, the index passes its integrity check, and the
  next run removes the debris.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer import generations
from indexer.integrity import MANIFEST, IndexDamaged, check_generation
from tests.conftest import LEGAL_DOCUMENTS, ROOT
from tests.serving import STARTUP_SECONDS, get, running_server
from tests.test_reindex import DATA, _start_writer, cli

pytestmark = pytest.mark.server
SEED = int(os.environ.get("TRACUU_FAULT_SEED", time.time_ns() % 100_000))
QUERIES = [{"q": "huyện"}, {"q": "nghi quyet"}, {"q": "2820/QĐ-UBND"},
           {"q": "thủy lợi", "facets": "type"}, {"q": "", "type": "Quyết định"}]


def _ids(base: str, params: dict) -> list[str]:
    reply = get(base, "/api/search", **params, per_page=20)
    assert reply.status == 200, reply.body
    return [h["id"] for h in reply.body["hits"]]


def _answers(base: str) -> dict[str, list[str]]:
    return {json.dumps(p, ensure_ascii=False): _ids(base, p) for p in QUERIES}


# --- disk full ------------------------------------------------------------------------------

@contextlib.contextmanager
def small_disk(path: Path, megabytes: int) -> Iterator[str]:
    """A tmpfs of ``megabytes`` at ``path``; yields how writes are limited."""
    path.mkdir()
    command = ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(path)]
    if os.environ.get("TRACUU_TEST_NO_MOUNT"):  # to try the fallback where mounting works
        command = ["false"]
    mounted = subprocess.run(command, capture_output=True, text=True)
    try:
        yield "tmpfs" if mounted.returncode == 0 else "rlimit"
    finally:
        if mounted.returncode == 0:
            subprocess.run(["umount", "-l", str(path)], check=True)


def _fill(disk: Path, leave: int) -> Path:
    st = os.statvfs(disk)
    filler = disk / "filler"
    with filler.open("wb") as f:
        f.truncate(0)
        f.write(b"\0" * max(0, st.f_bavail * st.f_frsize - leave))
    return filler


def _writer(*args, limit_bytes: int | None = None) -> subprocess.CompletedProcess:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past it fails with EFBIG

    return subprocess.run([sys.executable, "-m", "indexer", *map(str, args), "--quiet"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600,
                          preexec_fn=limit if limit_bytes else None)


def test_disk_full_during_build_and_update(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", 12) as how:
        index = tmp_path / "disk" / "index"
        sources = tmp_path / "src"
        shutil.copytree(DATA, sources)
        cli("build", sources, "--index", index, "--quiet")
        live = generations.live_generation(index)
        with running_server(index, tmp_path) as (base, _):
            before = _answers(base)
            stop, failures = threading.Event(), []

            def query() -> None:
                while not stop.is_set():
                    for params in QUERIES:
                        reply = get(base, "/api/search", **params, per_page=20)
                        if reply.status != 200:
                            failures.append(reply)

            clients = [threading.Thread(target=query) for _ in range(2)]
            for c in clients:
                c.start()
            try:
                if how == "tmpfs":
                    filler = _fill(tmp_path / "disk", leave=300_000)
                    build = _writer("build", sources, "--index", index)
                    article = sources / "tin-bai" / "05-ra-quan-bao-dam-atgt-tet.txt"
                    article.write_text(article.read_text(encoding="utf-8").replace(
                        "Ra quân", "Ra quân đồng loạt", 1), encoding="utf-8")
                    update = _writer("update", LEGAL_DOCUMENTS, sources, "--index", index)
                else:  # no mount: every file the writer creates may hold 300 kB
                    build = _writer("build", sources, "--index", index, limit_bytes=300_000)
                    update = _writer("update", LEGAL_DOCUMENTS, "--index", index,
                                     limit_bytes=300_000)
            finally:
                stop.set()
                for c in clients:
                    c.join(timeout=60)
            for proc in (build, update):
                assert proc.returncode == 5, (proc.returncode, proc.stderr)
                error = "No space left on device" if how == "tmpfs" else "File too large"
                assert proc.stderr.startswith(f"error: cannot write the index: {error}"), \
                    proc.stderr
                assert "the live index is as it was before this run" in proc.stderr
                assert "Traceback" not in proc.stderr
            assert failures == []
            assert generations.live_generation(index) == live
            assert _answers(base) == before  # nothing of the failed update is visible
            assert check_generation(live) == 34
            if how == "tmpfs":
                filler.unlink()
            out = cli("update", sources, "--index", index, "--json")
            assert json.loads(out.stdout)["updated"] == (1 if how == "tmpfs" else 0)
            out = cli("build", sources, "--index", index, "--quiet")
            assert generations.live_generation(index) != live
            assert _ids(base, {"q": "Ra quân đồng loạt"})
        # no debris: no half-built generation, no spool, no segment of a failed commit
        assert not list((index / "generations").glob(".building-*"))
        assert not list(index.glob(".spool-*"))
        print(f"disk full simulated with {how}")


# --- damaged index files ----------------------------------------------------------------------

def _damage(gen: Path, how: str) -> str:
    # the biggest file of the segment: its posting lists
    seg = max((p for p in gen.glob("*") if p.name.startswith("MAIN_")),
              key=lambda p: p.stat().st_size)
    toc = next(gen.glob("_MAIN_*.toc"))
    if how == "truncated segment":
        data = seg.read_bytes()
        seg.write_bytes(data[: len(data) // 2])
        return seg.name
    if how == "flipped bytes":  # Whoosh would read this without noticing
        with seg.open("r+b") as f:
            f.seek(seg.stat().st_size // 3)
            chunk = f.read(32)
            f.seek(-len(chunk), os.SEEK_CUR)
            f.write(bytes(b ^ 0xFF for b in chunk))
        return seg.name
    if how == "missing segment":
        seg.unlink()
        return seg.name
    if how == "truncated table of contents":
        toc.write_bytes(toc.read_bytes()[:100])
        return gen.name
    raise ValueError(how)


@pytest.fixture(scope="module")
def two_generations(tmp_path_factory) -> Path:
    index = tmp_path_factory.mktemp("damaged") / "index"
    cli("build", DATA / "tin-bai", "--index", index, "--quiet")
    cli("build", DATA, "--index", index, "--quiet")
    return index


@pytest.mark.parametrize("how", ["truncated segment", "flipped bytes", "missing segment",
                                 "truncated table of contents"])
def test_a_damaged_live_generation_is_reported_and_not_served(two_generations: Path,
                                                               tmp_path: Path, how: str) -> None:
    index = tmp_path / "index"
    shutil.copytree(two_generations, index, symlinks=True)
    gen = generations.live_generation(index)
    assert check_generation(gen) == 34
    with running_server(index, tmp_path) as (base, _):
        assert get(base, "/api/health").status == 200
        name = _damage(gen, how)
        health = get(base, "/api/health")
        assert health.status == 503, health.body
        assert health.body["status"] == "damaged"
        assert name in health.body["error"] and "python -m indexer rollback" \
            in health.body["error"]
    with pytest.raises(IndexDamaged, match=name):
        check_generation(gen)

    # a server started on it refuses, and says why
    proc = subprocess.run([sys.executable, "-m", "search_service", "--index", str(index),
                           "--port", "1"], cwd=ROOT, capture_output=True, text=True,
                          timeout=STARTUP_SECONDS)
    assert proc.returncode == 1
    assert proc.stderr.startswith("Error: index generation ") and name in proc.stderr
    assert "not serving it. Roll back with `python -m indexer rollback" in proc.stderr
    # after a rollback the previous generation is served again
    cli("rollback", "--index", index)
    with running_server(index, tmp_path) as (base, _):
        assert get(base, "/api/health").body["documents"] == 16


@pytest.mark.parametrize("how", ["truncated segment", "missing segment",
                                 "truncated table of contents"])
def test_writers_refuse_a_damaged_live_generation_and_change_nothing(
        two_generations: Path, tmp_path: Path, how: str) -> None:
    index = tmp_path / "index"
    shutil.copytree(two_generations, index, symlinks=True)
    gen = generations.live_generation(index)
    name = _damage(gen, how)
    before = {p.name: p.read_bytes() for p in gen.iterdir()}
    for args in (("update", DATA, "--quiet"), ("delete", "01-hoi-nghi-ban-chap-hanh"),
                 ("stats",)):
        proc = subprocess.run([sys.executable, "-m", "indexer", *map(str, args), "--index",
                               str(index)], cwd=ROOT, capture_output=True, text=True,
                              timeout=120)
        assert proc.returncode == 6, (args, proc.stderr)
        assert proc.stderr.startswith("error: index generation ") and name in proc.stderr
        assert "Traceback" not in proc.stderr and "Aborted" not in proc.stderr
        assert "python -m indexer rollback" in proc.stderr
    assert {p.name: p.read_bytes() for p in gen.iterdir()} == before
    # the way out the message names works
    cli("rollback", "--index", index)
    cli("update", DATA, "--index", index, "--quiet")
    assert check_generation(generations.live_generation(index)) == 34


def test_the_health_check_runs_again_only_when_a_file_changes(tmp_path: Path,
                                                              monkeypatch) -> None:
    from search_service import searcher as searcher_module
    from search_service.searcher import SearchIndex

    index = tmp_path / "index"
    cli("build", DATA, "--index", index, "--quiet")
    checks = []

    def counted(gen, *args, **kwargs):
        checks.append(gen)
        return check_generation(gen, *args, **kwargs)

    monkeypatch.setattr(searcher_module, "check_generation", counted)
    with SearchIndex(index) as search:
        assert [search.check() for _ in range(5)] == [34] * 5
        assert len(checks) == 1
        cli("delete", "vb-2024-nq-15", "--index", index)  # a commit: new files
        assert search.check() == 33 and len(checks) == 2
        _damage(generations.live_generation(index), "truncated segment")
        with pytest.raises(IndexDamaged):
            search.check()


def test_an_index_without_manifest_is_checked_structurally(tmp_path: Path) -> None:
    index = tmp_path / "index"
    cli("build", DATA, "--index", index, "--quiet")
    gen = generations.live_generation(index)
    (gen / MANIFEST).unlink()  # as built before manifests existed
    assert check_generation(gen) == 34
    _damage(gen, "truncated segment")
    with pytest.raises(IndexDamaged, match="cannot be read: "):
        check_generation(gen)


# --- kill -9 of the server ----------------------------------------------------------------------

@contextlib.contextmanager
def _server_group(index: Path, log: Path, port: int) -> Iterator[subprocess.Popen]:
    with log.open("ab") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "search_service", "--index", str(index), "--host",
             "127.0.0.1", "--port", str(port), "--workers", "2"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


def _wait_healthy(base: str, proc: subprocess.Popen) -> dict:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the server exited with {proc.returncode}"
        with contextlib.suppress(OSError):
            reply = get(base, "/api/health")
            if reply.status == 200:
                return reply.body
        time.sleep(0.2)
    raise AssertionError("the server did not come up")


def test_server_killed_at_random_points_serves_the_same_after_restart(tmp_path: Path) -> None:
    from tests.serving import free_port

    rng = random.Random(SEED)
    index = tmp_path / "index"
    cli("build", DATA, "--index", index, "--quiet")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    expected = None
    for round_ in range(3):
        with _server_group(index, tmp_path / "server.err", port) as proc:
            health = _wait_healthy(base, proc)
            answers = _answers(base)
            if expected is None:
                expected = (health, answers)
            assert (health, answers) == expected, f"seed {SEED}, round {round_}"
            stop = threading.Event()

            def load(stop: threading.Event = stop) -> None:
                while not stop.is_set():
                    # a kill mid-answer cuts the body short (IncompleteRead) or the connection
                    with contextlib.suppress(OSError, http.client.HTTPException):
                        get(base, "/api/search", q="huyện", per_page=50, timeout=5)

            clients = [threading.Thread(target=load) for _ in range(4)]
            for c in clients:
                c.start()
            time.sleep(rng.uniform(0.05, 2.0))  # mid-request, most likely
            os.killpg(proc.pid, signal.SIGKILL)  # master and workers at once
            stop.set()
            for c in clients:
                c.join(timeout=30)
    # nothing a dead server held blocks anything: a writer may delete its old generation
    cli("build", DATA, "--index", index, "--quiet")
    cli("build", DATA, "--index", index, "--quiet")
    assert len([p for p in (index / "generations").iterdir() if p.is_dir()]) == 2


# --- kill -9 of a writer --------------------------------------------------------------------------

def _kill_when(proc: subprocess.Popen, ready, delay: float, timeout: float = 120) -> bool:
    """SIGKILL ``proc`` ``delay`` s after ``ready()`` holds; False if it ended first."""
    deadline = time.monotonic() + timeout
    while not ready():
        if proc.poll() is not None or time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    time.sleep(delay)
    if proc.poll() is not None:
        return False
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    return True


def test_writers_killed_at_random_points_lose_no_acknowledged_update(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    index = tmp_path / "index"
    cli("build", DATA, "--index", index, "--quiet")
    acknowledged: list[str] = []
    killed = 0
    for round_ in range(4):
        # an update that returns 0 is acknowledged: its document must survive what follows
        extra = tmp_path / f"extra-{round_}.jsonl"
        doc_id = f"thong-bao-{round_}"
        extra.write_text(json.dumps({
            "id": doc_id, "title": f"Thông báo số {round_ + 1} về lịch trực phòng chống bão",
            "text": "Các xã bố trí người trực ban hai mươi bốn giờ trong mùa mưa bão."},
            ensure_ascii=False) + "\n", encoding="utf-8")
        cli("update", extra, "--index", index, "--quiet")
        acknowledged.append(doc_id)

        command = rng.choice(["build", "update"])
        live_before = generations.live_generation(index)
        files_before = set(os.listdir(live_before))
        proc = _start_writer(command, index, LEGAL_DOCUMENTS, workers=2)
        if command == "update" and rng.random() < 0.5:
            # during the commit: once the new segment's first file appears
            def ready(gen: Path = live_before, before: set = files_before) -> bool:
                return bool(set(os.listdir(gen)) - before)

            delay = rng.uniform(0, 0.5)
        else:
            def ready() -> bool:
                return True

            delay = rng.uniform(0.2, 8.0)
        killed += _kill_when(proc, ready, delay)
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
        label = f"seed {SEED}, round {round_}: {command} killed after {delay:.2f} s"

        live = generations.live_generation(index)
        documents = check_generation(live)  # opens, whole, manifest agrees
        if proc.returncode == 0 and command == "build":
            acknowledged = []  # a finished build of the legal documents replaced them
        out = json.loads(cli("update", DATA, "--index", index, "--json").stdout)
        assert out["failed"] == 0, label
        assert not list((index / "generations").glob(".building-*")), label
        assert not list(index.glob(".spool-*")), label
        from search_service.searcher import SearchIndex

        search = SearchIndex(index)
        try:
            for kept in acknowledged:
                assert search.document(kept) is not None, (label, kept)
            assert search.doc_count() >= documents
        finally:
            search.close()
    print(f"seed {SEED}: {killed} of 4 writers killed before they finished")
