"""``python -m bench.eval``: how well Tra cứu ranks, beside a plain BM25 of the same run.

Two evaluations, each on an index built by the project's own indexer and queried
through the code path of ``/api/search`` (``parse_query`` → ``SearchIndex.search``,
first page of 10):

- **ALQAC** (``../shared/corpus/eval/alqac``): 2,249 law articles, 529 dev questions with
  judgments. Recall@1, Recall@10, MRR@10, overall and per question type.
- **Known item** (news-2k): each title is the query for its own article, typed four ways
  (as is, without diacritics, its first six words, the other tone-mark style). Recall@1.

The baseline is computed in the same run on the same documents and queries: plain
BM25 (k1 1.2, b 0.75) over lower-cased syllables (``\\w+`` on NFC text) and adjacent
syllable pairs of title + text (+ summary where there is one: the text our index searches), with
no segmentation, no folding, no tone normalisation, no field weights.

A query counts as found at rank r if any relevant document is at rank r (r ≤ 10).
``--subset`` runs the fixed fast subset that ``tests/test_relevance.py`` guards.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import tempfile
import time
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np
from unidecode import unidecode

from bench.report import machine, table, write_section
from indexer import writer
from indexer.readers.records import read_records, record_from_mapping
from indexer.record import ReadError, Record
from indexer.tone import other_tone_style

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
ALQAC = SHARED / "eval" / "alqac"
NEWS_2K = SHARED / "news" / "news-2k.jsonl.gz"
DOC = ROOT / "docs" / "relevance.md"

K = 10  # the first page of /api/search
K1, B = 1.2, 0.75  # the baseline's BM25 parameters (the same as our searcher's BM25F)

# The fast subset guarded by tests/test_relevance.py (and run by --subset).
SUBSET_QUESTIONS = 100  # the first 100 dev questions, in file order
SUBSET_TITLE_STEP = 20  # every 20th news-2k title: 100 titles
SUBSET_VARIANTS = ("typed", "no diacritics")

# The ways a known item's title is typed as a query.
VARIANTS: dict[str, Callable[[str], str]] = {
    "typed": lambda title: title,
    "no diacritics": unidecode,
    "first six words": lambda title: " ".join(title.split()[:6]),
    "other tone style": other_tone_style,
}


# --- data -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Question:
    qid: str
    query: str
    relevant: frozenset[str]
    kind: str = ""  # ALQAC's question_type, or the known-item variant


def _ok(items: Iterable[Record | ReadError]) -> list[Record]:
    records = []
    for item in items:
        if isinstance(item, ReadError):
            raise SystemExit(f"cannot read the evaluation data: {item}")
        records.append(item)
    return records


def alqac_records(path: Path = ALQAC / "corpus.jsonl.gz") -> list[Record]:
    """The law articles as Records, through the JSON records reader's own normalisation.

    The law's name is the category, ``doc_type`` stays; the file's own ``category``
    (``legal_article`` on every line) is not used.
    """
    def records():
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                o = json.loads(line)
                yield record_from_mapping({"id": o["id"], "title": o["title"], "text": o["text"],
                                           "category": o.get("law_id", ""),
                                           "doc_type": o.get("doc_type", "")}, path)
    return _ok(records())


def alqac_questions(limit: int | None = None, directory: Path = ALQAC) -> list[Question]:
    """The dev questions in file order (the first ``limit``), with their relevant articles."""
    relevant: dict[str, set[str]] = defaultdict(set)
    with open(directory / "qrels-dev.tsv", encoding="utf-8") as f:
        next(f)  # qid, doc_id, relevance
        for line in f:
            qid, doc_id, grade = line.rstrip("\n").split("\t")
            if int(grade) > 0:
                relevant[qid].add(doc_id)
    questions = []
    with open(directory / "queries-dev.jsonl", encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            if relevant.get(o["qid"]):
                questions.append(Question(o["qid"], o["query"], frozenset(relevant[o["qid"]]),
                                          o.get("question_type", "")))
    return questions[:limit]


def news_records(path: Path = NEWS_2K) -> list[Record]:
    """news-2k as the records reader reads it."""
    return _ok(read_records(path))


def known_item_questions(records: Sequence[Record], variant: str, step: int = 1
                         ) -> list[Question]:
    """Every ``step``-th record's title, typed as ``variant``, as a query for that record
    (and for any other record with the very same title)."""
    by_title: dict[str, set[str]] = defaultdict(set)
    for r in records:
        by_title[r.title].add(r.id)
    typed = VARIANTS[variant]
    return [Question(r.id, typed(r.title), frozenset(by_title[r.title]), variant)
            for r in records[::step]]


# --- the systems ------------------------------------------------------------------------

def build_index(records: Iterable[Record], root: Path) -> float:
    """Index ``records`` with the project's indexer into ``root``; seconds taken.

    Records given in memory are analysed in this process (the indexer's ``workers`` only
    parallelise the analysis of files), so the build is serial.
    """
    started = time.perf_counter()
    summary = writer.build([], root, records=records)
    if summary.failures:
        raise SystemExit(f"indexing failed: {summary.failures[:3]}")
    return time.perf_counter() - started


class Ours:
    """The ranking of ``/api/search``: ``parse_query`` then ``SearchIndex.search``, page 1."""

    name = "Tra cứu"

    def __init__(self, root: Path):
        from search_service.query import parse_query
        from search_service.searcher import SearchIndex

        self._parse, self.index = parse_query, SearchIndex(root)

    def __call__(self, query: str) -> list[str]:
        return [hit["id"] for hit in self.index.search(self._parse(query), 1, K).hits]

    def close(self) -> None:
        self.index.close()


_TOKEN = re.compile(r"\w+")


def bm25_tokens(text: str) -> list[str]:
    """Lower-cased syllables of NFC text, then every pair of adjacent syllables."""
    syllables = _TOKEN.findall(unicodedata.normalize("NFC", text).lower())
    return syllables + [f"{a} {b}" for a, b in pairwise(syllables)]


def bm25_text(record: Record) -> str:
    """What the baseline indexes of a record: the text our index searches, title included."""
    return "\n".join(p for p in (record.title, record.summary, record.text) if p)


class BM25:
    """Plain BM25 (Lucene's idf, query terms counted as often as they occur), in memory."""

    name = "BM25 baseline"

    def __init__(self, records: Sequence[Record], k1: float = K1, b: float = B):
        self.ids = [r.id for r in records]
        self.vocab: dict[str, int] = {}
        terms, docs, tfs = array("l"), array("l"), array("d")
        lengths = np.zeros(len(records))
        for i, record in enumerate(records):
            counts = Counter(bm25_tokens(bm25_text(record)))
            lengths[i] = sum(counts.values())
            for term, tf in counts.items():
                terms.append(self.vocab.setdefault(term, len(self.vocab)))
                docs.append(i)
                tfs.append(tf)
        term_ids = np.frombuffer(terms, dtype=np.int64)
        order = np.argsort(term_ids, kind="stable")
        self.docs = np.frombuffer(docs, dtype=np.int64)[order]
        tf = np.frombuffer(tfs, dtype=np.float64)[order]
        df = np.bincount(term_ids, minlength=len(self.vocab))
        self.offsets = np.concatenate(([0], np.cumsum(df)))
        n = len(records)
        idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        norm = k1 * (1 - b + b * lengths / lengths.mean())
        self.weights = idf[term_ids[order]] * tf * (k1 + 1) / (tf + norm[self.docs])

    def __call__(self, query: str) -> list[str]:
        scores = np.zeros(len(self.ids))
        for term in bm25_tokens(query):
            tid = self.vocab.get(term)
            if tid is not None:
                a, b = self.offsets[tid], self.offsets[tid + 1]
                scores[self.docs[a:b]] += self.weights[a:b]
        matched = np.flatnonzero(scores)
        top = matched[np.lexsort((matched, -scores[matched]))][:K]  # ties: document order
        return [self.ids[i] for i in top]

    def close(self) -> None:
        pass


# --- measuring --------------------------------------------------------------------------

def first_rank(ranking: Sequence[str], relevant: frozenset[str]) -> int | None:
    """1-based rank of the first relevant document in the top ``K``, or None."""
    for rank, doc_id in enumerate(ranking[:K], start=1):
        if doc_id in relevant:
            return rank
    return None


@dataclass
class Run:
    """One system over one question set: the rankings and first relevant ranks."""

    questions: list[Question]
    rankings: list[list[str]]
    seconds: float

    @property
    def ranks(self) -> list[int | None]:
        return [first_rank(r, q.relevant) for q, r in zip(self.questions, self.rankings,
                                                          strict=True)]


def run(system: Callable[[str], list[str]], questions: Sequence[Question]) -> Run:
    started = time.perf_counter()
    rankings = [system(q.query) for q in questions]
    return Run(list(questions), rankings, time.perf_counter() - started)


@dataclass(frozen=True)
class Metrics:
    n: int
    r1: float
    r10: float
    mrr10: float


def metrics(ranks: Sequence[int | None]) -> Metrics:
    """Recall@1, Recall@10 and MRR@10 of first relevant ranks (None: not in the top 10)."""
    n = len(ranks)
    if n == 0:
        return Metrics(0, 0.0, 0.0, 0.0)
    found = [r for r in ranks if r is not None]
    return Metrics(n, sum(r == 1 for r in found) / n, len(found) / n,
                   sum(1 / r for r in found) / n)


def by_kind(run_: Run) -> dict[str, Metrics]:
    groups: dict[str, list[int | None]] = defaultdict(list)
    for q, rank in zip(run_.questions, run_.ranks, strict=True):
        groups[q.kind].append(rank)
    return {kind: metrics(ranks) for kind, ranks in groups.items()}


# --- the report -------------------------------------------------------------------------

def _f(x: float) -> str:
    return f"{x:.3f}"


def _d(x: float) -> str:
    return f"{x:+.3f}"


def alqac_table(ours: Run, base: Run) -> str:
    o, b = metrics(ours.ranks), metrics(base.ranks)
    rows = [(Ours.name, _f(o.r1), _f(o.r10), _f(o.mrr10)),
            (BM25.name, _f(b.r1), _f(b.r10), _f(b.mrr10)),
            ("difference", _d(o.r1 - b.r1), _d(o.r10 - b.r10), _d(o.mrr10 - b.mrr10))]
    return table(rows, (f"system ({o.n} questions)", "R@1", "R@10", "MRR@10"))


def kind_table(ours: Run, base: Run) -> str:
    o, b = by_kind(ours), by_kind(base)
    rows = [(kind or "(none)", o[kind].n, _f(o[kind].r1), _f(b[kind].r1),
             _f(o[kind].mrr10), _f(b[kind].mrr10), _d(o[kind].mrr10 - b[kind].mrr10))
            for kind in sorted(o, key=lambda k: -o[k].n)]
    return table(rows, ("question type", "questions", "R@1 ours", "R@1 BM25", "MRR@10 ours",
                        "MRR@10 BM25", "MRR@10 difference"))


def known_item_table(runs: dict[str, tuple[Run, Run]], titles: dict[str, str]) -> str:
    """R@1 per variant; also over the queries the variant actually changed."""
    rows = []
    for variant, (ours, base) in runs.items():
        o, b = metrics(ours.ranks), metrics(base.ranks)
        changed = [q.query != titles[q.qid] for q in ours.questions]
        oc = metrics([r for r, c in zip(ours.ranks, changed, strict=True) if c])
        bc = metrics([r for r, c in zip(base.ranks, changed, strict=True) if c])
        rows.append((variant, o.n, _f(o.r1), _f(b.r1), _d(o.r1 - b.r1), _f(o.mrr10),
                     _f(b.mrr10), oc.n, _f(oc.r1) if oc.n else "", _f(bc.r1) if bc.n else ""))
    return table(rows, ("query", "titles", "R@1 ours", "R@1 BM25", "R@1 difference",
                        "MRR@10 ours", "MRR@10 BM25", "changed by the variant",
                        "R@1 ours (changed)", "R@1 BM25 (changed)"))


def first_only(a: Run, b: Run) -> int:
    """How many questions ``a`` answers at rank 1 and ``b`` does not."""
    return sum(x == 1 and y != 1 for x, y in zip(a.ranks, b.ranks, strict=True))


def losses(ours: Run, base: Run, titles: dict[str, str], limit: int) -> list[str]:
    """Questions BM25 answers at rank 1 and we do not: what we put first instead."""
    out = []
    for q, o_rank, b_rank, ranking in zip(ours.questions, ours.ranks, base.ranks, ours.rankings,
                                          strict=True):
        if b_rank == 1 and o_rank != 1:
            top = ranking[0] if ranking else "(nothing)"
            want = sorted(q.relevant)[0]
            out.append(f"{q.qid} [{q.kind}] {q.query}\n    ours #1: {top}: {titles.get(top, '')}"
                       f"\n    relevant (our rank {o_rank}): {want}: {titles.get(want, '')}")
    return out[:limit]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.eval", description=__doc__.split(
        "\n")[0])
    parser.add_argument("--sample", type=int, metavar="N",
                        help="only the first N dev questions and every (2000/N)-th news title")
    parser.add_argument("--subset", action="store_true",
                        help="the fast subset of tests/test_relevance.py: 100 dev questions, "
                             "100 titles typed and without diacritics")
    parser.add_argument("--losses", type=int, default=0, metavar="N",
                        help="print N ALQAC questions BM25 ranks first and we do not")
    parser.add_argument("--no-write", action="store_true",
                        help=f"do not rewrite the measured section of {DOC.relative_to(ROOT)}")
    args = parser.parse_args(argv)

    if args.subset:
        limit, step, variants = SUBSET_QUESTIONS, SUBSET_TITLE_STEP, SUBSET_VARIANTS
    elif args.sample:
        limit, step, variants = args.sample, max(1, 2000 // args.sample), tuple(VARIANTS)
    else:
        limit, step, variants = None, 1, tuple(VARIANTS)
    command = "python -m bench.eval" + (" --subset" if args.subset else "") + (
        f" --sample {args.sample}" if args.sample and not args.subset else "")
    started = time.perf_counter()

    def say(message: str) -> None:
        print(f"[{time.perf_counter() - started:5.0f} s] {message}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="tracuu-eval-") as tmp:
        laws = alqac_records()
        questions = alqac_questions(limit)
        build_alqac = build_index(laws, Path(tmp) / "alqac")
        say(f"ALQAC: indexed {len(laws)} articles in {build_alqac:.1f} s")
        ours_system, bm25_started = Ours(Path(tmp) / "alqac"), time.perf_counter()
        bm25 = BM25(laws)
        bm25_alqac = time.perf_counter() - bm25_started
        alqac_ours, alqac_base = run(ours_system, questions), run(bm25, questions)
        ours_system.close()
        say(f"ALQAC: {len(questions)} questions, ours {alqac_ours.seconds:.1f} s, "
            f"BM25 {alqac_base.seconds:.1f} s")
        titles = {r.id: r.title for r in laws}

        news = news_records()
        build_news = build_index(news, Path(tmp) / "news")
        say(f"news-2k: indexed {len(news)} articles in {build_news:.1f} s")
        ours_system, bm25_started = Ours(Path(tmp) / "news"), time.perf_counter()
        bm25 = BM25(news)
        bm25_news = time.perf_counter() - bm25_started
        known: dict[str, tuple[Run, Run]] = {}
        for variant in variants:
            items = known_item_questions(news, variant, step)
            known[variant] = (run(ours_system, items), run(bm25, items))
            say(f"known item, {variant}: {len(items)} titles, "
                f"ours {known[variant][0].seconds:.1f} s, BM25 {known[variant][1].seconds:.1f} s")
        ours_system.close()

    total = time.perf_counter() - started
    n_titles = len(news[::step])
    sections = [
        f"Measured with `{command}` on {machine()}; {total:.0f} s in all.",
        "",
        f"**ALQAC dev** ({len(questions)} of 529 questions, {len(laws)} articles):",
        "",
        alqac_table(alqac_ours, alqac_base),
        "",
        "Per question type:",
        "",
        kind_table(alqac_ours, alqac_base),
        "",
        f"**Known item, news-2k** ({n_titles} titles of {len(news)}"
        + (f", every {step}th" if step > 1 else "") + "; a title a variant leaves as it "
        "was is queried as typed):",
        "",
        known_item_table(known, {r.id: r.title for r in news}),
        "",
        "Timings (seconds; the machine is shared):",
        "",
        table([("index ALQAC (project indexer)", f"{build_alqac:.1f}"),
               ("index news-2k (project indexer)", f"{build_news:.1f}"),
               ("BM25 baseline in memory, ALQAC + news-2k", f"{bm25_alqac + bm25_news:.1f}"),
               (f"{len(questions)} ALQAC questions, ours / BM25",
                f"{alqac_ours.seconds:.1f} / {alqac_base.seconds:.1f}"),
               (f"{sum(len(o.questions) for o, _ in known.values())} known-item queries, "
                "ours / BM25",
                f"{sum(o.seconds for o, _ in known.values()):.1f} / "
                f"{sum(b.seconds for _, b in known.values()):.1f}")],
              ("step", "seconds")),
    ]
    markdown = "\n".join(sections)
    print(markdown)
    if args.losses:
        print(f"\nALQAC: BM25 ranks first and we do not: {first_only(alqac_base, alqac_ours)} "
              f"questions; the reverse: {first_only(alqac_ours, alqac_base)}. "
              f"The first {args.losses}:\n")
        print("\n".join(losses(alqac_ours, alqac_base, titles, args.losses)))
    if not args.no_write and not args.sample and not args.subset:
        write_section("relevance", markdown, doc=DOC)
        print(f"\nwrote {DOC.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
