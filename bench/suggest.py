"""``python -m bench.suggest``: did-you-mean on news titles the index has never seen.

Titles are drawn with a fixed seed from ``news-all.jsonl.gz``, leaving out every article the
index holds (so no title's own words are in the model). The first ``--titles`` drawn are the
test set reported here; the next ones are the tuning set, never reported (``--tuning`` shows
them instead, for tuning).

- **Restoration**: each title is stripped of its diacritics (``nghị quyết`` → ``nghi
  quyet``), given to ``search_service.suggest``, and the share of syllables that come back
  exactly as the title writes them (lowercase, the index's tone style) is counted. Baseline,
  same run, same vocabulary: each syllable alone takes its most frequent accented form.
- **False suggestions**: the same titles as written (with diacritics): how many get a
  suggestion at all (each is one the user did not need).
- **Typos**: in each title one syllable of four letters or more has one letter deleted or two
  swapped; how often the suggestion gives back that syllable.

``--index DIR`` reads an existing index (built without news-all's held-out titles); otherwise
news-2k + the official legal documents are indexed first, as for the tests (~2 minutes).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from unidecode import unidecode

from bench.report import machine, table, write_section
from indexer import writer
from indexer.analysis import prepare
from indexer.generations import live_generation
from search_service.restore import Vocabulary
from search_service.searcher import SearchIndex
from search_service.suggest import suggest
from search_service.vocabulary import read_vocabulary

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
NEWS_ALL = SHARED / "news" / "news-all.jsonl.gz"
NEWS_2K = SHARED / "news" / "news-2k.jsonl.gz"
LEGAL = SHARED / "official" / "legal-documents.jsonl.gz"
DOC = ROOT / "docs" / "search-experience.md"
SEED = 20261128
_SYLLABLE = re.compile(r"[^\W\d_]+")


def held_out_titles(indexed: set[str], count: int, seed: int = SEED,
                    path: Path = NEWS_ALL) -> list[str]:
    """``count`` titles of news-all articles not in ``indexed``, drawn with ``seed``."""
    titles = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            title = " ".join(str(record.get("title", "")).split())
            if str(record.get("id")) not in indexed and _SYLLABLE.search(title):
                titles.append(title)
    titles = sorted(set(titles))
    random.Random(seed).shuffle(titles)
    return titles[:count]


def indexed_ids(searcher) -> set[str]:
    return {str(v) for v in searcher.reader().column_reader("id")}


def strip_diacritics(title: str) -> str:
    """The title typed without diacritics; syllables keep their places and their case."""
    return _SYLLABLE.sub(lambda m: unidecode(m.group()), prepare(title))


def syllables(text: str) -> list[str]:
    return [s.lower() for s in _SYLLABLE.findall(prepare(text))]


@dataclass
class Score:
    right: int = 0
    total: int = 0

    @property
    def ratio(self) -> float:
        return self.right / self.total if self.total else 0.0

    def add(self, got: list[str], want: list[str]) -> None:
        self.total += len(want)
        if len(got) == len(want):
            self.right += sum(g == w for g, w in zip(got, want, strict=True))


def restored(query: str, vocab: Vocabulary) -> str:
    found = suggest(query, vocab)
    return found.text if found else query


def most_frequent_form(query: str, vocab: Vocabulary) -> str:
    """The baseline: each syllable alone becomes its most frequent accented form."""

    def one(m: re.Match) -> str:
        forms = vocab.syllable_forms(m.group().lower())
        return forms[0][0] if forms else m.group()

    return _SYLLABLE.sub(one, query)


def restoration(titles: Iterable[str], vocab: Vocabulary) -> tuple[Score, Score, list]:
    ours, base, misses = Score(), Score(), []
    for title in titles:
        want = syllables(title)
        query = strip_diacritics(title)
        got = syllables(restored(query, vocab))
        ours.add(got, want)
        base.add(syllables(most_frequent_form(query, vocab)), want)
        misses += [(g, w) for g, w in zip(got, want, strict=False) if g != w]
    return ours, base, misses


def false_suggestions(titles: Iterable[str], vocab: Vocabulary) -> tuple[int, list[str]]:
    shown = [s.text for t in titles if (s := suggest(t, vocab)) is not None]
    return len(shown), shown


def typo(title: str, rng: random.Random) -> tuple[str, str] | None:
    """``title`` with one letter deleted or two swapped in one longer syllable, and that
    syllable (lowercase) as it should come back; None when no syllable is long enough."""
    text = prepare(title)
    spots = [m for m in _SYLLABLE.finditer(text) if len(m.group()) >= 4]
    if not spots:
        return None
    m = rng.choice(spots)
    word = m.group()
    i = rng.randrange(1, len(word) - 1)
    broken = word[:i] + word[i + 1:] if rng.random() < 0.5 else \
        word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if broken.lower() == word.lower():
        return None
    return text[:m.start()] + broken + text[m.end():], word.lower()


def typos(titles: Iterable[str], vocab: Vocabulary, seed: int = SEED) -> Score:
    rng = random.Random(seed)
    score = Score()
    for title in titles:
        case = typo(title, rng)
        if case is None:
            continue
        query, _ = case
        score.total += 1
        score.right += syllables(restored(query, vocab)) == syllables(title)
    return score


def build_default_index(root: Path) -> Path:
    summary = writer.build([NEWS_2K, LEGAL], root)
    assert not summary.failures, summary.failures
    return root


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.suggest")
    parser.add_argument("--index", help="an existing index (default: build news-2k + legal)")
    parser.add_argument("--titles", type=int, default=300)
    parser.add_argument("--tuning", action="store_true",
                        help="score the tuning titles instead (never written to docs)")
    parser.add_argument("--describe", help="what --index holds, for docs/ (default: its path)")
    parser.add_argument("--no-write", action="store_true", help="do not update docs/")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(args.index) if args.index else build_default_index(Path(tmp) / "index")
        index = SearchIndex(root)
        searcher = index.searcher()
        docs = searcher.doc_count()
        started = time.perf_counter()
        vocab = read_vocabulary(searcher.reader(), live_generation(root))
        load_s = time.perf_counter() - started
        drawn = held_out_titles(indexed_ids(searcher), 2 * args.titles)
        titles = drawn[args.titles:] if args.tuning else drawn[:args.titles]
        started = time.perf_counter()
        ours, base, misses = restoration(titles, vocab)
        per_query_ms = (time.perf_counter() - started) * 1000 / len(titles)
        false_count, false_shown = false_suggestions(titles, vocab)
        typo_score = typos(titles, vocab)
        index.close()
    rows = [
        ("syllables restored exactly (titles without diacritics)",
         f"{ours.ratio:.1%} ({ours.right}/{ours.total})",
         f"{base.ratio:.1%} (most frequent accented form per syllable)",
         f"{ours.ratio / base.ratio:.2f}×" if base.ratio else ""),
        ("titles typed with diacritics given a suggestion (false)",
         f"{false_count / len(titles):.1%} ({false_count}/{len(titles)})", "", ""),
        ("one-letter typos given back exactly (whole title right)",
         f"{typo_score.ratio:.1%} ({typo_score.right}/{typo_score.total})", "", ""),
        ("time per title (restoration and baseline)", f"{per_query_ms:.1f} ms", "", ""),
        ("vocabulary read from the index",
         f"{load_s:.1f} s, {len(vocab.words):,} folded words, {len(vocab.pairs):,} word pairs",
         "", ""),
    ]
    out = table(rows, ("measure", "did-you-mean", "baseline (same run)", "ratio"))
    where = args.describe or args.index or "news-2k + legal-documents, built by the benchmark"
    markdown = (
        "## Did-you-mean (\"Có phải bạn muốn tìm …\")\n\n"
        f"`python -m bench.suggest` on {machine()}: index {where} ({docs:,} documents); "
        f"{len(titles)} news titles drawn with seed {SEED} from `news-all.jsonl.gz`, none of "
        "them indexed, and not the titles the parameters were tuned on.\n\n" + out + "\n")
    print(markdown)
    common: dict[tuple[str, str], int] = {}
    for pair in misses:
        common[pair] = common.get(pair, 0) + 1
    print("most common misses (got, wanted):",
          sorted(common.items(), key=lambda kv: -kv[1])[:25])
    print("false suggestions:", false_shown[:15])
    if not args.tuning and not args.no_write:
        write_section("suggest", markdown, DOC)


if __name__ == "__main__":
    main()
