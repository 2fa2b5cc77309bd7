"""Loosely typed document numbers: query keys are index keys of the matching document."""

from __future__ import annotations

import gzip
import json

import pytest

from indexer.analysis import prepare
from indexer.loosenumber import (
    LooseNumber,
    Strength,
    key_strength,
    number_keys,
    parse_loose_numbers,
)
from tests.conftest import LEGAL_DOCUMENTS

ND_15 = ["15/2020/nd-cp", "nd#15/2020", "15/2020", "nd#15"]


@pytest.mark.parametrize(
    ("number", "keys"),
    [
        ("15/2020/NĐ-CP", ND_15),
        ("15/2020/nd-cp", ND_15),
        ("72/2025/QH15", ["72/2025/qh15", "qh#72/2025", "72/2025", "qh#72"]),
        ("2820/QĐ-UBND", ["2820/qd-ubnd", "qd#2820"]),
        ("06/QĐ-TTg", ["6/qd-ttg", "qd#6"]),
        ("05-NQ/TU", ["5-nq/tu", "nq#5"]),
        ("459-KHHĐ/TU", ["459-khhd/tu", "khhd#459"]),
        ("7197/BKHCN-CĐSQG", ["7197/bkhcn-cdsqg", "cv#7197"]),  # công văn: no type code
        ("66.4/2025/NQ-CP", ["66.4/2025/nq-cp", "nq#66.4/2025", "66.4/2025", "nq#66.4"]),
        ("11554/VPCP-V.I", ["11554/vpcp-v.i", "cv#11554"]),
        ("", []), ("không phải số", []), ("19/11/2025", []),
    ],
)
def test_number_keys(number, keys):
    assert number_keys(number) == keys


def test_number_keys_with_the_records_type_and_year():
    assert number_keys("5348/CT-CS", doc_type="Công văn") == ["5348/ct-cs", "ct#5348", "cv#5348"]
    assert number_keys("98/2023/QH15", doc_type="Nghị quyết") == [
        "98/2023/qh15", "qh#98/2023", "nq#98/2023", "98/2023", "qh#98", "nq#98"]
    assert number_keys("2820/QĐ-UBND", year="2025") == [
        "2820/qd-ubnd", "qd#2820/2025", "2820/2025", "qd#2820"]
    assert number_keys("15/2020/NĐ-CP", year="2021") == ND_15  # its own year wins


def test_key_strength():
    assert [key_strength(k) for k in ND_15] == [
        Strength.FULL, Strength.TYPE_NUMBER_YEAR, Strength.NUMBER_YEAR, Strength.TYPE_NUMBER]
    assert key_strength("5-nq/tu") == key_strength("2820/qd-ubnd") == Strength.FULL
    assert key_strength("66.4/2025") == Strength.NUMBER_YEAR


def _only(query: str) -> LooseNumber:
    (number,) = parse_loose_numbers(query)
    return number


# The spellings of 15/2020/NĐ-CP, and what each has in common with its keys.
@pytest.mark.parametrize(
    ("query", "keys", "strength"),
    [
        ("15/2020/NĐ-CP", ND_15, Strength.FULL),
        ("15/2020/nd-cp", ND_15, Strength.FULL),
        ("15 / 2020 / ND-CP", ND_15, Strength.FULL),
        ("nđ-cp 15/2020", ND_15, Strength.FULL),
        ("ND-CP 15/2020", ND_15, Strength.FULL),
        ("nd cp 15 2020", ND_15, Strength.FULL),
        ("15 2020 nd cp", ND_15, Strength.FULL),
        ("nghị định 15/2020", ND_15[1:], Strength.TYPE_NUMBER_YEAR),
        ("nghi dinh 15/2020", ND_15[1:], Strength.TYPE_NUMBER_YEAR),
        ("NGHỊ ĐỊNH số 15/2020", ND_15[1:], Strength.TYPE_NUMBER_YEAR),
        ("nghị định 15 năm 2020", ND_15[1:], Strength.TYPE_NUMBER_YEAR),
        ("NĐ 15/2020", ND_15[1:], Strength.TYPE_NUMBER_YEAR),
        ("15/2020", ["15/2020"], Strength.NUMBER_YEAR),
        ("NĐ 15", ["nd#15"], Strength.TYPE_NUMBER),
        ("nđ 15", ["nd#15"], Strength.TYPE_NUMBER),
        ("ND 15", ["nd#15"], Strength.TYPE_NUMBER),
        ("nghị định 15", ["nd#15"], Strength.TYPE_NUMBER),
    ],
)
def test_spellings_of_one_number(query, keys, strength):
    number = _only(query)
    assert list(number.keys) == keys
    assert number.strength == strength == key_strength(number.keys[0])
    assert (number.start, number.end) == (0, len(query))
    shared = [k for k in number.keys if k in number_keys("15/2020/NĐ-CP")]
    assert shared == keys  # every key of the query is an index key of the document
    assert max(shared, key=key_strength) == keys[0]  # and the most specific one leads


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        ("05-NQ/TU", ["5-nq/tu", "nq#5"]),
        ("5-nq/tu", ["5-nq/tu", "nq#5"]),
        ("nghị quyết 05", ["nq#5"]),
        ("nghi quyet 5", ["nq#5"]),
        ("quyết định 2820", ["qd#2820"]),
        ("qđ-ubnd 2820", ["2820/qd-ubnd", "qd#2820"]),
        ("QĐ 2820", ["qd#2820"]),
        ("quyết định số 2025", ["qd#2025"]),  # ``số``: a number, not a year
        ("luật 72/2025", ["qh#72/2025", "72/2025", "qh#72"]),
        ("kế hoạch 45", ["kh#45"]),
        ("quy định 383", ["qd#383", "qdi#383"]),
        ("công văn 7197", ["cv#7197"]),
        ("nghị quyết 66.4", ["nq#66.4"]),
        ("đăng ký 15/2020", ["15/2020"]),  # ``ký`` is no date word, ``tháng`` is
        ("66.4/2025/NQ-CP", ["66.4/2025/nq-cp", "nq#66.4/2025", "66.4/2025", "nq#66.4"]),
    ],
)
def test_other_spellings(query, keys):
    assert list(_only(query).keys) == keys


def test_party_number_in_both_spellings_meets_its_keys():
    assert _only("5-nq/tu").keys[0] == _only("05-NQ/TU").keys[0] == number_keys("05-NQ/TU")[0]
    assert set(_only("nghị quyết 5").keys) <= set(number_keys("05-NQ/TU"))


@pytest.mark.parametrize(
    "query",
    ["19/11/2025", "3/2/1930", "3/2", "12,5%", "ngày 15 tháng 3", "tháng 12/2020",
     "kế hoạch 2025", "luật đất đai 2024", "xử phạt vi phạm hành chính", "Covid-19",
     "60 km/h", "tăng 1.5 lần", "nghị định", "quý 3/2025", ""],
)
def test_not_numbers(query):
    assert parse_loose_numbers(query) == []


def test_number_among_words_keeps_its_span():
    query = "quyết định 2820 về kế hoạch triển khai"
    (number,) = parse_loose_numbers(query)
    assert query[number.start:number.end] == number.text == "quyết định 2820"
    assert number.keys == ("qd#2820",)


def test_several_numbers_in_order():
    query = "Nghị định 15/2020 sửa đổi bởi 14/2022/NĐ-CP, Chỉ thị 05 ngày 15/5/2025"
    found = parse_loose_numbers(query)
    assert [n.text for n in found] == ["Nghị định 15/2020", "14/2022/NĐ-CP", "Chỉ thị 05"]
    assert [n.strength for n in found] == [
        Strength.TYPE_NUMBER_YEAR, Strength.FULL, Strength.TYPE_NUMBER]


def test_raw_and_prepared_queries_agree():
    raw = "Nghi\u0323 đi\u0323nh 15/2020 ve\u0300 Ðất đai"  # NFD marks and Ð (U+00D0)
    assert raw != prepare(raw)
    for query in (raw, prepare(raw)):
        (number,) = parse_loose_numbers(query)
        assert number.keys == tuple(ND_15[1:])
        assert prepare(raw)[number.start:number.end] == number.text


def test_weighted_keys():
    assert _only("nghị định 15/2020").weighted_keys() == (
        ("nd#15/2020", Strength.TYPE_NUMBER_YEAR), ("15/2020", Strength.NUMBER_YEAR),
        ("nd#15", Strength.TYPE_NUMBER))


@pytest.mark.skipif(not LEGAL_DOCUMENTS.exists(), reason="../shared corpus not present")
def test_every_corpus_number_typed_as_written_finds_its_keys():
    """All 422 records with a ``doc_number`` (of 424): keys, and the number typed as
    written parses whole to the document's most specific key."""
    with gzip.open(LEGAL_DOCUMENTS, "rt", encoding="utf-8") as f:
        docs = [json.loads(line) for line in f]
    failures, checked = [], 0
    for doc in docs:
        number = doc.get("doc_number")
        if not number:
            continue
        checked += 1
        keys = number_keys(number, doc.get("doc_type") or "", (doc.get("date") or "")[-4:])
        found = parse_loose_numbers(number)
        whole = keys and len(found) == 1 and found[0].text == number
        if not (whole and found[0].keys[0] == keys[0] and set(found[0].keys) <= set(keys)):
            failures.append((doc["id"], number, keys, found))
    assert checked == 422
    assert failures == []
