"""Question boilerplate: found however typed, only inside its phrases, and weighted down."""

from __future__ import annotations

import pytest
from unidecode import unidecode

from search_service import searcher
from search_service.bm25f import FieldsTerm
from search_service.boilerplate import minor_positions, minor_syllables
from search_service.query import parse_query
from search_service.searcher import SearchIndex, build_query


@pytest.mark.parametrize(("typed", "minor"), [
    ("người lao động được nghỉ phép năm, đúng hay sai",
     {"đúng", "hay", "sai"}),
    ("nguoi lao dong duoc nghi phep nam, dung hay sai", {"dung", "hay", "sai"}),
    ("Theo quy định của pháp luật thì ai được cấp giấy phép",
     {"theo", "quy", "định", "của", "pháp", "luật"}),
    ("mức thuế là bao nhiêu", {"bao", "nhiêu"}),
    # "quy định" outside a phrase is what the question is about
    ("quy định về thuế môi trường", set()),
    # a syllable is minor only if it occurs nowhere else in the query ("sai sót"); a lone
    # "hay" (or) is boilerplate itself
    ("hay sai sót trong quy định, đúng hay sai", {"đúng", "hay"}),
])
def test_minor_syllables(typed, minor):
    syllables = [t.lower() for t in typed.replace(",", " ").split()]
    assert minor_syllables(syllables) == minor


def test_the_longest_phrase_wins():
    sylls = ["theo", "quy", "dinh", "cua", "phap", "luat"]
    assert minor_positions(sylls) == frozenset(range(6))


def boosts(query) -> dict[tuple[str, str], float]:
    """(field, text) → the boost of the query word searched there."""
    return {(t.fieldname, t.text): c.boost for c in query.subqueries
            if isinstance(c, FieldsTerm) for t in c.subqueries}


def test_query_weights_boilerplate_down():
    typed = "Theo quy định của pháp luật, người lao động có được nghỉ phép không?"
    w = searcher.WEIGHTS
    accented = boosts(build_query(parse_query(typed)))
    share = w["boilerplate"]
    assert accented[("body_syl", "theo")] == pytest.approx(w["syl"] * share)
    assert accented[("body_bi", "phap_luat")] == pytest.approx(w["bi"] * share)
    # the subject keeps its full weight, on the title as on the body
    assert accented[("body_syl", "phép")] == accented[("title_syl", "phép")] == w["syl"]
    assert accented[("body_bi", "lao_dong")] == w["bi"]
    # typed with diacritics: neither pyvi's words nor the folded fields are searched
    assert not {f for f, _ in accented} & {"title", "body", "title_fold", "body_fold"}

    bare = boosts(build_query(parse_query(unidecode(typed))))
    assert bare[("body_fold", "theo")] == pytest.approx(w["fold"] * share)
    assert bare[("body_fold", "phep")] == w["fold"]
    assert not {f for f, _ in bare} & {"title_syl", "body_syl"}


def test_a_query_of_boilerplate_alone_still_finds_something(sample_index):
    index = SearchIndex(sample_index)
    assert index.search(parse_query("theo quy định"), 1, 10).total > 0
    index.close()
