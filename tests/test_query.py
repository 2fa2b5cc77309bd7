"""Query understanding and snippets: exact expected values."""

from __future__ import annotations

import unicodedata

import pytest

from search_service.highlight import match_spans, snippet
from search_service.query import parse_query


def test_parse_accented_query():
    parsed = parse_query("Văn phòng cấp uỷ")
    assert parsed.syllables == ("văn", "phòng", "cấp", "ủy")
    assert parsed.folded == ("van", "phong", "cap", "uy")
    assert parsed.bigrams == ("van_phong", "phong_cap", "cap_uy")
    assert parsed.words == ("văn_phòng", "cấp_ủy")
    assert parsed.accented and not parsed.phrases and not parsed.numbers


def test_parse_bare_query():
    parsed = parse_query("nghi quyet dai hoi")
    assert not parsed.accented
    assert parsed.folded == ("nghi", "quyet", "dai", "hoi")
    assert parsed.bigrams == ("nghi_quyet", "quyet_dai", "dai_hoi")


@pytest.mark.parametrize(
    "variant", ["cấp uỷ", "CẤP ỦY", unicodedata.normalize("NFD", "cấp ủy"), "cấp\u00a0ủy"])
def test_variants_parse_identically(variant):
    reference = parse_query("cấp ủy")
    parsed = parse_query(variant)
    assert (parsed.words, parsed.syllables, parsed.folded, parsed.bigrams) == (
        reference.words, reference.syllables, reference.folded, reference.bigrams)


def test_numbers_and_phrases():
    parsed = parse_query('quyết định 2820/qd-ubnd "kế hoạch triển khai"')
    assert [(n.text, n.keys[0]) for n in parsed.numbers] == [("2820/qd-ubnd", "2820/qd-ubnd")]
    assert "2820" not in parsed.syllables
    assert [p.syllables for p in parsed.phrases] == [("kế", "hoạch", "triển", "khai")]
    bare = parse_query('"ke hoach"')
    assert [(p.syllables, p.folded) for p in bare.phrases] == [(("ke", "hoach"), True)]


@pytest.mark.parametrize("q", ['"abc', 'a "b c', '"', "title:x AND (y OR"])
def test_syntax_is_just_text(q):
    parsed = parse_query(q)
    assert all(s.isalnum() for s in parsed.syllables)


def test_match_spans_exact_and_folded():
    text = "Nghị quyết của Đảng ủy đang được triển khai"
    assert match_spans(text, frozenset({"đảng"}), frozenset()) == [(15, 19, "đảng")]
    assert [text[a:b] for a, b, _ in match_spans(text, frozenset({"dang"}),
                                                  frozenset({"dang"}))] == ["Đảng", "đang"]


def test_snippet_exact_markup_and_escaping():
    text = "Ủy ban <b>nhân dân</b> huyện & Hội đồng nhân dân"
    spans = match_spans(text, frozenset({"nhân", "dân"}), frozenset())
    assert snippet(text, spans, 200) == (
        "Ủy ban &lt;b&gt;<mark>nhân</mark> <mark>dân</mark>&lt;/b&gt; huyện &amp; "
        "Hội đồng <mark>nhân</mark> <mark>dân</mark>")


def test_snippet_window_around_the_matches():
    text = ("Mở đầu. " * 60) + "Kết quả thực hiện chương trình nông thôn mới năm 2025. " + (
        "Phần cuối. " * 60)
    spans = match_spans(text, frozenset({"nông", "thôn", "mới"}), frozenset())
    html = snippet(text, spans, 120)
    assert html.startswith("… ") and html.endswith(" …")
    assert "<mark>nông</mark> <mark>thôn</mark> <mark>mới</mark>" in html
    assert len(html) < 250


def test_snippet_without_matches_is_the_beginning():
    assert snippet("Một hai ba bốn năm sáu", [], 8) == "Một hai ba …"
    assert snippet("", [], 100) == ""
