"""``python -m bench.query_bench --index DIR``: query latency in process, on a built index.

500 queries drawn from the titles of the indexed corpus (a fixed seed): title windows of
1–8 words as typed and without diacritics, whole titles, quoted phrases and document
numbers. Each runs as ``/api/search`` runs it (``SearchIndex.search``: top 10, snippets,
the facets the search page shows), with the result cache off. Baseline, same run and same
index: a plain Whoosh OR of the query's syllables on one field (``body_syl``), top 10,
stored fields read. "More like this": ``SearchIndex.similar`` for 100 documents.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

from unidecode import unidecode

from bench.index_bench import CORPORA
from bench.report import machine, percentile, table, write_section

KINDS = ("words", "no diacritics", "whole title", "phrase", "number")


def draw_queries(paths: Sequence[Path], n: int = 500, seed: int = 5) -> list[tuple[str, str]]:
    """(kind, query) pairs: 30 % title windows, 25 % the same without diacritics, 15 % whole
    titles, 15 % quoted phrases of 2–3 words, 15 % document numbers."""
    titles, numbers = [], []
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                record = json.loads(line)
                if len(record.get("title", "").split()) >= 3:
                    titles.append(record["title"])
                if record.get("doc_number"):
                    numbers.append(record["doc_number"])
    rng = random.Random(seed)

    def window(lo: int, hi: int) -> str:
        words = rng.choice(titles).split()
        size = min(len(words), rng.randint(lo, hi))
        start = rng.randint(0, len(words) - size)
        return " ".join(words[start:start + size])

    plan = {"words": 0.30, "no diacritics": 0.25, "whole title": 0.15, "phrase": 0.15,
            "number": 0.15}
    out = []
    for kind, share in plan.items():
        if kind == "number" and not numbers:
            continue  # a news-only corpus
        for _ in range(round(n * share)):
            if kind == "words":
                q = window(1, 8)
            elif kind == "no diacritics":
                q = unidecode(window(1, 8))
            elif kind == "whole title":
                q = rng.choice(titles)
            elif kind == "phrase":
                q = f'"{window(2, 3)}" {window(1, 2)}'
            else:
                q = rng.choice(numbers)
            out.append((kind, q))
    rng.shuffle(out)
    return out


def measure(index: Path, queries: list[tuple[str, str]], similar_docs: int = 100) -> dict:
    from whoosh import query as Q

    from indexer import analysis
    from indexer.schema import FACETS
    from search_service.query import parse_query
    from search_service.searcher import SearchIndex

    idx = SearchIndex(index, cache_size=0)
    facets = tuple(FACETS)
    idx.search(parse_query("khởi động"), 1, 10, facets=facets)  # load models, open the index
    ours: dict[str, list[float]] = {k: [] for k in KINDS}
    totals = []
    for kind, q in queries:
        started = time.perf_counter()
        page = idx.search(parse_query(q), 1, 10, facets=facets)
        ours[kind].append((time.perf_counter() - started) * 1000)
        totals.append(page.total)
    searcher = idx.searcher()
    base = []
    for _, q in queries:
        started = time.perf_counter()
        terms = [t.text for t in analysis.syllable_terms(q.replace('"', " "))]
        if terms:
            for hit in searcher.search(Q.Or([Q.Term("body_syl", t) for t in terms]), limit=10):
                hit.fields()
        base.append((time.perf_counter() - started) * 1000)
    reader = searcher.reader()
    ids = reader.column_reader("id")
    docnums = list(reader.all_doc_ids())
    rng = random.Random(3)
    similar = []
    for docnum in rng.sample(docnums, min(similar_docs, len(docnums))):
        started = time.perf_counter()
        idx.similar(ids[docnum], 5)
        similar.append((time.perf_counter() - started) * 1000)
    return {"ours": ours, "base": base, "similar": similar, "documents": len(docnums),
            "median_total": statistics.median(totals)}


def report(result: dict, corpus: str, index: Path) -> str:
    every = [t for times in result["ours"].values() for t in times]
    base = result["base"]
    rows = []
    for p in (50, 95, 99):
        rows.append((f"all {len(every)} queries, p{p}", f"{percentile(every, p):.1f} ms",
                     f"{percentile(base, p):.1f} ms",
                     f"{percentile(every, p) / max(percentile(base, p), 1e-9):.2f}×"))
    for kind, times in result["ours"].items():
        rows.append((f"{kind} ({len(times)}), p50 / p99",
                     f"{percentile(times, 50):.1f} / {percentile(times, 99):.1f} ms", "", ""))
    sim = result["similar"]
    rows.append((f"more like this ({len(sim)} documents), p50 / p99",
                 f"{percentile(sim, 50):.1f} / {percentile(sim, 99):.1f} ms", "", ""))
    return "\n".join([
        "## Query latency in process",
        "",
        f"`python -m bench.query_bench --index DIR --corpus {corpus}` on {machine()}, on an "
        f"index of {result['documents']} documents. Each query as `/api/search` runs it: "
        "top 10 with snippets and the facets of the search page, result cache off. "
        "Baseline (same run, same index): a plain Whoosh OR of the query's syllables on "
        "`body_syl`, top 10, stored fields read. Queries drawn from the corpus titles: "
        "windows of 1–8 words as typed and without diacritics, whole titles, a quoted "
        f"phrase plus words, document numbers (median total hits {result['median_total']:.0f}).",
        "",
        table(rows, ("queries", "Tra cứu", "baseline", "ratio")),
    ])


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.query_bench")
    parser.add_argument("--index", type=Path, required=True,
                        help="an index of the corpus (e.g. kept by bench.index_bench --keep)")
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="news-all+official")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--no-report", action="store_true",
                        help="print only; leave docs/performance.md as it is")
    args = parser.parse_args(argv)
    queries = draw_queries(CORPORA[args.corpus], args.queries)
    result = measure(args.index, queries)
    markdown = report(result, args.corpus, args.index)
    if not args.no_report:
        write_section("queries", markdown)
    print(markdown)


if __name__ == "__main__":
    main()
