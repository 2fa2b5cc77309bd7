"""What autocomplete reads from a typed query (pure; the HTTP side is tests/test_suggest.py)."""

from __future__ import annotations

import pytest

from search_service.autocomplete import number_prefix, parse_typed


@pytest.mark.parametrize(("q", "syllables", "joined", "prefix"), [
    ("nghi q", ("nghi", "q"), (False, True), True),
    ("Nghị Q", ("nghi", "q"), (False, True), True),
    ("nghi ", ("nghi",), (False,), False),
    ("mở cửa, ng", ("mo", "cua", "ng"), (False, True, False), True),  # no pair over a comma
    ("kinh tế-xã h", ("kinh", "te", "xa", "h"), (False, True, False, True), True),
    ("quyet dinh 28", ("quyet", "dinh", "28"), (False, True, True), True),
])
def test_typed_words_become_folded_syllables_and_pairs(q, syllables, joined, prefix):
    typed = parse_typed(q)
    assert (typed.syllables, typed.joined, typed.prefix) == (syllables, joined, prefix)


def test_words_typed_with_diacritics_are_kept_for_ranking():
    assert parse_typed("Nghị quyet").exact == ("nghị",)


@pytest.mark.parametrize(("q", "numbers", "prefix"), [
    ("15/2020", ("15/2020",), False),
    ("05-NQ/TU", ("5-nq/tu",), False),
    ("nghị định 15/2020/NĐ", ("15/2020/nd",), False),
    ("15/2020 nghi", ("15/2020",), True),
])
def test_document_numbers_are_beginnings_of_number_keys(q, numbers, prefix):
    typed = parse_typed(q)
    assert typed.numbers == numbers and typed.prefix == prefix


def test_number_prefix_matches_how_keys_are_written():
    assert number_prefix("0015/QĐ-UBND") == "15/qd-ubnd"


def test_nothing_searchable_is_empty():
    assert parse_typed("  ,;  ").is_empty and parse_typed("").is_empty
