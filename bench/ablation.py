"""``python -m bench.ablation``: the effect of each ranking choice, one at a time.

Builds the ALQAC and news-2k indexes once (as ``bench.eval`` does), then runs the
dev questions and a sample of known-item titles with the service's configuration
(``search_service.searcher.WEIGHTS``) and with each choice undone in turn. Writes the
table into docs/relevance.md ("Ablation").
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench import eval as E
from bench.report import machine, table, write_section
from search_service import searcher

# name → (what is undone, WEIGHTS overrides that undo it)
ABLATIONS: dict[str, tuple[str, dict[str, float]]] = {
    "service": ("the configuration the service runs", {}),
    "fields apart": ("title and body scored apart and added (Whoosh's BM25F), title 1, "
                     "k1 1.2, b 0.75: the service before session 4",
                     {"combine_fields": 0.0, "title": 1.0, "k1": 1.2, "b": 0.75}),
    "fields apart, tuned": ("title and body scored apart, the other weights as the service",
                            {"combine_fields": 0.0}),
    "k1 1.2, b 0.75": ("BM25's usual parameters", {"k1": 1.2, "b": 0.75}),
    "title 1": ("a word in the title counts as one in the body", {"title": 1.0}),
    "pairs 1.0": ("syllable pairs count as single syllables", {"bi": 1.0}),
    "no pairs": ("syllable pairs not searched", {"bi": 0.0}),
    "words 1.0": ("pyvi's words searched too, as much as syllables", {"words": 1.0}),
    "fold when accented": ("the folded fields searched for queries with diacritics too",
                           {"accented_fold": 1.0}),
    "boilerplate 1": ("question boilerplate weighted as any word", {"boilerplate": 1.0}),
    "no abbreviations": ("abbreviations not expanded", {"abbreviation": 0.0, "ambiguous": 0.0}),
}
KNOWN_ITEM_STEP = 10  # every 10th news-2k title: 200 per variant


def evaluate(root: Path, overrides: dict[str, float], questions, known) -> dict[str, E.Metrics]:
    saved = dict(searcher.WEIGHTS)
    searcher.WEIGHTS.update(overrides)
    try:
        out = {}
        system = E.Ours(root / "alqac")  # a new SearchIndex: no cached pages of other weights
        out["alqac"] = E.metrics(E.run(system, questions).ranks)
        system.close()
        system = E.Ours(root / "news")
        for variant, items in known.items():
            out[variant] = E.metrics(E.run(system, items).ranks)
        system.close()
        return out
    finally:
        searcher.WEIGHTS.clear()
        searcher.WEIGHTS.update(saved)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.ablation", description=__doc__)
    parser.add_argument("--only", help="comma-separated ablation names (default: all)")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    names = args.only.split(",") if args.only else list(ABLATIONS)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tracuu-ablation-") as tmp:
        root = Path(tmp)
        E.build_index(E.alqac_records(), root / "alqac")
        news = E.news_records()
        E.build_index(news, root / "news")
        questions = E.alqac_questions()
        known = {v: E.known_item_questions(news, v, KNOWN_ITEM_STEP) for v in E.VARIANTS}
        base = E.BM25(E.alqac_records())
        peer = E.metrics(E.run(base, questions).ranks)
        rows = [("plain BM25 (peer)", "", f"{peer.mrr10:.3f}", f"{peer.r1:.3f}", "", "", "", "")]
        for name in names:
            what, overrides = ABLATIONS[name]
            m = evaluate(root, overrides, questions, known)
            rows.append((name, what, f"{m['alqac'].mrr10:.3f}", f"{m['alqac'].r1:.3f}",
                         *(f"{m[v].r1:.3f}" for v in E.VARIANTS)))
            print(" | ".join(map(str, rows[-1])), file=sys.stderr, flush=True)
    header = ("configuration", "what changes", "ALQAC MRR@10", "ALQAC R@1",
              *(f"known item R@1, {v}" for v in E.VARIANTS))
    markdown = "\n".join([
        f"`python -m bench.ablation` on {machine()}, {time.perf_counter() - started:.0f} s: "
        f"all 529 ALQAC dev questions; every {KNOWN_ITEM_STEP}th news-2k title "
        f"({len(known['typed'])}) in each known-item variant. Each row changes one thing "
        "of the service's configuration.",
        "",
        table(rows, header),
    ])
    print(markdown)
    if not args.no_write and not args.only:
        write_section("ablation", markdown, doc=E.DOC)


if __name__ == "__main__":
    main()
