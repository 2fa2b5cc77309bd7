"""Citations: the numbers a document cites, without its own; measured on the real corpus."""

from __future__ import annotations

import gzip
import json

import pytest

from indexer.citations import citation_keys, extract_citations, number_key, own_number
from indexer.docnumber import find_in_text, find_in_text_lenient
from tests.conftest import LEGAL_DOCUMENTS

# A made-up decision laid out like the scraped texts: header cells wrapped, markdown
# emphasis around ``Căn cứ`` lines, numbers broken the ways the corpus breaks them.
DECISION = """\
**ỦY BAN NHÂN
DÂN **
TỈNH AN BÌNH
--------
**CỘNG HÒA XÃ
HỘI CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
---------------
Số:
12/QĐ-UBND
*An Bình, ngày 19 tháng 11 năm 2025*

**QUYẾT ĐỊNH**

TRIỂN KHAI QUYẾT ĐỊNH SỐ
06/QĐ-TTG CỦA THỦ TƯỚNG CHÍNH PHỦ

*Căn cứ Luật Tổ chức chính
quyền địa phương số
72/2025/QH15;*

*Căn cứ Nghị định số 121/2003/NĐ- CP của Chính phủ;*

*Căn cứ Thông tư số 21/2020/TT-
BTTTT và Quyết định số 63**/**2010**/**NĐ-CP;*

*Căn cứ Quyết định số 06/QĐ-TTg ngày 02 tháng 01 năm 2025;*

**Điều 1.** Thực hiện Quyết định số 2820/QĐ-UBND và theo Kế hoạch 45/KH-UBND,
Nghị quyết số 57-NQ/TW; áp dụng QCVN 06:2022/BXD, mẫu số 03/NDAN.

**Điều 2.** Quyết định số 12/QĐ-UBND có hiệu lực từ ngày ký; ngày 19/11/2025.

**Nơi nhận:**
- Như Điều 2;
- Đơn vị nhận Văn bản 99/VP-TH;
- Lưu: VT.

**TM. ỦY BAN NHÂN DÂN**
**CHỦ TỊCH**
Nguyễn Văn A

## Văn bản liên quan
Thực hiện Nghị định 13/2023/NĐ-CP, chúng tôi cập nhật Quy chế.
"""

CITED = ["6/QĐ-TTg", "72/2025/QH15", "121/2003/NĐ-CP", "21/2020/TT-BTTTT", "63/2010/NĐ-CP",
         "2820/QĐ-UBND", "45/KH-UBND", "57-NQ/TW"]


def test_citations_in_order_without_own_number():
    assert extract_citations(DECISION) == CITED
    assert own_number(DECISION) == "12/QĐ-UBND"


def test_own_number_given_and_the_header_number_are_both_left_out():
    cited = extract_citations(DECISION, own_number="2820/qd-ubnd")
    assert cited == [c for c in CITED if c != "2820/QĐ-UBND"]
    assert extract_citations(DECISION, own_number="05-NQ/TU") == CITED


def test_citation_keys_are_folded_index_keys():
    assert citation_keys(CITED) == [
        "6/qd-ttg", "72/2025/qh15", "121/2003/nd-cp", "21/2020/tt-btttt", "63/2010/nd-cp",
        "2820/qd-ubnd", "45/kh-ubnd", "57-nq/tw"]
    assert citation_keys(["15/2020/NĐ-CP", "15/2020/nd-cp", "không phải số"]) == [
        "15/2020/nd-cp"]


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        ("*Căn cứ Luật Tổ chức chính quyền địa phương số\n72/2025/QH15;*", ["72/2025/QH15"]),
        ("Căn cứ Nghị định số 121/2003/NĐ-CP …", ["121/2003/NĐ-CP"]),
        ("thực hiện Quyết định số 2820/QĐ-UBND", ["2820/QĐ-UBND"]),
        ("theo Kế hoạch 45/KH-UBND", ["45/KH-UBND"]),
        ("Quyết định 1616/Q*Đ*-TTg", ["1616/QĐ-TTg"]),
        ("Tờ trình số 409\n/TTr-SVHTTDL", ["409/TTr-SVHTTDL"]),
        ("Nghị quyết số 66.4/2025/NQ-CP", ["66.4/2025/NQ-CP"]),
        ("Nghị định số 118/2025/NĐCP", ["118/2025/NĐ-CP"]),
        ("Decree No. 38/2024/ND-CP", ["38/2024/NĐ-CP"]),  # the spelling documents use
        ("QCVN 01:2022/BQP; theo mẫu số 01/NDAN", []),
        ("ngày 19/11/2025, tỷ lệ 1/3", []),
    ],
)
def test_one_citation(text, cited):
    assert extract_citations(text) == cited


def test_number_key():
    assert number_key("15/2020/NĐ-CP") == "15/2020/nd-cp"
    assert number_key("11554/VPCP-V.I") == "11554/vpcp-v.i"
    assert number_key("05-NQ/TU (bản sao)") == "5-nq/tu"
    assert number_key("") == number_key("số") == ""


def _legal_documents() -> list[dict]:
    with gzip.open(LEGAL_DOCUMENTS, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


@pytest.mark.skipif(not LEGAL_DOCUMENTS.exists(), reason="../shared corpus not present")
def test_corpus_citations():
    """424 texts: 403 cite at least one number, 4,046 citations (9.5 a text, at most 276);
    no text lists its own number, with or without ``own_number``."""
    docs = _legal_documents()
    counts = []
    for doc in docs:
        own = doc.get("doc_number", "")
        cited = extract_citations(doc["text"], own)
        keys = citation_keys(cited)
        assert len(keys) == len(cited)  # unique by folded key, every one parses
        if own:
            assert number_key(own) not in keys, doc["id"]
            header = own_number(doc["text"])
            if header:  # the text's own number is the record's (393 of 422)
                assert number_key(header) == number_key(own), doc["id"]
                assert number_key(own) not in citation_keys(extract_citations(doc["text"]))
        counts.append(len(cited))
    assert len(docs) == 424
    assert 395 <= sum(1 for c in counts if c) <= 410
    assert 9.0 <= sum(counts) / len(docs) <= 10.0


@pytest.mark.skipif(not LEGAL_DOCUMENTS.exists(), reason="../shared corpus not present")
def test_corpus_numbers_are_broken_and_the_lenient_finder_reads_them():
    """The strict finder cuts ``3783/QĐ-\\nUBND`` to ``3783/QĐ``; every number it reads
    whole, the lenient one reads the same, and only QCVN ``06:2022/BXD`` are dropped."""
    cut = lost = 0
    for doc in _legal_documents():
        lenient = {n.start: n for n in find_in_text_lenient(doc["text"])}
        for number in find_in_text(doc["text"]):
            other = lenient.get(number.start)
            if other is None:
                lost += 1
                assert doc["text"][number.start - 3:number.start - 1].strip()[-1:].isdigit()
                assert doc["text"][number.start - 1] == ":"
            elif other.canonical != number.canonical:
                cut += 1
                glued = other.canonical.replace("-", "")
                assert glued.startswith(number.canonical.replace("-", ""))
    assert cut > 300 and lost < 40
