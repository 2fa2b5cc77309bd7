"""Administrative abbreviations both ways: exact expected alternatives, and every table row."""

from __future__ import annotations

import subprocess
import sys

import pytest

from indexer import analysis
from indexer.abbreviations import (
    AMBIGUOUS_WEIGHT,
    DATA_FILE,
    SAFE_WEIGHT,
    Entry,
    TableError,
    expand_query,
    expand_text,
    load_table,
    parse_table,
    rewrite,
)
from indexer.fold import fold
from tests.conftest import ROOT

S, A = SAFE_WEIGHT, AMBIGUOUS_WEIGHT
TABLE = load_table()


def alternatives(text: str) -> list[tuple]:
    """(start, end, replacement, folded, weight, direction) of every alternative."""
    return [(e.start, e.end, e.text, e.folded, e.weight, e.direction) for e in expand_text(text)]


def pair(start, end, accented, weight, direction="expand"):
    """The two alternatives of one match: accented for *_syl, folded for *_fold."""
    folded = " ".join(fold(s) for s in accented.split())
    return [(start, end, accented, False, weight, direction),
            (start, end, folded, True, weight, direction)]


EXPECTED = [
    # abbreviation → full form
    ("UBND huyện", pair(0, 1, "ủy ban nhân dân", S)),
    ("ubnd", pair(0, 1, "ủy ban nhân dân", S)),
    ("HĐND tỉnh", pair(0, 1, "hội đồng nhân dân", S)),
    ("hdnd tinh", pair(0, 1, "hội đồng nhân dân", S)),  # typed without đ
    ("KT-XH", pair(0, 2, "kinh tế xã hội", S)),
    ("phát triển KT XH", pair(2, 4, "kinh tế xã hội", S)),  # same key as KT-XH
    ("GD&ĐT", pair(0, 2, "giáo dục và đào tạo", S)),
    ("Sở GD-DT", pair(1, 3, "giáo dục và đào tạo", S)),
    ("QP-AN", pair(0, 2, "quốc phòng an ninh", S)),
    ("MTTQ", pair(0, 1, "mặt trận tổ quốc", S)),
    ("TTg", pair(0, 1, "thủ tướng", S)),
    ("TP.HCM", pair(0, 2, "thành phố hồ chí minh", S)),
    ("tp hcm", pair(0, 2, "thành phố hồ chí minh", S)),
    ("CNH, HĐH", pair(0, 2, "công nghiệp hóa hiện đại hóa", S)),  # longest match first
    ("HĐH", pair(0, 1, "hiện đại hóa", S)),  # the index's tone style: hóa
    ("CBCCVC", pair(0, 1, "cán bộ công chức viên chức", S)),
    # full form → abbreviation
    ("ủy ban nhân dân huyện", pair(0, 4, "ubnd", S, "abbreviate")),
    ("uỷ ban nhân dân", pair(0, 4, "ubnd", S, "abbreviate")),  # the other tone style
    ("uy ban nhan dan", pair(0, 4, "ubnd", S, "abbreviate")),  # typed without diacritics
    ("hội đồng nhân dân", pair(0, 4, "hđnd", S, "abbreviate")),
    ("hoi dong nhan dan xa", pair(0, 4, "hđnd", S, "abbreviate")),
    ("kinh tế - xã hội", pair(0, 4, "kt xh", S, "abbreviate")
     + pair(0, 4, "ktxh", S, "abbreviate")),
    ("huyện ủy viên", pair(0, 3, "huv", S, "abbreviate")),  # not huyện ủy + viên
    ("ủy ban nhân", pair(0, 2, "ub", S, "abbreviate")),  # UB Kiểm tra: ủy ban alone
    ("công nghiệp hoá", pair(0, 3, "cnh", S, "abbreviate")),
    # both in one query; spans never overlap
    ("Chủ tịch UBND tỉnh", pair(0, 2, "ct", S, "abbreviate") + pair(2, 3, "ủy ban nhân dân", S)),
    ("ban chấp hành trung ương", pair(0, 3, "bch", S, "abbreviate")
     + pair(3, 5, "tw", S, "abbreviate")),
    # TT: the context picks one reading; without context all stay below the literal
    ("TT 15/2020", pair(0, 1, "thông tư", S)),
    ("TT số 15", pair(0, 1, "thông tư", S)),
    # document-type names are not abbreviated (oneway): TT stands inside numbers in texts
    ("thông tư 15", []),
    ("quyết định của UBND", pair(3, 4, "ủy ban nhân dân", S)),
    ("TT y tế huyện", pair(0, 1, "trung tâm", S)),
    ("TT Phong Thổ", pair(0, 1, "thị trấn", A) + pair(0, 1, "thông tư", A)
     + pair(0, 1, "trung tâm", A)),
    ("thị trấn Phong Thổ", pair(0, 2, "tt", A, "abbreviate")),
    ("thi tran", pair(0, 2, "tt", A, "abbreviate")),
    # BCH, CP, QĐ: ambiguous two ways
    ("BCH Đảng bộ", pair(0, 1, "ban chấp hành", S)),
    ("BCH quân sự", pair(0, 1, "bộ chỉ huy", S)),
    ("BCH", pair(0, 1, "ban chấp hành", A) + pair(0, 1, "bộ chỉ huy", A)),
    ("công ty CP", pair(0, 2, "cty", S, "abbreviate") + pair(2, 3, "cổ phần", S)),
    ("công ty cổ phần", pair(0, 4, "ctcp", S, "abbreviate")),  # the longest full form
    ("Thủ tướng CP", pair(0, 2, "ttg", S, "abbreviate") + pair(2, 3, "chính phủ", S)),
    ("CP", pair(0, 1, "chính phủ", A) + pair(0, 1, "cổ phần", A)),
    ("QĐ", pair(0, 1, "quyết định", S) + pair(0, 1, "quy định", A)),
    ("TW", pair(0, 1, "trung ương", S)),
    # TU, HU, ĐU are ordinary syllables too: only where the context says so, never reversed
    ("BTV TU", pair(0, 1, "ban thường vụ", S) + pair(1, 2, "tỉnh ủy", S)),
    ("ban thuong vu tu", pair(0, 3, "btv", S, "abbreviate") + pair(3, 4, "tỉnh ủy", S)),
    ("Văn phòng HU", pair(0, 2, "vp", S, "abbreviate") + pair(2, 3, "huyện ủy", S)),
    ("ĐU xã", pair(0, 1, "đảng ủy", S)),
    ("tỉnh ủy", []),
    ("đảng ủy xã", []),
    ("BTV", pair(0, 1, "ban thường vụ", A) + pair(0, 1, "biên tập viên", A)),
]


@pytest.mark.parametrize(("query", "expected"), EXPECTED, ids=[q for q, _ in EXPECTED])
def test_expected_alternatives(query, expected):
    assert alternatives(query) == expected


@pytest.mark.parametrize("query", [
    "ban", "ủy", "nhân dân", "ban nhân dân", "nhân dân huyện", "văn bản", "cấp ủy", "kiểm tra",
    "tu sửa", "TU", "tu", "du lịch", "đu đưa", "hu", "Hà Nội", "2820", "",
])
def test_no_alternative_for_ordinary_words(query):
    assert alternatives(query) == []


def test_accents_must_agree_when_typed():
    # "bán" is not "ban": a syllable typed with diacritics matches only itself
    assert alternatives("ủy bán nhân dân") == []
    # a mix is fine: bare syllables are read as accents left out
    assert alternatives("ủy ban nhan dan") == pair(0, 4, "ubnd", S, "abbreviate")


def test_expand_query_takes_syllables_in_any_spelling():
    assert expand_query(["UBND", "huyện"]) == expand_query(["ubnd", "huyện"])
    assert expand_query(["uỷ", "ban", "nhân", "dân"]) == expand_query(["ủy", "ban", "nhân", "dân"])
    assert expand_query(("ubnd",)) == expand_text("UBND")


def test_spans_index_the_syllables():
    text = "Kế hoạch của UBND tỉnh về ATGT và PCCC"
    sylls = [t.text for t in analysis.syllable_terms(text)]
    alts = expand_query(sylls)
    assert [(sylls[e.start:e.end], e.text) for e in alts if not e.folded] == [
        (["ubnd"], "ủy ban nhân dân"),
        (["atgt"], "an toàn giao thông"), (["pccc"], "phòng cháy chữa cháy")]
    starts = [e.start for e in alts]
    assert starts == sorted(starts)


def test_rewrite_gives_whole_alternative_phrases():
    sylls = ["ubnd", "huyện"]
    accented, folded = expand_query(sylls)
    assert rewrite(sylls, accented) == ("ủy", "ban", "nhân", "dân", "huyện")
    assert rewrite(sylls, folded) == ("uy", "ban", "nhan", "dan", "huyen")
    sylls = ["chủ", "tịch", "ủy", "ban", "nhân", "dân"]
    assert rewrite(sylls, expand_query(sylls)[2]) == ("chủ", "tịch", "ubnd")


# --- every row of the data file ----------------------------------------------


def _data_rows() -> list[str]:
    lines = DATA_FILE.read_text(encoding="utf-8").splitlines()
    rows = [ln for ln in lines if ln.strip() and not ln.startswith("#")]
    return rows[1:]  # the header


def test_every_row_loads():
    assert len(TABLE) == len(_data_rows()) >= 140
    assert [e.abbreviation for e in TABLE.entries] == [r.split("\t")[0] for r in _data_rows()]


def test_the_table_covers_the_documented_lists():
    pairs = {(e.abbreviation, e.full_form.lower()) for e in TABLE.entries}
    section5 = [  # vietnamese-text.md §5
        ("UBND", "ủy ban nhân dân"), ("HĐND", "hội đồng nhân dân"), ("MTTQ", "mặt trận tổ quốc"),
        ("BCH", "ban chấp hành"), ("BTV", "ban thường vụ"), ("TW", "trung ương"),
        ("HU", "huyện ủy"), ("HUV", "huyện ủy viên"), ("TU", "tỉnh ủy"), ("ĐU", "đảng ủy"),
        ("BCT", "bộ chính trị"), ("CP", "chính phủ"), ("TTg", "thủ tướng"), ("QH", "quốc hội"),
        ("CNH", "công nghiệp hóa"), ("HĐH", "hiện đại hóa"), ("KT-XH", "kinh tế - xã hội"),
        ("QP-AN", "quốc phòng - an ninh"), ("CCHC", "cải cách hành chính"),
        ("TTHC", "thủ tục hành chính"), ("NTM", "nông thôn mới"),
        ("CBCCVC", "cán bộ, công chức, viên chức"), ("ATGT", "an toàn giao thông"),
    ]
    section6 = [  # the document-type letters
        ("NQ", "nghị quyết"), ("QĐ", "quyết định"), ("NĐ", "nghị định"), ("TT", "thông tư"),
        ("CT", "chỉ thị"), ("KH", "kế hoạch"), ("BC", "báo cáo"), ("TB", "thông báo"),
        ("CV", "công văn"), ("TTr", "tờ trình"), ("HD", "hướng dẫn"), ("QC", "quy chế"),
        ("KL", "kết luận"), ("CĐ", "công điện"), ("TTLT", "thông tư liên tịch"),
    ]
    assert [p for p in section5 + section6 if p not in pairs] == []


def test_both_sides_are_index_terms():
    for e in TABLE.entries:
        assert e.abbreviation_syllables == tuple(t.text for t in
                                                 analysis.syllable_terms(e.abbreviation))
        assert e.full_syllables == tuple(t.text for t in analysis.syllable_terms(e.full_form))
        assert all(s == analysis.prepare(s).lower() for s in e.full_syllables)


def _contexts(entry: Entry) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Syllables before and after: each context that makes the entry safe, or none."""
    rule = entry.rule
    out = [((), ("15",))] if rule.number else []
    out += [(p, ()) for p in rule.before] + [((), p) for p in rule.after]
    return out or [((), ())]


def _find(query: tuple[str, ...], at: int, length: int, replacement: tuple[str, ...],
          direction: str) -> list[tuple[bool, float]]:
    return [(e.folded, e.weight) for e in expand_query(query)
            if (e.start, e.end, e.direction) == (at, at + length, direction)
            and e.syllables in (replacement, tuple(fold(s) for s in replacement))]


@pytest.mark.parametrize("bare", [False, True], ids=["accented", "bare"])
@pytest.mark.parametrize("entry", TABLE.entries, ids=lambda e: f"{e.line}:{e.abbreviation}")
def test_every_row_round_trips(entry, bare):
    """The abbreviation expands to its full form in every context its rule names; the full
    form maps back (in at least one: ``công ty cổ phần`` is CTCP as a whole)."""
    typed = (lambda s: tuple(fold(x) for x in s)) if bare else tuple
    w = AMBIGUOUS_WEIGHT if entry.rule.ambiguous else SAFE_WEIGHT
    back = []
    for before, after in _contexts(entry):
        at = len(before)
        query = typed((*before, *entry.abbreviation_syllables, *after))
        found = _find(query, at, len(entry.abbreviation_syllables), entry.full_syllables,
                      "expand")
        if entry.rule.word and query[at:at + len(entry.abbreviation_syllables)] != \
                entry.abbreviation_syllables:
            assert found == []  # "du" typed is not "đu"
        else:
            assert found == [(False, w), (True, w)], (before, after)
        query = typed((*before, *entry.full_syllables, *after))
        back.append(_find(query, at, len(entry.full_syllables), entry.abbreviation_syllables,
                          "abbreviate"))
    if not entry.rule.reversible:  # word, oneway: never put in for the full form
        assert back == [[]] * len(back)
    else:
        assert [(False, w), (True, w)] in back


def test_ambiguous_rows_rank_below_the_literal_without_context():
    for e in TABLE.entries:
        if e.rule.conditional and not e.rule.word:
            alts = expand_query(e.abbreviation_syllables)
            mine = [a for a in alts if a.entry == e]
            assert mine and all(a.weight == AMBIGUOUS_WEIGHT for a in mine), e.abbreviation


# --- the file format ---------------------------------------------------------

HEADER = "abbreviation\tfull form\tcontext\tnote\n"


def test_parse_table_normalises_both_sides():
    table = parse_table(HEADER + "# a comment\n\n"
                        "UBND\tUỷ ban nhân dân\nHĐH\thiện đại hoá\t\tnote\n")
    assert [(e.abbreviation_syllables, e.full_syllables) for e in table.entries] == [
        (("ubnd",), ("ủy", "ban", "nhân", "dân")), (("hđh",), ("hiện", "đại", "hóa"))]
    assert [e.line for e in table.entries] == [4, 5]


def test_parse_table_reads_the_context_column():
    table = parse_table(HEADER + "TT\tthông tư\tnumber; oneway\nTT\tthị trấn\tambiguous\n"
                        "TU\tTỉnh ủy\tword; prev=ban thường vụ|BTV; next=Lai Châu\n")
    number, weak, word = (e.rule for e in table.entries)
    assert number.number and number.conditional and not number.plain
    assert number.oneway and not number.reversible and weak.reversible and not word.reversible
    assert weak.ambiguous and not weak.conditional
    assert word.word and word.before == (("ban", "thường", "vụ"), ("btv",))
    assert word.after == (("lai", "châu"),)


@pytest.mark.parametrize(("text", "message"), [
    ("UBND\tỦy ban nhân dân\n", "header"),
    (HEADER + "UBND Ủy ban nhân dân\n", "2 to 4"),
    (HEADER + "UBND\tỦy ban nhân dân\t\tnote\textra\n", "2 to 4"),
    (HEADER + "...\tỦy ban nhân dân\n", "no letters"),
    (HEADER + "TP\tphố\n", "two syllables"),
    (HEADER + "TT\tthông tư\tsometimes\n", "unknown context"),
    (HEADER + "TT\tthông tư\tnumber=1\n", "unknown context"),
    (HEADER + "TT\tthông tư\tnext=a||b\n", "empty phrase"),
    (HEADER + "TT\tthông tư\tambiguous; number\n", "without a condition"),
    (HEADER + "TU\tTỉnh ủy\tword\n", "needs a condition"),
    (HEADER + "TU\tTỉnh ủy\tword; oneway; number\n", "already implies"),
    (HEADER + "TU\tTỉnh ủy\tambiguous; word\n", "without a condition"),
    (HEADER + "KT-XH\tkinh tế xã hội\nKT XH\tkinh tế - xã hội\n", "same entry as line 2"),
    (HEADER + "AB\tan bình\nAN BINH\tan ninh bình yên\n", "also a full form"),
    ("", "no header"),
])
def test_parse_table_rejects_bad_lines(text, message):
    with pytest.raises(TableError, match=message):
        parse_table(text, source="t.tsv")


def test_module_is_engine_free():
    code = "import sys, indexer.abbreviations as a; a.expand_text('UBND'); " \
           "print(sorted(m for m in sys.modules if m.split('.')[0] in ('whoosh', 'pyvi')))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "[]"
