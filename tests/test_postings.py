"""Postings made in the analysing process are the bytes Whoosh itself would write."""

from __future__ import annotations

import itertools

import pytest

from indexer import analysis
from indexer.pipeline import analyze, document_fields
from indexer.readers import read_sources
from indexer.schema import TEXT_FIELDS, build_schema
from tests.conftest import LEGAL_DOCUMENTS, NEWS_2K, PORTAL_PAGE

# Hand-made edge cases: tone styles, Đ look-alikes, NFD, numbers, glued punctuation,
# line breaks inside a pyvi word, an empty-looking value.
EDGES = [
    "Văn phòng Huyện ủy ban hành Quyết định số 2820/QĐ-UBND về thuỷ lợi.",
    "hoà giải ở cơ sở;  sức khoẻ\ncộng đồng — \u00d0ảng bộ xã",
    "Nghị quyết\nĐại hội   XIII… 15/2020/NĐ-CP, 05-NQ/TU (2021)",
    "a",
    "?!",
]


@pytest.fixture(scope="module")
def records():
    sources = [NEWS_2K, LEGAL_DOCUMENTS, PORTAL_PAGE]
    out = []
    for path in sources:
        out += list(itertools.islice(read_sources([path]), 40))
    assert len(out) == 81
    return out


def test_index_terms_are_the_four_streams(records):
    texts = EDGES + [r.text for r in records] + [r.title for r in records]
    for text in texts:
        streams = analysis.index_terms(text)
        assert streams.words == [t.text for t in analysis.word_terms(text)]
        assert streams.syllables == [t.text for t in analysis.syllable_terms(text)]
        assert streams.folded == [t.text for t in analysis.folded_terms(text)]
        assert streams.bigrams == [t.text for t in analysis.bigram_terms(text)]


def test_postings_equal_whooshs_own(records):
    schema = build_schema()
    checked = 0
    for record in records:
        fields = document_fields(analyze(record))
        for name in TEXT_FIELDS:
            if name not in fields:
                continue
            ours = sorted(fields[name].items)
            # the plain text through the field's Whoosh analyzer and format
            theirs = sorted(schema[name].index(str(fields[name])))
            assert ours == theirs, (record.id, name)
            checked += 1
    assert checked == 81 * 8
