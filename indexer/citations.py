"""The documents a text cites, by number (no engine here).

A Vietnamese official document names the documents it rests on by number: the
``Căn cứ …`` lines (``Căn cứ Nghị định số 121/2003/NĐ-CP …``, ``Căn cứ Luật Tổ chức chính
quyền địa phương số 72/2025/QH15``) and the body (``thực hiện Quyết định số 2820/QĐ-UBND``,
``theo Kế hoạch 45/KH-UBND``). Every number in the document's own text is a citation,
except:

- its own number: the ``Số: …`` line of the header (``Số hiệu:`` in a portal's panel,
  ``No.`` in an English translation), wherever else it is repeated (``Ban hành kèm theo
  Quyết định số …``), compared on folded keys;
- the ``Nơi nhận:`` block (no number stands there in the corpus, but it lists recipients);
- forms (``mẫu số 03/NDAN``) and technical standards (``QCVN 06:2022/BXD``);
- the portal's trailer after the signature (``## Văn bản liên quan`` …): 232 of the 424
  texts end with thuvienphapluat.vn boilerplate that mentions ``13/2023/NĐ-CP``.

Numbers are found by ``docnumber.find_in_text_lenient`` on the normalised text with the
markdown emphasis taken out. "Căn cứ Luật … số\\n72/2025/QH15" is fine as it is (the line
break stands between ``số`` and the number), but in these texts a number itself IS broken
at times: ``3783/QĐ-\\nUBND`` (79 times in the corpus), ``267/2025/NĐ- CP`` (about 250),
``4834 /TTr-SXD`` (about 20), ``63**/**2010**/**NĐ-CP`` and ``1616/Q*Đ*-TTg`` (6),
``409\\n/TTr-…`` (1); the strict ``find_in_text`` would cut those to ``3783/QĐ`` and
``267/2025/NĐ``.

Measured on the 424 texts of ``legal-documents.jsonl.gz`` (own number = the record's
``doc_number``; see ``tests/test_citations.py``): 403 have at least one citation (the 21
others are mostly notices, cables and consolidated texts that cite none, or stubs), 9.5
citations a text on average (4,046 in all; the most, 276, in Nghị quyết 66.7/2025/NQ-CP,
which amends procedures across many decrees), and no text lists its own number. Without
``own_number`` the text's own number is found in 393 of the 422 records that have one
(header or appendix caption; all 393 equal the record's), and only a one-line stub
without header then lists its own number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from indexer.analysis import prepare
from indexer.docnumber import DocNumber, find_in_query_lenient, find_in_text_lenient

__all__ = ["citation_keys", "extract_citations", "number_key", "own_number"]

# The portal's trailer: nothing after these lines is the document's.
_TRAILER = re.compile(
    r"^(?:##\s*Văn bản liên quan\b|NỘI DUNG SỬA ĐỔI, HƯỚNG DẪN$|Cảm ơn đã dùng ThuVienPhapLuat"
    r"|Hãy đăng nhập hoặc đăng ký Thành viên)", re.M)
# ``Số: 2820/QĐ-UBND``, ``**Số hiệu:**\n5348/CT-CS``, ``Số 15-NQ/TU``, ``Luật số: 72/2025/QH15``,
# ``No. 301/2025/ND-CP``; the number may stand on the next line.
_OWN_LINE = re.compile(
    r"^[ \t#]*(?:(?:Luật|Bộ luật|Pháp lệnh|Lệnh|LUẬT)[ \t]+(?:số|Số|SỐ)|Số|SỐ|No\.)"
    r"(?:[ \t]+(?:hiệu|ký hiệu))?[ \t]*[:.]?[ \t]*\n?[ \t]*", re.M)
# Without a header (a copy that starts at the title), an appendix caption names the document
# (capitalised: ``(ban hành kèm theo Quyết định số …)`` inside a sentence cites another one):
# ``(Ban hành kèm theo Quyết định số 2806/QĐ-UBND ngày …)``, ``(Kèm theo\nNghị quyết số …``.
_CAPTION = re.compile(
    r"^[ \t*]*\([ \t*]*(?:Ban hành[ \t]+kèm|Kèm|BAN HÀNH KÈM|KÈM)[ \t]+(?:theo|THEO)\s+"
    r"(?:[^\W\d_]+\s+){1,4}(?:(?:số|Số)\s*:?\s*)?", re.M)
_HEADER_LINES = 60  # the own number stands near the top (by line 10 in the corpus)
_RECIPIENTS = re.compile(r"^[ \t]*(?:Nơi nhận|NƠI NHẬN)[ \t]*:", re.M)
_RECIPIENTS_END = re.compile(r"^[ \t-]*Lưu\b.*$|\n[ \t]*\n", re.M)
_RECIPIENTS_MAX = 1500
_FORM = re.compile(r"(?:\bmẫu|\bMẫu|\bMẪU)(?:[ \t]+(?:số|Số|SỐ))?[ \t:]*\n?[ \t]*$")
_STARS = re.compile(r"\*+")
# Code parts printed in capitals in upper-case lines (``06/QĐ-TTG``) and without ``Đ``
# in English translations (``38/2024/ND-CP``): the spelling documents use.
_SPELLING = {"TTG": "TTg", "TTR": "TTr", "CTR": "CTr", "QĐI": "QĐi", "HDND": "HĐND"}
_TYPE_SPELLING = {**_SPELLING, "ND": "NĐ", "QD": "QĐ"}  # only where the type stands


def _unmark(text: str) -> str:
    """Markdown emphasis out: glued back inside a number or word (``Q*Đ*-TTg``,
    ``63**/**2010``), a space elsewhere (``số*72/2025/QH15;*``)."""

    def replace(m: re.Match) -> str:
        a = text[m.start() - 1] if m.start() else " "
        b = text[m.end()] if m.end() < len(text) else " "
        inside = all(c.isalnum() or c in "/-–" for c in (a, b))
        if inside and not (a.isalpha() and b.isdigit()) and not (a.isdigit() and b.isalpha()):
            return ""
        return " "

    return _STARS.sub(replace, text)


def _document_part(text: str) -> str:
    m = _TRAILER.search(text)
    return text[: m.start()] if m else text


def _header_number(text: str) -> DocNumber | None:
    head_end = -1
    for _ in range(_HEADER_LINES):
        head_end = text.find("\n", head_end + 1)
        if head_end < 0:
            head_end = len(text)
            break
    for m in _OWN_LINE.finditer(text, 0, head_end):
        for number in find_in_text_lenient(text[m.end(): m.end() + 120]):
            if number.start == 0:
                return DocNumber(m.end(), m.end() + number.end, number.text, number.canonical)
            break
    return None


def _caption_number(text: str) -> DocNumber | None:
    for m in _CAPTION.finditer(text):
        found = find_in_text_lenient(text[m.end(): m.end() + 120])
        if found and found[0].start == 0:
            return found[0]
    return None


def own_number(text: str) -> str:
    """The document's number as its text gives it (canonical display form), or ``""``: the
    header's ``Số …`` line, else the first appendix caption ``(Kèm theo <type> số …)``."""
    body = _unmark(_document_part(prepare(text)))
    found = _header_number(body) or _caption_number(body)
    return _display(found.canonical) if found else ""


def number_key(number: str) -> str:
    """The folded index key of one number as written or typed (``15/2020/nd-cp``), or ``""``.

    Like ``docnumber.canonical_key``, but a trailing remark does not matter and the
    lenient shapes count (``66.4/2025/NQ-CP``, ``11554/VPCP-V.I``).
    """
    found = find_in_query_lenient(prepare(number).strip())
    return found[0].folded_key if found and found[0].start == 0 else ""


def _recipient_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _RECIPIENTS.finditer(text):
        end = _RECIPIENTS_END.search(text, m.end(), m.end() + _RECIPIENTS_MAX)
        spans.append((m.start(), end.end() if end else min(len(text), m.end() + 200)))
    return spans


def _display(canonical: str) -> str:
    head, _, code = canonical.rpartition("/")
    if "-" in head:  # party: ``15-NQ/TU``
        num, _, kind = head.partition("-")
        return f"{num}-{_TYPE_SPELLING.get(kind, kind)}/{_SPELLING.get(code, code)}"
    first, *rest = code.split("-")
    parts = [_TYPE_SPELLING.get(first, first), *(_SPELLING.get(p, p) for p in rest)]
    return f"{head}/{'-'.join(parts)}"


def _spelling_rank(canonical: str) -> tuple[bool, bool]:
    """Prefer a spelling with ``Đ`` and with lower case (``TTg``) over a bare upper-case one."""
    return (not canonical.isascii(), any(c.islower() for c in canonical))


def extract_citations(text: str, own_number: str = "") -> list[str]:
    """Numbers of the documents ``text`` cites (canonical display forms such as
    ``121/2003/NĐ-CP``, ``72/2025/QH15``, ``6/QĐ-TTg``), unique by folded key, in order of
    first appearance, without the document's own number.

    ``own_number`` is the document's number if known (a record's ``doc_number``). The
    number on the header's ``Số …`` line is the document's own too, given or not; with
    neither, an appendix caption (``(Kèm theo Quyết định số …)``) names it.
    """
    body = _unmark(_document_part(prepare(text)))
    header = _header_number(body)
    own = {number_key(own_number)} if own_number else set()
    found = header or (None if own_number else _caption_number(body))
    if found:
        own.add(found.folded_key)
    skip = _recipient_spans(body)
    if header:
        skip.append((header.start, header.end))
    chosen: dict[str, str] = {}
    for number in find_in_text_lenient(body):
        key = number.folded_key
        if key in own or any(a <= number.start < b for a, b in skip):
            continue
        if _FORM.search(body, max(0, number.start - 20), number.start):
            continue
        if key not in chosen or _spelling_rank(number.canonical) > _spelling_rank(chosen[key]):
            chosen[key] = number.canonical
    return [_display(c) for c in chosen.values()]


def citation_keys(numbers: Iterable[str]) -> list[str]:
    """The folded index keys of numbers (``15/2020/NĐ-CP`` → ``15/2020/nd-cp``), unique, in
    order; numbers that do not parse are left out."""
    return list(dict.fromkeys(k for k in (number_key(n) for n in numbers) if k))
