"""``python -m bench.load``: the production server under concurrent clients on loopback.

Starts ``python -m search_service`` (gunicorn, ``--workers 2``) on an index and sends
requests from a bounded asyncio client (HTTP/1.1 over raw streams, one connection per
request as gunicorn's sync workers close them) at each concurrency level. Baseline: the
same client against ``/api/health`` in the same run, which measures the server and client
overhead without a search.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import psutil

from bench.report import percentile

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class LoadResult:
    concurrency: int
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0

    def pct(self, p: float) -> float:
        return percentile(self.latencies_ms, p)


async def _get(host: str, port: int, path: str) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
                     .encode())
        await writer.drain()
        data = await reader.read()
    finally:
        writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0
    return status, body


async def _run(host: str, port: int, paths: Sequence[str], concurrency: int,
               requests: int) -> LoadResult:
    queue = list(paths[i % len(paths)] for i in range(requests))
    result = LoadResult(concurrency, 0.0)

    async def client() -> None:
        while queue:
            path = queue.pop()
            started = time.perf_counter()
            try:
                status, body = await _get(host, port, path)
                if status != 200:
                    result.errors.append(f"{status} {path[:80]} {body[:120]!r}")
                    continue
            except OSError as exc:
                result.errors.append(f"{type(exc).__name__} {path[:80]}")
                continue
            result.latencies_ms.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    result.seconds = time.perf_counter() - started
    return result


def load(host: str, port: int, paths: Sequence[str], concurrency: int,
         requests: int) -> LoadResult:
    """Send ``requests`` GETs cycling through ``paths`` with ``concurrency`` clients."""
    return asyncio.run(_run(host, port, paths, concurrency, requests))


def search_paths(titles: Sequence[str], seed: int = 11) -> list[str]:
    """A mix like a portal's: titles and their starts, with and without diacritics."""
    from unidecode import unidecode

    rng = random.Random(seed)
    out = []
    for title in titles:
        words = title.split()
        q = rng.choice([title, unidecode(title), " ".join(words[:rng.randint(1, 4)]),
                        unidecode(" ".join(words[:3]))])
        out.append("/api/search?" + urlencode({"q": q}))
    rng.shuffle(out)
    return out


class Server:
    """``python -m search_service`` on a free port; its RSS is sampled per worker."""

    def __init__(self, index: Path, workers: int = 2, env: dict | None = None):
        from tests.serving import free_port

        self.port = free_port()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "search_service", "--index", str(index), "--port",
             str(self.port), "--workers", str(workers)],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, **(env or {})})
        deadline = time.monotonic() + 120
        while True:
            try:
                if asyncio.run(_get("127.0.0.1", self.port, "/api/health"))[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.stop()
                raise SystemExit("the server did not start")
            time.sleep(0.3)

    def worker_rss_mb(self) -> list[float]:
        try:
            return [c.memory_info().rss / 2**20
                    for c in psutil.Process(self.proc.pid).children()]
        except psutil.Error:
            return []

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def run(index: Path, titles: Sequence[str], levels: Sequence[int] = (1, 4, 16),
        requests: int = 2000, cache: bool = True) -> dict:
    """Load levels against one server; returns results per level and the baseline."""
    env = {} if cache else {"TRACUU_RESULT_CACHE": "0"}
    server = Server(index, env=env)
    try:
        paths = search_paths(titles)
        load("127.0.0.1", server.port, paths[:50], 4, 100)  # warm up both workers
        base = load("127.0.0.1", server.port, ["/api/health"], 16, requests)
        levels_out = {c: load("127.0.0.1", server.port, paths, c, requests) for c in levels}
        rss = server.worker_rss_mb()
    finally:
        server.stop()
    return {"baseline": base, "levels": levels_out, "rss_mb": rss, "unique": len(set(paths))}


def plot(results: dict[str, dict], path: Path) -> None:
    """Latency percentiles against concurrency, one line per percentile and cache setting."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=110)
    for label, out in results.items():
        levels = sorted(out["levels"])
        for p, style in ((50, "-o"), (99, "--s")):
            ax.plot(levels, [out["levels"][c].pct(p) for c in levels], style,
                    label=f"p{p}, {label}")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("concurrent clients")
    ax.set_ylabel("latency (ms)")
    ax.set_title("/api/search, gunicorn 2 workers, full corpus")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("index", type=Path, help="an index directory")
    parser.add_argument("--titles", type=Path,
                        default=ROOT.parent / "shared" / "corpus" / "news" / "news-2k.jsonl.gz")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--levels", default="1,4,16")
    parser.add_argument("--report", action="store_true",
                        help="also run without the result cache, and write the table and a "
                             "plot (docs/load-latency.png) into docs/performance.md")
    args = parser.parse_args(argv)
    import gzip

    with gzip.open(args.titles, "rt", encoding="utf-8") as f:
        titles = [json.loads(line)["title"] for line in f][:500]
    levels = [int(x) for x in args.levels.split(",")]
    results = {"result cache on": run(args.index, titles, levels, args.requests)}
    if args.report:
        results["result cache off"] = run(args.index, titles, levels, args.requests,
                                          cache=False)
    rows = []
    for label, out in results.items():
        base = out["baseline"]
        print(f"{label}: baseline /api/health c=16: {base.rate:.0f} req/s "
              f"p50 {base.pct(50):.1f} ms")
        for c, r in out["levels"].items():
            print(f"  c={c}: {r.rate:.0f} req/s p50 {r.pct(50):.1f} p99 {r.pct(99):.1f} ms "
                  f"errors {len(r.errors)}")
            rows.append((label, c, f"{r.rate:.0f}", f"{r.pct(50):.1f}", f"{r.pct(95):.1f}",
                         f"{r.pct(99):.1f}", len(r.errors)))
        rows.append((label, "16, `/api/health` (baseline)", f"{base.rate:.0f}",
                     f"{base.pct(50):.1f}", f"{base.pct(95):.1f}", f"{base.pct(99):.1f}",
                     len(base.errors)))
        print("  worker RSS MB:", [round(x) for x in out["rss_mb"]])
    if args.report:
        from bench.report import DOC, machine, table, write_section

        png = DOC.parent / "load-latency.png"
        plot(results, png)
        rss = ", ".join(f"{x:.0f}" for x in results["result cache off"]["rss_mb"])
        write_section("load", "\n".join([
            "## Under load (HTTP)",
            "",
            f"`python -m bench.load DIR --levels {args.levels} --requests {args.requests} "
            f"--report` on {machine()}: the production server (`python -m search_service`, "
            "gunicorn, 2 workers) on an index of news-all + official, and a bounded asyncio "
            f"client on loopback on the same 2 cores. {args.requests} requests per level, "
            f"cycling through {results['result cache off']['unique']} distinct searches "
            "(news titles and their starts, with and without diacritics); without the "
            "result cache every request is searched. Worker RSS after the uncached run: "
            f"{rss} MB.",
            "",
            table(rows, ("run", "concurrency", "req/s", "p50 ms", "p95 ms", "p99 ms",
                         "errors")),
            "",
            f"![latency against concurrency]({png.name})",
        ]))


if __name__ == "__main__":
    main()
