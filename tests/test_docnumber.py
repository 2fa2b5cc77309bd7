"""Document numbers: found in text before segmentation, keyed whole."""

from __future__ import annotations

import pytest

from indexer.docnumber import canonical_key, find_in_query, find_in_text


@pytest.mark.parametrize(
    ("text", "canonical", "keys"),
    [
        ("Căn cứ Nghị định số 121/2003/NĐ-CP của Chính phủ", "121/2003/NĐ-CP",
         ("121/2003/nđ-cp", "121/2003/nd-cp")),
        ("Số: 2820/QĐ-UBND", "2820/QĐ-UBND", ("2820/qđ-ubnd", "2820/qd-ubnd")),
        ("Nghị quyết số 15-NQ/TU của Tỉnh ủy", "15-NQ/TU", ("15-nq/tu",)),
        ("Quy định 383-QĐ/TW", "383-QĐ/TW", ("383-qđ/tw", "383-qd/tw")),
        ("Luật số 72/2025/QH15;", "72/2025/QH15", ("72/2025/qh15",)),
        ("Quyết định 06/QĐ-TTg ngày", "6/QĐ-TTg", ("6/qđ-ttg", "6/qd-ttg")),
        ("công văn 5348/CT-CS", "5348/CT-CS", ("5348/ct-cs",)),
        ("Nghị quyết số 05-NQ/HU", "5-NQ/HU", ("5-nq/hu",)),
        ("87/2025/QĐ-UBND.", "87/2025/QĐ-UBND", ("87/2025/qđ-ubnd", "87/2025/qd-ubnd")),
    ],
)
def test_numbers_in_text(text, canonical, keys):
    (number,) = find_in_text(text)
    assert number.canonical == canonical
    assert number.index_keys() == keys
    assert text[number.start:number.end] == number.text


@pytest.mark.parametrize(
    "text",
    ["ngày 19/11/2025", "3/2/1930", "tăng 12,5%", "50/người", "60 km/h", "năm 2020-2025",
     "tỷ lệ 1/3 số hộ", "Covid-19"],
)
def test_not_numbers(text):
    assert find_in_text(text) == []


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("2820/QĐ-UBND", "2820/qd-ubnd"), ("2820/qd-ubnd", "2820/qd-ubnd"),
        ("2820/qđ-ubnd", "2820/qd-ubnd"), ("15/2020/nd-cp", "15/2020/nd-cp"),
        ("15/2020/NĐ-CP", "15/2020/nd-cp"), ("05-NQ/TU", "5-nq/tu"), ("5-nq/tu", "5-nq/tu"),
        ("121 / 2003 / ND-CP", "121/2003/nd-cp"), ("100/2019/nđ-cp", "100/2019/nd-cp"),
    ],
)
def test_numbers_typed_loosely_share_one_key(typed, key):
    assert canonical_key(typed) == key


def test_query_numbers_among_words():
    (number,) = find_in_query("quyết định 2820/qd-ubnd của thành phố")
    assert number.canonical == "2820/QD-UBND"
    assert canonical_key("không phải số") == ""
