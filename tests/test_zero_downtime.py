"""Rebuilds and updates under load: a real gunicorn server (2 workers) keeps answering.

Clients query in a loop while ``build`` and then ``update`` run. Every answer
must be a 200 that comes wholly from one index state (never a mix), and every
request sent after a switch must see the new state.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.serving import get, running_server

pytestmark = pytest.mark.server
DATA = ROOT / "data"
QUERY = {"q": "huyện", "per_page": 100}


def cli(*args) -> None:
    proc = subprocess.run([sys.executable, "-m", "indexer", *map(str, args), "--quiet"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr


def answer(base: str) -> frozenset[str]:
    reply = get(base, "/api/search", **QUERY)
    assert reply.status == 200, reply.body
    return frozenset(h["id"] for h in reply.body["hits"])


def test_queries_never_fail_or_mix_during_build_and_update(tmp_path: Path):
    index = tmp_path / "index"
    cli("build", DATA / "tin-bai", "--index", index)  # state A: the news only
    extra = tmp_path / "extra" / "moi.jsonl"
    extra.parent.mkdir()
    extra.write_text(json.dumps({
        "id": "tin-moi-huyen", "title": "Huyện Tân Lạc Sơn khánh thành cầu treo bản Nà Lụi",
        "text": "Cây cầu treo dài 86 mét nối hai bờ suối giúp người dân trong huyện đi lại "
                "an toàn trong mùa mưa lũ."}, ensure_ascii=False) + "\n", encoding="utf-8")

    with running_server(index, tmp_path) as (base, _):
        state_a = answer(base)
        log: list[tuple[float, float, int | str, frozenset | None]] = []
        stop = threading.Event()

        def client() -> None:
            while not stop.is_set():
                started = time.monotonic()
                try:
                    reply = get(base, "/api/search", **QUERY)
                    ids = frozenset(h["id"] for h in reply.body.get("hits", []))
                    log.append((started, time.monotonic(), reply.status, ids))
                except OSError as exc:  # a refused or dropped connection is a failure too
                    log.append((started, time.monotonic(), repr(exc), None))

        threads = [threading.Thread(target=client) for _ in range(4)]
        for thread in threads:
            thread.start()
        try:
            time.sleep(1)
            cli("build", DATA, "--index", index)  # state B: news and documents
            built = time.monotonic()
            time.sleep(1)
            cli("update", DATA, extra, "--index", index)  # state C: one more article
            updated = time.monotonic()
            time.sleep(1)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=30)
        state_b_c = answer(base)

    failures = [entry for entry in log if entry[2] != 200]
    assert not failures, failures[:5]
    assert len(log) > 50
    state_c = state_b_c
    assert "tin-moi-huyen" in state_c and len(state_a) == 16
    state_b = state_c - {"tin-moi-huyen"}
    assert len(state_b) > len(state_a)
    states = {state_a: "A", state_b: "B", state_c: "C"}
    seen = [(started, states.get(ids, "mixed")) for started, _, _, ids in log]
    assert "mixed" not in {state for _, state in seen}
    # a request sent after a switch never sees the state before it
    assert all(state in "BC" for started, state in seen if started > built)
    assert all(state == "C" for started, state in seen if started > updated)
    assert {state for _, state in seen} == {"A", "B", "C"}
