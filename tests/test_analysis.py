"""The analysis chain, step by step, and the Whoosh analyzers built on it."""

from __future__ import annotations

import unicodedata

import pytest

from indexer import analysis
from indexer.analyzers import (
    bigram_analyzer,
    folded_analyzer,
    syllable_analyzer,
    word_analyzer,
)
from indexer.normalize import normalize_text
from tests.conftest import PORTAL_PAGE, run_snippet

SENTENCE = "Văn phòng Huyện ủy ban hành Quyết định số 2820/QĐ-UBND về thuỷ lợi."


def test_pipeline_steps_on_a_real_sentence():
    text = analysis.prepare(SENTENCE)
    assert text == SENTENCE.replace("thuỷ", "thủy")
    assert [t.text for t in analysis.words(text)] == [
        "Văn_phòng", "Huyện", "ủy", "ban_hành", "Quyết_định", "số", "2820", "QĐ", "UBND", "về",
        "thủy_lợi"]
    assert [t.text for t in analysis.word_terms(SENTENCE)][:4] == [
        "văn_phòng", "huyện", "ủy", "ban_hành"]
    assert [t.text for t in analysis.syllable_terms(SENTENCE)] == [
        "văn", "phòng", "huyện", "ủy", "ban", "hành", "quyết", "định", "số", "2820", "qđ",
        "ubnd", "về", "thủy", "lợi"]
    assert [t.text for t in analysis.folded_terms(SENTENCE)] == [
        "van", "phong", "huyen", "uy", "ban", "hanh", "quyet", "dinh", "so", "2820", "qd",
        "ubnd", "ve", "thuy", "loi"]
    # pairs only across spaces: not across "/" or "-" or "."
    assert [t.text for t in analysis.bigram_terms(SENTENCE)] == [
        "van_phong", "phong_huyen", "huyen_uy", "uy_ban", "ban_hanh", "hanh_quyet",
        "quyet_dinh", "dinh_so", "so_2820", "ubnd_ve", "ve_thuy", "thuy_loi"]


@pytest.mark.parametrize(
    ("variant", "reference"),
    [
        ("Văn phòng cấp uỷ", "Văn phòng cấp ủy"),
        ("hoà giải", "hòa giải"),
        ("sức khoẻ", "sức khỏe"),
        ("tài sản của \u00d0ảng", "tài sản của Đảng"),
        (unicodedata.normalize("NFD", "Nghị quyết Đại hội"), "Nghị quyết Đại hội"),
        ("Ủy\u00a0ban nhân\u200b dân", "Ủy ban nhân dân"),
        ("NGHỊ QUYẾT", "nghị quyết"),
    ],
)
def test_spelling_variants_give_identical_terms(variant, reference):
    for analyse in (analysis.word_terms, analysis.syllable_terms, analysis.folded_terms,
                    analysis.bigram_terms):
        assert [t.text for t in analyse(variant)] == [t.text for t in analyse(reference)]


def test_folded_terms_match_a_query_without_diacritics():
    assert [t.text for t in analysis.folded_terms("nghi quyet dai hoi")] == \
        [t.text for t in analysis.folded_terms("Nghị quyết Đại hội")]


@pytest.mark.parametrize(
    "make", [word_analyzer, syllable_analyzer, folded_analyzer, bigram_analyzer])
def test_whoosh_analyzers_offsets_mark_the_right_characters(make):
    text = normalize_text(PORTAL_PAGE.read_text(encoding="utf-8"))
    tokens = [(t.text, t.startchar, t.endchar, t.pos)
              for t in make()(text, chars=True, positions=True)]
    assert len(tokens) > 900
    assert [p for *_, p in tokens] == list(range(len(tokens)))
    fold_ = make is folded_analyzer or make is bigram_analyzer
    for term, start, end, _ in tokens:
        shown = analysis.prepare(text[start:end]).lower()
        if make is word_analyzer or make is bigram_analyzer:
            shown = "_".join(shown.split())
        if fold_:
            shown = "_".join(analysis.fold(part) for part in shown.split("_"))
        assert shown == term, (term, text[start:end])


def test_offsets_of_highlighted_words_in_a_sentence():
    text = "Kỷ niệm 90 năm Văn phòng cấp uỷ"
    tokens = [(t.text, text[t.startchar:t.endchar])
              for t in word_analyzer()(text, chars=True)]
    assert tokens == [("kỷ_niệm", "Kỷ niệm"), ("90", "90"), ("năm", "năm"),
                      ("văn_phòng", "Văn phòng"), ("cấp_ủy", "cấp uỷ")]


def test_schema_pickles_and_loads_without_pyvi():
    # The schema is pickled into every index; loading it must not load pyvi's model.
    code = (
        "import pickle, sys\n"
        "from indexer.schema import build_schema\n"
        "schema = pickle.loads(pickle.dumps(build_schema()))\n"
        "assert 'pyvi.ViTokenizer' not in sys.modules, 'pyvi loaded eagerly'\n"
        "terms = [t.text for t in schema['title_syl'].analyzer('Thuỷ lợi')]\n"
        "assert terms == ['thủy', 'lợi'], terms\n"
        "print('ok')\n"
    )
    run_snippet(code)
