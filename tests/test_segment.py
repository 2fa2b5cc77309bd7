"""Step 2: pyvi segmentation with offsets, identical to ViTokenizer.tokenize."""

from __future__ import annotations

import gzip
import itertools
import json

from pyvi import ViTokenizer

from indexer.normalize import normalize_text
from indexer.segment import as_pyvi_string, segment
from tests.conftest import LEGAL_DOCUMENTS, NEWS_2K, PORTAL_PAGE


def _texts():
    with gzip.open(NEWS_2K, "rt", encoding="utf-8") as f:
        for line in itertools.islice(f, 400):
            record = json.loads(line)
            yield record["title"]
            yield record["text"]
    with gzip.open(LEGAL_DOCUMENTS, "rt", encoding="utf-8") as f:
        for line in itertools.islice(f, 20):
            yield json.loads(line)["text"]
    yield PORTAL_PAGE.read_text(encoding="utf-8")


def test_identical_to_pyvi_on_real_text():
    compared = 0
    for raw in _texts():
        text = normalize_text(raw)
        assert as_pyvi_string(text, segment(text)) == ViTokenizer.tokenize(text)
        compared += 1
    assert compared == 821


def test_offsets_point_at_the_syllables():
    text = normalize_text(PORTAL_PAGE.read_text(encoding="utf-8"))
    words = segment(text)
    assert len(words) > 1000
    spans = [span for word in words for span in word.spans]
    # spans are in order, never overlap, and skip nothing but white space
    assert spans[0][0] == 0
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end <= start and text[end:start].strip() == ""
    assert text[spans[-1][1]:].strip() == ""
    joined = {w.joined(text) for w in words}
    assert {"Văn_phòng", "Huyện_ủy", "cách_mạng"} <= joined


def test_empty_and_punctuation_only():
    assert segment("") == []
    assert [w.joined("!?") for w in segment("!?")] == ["!", "?"]
