"""Step 1b: one tone-mark placement (mark on the first vowel of open oa/oe/uy)."""

from __future__ import annotations

import pytest

from indexer.tone import normalize_tone, other_tone_style

CASES = [
    # old/new style of open syllables → mark on the first vowel
    ("hoà", "hòa"), ("hòa", "hòa"), ("hoá", "hóa"), ("hoạ", "họa"),
    ("thuỷ", "thủy"), ("thủy", "thủy"), ("uỷ", "ủy"), ("Uỷ", "Ủy"), ("UỶ BAN", "ỦY BAN"),
    ("khoẻ", "khỏe"), ("xoè", "xòe"), ("luỹ", "lũy"), ("tuỳ", "tùy"), ("HOÀ", "HÒA"),
    ("Văn phòng cấp uỷ", "Văn phòng cấp ủy"),
    ("hướng dẫn thuỷ lợi", "hướng dẫn thủy lợi"),
    # a final consonant or vowel: one place only, misplaced marks are moved back
    ("hoàn", "hoàn"), ("hòan", "hoàn"), ("toàn", "toàn"), ("ngoài", "ngoài"),
    ("ngòai", "ngoài"), ("khuỷu", "khuỷu"), ("thuyết", "thuyết"), ("khoẻo", "khoẻo"),
    # qu: the u belongs to the consonant
    ("quý", "quý"), ("quỳnh", "quỳnh"), ("quỹ", "quỹ"), ("Quỳ Hợp", "Quỳ Hợp"),
    # gi, untoned clusters and foreign words are left alone
    ("già", "già"), ("giữa", "giữa"), ("hoa", "hoa"), ("Toyota", "Toyota"), ("koala", "koala"),
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_normalize_tone(raw, expected):
    assert normalize_tone(raw) == expected
    assert len(normalize_tone(raw)) == len(raw)  # offsets into stored text stay valid


@pytest.mark.parametrize(
    ("indexed", "other"),
    [("hòa", "hoà"), ("thủy lợi", "thuỷ lợi"), ("cấp ủy", "cấp uỷ"), ("hoàn", "hoàn"),
     ("quý", "quý"), ("Khỏe", "Khoẻ")],
)
def test_other_tone_style_round_trips(indexed, other):
    assert other_tone_style(indexed) == other
    assert normalize_tone(other_tone_style(indexed)) == indexed
