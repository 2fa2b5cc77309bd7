"""``python -m bench``: analysis, build and query speed, each beside a baseline of the same run.

Writes its section of docs/performance.md, then, unless ``--skip-index``, runs
``bench.index_bench`` (full builds of news-all and the official corpora: about 75 minutes
here), ``bench.query_bench`` and ``bench.load --report`` on the first full index. Baselines:
- analysis: ``pyvi.ViTokenizer.tokenize`` on the same texts;
- build: pyvi segmentation alone over the same texts (docs/s);
- queries: a plain Whoosh OR of syllable terms on one field (``body_syl``), on the same index.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from unidecode import unidecode

from bench import index_bench, load, query_bench
from bench.report import machine, percentile, table, write_section

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
CORPORA = {
    "2k": [SHARED / "news" / "news-2k.jsonl.gz"],
    "2k+official": [SHARED / "news" / "news-2k.jsonl.gz",
                    SHARED / "official" / "legal-documents.jsonl.gz"],
    "all": [SHARED / "news" / "news-all.jsonl.gz", *sorted((SHARED / "official").glob("*.gz"))],
}


def _records(paths, limit=None):
    def gen():
        for path in paths:
            with gzip.open(path, "rt", encoding="utf-8") as f:
                for line in f:
                    yield json.loads(line)
    return list(itertools.islice(gen(), limit))


def bench_analysis(texts, rounds=3):
    """pyvi and our segmenter on the same texts, same process: medians of alternating rounds."""
    from pyvi import ViTokenizer

    from indexer.normalize import normalize_text
    from indexer.segment import segment

    texts = [normalize_text(t) for t in texts]
    mb = sum(len(t.encode()) for t in texts) / 1e6
    ViTokenizer.tokenize("Khởi động")  # both models loaded before timing
    segment("Khởi động")
    base, ours = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        for t in texts:
            ViTokenizer.tokenize(t)
        base.append(time.perf_counter() - started)
        started = time.perf_counter()
        for t in texts:
            segment(t)
        ours.append(time.perf_counter() - started)
    return {"texts": len(texts), "mb": mb, "pyvi_s": statistics.median(base),
            "ours_s": statistics.median(ours)}


def check_segmentation(path):
    """Texts (title and text of every record) where segment() and pyvi disagree."""
    from pyvi import ViTokenizer

    from indexer.normalize import normalize_text
    from indexer.segment import as_pyvi_string, segment

    texts = [normalize_text(r[field]) for r in _records([path]) for field in ("title", "text")]
    divergent = sum(as_pyvi_string(t, segment(t)) != ViTokenizer.tokenize(t) for t in texts)
    return {"texts": len(texts), "divergent": divergent}


def bench_build(paths, index):
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "indexer", "build", *map(str, paths),
                           "--index", str(index), "--json", "--quiet"],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - started
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"documents": summary["added"], "seconds": seconds, "peak_mb": peak_mb}


def bench_queries(index, records):
    from whoosh import query as Q

    from indexer import analysis
    from search_service.query import parse_query
    from search_service.searcher import SearchIndex

    idx = SearchIndex(index)
    titles = [r["title"] for r in records]
    queries = (titles[:150] + [unidecode(t) for t in titles[150:300]]
               + [" ".join(t.split()[:4]) for t in titles[300:450]]
               + [r["doc_number"] for r in records if r.get("doc_number")][:50])
    idx.search(parse_query("khởi động"), 1, 10)  # load pyvi, open the index
    ours = []
    for q in queries:
        started = time.perf_counter()
        idx.search(parse_query(q), 1, 10)
        ours.append((time.perf_counter() - started) * 1000)
    searcher = idx._searcher()
    base = []
    for q in queries:
        started = time.perf_counter()
        terms = [t.text for t in analysis.syllable_terms(q)]
        results = searcher.search(Q.Or([Q.Term("body_syl", t) for t in terms]), limit=10)
        for hit in results:
            hit.fields()
        base.append((time.perf_counter() - started) * 1000)
    similar = []
    for r in records[:100]:
        started = time.perf_counter()
        idx.similar(r["id"], 5)
        similar.append((time.perf_counter() - started) * 1000)
    return {"queries": len(queries), "ours": ours, "base": base, "similar": similar}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="2k+official")
    parser.add_argument("--skip-index", action="store_true",
                        help="skip the full news-all indexing benchmark (bench.index_bench)")
    args = parser.parse_args()
    paths = CORPORA[args.corpus]
    records = _records(paths)
    print(f"corpus {args.corpus}: {len(records)} documents", flush=True)

    news = _records(paths[:1], 500)
    analysis = bench_analysis([r["text"] for r in news])
    print(f"analysis: pyvi {analysis['pyvi_s']:.1f} s, ours {analysis['ours_s']:.1f} s",
          flush=True)
    same = check_segmentation(CORPORA["2k"][0])
    print(f"analysis: identical to pyvi on all of news-2k? {same['texts']} texts, "
          f"{same['divergent']} divergent", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        from pyvi import ViTokenizer

        started = time.perf_counter()
        for r in records:
            ViTokenizer.tokenize(r["title"])
            ViTokenizer.tokenize(r["text"])
        pyvi_docs_s = len(records) / (time.perf_counter() - started)
        build = bench_build(paths, Path(tmp) / "index")
        print(f"build: {build['seconds']:.0f} s, peak {build['peak_mb']:.0f} MB", flush=True)
        queries = bench_queries(Path(tmp) / "index", records)

    build_docs_s = build["documents"] / build["seconds"]
    q, b = queries["ours"], queries["base"]
    rows = [
        ("analysis (segment, news, one core)", f"{analysis['mb'] / analysis['ours_s']:.2f} MB/s",
         f"{analysis['mb'] / analysis['pyvi_s']:.2f} MB/s (ViTokenizer.tokenize)",
         f"{analysis['pyvi_s'] / analysis['ours_s']:.2f}×"),
        ("segmentation = pyvi (news-2k, titles and texts)",
         f"{same['divergent']} divergent of {same['texts']} texts", "ViTokenizer.tokenize", ""),
        (f"build ({build['documents']} docs)", f"{build_docs_s:.1f} docs/s",
         f"{pyvi_docs_s:.1f} docs/s (pyvi segmentation alone)",
         f"{build_docs_s / pyvi_docs_s:.2f}×"),
        ("build peak memory", f"{build['peak_mb']:.0f} MB", "", ""),
    ]
    for p in (50, 95, 99):
        rows.append((f"query p{p} ({queries['queries']} queries, top 10 + snippets)",
                     f"{percentile(q, p):.1f} ms",
                     f"{percentile(b, p):.1f} ms (OR of syllables, one field)",
                     f"{percentile(q, p) / percentile(b, p):.2f}×"))
    rows.append(("more like this p50 (100 documents)",
                 f"{statistics.median(queries['similar']):.1f} ms", "", ""))

    text = "\n".join([
        "## Analysis, build and queries",
        "",
        f"`python -m bench --corpus {args.corpus}` on {machine()} ({len(records)} documents: "
        + ", ".join(f"`{p.name}`" for p in paths) + ").",
        "",
        table(rows, ("measure", "Tra cứu", "baseline (same run)", "ratio")),
        "",
        "Query set: 150 titles as typed, 150 titles without diacritics, 150 four-word title "
        "prefixes, up to 50 document numbers. The build runs `python -m indexer build` in a "
        "subprocess; its peak memory is the child's maximum RSS.",
    ])
    write_section("search", text)
    print(text)
    if not args.skip_index:
        # the full builds, then query latency and load on the first index they build
        with tempfile.TemporaryDirectory() as tmp:
            full = Path(tmp) / "full-index"
            index_bench.run("news-all+official", ["workers", "dask", "serial"], keep=full)
            query_bench.main(["--index", str(full)])
            load.main([str(full), "--levels", "1,2,4,8,16,32", "--report"])


if __name__ == "__main__":
    main()
