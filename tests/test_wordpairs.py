"""The word-pair counts a build writes beside the index (indexer/wordpairs.py)."""

from __future__ import annotations

from indexer import analysis
from indexer.generations import live_generation
from indexer.readers import read_sources
from indexer.wordpairs import FILE, PairCounter, WordPairs
from tests.conftest import ROOT


def test_pairs_are_counted_per_field_weighted_and_kept_from_two():
    counter = PairCounter()
    counter.add({"title": ("nghị_quyết", "đại_hội"), "body": ("nghị_quyết", "đại_hội", "15")})
    counter.add({"body": ("đại_hội", "đảng")})
    assert counter.counts  # hashed keys
    pairs = _round_trip(counter)
    assert pairs[("nghị quyết", "đại hội")] == 5 + 1
    assert pairs.get(("đại hội", "đảng")) == 0  # seen once: not written
    assert pairs.get(("đại hội", "15")) == 0  # numbers are not words
    assert pairs.get(("đại hội", "nghị quyết")) == 0  # order matters


def test_memory_is_bounded_by_dropping_the_rarest_pairs():
    counter = PairCounter(max_entries=100)
    for i in range(300):
        counter.add({"body": ("một", f"từ{chr(0x61 + i % 26)}{chr(0x61 + i // 26)}")})
        counter.add({"title": ("hai", "ba")})
    assert len(counter.counts) <= 100
    assert _round_trip(counter)[("hai", "ba")] == 5 * 300


def test_a_missing_or_damaged_file_means_no_pairs(tmp_path):
    assert WordPairs.load(tmp_path) is None
    (tmp_path / FILE).write_bytes(b"not a zip file")
    assert WordPairs.load(tmp_path) is None


def test_a_build_writes_the_pairs_of_its_documents(sample_index):
    pairs = WordPairs.load(live_generation(sample_index))
    assert pairs is not None and len(pairs) > 0
    # every pair of words of a title is counted five times: all are in the file
    record = next(r for r in read_sources([ROOT / "data"]) if getattr(r, "title", ""))
    words = [t.text.replace("_", " ") for t in analysis.word_terms(record.title)
             if t.text.replace("_", "").isalpha()]
    assert len(words) >= 2
    assert pairs[(words[0], words[1])] >= 5


def _round_trip(counter: PairCounter) -> WordPairs:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        counter.write(tmp)
        loaded = WordPairs.load(tmp)
    assert loaded is not None
    return loaded
