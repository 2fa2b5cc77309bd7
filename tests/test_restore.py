"""Diacritic restoration and did-you-mean, pure: a small vocabulary written here.

The counts are made up for the cases; the measured behaviour on real titles is
tests/test_suggest.py (and ``python -m bench.suggest``).
"""

from __future__ import annotations

import pytest

from search_service.restore import best_reading, build_vocabulary, edits1, neighbours
from search_service.suggest import suggest

TERMS = [
    ("nghị_quyết", 500), ("đại_hội", 400), ("nghỉ", 300), ("nghi", 100), ("quyết", 50),
    ("đại", 200), ("dài", 150), ("hội", 250), ("hỏi", 120), ("ủy_ban", 300),
    ("nhân_dân", 300), ("ủy_ban_nhân_dân", 200), ("ban", 100), ("bản", 400), ("nhân", 100),
    ("dân", 100), ("hòa_bình", 60), ("hoà_bình", 1), ("covid", 80), ("tỉnh", 300),
    ("lai_châu", 40), ("quy_định", 90), ("quý", 70), ("định", 60), ("quy", 20),
    ("15", 999), ("nđ", 0),
]
VOCAB = build_vocabulary(TERMS)


def test_vocabulary_keys_are_folded_words_with_their_forms_most_frequent_first():
    assert VOCAB.words["nghi quyet"] == (("nghị quyết", 500),)
    assert [f for f, _ in VOCAB.words["nghi"]] == ["nghỉ", "nghi"]
    assert "15" not in VOCAB.syllables  # numbers are not words to restore
    assert VOCAB.folded["dai"] == 400 + 200 + 150  # đại (in đại_hội and alone), dài
    assert VOCAB.max_len == 4


@pytest.mark.parametrize(("typed", "want"), [
    ("nghi quyet dai hoi", "nghị quyết đại hội"),
    ("uy ban nhan dan", "ủy ban nhân dân"),
    ("uy ban nhan dan tinh lai chau", "ủy ban nhân dân tỉnh lai châu"),
    ("nghi", "nghỉ"),  # alone, the most frequent form
    ("covid", "covid"),  # a word without diacritics stays
    ("quy dinh", "quy định"),
])
def test_a_run_without_diacritics_gets_its_likeliest_reading(typed, want):
    reading, _ = best_reading(typed.split(), VOCAB)
    assert " ".join(reading) == want


def test_longer_known_words_win_over_frequent_single_syllables():
    # "bản" alone is four times "ban", but "ủy_ban" is a word
    assert best_reading(["uy", "ban"], VOCAB)[0] == ["ủy", "ban"]
    assert best_reading(["ban"], VOCAB)[0] == ["bản"]


def test_syllables_typed_with_diacritics_are_kept():
    assert best_reading(["nghi", "hỏi"], VOCAB)[0] == ["nghỉ", "hỏi"]
    assert best_reading(["nghi", "quyết"], VOCAB)[0] == ["nghị", "quyết"]


def test_the_index_tone_style_is_returned():
    assert best_reading(["hoa", "binh"], VOCAB)[0] == ["hòa", "bình"]


def test_a_letter_wrong_is_corrected_from_the_nearest_indexed_syllable():
    assert "quyet" in edits1("quyeet") and "quyet" in edits1("qyuet")
    assert neighbours("quyeet", VOCAB) == ["quyet"]
    assert best_reading(["nghi", "quyeet"], VOCAB)[0] == ["nghị", "quyết"]


def test_an_unknown_word_is_kept_as_typed():
    assert best_reading(["xylophon"], VOCAB)[0] == ["xylophon"]


def test_suggest_keeps_case_numbers_and_punctuation_and_marks_the_changes():
    found = suggest("Nghi quyet DAI HOI 15/2020/nd-cp, tinh", VOCAB)
    assert found.text == "Nghị quyết ĐẠI HỘI 15/2020/nd-cp, tỉnh"
    assert found.html == "<em>Nghị quyết ĐẠI HỘI</em> 15/2020/nd-cp, <em>tỉnh</em>"


def test_suggest_proposes_nothing_for_a_query_already_right():
    assert suggest("nghị quyết đại hội", VOCAB) is None
    assert suggest("ủy ban nhân dân", VOCAB) is None
    assert suggest("uỷ ban nhân dân", VOCAB) is None  # the other tone style is right too
    assert suggest("covid", VOCAB) is None
    assert suggest("15/2020", VOCAB) is None


def test_suggest_html_escapes_every_piece():
    found = suggest("<b>nghi quyet</b> & \"dai hoi\"", VOCAB)
    assert "<b>" not in found.html and "&lt;b&gt;" in found.html
    assert "&amp;" in found.html and "<em>đại hội</em>" in found.html
    assert found.text.startswith("<b>nghi quyet</b>")  # "<b>nghi" is not a word; text is raw


def test_a_typo_in_an_accented_query_is_corrected():
    found = suggest("nghị quyeet", VOCAB)
    assert found is not None and found.text == "nghị quyết"


def test_memory_is_bounded_by_keeping_the_most_frequent_words():
    vocab = build_vocabulary(TERMS, max_terms=3)
    assert set(vocab.words) == {"nghi quyet", "dai hoi", "ban"}  # 500, 400, 400 ("bản")
