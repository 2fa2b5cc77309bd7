"""``python -m bench.autocomplete``: how fast ``/api/suggest`` answers, beside a search.

Queries are what a person types into a search box, cut at every keystroke that matters:
beginnings of indexed titles (the first one to four words, the last one cut short), typed
with and without diacritics, and beginnings of indexed document numbers (``15/20``). Each is
answered through the Flask app (``GET /api/suggest?limit=8``, JSON included). Baseline, same
run, same index, same typed text: a full search (``GET /api/search?per_page=8``), which is
what a search-as-you-type box would call without this endpoint.

``--index DIR`` reads an existing index; otherwise news-2k + the official legal documents are
indexed first (~2 minutes).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from unidecode import unidecode

from bench.report import machine, percentile, table, write_section
from bench.suggest import DOC, SEED, build_default_index
from search_service import create_app

QUERIES_PER_KIND = 200


def typed_prefixes(titles: list[str], numbers: list[str], rng: random.Random) -> dict[str, list]:
    """Beginnings of titles (as typed and without diacritics) and of document numbers."""
    accented = []
    for title in rng.sample(titles, min(QUERIES_PER_KIND, len(titles))):
        words = title.split()
        if not words:
            continue
        n = rng.randint(1, min(4, len(words)))
        last = words[n - 1]
        cut = last[:rng.randint(1, len(last))]
        accented.append(" ".join([*words[:n - 1], cut]))
    picked = rng.sample(numbers, min(QUERIES_PER_KIND, len(numbers))) if numbers else []
    return {
        "title beginnings, typed": accented,
        "title beginnings, no diacritics": [unidecode(q) for q in accented],
        "document number beginnings": [n[:rng.randint(3, len(n))] for n in picked if len(n) >= 3],
    }


def timed(client, path: str, queries: list[str], **params) -> tuple[list[float], int]:
    times, empty = [], 0
    for q in queries:
        started = time.perf_counter()
        response = client.get(path, query_string={"q": q, **params})
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.get_json()
        empty += not response.get_json()["hits"]
    return times, empty


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.autocomplete")
    parser.add_argument("--index", help="an existing index (default: build news-2k + legal)")
    parser.add_argument("--describe", help="what --index holds, for docs/ (default: its path)")
    parser.add_argument("--no-write", action="store_true", help="do not update docs/")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(args.index) if args.index else build_default_index(Path(tmp) / "index")
        app = create_app({"INDEX": str(root), "TESTING": True})
        client = app.test_client()
        searcher = app.extensions["tracuu.index"].searcher()
        docs = searcher.doc_count()
        titles, numbers = [], []
        for fields in searcher.all_stored_fields():
            titles.append(fields.get("title", ""))
            if fields.get("doc_number"):
                numbers.append(fields["doc_number"])
        kinds = typed_prefixes(sorted(t for t in titles if t), sorted(numbers),
                               random.Random(SEED))
        # warm up: open the searcher, load pyvi's model (for the baseline's parse)
        timed(client, "/api/suggest", ["nghi q"])
        timed(client, "/api/search", ["nghi q"], per_page=8)
        rows = []
        for kind, queries in kinds.items():
            if not queries:
                continue
            ours, empty = timed(client, "/api/suggest", queries, limit=8)
            base, _ = timed(client, "/api/search", queries, per_page=8)
            p50, b50 = statistics.median(ours), statistics.median(base)
            rows.append((kind, len(queries), f"{p50:.1f} ms", f"{percentile(ours, 95):.1f} ms",
                         f"{b50:.1f} ms", f"{b50 / p50:.1f}×", f"{empty}"))
    out = table(rows, ("queries", "n", "/api/suggest p50", "p95", "/api/search p50 (baseline)",
                       "suggest faster by", "no completion"))
    where = args.describe or args.index or "news-2k + legal-documents, built by the benchmark"
    markdown = (
        "## Autocomplete (`/api/suggest`)\n\n"
        f"`python -m bench.autocomplete` on {machine()}: index {where} ({docs:,} documents). "
        "Each query through the Flask test client (routing and JSON included), limit 8; "
        "the baseline is `/api/search` with `per_page=8` on the same text in the same run.\n\n"
        + out + "\n")
    print(markdown)
    if not args.no_write:
        write_section("autocomplete", markdown, DOC)


if __name__ == "__main__":
    main()
