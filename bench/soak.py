"""``python -m bench.soak``: the production server under load while the index is rewritten.

The production server (``python -m search_service``, gunicorn, 2 workers) serves an index
of the corpus; N client threads send mixed requests over HTTP (queries with and without
diacritics, document numbers, filters and facets, documents, similar, citations), all
derived from the indexed records at run time; meanwhile ``python -m indexer update`` runs
every ``--update-every`` seconds with some documents changed and some added, and one
``python -m indexer build`` runs halfway. Every answer must be a 200 (or the 400 a query
deliberately made invalid must get); every writer run must succeed. Prints latency
percentiles and, unless ``--no-report``, writes them into docs/reliability.md.

    python -m bench.soak --minutes 10 --clients 16
    python -m bench.soak --seconds 25 --clients 4 --small --no-report --json   (make test)
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from unidecode import unidecode

from bench.report import machine, percentile, table, write_section

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
NEWS_2K = SHARED / "news" / "news-2k.jsonl.gz"
LEGAL = SHARED / "official" / "legal-documents.jsonl.gz"
DOC = ROOT / "docs" / "reliability.md"
STARTUP_SECONDS = 120


@dataclass
class Log:
    """What the clients and the writers saw; appended to from many threads (list.append
    is atomic)."""

    requests: list[tuple[str, float, int | str]] = field(default_factory=list)
    writes: list[tuple[str, float, int, str]] = field(default_factory=list)

    def failures(self) -> list:
        bad = [r for r in self.requests if r[2] != 200]
        return bad + [w for w in self.writes if w[2] != 0]


def _records(paths: list[Path], limit: int | None) -> list[dict]:
    out = []
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in itertools.islice(f, limit):
                out.append(json.loads(line))
    return out


def _requests(records: list[dict], rng: random.Random) -> list[tuple[str, str, dict]]:
    """(kind, path, params) drawn from the records: what real users would type."""
    out: list[tuple[str, str, dict]] = []
    for rec in rng.sample(records, min(300, len(records))):
        words = (rec.get("title") or "").split()
        if len(words) >= 2:
            start = rng.randrange(len(words) - 1)
            phrase = " ".join(words[start:start + rng.randint(1, 3)])
            out.append(("accented", "/api/search", {"q": phrase}))
            out.append(("bare", "/api/search", {"q": unidecode(phrase).lower()}))
            out.append(("phrase", "/api/search", {"q": f'"{" ".join(words[:2])}"'}))
        if rec.get("doc_number"):
            out.append(("number", "/api/search", {"q": rec["doc_number"]}))
        if rec.get("doc_type") and words:
            out.append(("filter", "/api/search", {"q": words[0], "type": rec["doc_type"],
                                                  "facets": "type,issuer,year"}))
        if rec.get("issuer"):
            out.append(("listing", "/api/search", {"issuer": rec["issuer"], "sort": "newest"}))
        doc_id = urllib.parse.quote(str(rec["id"]), safe="")
        out.append(("document", f"/api/documents/{doc_id}", {}))
        out.append(("similar", f"/api/documents/{doc_id}/similar", {"limit": 5}))
        out.append(("citations", f"/api/documents/{doc_id}/citations", {}))
    out.append(("health", "/api/health", {}))
    return out


def _get(base: str, path: str, params: dict, timeout: float) -> int:
    url = base + path + ("?" + urllib.parse.urlencode(params) if params else "")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            json.loads(r.read())
            return r.status
    except urllib.error.HTTPError as exc:
        with exc:
            exc.read()
            return exc.code


def _client(base: str, requests: list, stop: threading.Event, log: Log, seed: int) -> None:
    rng = random.Random(seed)
    while not stop.is_set():
        kind, path, params = rng.choice(requests)
        started = time.perf_counter()
        try:
            status: int | str = _get(base, path, params, timeout=30)
        except (OSError, ValueError) as exc:  # refused, reset, timed out, not JSON
            status = f"{type(exc).__name__}: {exc}"
        log.requests.append((kind, time.perf_counter() - started, status))


def _writer(args: list[str], log: Log, label: str) -> None:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "indexer", *args, "--quiet"], cwd=ROOT,
                          capture_output=True, text=True, timeout=3600)
    log.writes.append((label, time.perf_counter() - started, proc.returncode,
                       proc.stderr.strip()[-500:]))


def _change(path: Path, records: list[dict], round_: int, rng: random.Random) -> None:
    """Rewrite the changing source: some records edited, one more added each round."""
    out = []
    for rec in records:
        rec = dict(rec)
        if rng.random() < 0.2:
            rec["title"] = f"{rec.get('title', '')} (bản cập nhật {round_})"
        out.append(rec)
    for n in range(round_):
        out.append({"id": f"soak-moi-{n}", "title": f"Thông báo bổ sung số {n} của kỳ thử tải",
                    "text": "Văn bản thêm vào trong khi máy chủ đang phục vụ truy vấn."})
    tmp = path.with_suffix(".tmp")
    tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out),
                   encoding="utf-8")
    tmp.replace(path)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(seconds: float, clients: int, update_every: float, small: bool, seed: int,
        workdir: Path) -> dict:
    rng = random.Random(seed)
    sources = workdir / "src"
    sources.mkdir()
    fixed = _records([LEGAL], 30) if small else _records([LEGAL, NEWS_2K], None)
    with (sources / "fixed.jsonl").open("w", encoding="utf-8") as f:
        for rec in fixed:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    changing = fixed[:40]
    _change(sources / "changing.jsonl", [dict(r, id=f"doi-{r['id']}") for r in changing], 0,
            rng)
    shutil.copytree(ROOT / "data", sources / "data")
    index = workdir / "index"
    log = Log()
    t0 = time.perf_counter()
    _writer(["build", str(sources), "--index", str(index)], log, "initial build")
    build_seconds = time.perf_counter() - t0
    if log.failures():
        raise SystemExit(f"the initial build failed: {log.writes}")
    log.writes.clear()

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server_log = workdir / "server.err"
    with server_log.open("wb") as err:
        server = subprocess.Popen(
            [sys.executable, "-m", "search_service", "--index", str(index), "--port", str(port),
             "--workers", "2"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err,
            start_new_session=True)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the server did not start:\n" + server_log.read_text())
            try:
                if _get(base, "/api/health", {}, 5) == 200:
                    break
            except OSError:
                time.sleep(0.2)
        requests = _requests(fixed + [dict(r, id=f"doi-{r['id']}") for r in changing], rng)
        end = time.monotonic() + seconds
        stop = threading.Event()
        threads = [threading.Thread(target=_client, args=(base, requests, stop, log, seed + i))
                   for i in range(clients)]
        for t in threads:
            t.start()
        # Writers until the time is up, and at least an update and the build (the second
        # round) even in a short run: the clients go on until the last writer is done.
        round_ = 0
        while time.monotonic() < end or round_ < 2:
            time.sleep(max(0.0, min(update_every, end - time.monotonic())) if round_ else
                       min(update_every, seconds / 4))
            round_ += 1
            _change(sources / "changing.jsonl",
                    [dict(r, id=f"doi-{r['id']}") for r in changing], round_, rng)
            command = "build" if round_ == 2 else "update"
            _writer([command, str(sources), "--index", str(index)], log, f"{command} {round_}")
        stop.set()
        for t in threads:
            t.join(timeout=120)
        seconds = time.monotonic() - (end - seconds)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return _summary(log, seconds, clients, len(fixed) + len(changing), build_seconds, seed)


def _summary(log: Log, seconds: float, clients: int, documents: int, build_seconds: float,
             seed: int) -> dict:
    kinds: dict[str, list[float]] = {}
    for kind, elapsed, _ in log.requests:
        kinds.setdefault(kind, []).append(elapsed * 1000)
    every = [ms for values in kinds.values() for ms in values]

    def stats(values: list[float]) -> dict:
        return {"requests": len(values), "p50_ms": round(percentile(values, 50), 1),
                "p90_ms": round(percentile(values, 90), 1),
                "p99_ms": round(percentile(values, 99), 1),
                "max_ms": round(max(values, default=0.0), 1),
                "mean_ms": round(statistics.fmean(values), 1) if values else 0.0}

    failures = log.failures()
    return {
        "seconds": seconds, "clients": clients, "documents": documents, "seed": seed,
        "initial_build_s": round(build_seconds, 1),
        "requests": len(log.requests), "failed": len(failures),
        "failures": [list(map(str, f)) for f in failures[:20]],
        "requests_per_s": round(len(log.requests) / seconds, 1),
        "all": stats(every), "by_kind": {k: stats(v) for k, v in sorted(kinds.items())},
        "writes": [{"run": w[0], "seconds": round(w[1], 1), "exit": w[2]} for w in log.writes],
    }


def _markdown(result: dict, command: str) -> str:
    rows = [("all", *result["all"].values())]
    rows += [(kind, *s.values()) for kind, s in result["by_kind"].items()]
    updates = [w for w in result["writes"] if w["run"].startswith("update")]
    builds = [w for w in result["writes"] if w["run"].startswith("build")]
    return "\n\n".join([
        f"`{command}` on {machine()}: {result['documents']} documents (news-2k, the legal "
        f"documents, data/, and 40 documents changed on every update), {result['clients']} "
        f"client threads for {result['seconds'] / 60:.0f} min, the production server with 2 "
        f"gunicorn workers on the same 2 cores.",
        f"**{result['requests']} requests, {result['failed']} failed** "
        f"({result['requests_per_s']} requests/s); {len(updates)} `update` runs (30 s after "
        "the previous writer ended: one writer at a time, "
        f"{sum(w['exit'] == 0 for w in updates)} succeeded, "
        f"{statistics.fmean([w['seconds'] for w in updates]) if updates else 0:.1f} s each on "
        f"average) and {len(builds)} full `build` ({builds[0]['seconds'] if builds else 0} s) "
        "while the clients ran.",
        table(rows, ("requests", "count", "p50 ms", "p90 ms", "p99 ms", "max ms", "mean ms")),
        "Latency is of whole HTTP requests, measured by the clients; with 16 clients on 2 "
        "workers and 2 cores most of it is waiting in the queue, so it shows what a user "
        "waits under that load, not what one query costs (docs/performance.md).",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seconds", type=float, help="overrides --minutes")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--update-every", type=float, default=30.0, metavar="SECONDS")
    parser.add_argument("--small", action="store_true",
                        help="30 legal documents and data/ instead of news-2k as well")
    parser.add_argument("--seed", type=int, default=int(time.time()) % 100_000)
    parser.add_argument("--no-report", action="store_true",
                        help="do not write docs/reliability.md")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    seconds = args.seconds if args.seconds else args.minutes * 60
    with tempfile.TemporaryDirectory(prefix="tracuu-soak-") as tmp:
        result = run(seconds, args.clients, args.update_every, args.small, args.seed, Path(tmp))
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(json.dumps({k: v for k, v in result.items() if k != "by_kind"}, indent=1,
                         ensure_ascii=False))
    if not args.no_report:
        command = "python -m bench.soak " + " ".join(argv if argv is not None else sys.argv[1:])
        write_section("soak", _markdown(result, command.strip()), DOC)
    return 1 if result["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
