"""Snippet matches: the one-regex scan finds exactly what the index's analysis finds.

The reference runs the analysis chain (``syllable_terms``) over the stored text and keeps
the syllables the query has; ``match_spans`` must give the same spans on real texts of the
corpus, for queries typed with diacritics, without, and in the other tone-mark style.
"""

from __future__ import annotations

import gzip
import json

import pytest
from unidecode import unidecode

from indexer import analysis
from indexer.fold import fold
from indexer.normalize import normalize_text
from indexer.tone import other_tone_style
from search_service.highlight import match_spans
from search_service.query import parse_query
from tests.conftest import LEGAL_DOCUMENTS, NEWS_2K


def reference(text: str, exact: frozenset[str], bare: frozenset[str]) -> list:
    spans = []
    for term in analysis.syllable_terms(text):
        if term.text in exact:
            spans.append((term.start, term.end, term.text))
        elif bare and fold(term.text) in bare:
            spans.append((term.start, term.end, fold(term.text)))
    return spans


def stored_texts(path, n: int) -> list[tuple[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        records = [json.loads(line) for _, line in zip(range(n), f, strict=False)]
    return [(normalize_text(r["title"]), normalize_text(r["text"])) for r in records]


@pytest.mark.parametrize("path", [NEWS_2K, LEGAL_DOCUMENTS], ids=["news", "legal"])
def test_same_spans_as_the_analysis(path):
    compared = marked = 0
    for title, text in stored_texts(path, 60):
        start = " ".join(title.split()[:5])
        for q in (start, unidecode(start), other_tone_style(title), "UBND hoà bình Đảng ủy",
                  "thuỷ lợi hoa quả khoẻ"):
            exact, bare = parse_query(q).highlight_terms()
            ours = match_spans(text, exact, bare)
            assert ours == reference(text, exact, bare), q
            compared += 1
            marked += bool(ours)
    assert compared == 300 and marked > 200


def test_either_tone_style_in_the_text_is_marked():
    text = "Hội nghị hoà giải ở xã Hòa Bình; thuỷ lợi và thủy sản; Khỏe, khoẻ."
    exact, bare = parse_query("hòa thủy khỏe").highlight_terms()
    assert [text[s:e] for s, e, _ in match_spans(text, exact, bare)] == [
        "hoà", "Hòa", "thuỷ", "thủy", "Khỏe", "khoẻ"]
    assert {t for _, _, t in match_spans(text, exact, bare)} == {"hòa", "thủy", "khỏe"}
