"""``python -m bench.similar_eval``: does "more like this" find the same subject?

On the ALQAC law articles, for every ``STEP``-th article, the share of its 5 similar
articles (``SearchIndex.similar``, the code of ``/api/documents/<id>/similar``) that
belong to the same law: a proxy for "same subject". Peer, same run, same articles:
TF-IDF cosine over lower-cased syllables of title and text (scikit-learn, no
segmentation, no folding). Writes the "More like this" section of docs/relevance.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bench import eval as E
from bench.report import machine, percentile, table, write_section

STEP = 7  # 2,249 articles: 322 queries
TOP = 5


def tfidf_neighbours(texts: Sequence[str], queries: Sequence[int], top: int) -> list[list[int]]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(token_pattern=r"(?u)\w+", lowercase=True).fit_transform(texts)
    out = []
    for i in queries:
        sims = (matrix @ matrix[i].T).toarray().ravel()
        sims[i] = -1.0
        out.append(list(np.argsort(-sims, kind="stable")[:top]))
    return out


def run(root: Path | None = None, step: int = STEP) -> dict:
    from search_service.searcher import SearchIndex

    records = E.alqac_records()
    law = {r.id: r.category for r in records}
    queries = list(range(0, len(records), step))
    with tempfile.TemporaryDirectory(prefix="tracuu-similar-") as tmp:
        index_root = root or Path(tmp) / "alqac"
        if root is None:
            E.build_index(records, index_root)
        index = SearchIndex(index_root)
        index.similar(records[0].id, TOP)  # open the index before timing
        ours, times = [], []
        for i in queries:
            started = time.perf_counter()
            hits = index.similar(records[i].id, TOP)
            times.append((time.perf_counter() - started) * 1000)
            ours.append([h["id"] for h in hits])
        index.close()
    started = time.perf_counter()
    peer_idx = tfidf_neighbours([f"{r.title}\n{r.text}" for r in records], queries, TOP)
    peer_s = time.perf_counter() - started
    peer = [[records[j].id for j in row] for row in peer_idx]

    def share(rows: list[list[str]]) -> float:
        same = [sum(law[d] == law[records[i].id] for d in row) / TOP
                for i, row in zip(queries, rows, strict=True)]
        return statistics.mean(same)

    return {"n": len(queries), "ours": share(ours), "peer": share(peer),
            "p50_ms": statistics.median(times),
            "p95_ms": percentile(times, 95),
            "peer_s": peer_s}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.similar_eval", description=__doc__)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    from search_service import searcher

    r = run()
    markdown = "\n".join([
        f"`python -m bench.similar_eval` on {machine()}: every {STEP}th ALQAC article "
        f"({r['n']} of 2,249), its {TOP} similar articles; the share from the same law.",
        "",
        table([("Tra cứu `/similar`", f"{r['ours']:.3f}",
                f"{r['p50_ms']:.1f} ms / {r['p95_ms']:.1f} ms"),
               ("TF-IDF cosine over syllables (peer)", f"{r['peer']:.3f}",
                f"{r['peer_s']:.1f} s in all, in memory")],
              ("system", f"same law among the top {TOP}", "time p50 / p95")),
        "",
        f"Key terms: {searcher.SIMILAR}.",
    ])
    print(markdown)
    if not args.no_write:
        write_section("similar", markdown, doc=E.DOC)
        print(f"wrote {E.DOC}", file=sys.stderr)


if __name__ == "__main__":
    main()
