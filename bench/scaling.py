"""``python -m bench.scaling``: build time against corpus size, and a plot of it.

The corpus is news-all + official in a fixed shuffled order (so every size has the same
mix of short news and long official texts); the first 1k, 5k and 20k documents are written
to JSON Lines files and each is built by ``python -m indexer build`` in a subprocess. The
49k point is the full build of ``bench.index_bench`` with the same options, when its
figures are given (``--full SECONDS``), since it takes the better part of an hour.
"""

from __future__ import annotations

import argparse
import gzip
import random
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.index_bench import CORPORA, run_measured
from bench.report import DOC, machine, table, write_section

SIZES = (1000, 5000, 20000)


def records(seed: int = 13) -> list[str]:
    lines = []
    for path in CORPORA["news-all+official"]:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            lines.extend(line for line in f if line.strip())
    random.Random(seed).shuffle(lines)
    return lines


def plot(points: list[tuple[int, float]], path: Path, workers: int) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.5, 4), dpi=110)
    sizes, seconds = zip(*points, strict=True)
    ax.plot(sizes, seconds, "-o", label="build time")
    per_doc = seconds[0] / sizes[0]
    ax.plot(sizes, [per_doc * n for n in sizes], ":", label="linear from the smallest")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("documents (news-all + official, shuffled)")
    ax.set_ylabel("seconds")
    ax.set_title(f"python -m indexer build --workers {workers}")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.scaling")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--full", type=float, metavar="SECONDS",
                        help="seconds of the full build (49,300 documents) measured by "
                             "bench.index_bench with the same --workers")
    args = parser.parse_args(argv)
    lines = records()
    rows, points = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for size in map(int, args.sizes.split(",")):
            source = Path(tmp) / f"first-{size}.jsonl"
            source.write_text("".join(lines[:size]), encoding="utf-8")
            started = time.perf_counter()
            result = run_measured(["build", str(source), "--index", str(Path(tmp) / f"ix{size}"),
                                   "--workers", str(args.workers)])
            seconds = time.perf_counter() - started
            points.append((size, seconds))
            rows.append((size, f"{seconds:.0f} s", f"{size / seconds:.1f} docs/s",
                         f"{result['peak_tree_mb']:.0f} MB"))
            print(rows[-1], flush=True)
    if args.full:
        points.append((len(lines), args.full))
        rows.append((len(lines), f"{args.full:.0f} s", f"{len(lines) / args.full:.1f} docs/s",
                     "(bench.index_bench)"))
    png = DOC.parent / "build-scaling.png"
    plot(points, png, args.workers)
    write_section("scaling", "\n".join([
        "## Build time against corpus size",
        "",
        f"`python -m bench.scaling --workers {args.workers}` on {machine()}: the first N "
        "documents of news-all + official in one shuffled order, each built in a subprocess"
        + (" (the last row is the full build of `bench.index_bench`)." if args.full else "."),
        "",
        table(rows, ("documents", "build", "rate", "peak RSS (tree)")),
        "",
        f"![build time against corpus size]({png.name})",
    ]))


if __name__ == "__main__":
    main()
