"""``python -m bench.index_bench``: full builds serial / local workers / Dask, and updates.

Each build runs ``python -m indexer build`` as a subprocess; its peak memory is
sampled (psutil) over the whole process tree (the writer and its analysis
workers; Dask workers are separate processes and reported apart). The baseline
is pyvi's segmentation alone over the same texts, measured in the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from bench.report import machine, table, write_section

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
CORPORA = {
    "news-all+official": [CORPUS / "news" / "news-all.jsonl.gz",
                          *sorted((CORPUS / "official").glob("*.jsonl.gz"))],
    "news-2k": [CORPUS / "news" / "news-2k.jsonl.gz"],
}
# every n-th document of each source is segmented by pyvi for the baseline (~5 % / ~25 %)
BASELINE_STEP = {"news-all+official": 20, "news-2k": 4}


def _tree_rss(proc: psutil.Process) -> tuple[int, int]:
    try:
        main = proc.memory_info().rss
        children = sum(c.memory_info().rss for c in proc.children(recursive=True))
        return main, main + children
    except psutil.Error:
        return 0, 0


def _anon(pid: int) -> int:
    """Anonymous resident memory (RssAnon): RSS without the index files Whoosh maps, which
    count in RSS once touched but are page cache the kernel can drop."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _tree_anon(proc: psutil.Process) -> int:
    try:
        return _anon(proc.pid) + sum(_anon(c.pid) for c in proc.children(recursive=True))
    except psutil.Error:
        return 0


def _tree_pss(proc: psutil.Process) -> int:
    """Proportional set size of the tree: a page shared by the writer and the workers it
    forked (pyvi's model, Python itself) counts once, not once per process as in RSS."""
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += p.memory_full_info().pss
    return total


def run_measured(args: list[str]) -> dict:
    """Run a CLI command; return its JSON summary, seconds and peak RSS (main, tree)."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "indexer", *args, "--json", "--quiet"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ps = psutil.Process(proc.pid)
    peak = [0, 0, 0, 0]

    def sample() -> None:
        tick = 0
        while proc.poll() is None:
            main, tree = _tree_rss(ps)
            peak[0], peak[1] = max(peak[0], main), max(peak[1], tree)
            peak[2] = max(peak[2], _tree_anon(ps))
            if tick % 5 == 0:  # smaps_rollup walks every mapping: once a second is enough
                peak[3] = max(peak[3], _tree_pss(ps))
            tick += 1
            time.sleep(0.2)

    sampler = threading.Thread(target=sample)
    sampler.start()
    out, err = proc.communicate()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"indexer {' '.join(args)} failed:\n{err[-3000:]}")
    return {"summary": json.loads(out.strip().splitlines()[-1]),
            "seconds": time.perf_counter() - started,
            "peak_main_mb": peak[0] / 2**20, "peak_tree_mb": peak[1] / 2**20,
            "peak_anon_mb": peak[2] / 2**20, "peak_pss_mb": peak[3] / 2**20}


@contextlib.contextmanager
def dask_cluster(workers: int):
    bindir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as logs:
        sched_log = Path(logs) / "scheduler"
        procs = [subprocess.Popen([bindir / "dask", "scheduler", "--host", "127.0.0.1",
                                   "--port", "0", "--dashboard-address", ":0"],
                                  stdout=subprocess.DEVNULL, stderr=sched_log.open("w"))]
        try:
            address = None
            deadline = time.monotonic() + 60
            while address is None:
                for line in sched_log.read_text().splitlines():
                    if "Scheduler at:" in line:
                        address = line.split("Scheduler at:")[1].strip()
                if time.monotonic() > deadline:
                    raise SystemExit("the Dask scheduler did not start")
                time.sleep(0.2)
            for _ in range(workers):
                procs.append(subprocess.Popen(
                    [bindir / "dask", "worker", address, "--host", "127.0.0.1",
                     "--nthreads", "1", "--dashboard-address", ":0"],
                    cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            time.sleep(5)
            yield address, procs[1:]
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                proc.wait(timeout=30)


def pyvi_baseline(paths: list[Path], step: int) -> tuple[float, int]:
    """docs/s of ViTokenizer.tokenize over title and text of every ``step``-th document of
    every source (a sample of the whole corpus: the official texts are longer than news)."""
    from pyvi import ViTokenizer

    docs = []
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for i, line in enumerate(f):
                if i % step == 0:
                    docs.append(json.loads(line))
    started = time.perf_counter()
    for d in docs:
        ViTokenizer.tokenize(d.get("title", ""))
        ViTokenizer.tokenize(d.get("text", ""))
    return len(docs) / (time.perf_counter() - started), len(docs)


def changed_copy(path: Path, out: Path, share: float) -> int:
    """A plain copy of ``path`` with ``share`` of its records' titles changed."""
    rng = random.Random(7)
    changed = 0
    with gzip.open(path, "rt", encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for line in src:
            record = json.loads(line)
            if rng.random() < share:
                record["title"] += " (cập nhật)"
                changed += 1
            dst.write(json.dumps(record, ensure_ascii=False) + "\n")
    return changed


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.index_bench")
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="news-all+official")
    parser.add_argument("--modes", default="serial,workers,dask")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="copy the first index built here (as soon as it is built)")
    parser.add_argument("--skip-updates", action="store_true",
                        help="only the builds (measure updates later with --updates DIR)")
    parser.add_argument("--updates", type=Path, metavar="DIR",
                        help="only measure the updates, on this index (built with --keep)")
    args = parser.parse_args()
    if args.updates:
        updates_only(args.corpus, args.updates)
    else:
        run(args.corpus, args.modes.split(","), args.keep, not args.skip_updates)


def run(corpus: str, modes: list[str], keep: Path | None = None,
        updates: bool = True) -> None:
    paths = CORPORA[corpus]
    rows, results = [], {}
    step = BASELINE_STEP[corpus]
    baseline, sampled = pyvi_baseline(paths, step)
    print(f"baseline: pyvi segmentation {baseline:.1f} docs/s over {sampled} documents",
          flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for mode in modes:
            index = tmp / f"index-{mode}"
            extra = {"serial": ["--workers", "1"], "workers": ["--workers", "2"]}.get(mode, [])
            with contextlib.ExitStack() as stack:
                dask_rss = ""
                if mode == "dask":
                    address, workers = stack.enter_context(dask_cluster(2))
                    extra = ["--scheduler", address]
                result = run_measured(["build", *map(str, paths), "--index", str(index), *extra])
                if mode == "dask":
                    # `dask worker` is a nanny process with the worker as its child
                    dask_rss = " + Dask workers after the build " + ", ".join(
                        f"{_tree_rss(psutil.Process(w.pid))[1] / 2**20:.0f}"
                        for w in workers) + " MB"
            results[mode] = result
            docs = result["summary"]["added"]
            rate = docs / result["seconds"]
            rows.append((f"`build` {mode} ({' '.join(extra) or 'defaults'})", docs,
                         f"{result['seconds']:.0f} s", f"{rate:.1f} docs/s",
                         f"{rate / baseline:.2f}×",
                         f"{result['peak_main_mb']:.0f} MB / {result['peak_tree_mb']:.0f} MB"
                         + dask_rss + f" (PSS {result['peak_pss_mb']:.0f} MB, anonymous "
                         f"{result['peak_anon_mb']:.0f} MB)"))
            print(rows[-1], flush=True)
            _report(corpus, paths, baseline, step, sampled, rows)
            if keep is not None and mode == modes[0]:
                shutil.rmtree(keep, ignore_errors=True)
                shutil.copytree(index, keep, symlinks=True)
            if mode != modes[-1]:
                shutil.rmtree(index)
        if updates:
            rows += measure_updates(paths, tmp / f"index-{modes[-1]}", tmp)

    _report(corpus, paths, baseline, step, sampled, rows)


def measure_updates(paths: list[Path], index: Path, tmp: Path) -> list[tuple]:
    """An ``update`` with nothing changed, then one with 1 % of the first source changed."""
    same = run_measured(["update", *map(str, paths), "--index", str(index)])
    rows = [("`update`, nothing changed", same["summary"]["unchanged"],
             f"{same['seconds']:.1f} s", "", "",
             f"{same['peak_main_mb']:.0f} MB / {same['peak_tree_mb']:.0f} MB "
             f"(anonymous {same['peak_anon_mb']:.0f} MB)")]
    copy = tmp / paths[0].name.removesuffix(".gz")
    n = changed_copy(paths[0], copy, 0.01)
    # the copy is a new file: point the update at it and the other sources as before
    upd = run_measured(["update", str(copy), *map(str, paths[1:]), "--index", str(index)])
    s = upd["summary"]
    rows.append((f"`update`, 1 % changed ({n} documents)",
                 f"{s['updated']} replaced, {s['unchanged']} unchanged",
                 f"{upd['seconds']:.1f} s", "", "",
                 f"{upd['peak_main_mb']:.0f} MB / {upd['peak_tree_mb']:.0f} MB "
                 f"(anonymous {upd['peak_anon_mb']:.0f} MB)"))
    print(rows, flush=True)
    return rows


def updates_only(corpus: str, index: Path) -> None:
    """``--updates DIR``: the two updates on an index built earlier (``--keep``)."""
    paths = CORPORA[corpus]
    with tempfile.TemporaryDirectory() as tmp:
        rows = measure_updates(paths, index, Path(tmp))
    markdown = "\n".join([
        "### Updates of a full index",
        "",
        f"`python -m bench.index_bench --corpus {corpus} --updates DIR` on {machine()}, on an "
        "index of these sources built before by this benchmark. Peak memory: RSS of the "
        "writer / with its analysis workers, and in brackets the anonymous part of the tree "
        "(RSS counts the index files Whoosh maps into memory once they are read: page cache, "
        "not memory the process holds).",
        "",
        table(rows, ("run", "documents", "time", "rate", "× pyvi alone", "peak memory")),
    ])
    write_section("index-updates", markdown)
    print(markdown)


def _report(corpus: str, paths: list[Path], baseline: float, step: int, sampled: int,
            rows: list[tuple]) -> None:
    files = ", ".join(f"`{p.name}`" for p in paths)
    markdown = "\n".join([
        "## Indexing",
        "",
        f"`python -m bench.index_bench --corpus {corpus}` on {machine()}: {files}. "
        f"Baseline: pyvi's `ViTokenizer.tokenize` alone over title and text, "
        f"{baseline:.1f} docs/s (every {step}th document of each source, {sampled} in all, "
        "same run). Peak memory: RSS of the writer "
        "process / of the writer with its local analysis workers; in brackets the PSS of "
        "that tree (a page its processes share counts once) and its anonymous part (RSS "
        "also counts the index files Whoosh maps, which is page cache).",
        "",
        table(rows, ("run", "documents", "time", "rate", "× pyvi alone", "peak memory")),
    ])
    write_section("index", markdown)
    print(markdown)


if __name__ == "__main__":
    main()
