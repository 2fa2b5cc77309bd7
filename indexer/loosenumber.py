"""Document numbers typed loosely: one key scheme for the index and the query (no engine here).

People type ``15/2020/NĐ-CP`` as ``15/2020/nd-cp``, ``nđ-cp 15/2020``, ``nghị định 15/2020``,
``nghi dinh 15``, ``15/2020``, ``NĐ 15``, and ``05-NQ/TU`` as ``5-nq/tu`` or ``nghị quyết
05``. Each spelling keeps part of the number; the index holds every part a document's
number (and each number it cites) can be reduced to, so whatever part was typed is a term
of the index. Keys are single tokens, lowercase, folded to ASCII, without spaces:

=================  ==============================================  ======================
strength           shape                                           examples
=================  ==============================================  ======================
FULL (4)           the folded number (``DocNumber.folded_key``)    ``15/2020/nd-cp``,
                                                                   ``2820/qd-ubnd``,
                                                                   ``5-nq/tu``,
                                                                   ``66.4/2025/nq-cp``
TYPE_NUMBER_YEAR   ``<type>#<number>/<year>`` (numbers with a      ``nd#15/2020``,
(3)                year only)                                      ``qh#72/2025``
NUMBER_YEAR (2)    ``<number>/<year>``                             ``15/2020``
TYPE_NUMBER (1)    ``<type>#<number>``                             ``nd#15``, ``qd#2820``,
                                                                   ``nq#5``
=================  ==============================================  ======================

Numbers lose leading zeros (``05`` → ``5``, as in ``docnumber``). The ``<type>`` of a
number is read from its code:

- with a year (``15/2020/NĐ-CP``, ``72/2025/QH15``): the first code part without its
  digits (``nd``, ``qh`` — a law or a resolution of the Quốc hội —, ``ubtvqh``);
- without a year (``2820/QĐ-UBND``): the first code part if it is a type code
  (``TYPE_CODES``), else ``cv`` (công văn: ``7197/BKHCN-CĐSQG`` → ``cv#7197``);
- party (``15-NQ/TU``, ``459-KHHĐ/TU``): the part before the slash (``nq``, ``khhd``).

``number_keys(number, doc_type)`` may add the type of a record's ``doc_type`` (a công văn
numbered ``5348/CT-CS`` gets ``cv#5348`` beside ``ct#5348``).

A query spelling maps to keys of the same scheme, so a query key always equals an index
key of the matching document: ``nghị định 15/2020`` → ``nd#15/2020``, ``15/2020``,
``nd#15``; ``nđ-cp 15/2020`` → ``15/2020/nd-cp`` and the weaker keys. Every
``LooseNumber`` lists its keys most specific first (``keys[0]`` has ``strength``) with the
weaker keys they imply, so a near miss (``nghị quyết 98/2023`` for ``98/2023/QH15``) still
meets the document on ``98/2023``; the searcher weights each key by ``key_strength``.
Index the own number's keys and the cited numbers' keys in separate fields: a number that
is cited but not indexed still returns the documents citing it.

Not numbers: dates (``19/11/2025``, ``3/2/1930`` have two slashes), ``3/2`` (no year
1945–2099), ``tháng 12/2020`` (a month), ``12,5%``, ``ngày 15 tháng 3``, and a type name
with a bare year (``kế hoạch 2025``, ``luật 2024``: a year, not a number; ``quyết định số
2025`` is a number).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

from indexer.analysis import prepare
from indexer.docnumber import find_in_query_lenient
from indexer.fold import fold

__all__ = ["TYPE_CODES", "TYPE_NAMES", "LooseNumber", "Strength", "key_strength",
           "number_keys", "parse_loose_numbers"]


class Strength(IntEnum):
    TYPE_NUMBER = 1
    NUMBER_YEAR = 2
    TYPE_NUMBER_YEAR = 3
    FULL = 4


# Type codes of numbers, folded (``QĐ`` → ``qd``): typed before a number (``NĐ 15``,
# ``qđ-ubnd 2820``) they are read as a type.
TYPE_CODES = frozenset({
    "nd", "nq", "nqlt", "qd", "qdi", "tt", "ttlt", "ct", "cd", "kh", "khhd", "bc", "tb",
    "cv", "ttr", "hd", "qc", "kl", "gp", "vbhn", "ctr", "pl",
})
# Type names, folded, → type codes (``luật`` → the ``QH`` of ``72/2025/QH15``).
TYPE_NAMES = {
    "nghi dinh": ("nd",), "nghi quyet": ("nq",), "nghi quyet lien tich": ("nqlt",),
    "quyet dinh": ("qd",), "thong tu": ("tt",), "thong tu lien tich": ("ttlt",),
    "chi thi": ("ct",), "ke hoach": ("kh",), "ke hoach hanh dong": ("khhd", "kh"),
    "bao cao": ("bc",), "thong bao": ("tb",), "cong van": ("cv",), "cong dien": ("cd",),
    "to trinh": ("ttr",), "huong dan": ("hd",), "quy che": ("qc",), "ket luan": ("kl",),
    "quy dinh": ("qd", "qdi"), "luat": ("qh",), "bo luat": ("qh",),
    "phap lenh": ("pl", "ubtvqh"), "chuong trinh": ("ctr",), "giay phep": ("gp",),
    "van ban hop nhat": ("vbhn",),
}
# Issuers a query may write after a type code with a space (``nd cp 15/2020``); after a
# dash any code is taken (``qđ-ubnd``).
_ISSUERS = (r"cp|ttg|ubnd|hdnd|tw|tu|hu|qu|du|vpcp|nhnn|ttcp|tandtc|vksndtc|kttnn|"
            r"qh\d*|ubtvqh\d*|b(?:tc|ct|yt|qp|ca|gddt|gtvt|xd|tnmt|nnptnt|nnmt|khcn|khdt|"
            r"ldtbxh|nv|tp|vhttdl|tttt|ng|dttg)")

_NUM = r"\d{1,5}(?:\.\d{1,2})?"
_YEAR = r"(?:19|20)\d\d"
_SEP = r"(?:\s*/\s*|\s+)"
_SEP_YEAR = r"(?:\s*/\s*|\s+(?:nam\s+)?)"  # ``nghị định 100 năm 2019``
_END = r"(?![\w/]|[.,]\d)"
_START = r"(?<![\w/.,-])"
_SO = r"(?:so\s*:?\s*)?"


def _alternation(words: Iterable[str]) -> str:
    return "|".join(r"\s+".join(w.split()) for w in sorted(words, key=len, reverse=True))


_CODE = rf"(?P<type>{_alternation(TYPE_CODES)})"
_ISSUER = rf"(?:-(?P<iss>[a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*)|\s+(?P<iss2>{_ISSUERS}))"
# ``nđ-cp 15/2020``, ``qđ-ubnd 2820``, ``NĐ 15``, ``nd cp số 15 2020``
_CODE_FIRST = re.compile(
    rf"{_START}{_CODE}{_ISSUER}?\s+{_SO}(?P<num>{_NUM})(?:{_SEP_YEAR}(?P<year>{_YEAR}))?{_END}")
# ``121 2003 nd cp``, ``15/2020 nđ-cp``
_CODE_AFTER = re.compile(
    rf"{_START}(?P<num>{_NUM}){_SEP}(?P<year>{_YEAR}){_SEP}{_CODE}{_ISSUER}?{_END}")
# ``nghị định 15/2020``, ``quyết định số 2820``, ``nghị quyết 05``
_NAME_FIRST = re.compile(
    rf"(?<!\w)(?P<name>{_alternation(TYPE_NAMES)})\s+{_SO}(?P<num>{_NUM})"
    rf"(?:{_SEP_YEAR}(?P<year>{_YEAR}))?{_END}")
# ``15/2020``
_NUMBER_YEAR = re.compile(rf"{_START}(?P<num>{_NUM})\s*/\s*(?P<year>{_YEAR}){_END}")
# ``tháng 12/2020``, ``quý 3/2025``, ``đợt 2/2025`` are dates
_DATE_WORD = re.compile(r"(?<![a-z])(?:thang|quy|ngay|nam|dot)\s*$")

_LEGAL = re.compile(r"(?P<num>[\d.]+)/(?P<year>\d{4})/(?P<code>.+)")
_PARTY = re.compile(r"(?P<num>\d+)-(?P<type>[^/]+)/(?P<code>.+)")
_ADMIN = re.compile(r"(?P<num>\d+)/(?P<code>.+)")


@dataclass(frozen=True)
class LooseNumber:
    """A number typed in a query: where it stands (in ``analysis.prepare(query)``), the
    index keys to search, most specific first, and the strength of ``keys[0]``."""

    start: int
    end: int
    text: str
    keys: tuple[str, ...]
    strength: Strength

    def weighted_keys(self) -> tuple[tuple[str, Strength], ...]:
        return tuple((k, key_strength(k)) for k in self.keys)


def key_strength(key: str) -> Strength:
    """How specific a key of the scheme is (``15/2020/nd-cp`` FULL … ``nd#15`` TYPE_NUMBER)."""
    if "#" in key:
        return Strength.TYPE_NUMBER_YEAR if "/" in key else Strength.TYPE_NUMBER
    if re.fullmatch(r"[\d.]+/\d{4}", key):
        return Strength.NUMBER_YEAR
    return Strength.FULL


def _folded(text: str) -> str:
    return fold(" ".join(text.lower().split()))


def _num(raw: str) -> str:
    whole, dot, sub = raw.partition(".")
    return f"{int(whole)}{dot}{sub}"


def _type_of(code_part: str) -> str:
    return re.sub(r"\d+$", "", _folded(code_part))


def _keys(num: str, year: str, types: Iterable[str], full: str = "") -> tuple[str, ...]:
    types = tuple(dict.fromkeys(t for t in types if t))
    out = [full] if full else []
    if year:
        out += [f"{t}#{num}/{year}" for t in types]
        out.append(f"{num}/{year}")
    out += [f"{t}#{num}" for t in types]
    return tuple(dict.fromkeys(out))


def number_keys(number: str, doc_type: str = "", year: str = "") -> list[str]:
    """Every key a document numbered ``number`` (or citing it) is indexed under, most
    specific first; ``[]`` when ``number`` is not a document number.

    ``number`` is a canonical form (``15/2020/NĐ-CP``) or any spelling ``find_in_query``
    reads whole (``15/2020/nd-cp``, ``05-NQ/TU``); a trailing remark is ignored.
    ``doc_type`` (``Công văn``, ``Nghị quyết``) adds the keys of that type; ``year`` (of
    the record's date) gives a number without one its year keys too (``2820/QĐ-UBND`` of
    2025: ``qd#2820/2025``, ``2820/2025``), as typed from titles such as ``Quyết định
    2820/QĐ-UBND năm 2025``.
    """
    found = find_in_query_lenient(prepare(number).strip())
    if not found or found[0].start != 0:
        return []
    canonical, full = found[0].canonical, found[0].folded_key
    extra = TYPE_NAMES.get(_folded(doc_type), ()) if doc_type else ()
    if m := _LEGAL.fullmatch(canonical):
        return list(_keys(_num(m["num"]), m["year"],
                          (_type_of(m["code"].split("-")[0]), *extra), full))
    year = year if re.fullmatch(r"\d{4}", year or "") and _year_ok(year) else ""
    if m := _PARTY.fullmatch(canonical):
        return list(_keys(m["num"], year, (_type_of(m["type"]), *extra), full))
    if m := _ADMIN.fullmatch(canonical):
        kind = _type_of(m["code"].split("-")[0])
        return list(_keys(m["num"], year, (kind if kind in TYPE_CODES else "cv", *extra), full))
    return []


def _fold_view(text: str) -> str:
    """Lowercase ASCII copy of ``text``, one character for one, so spans carry over."""
    out = []
    for c in text:
        f = fold(c.lower())
        out.append(f if len(f) == 1 else ("_" if c.isalnum() else " "))
    return "".join(out)


def _year_ok(year: str | None) -> bool:
    return year is None or 1945 <= int(year) <= 2099


def _looks_like_year(m: re.Match) -> bool:
    """``kế hoạch 2025``: a type and a year, not a number (``số 2025`` is a number)."""
    raw = m["num"]
    return (not m["year"] and "." not in raw and len(raw) == 4 and 1945 <= int(raw) <= 2099
            and not re.search(r"\sso\s*:?\s*\d+$", m.group()))


def _candidates(text: str, view: str) -> list[LooseNumber]:
    out = []

    def add(start: int, end: int, keys: Iterable[str]) -> None:
        keys = tuple(keys)
        if keys:
            out.append(LooseNumber(start, end, text[start:end], keys, key_strength(keys[0])))

    for number in find_in_query_lenient(text):
        add(number.start, number.end, number_keys(number.canonical))
    for pattern in (_CODE_FIRST, _CODE_AFTER):
        for m in pattern.finditer(view):
            if not _year_ok(m["year"]) or _looks_like_year(m):
                continue
            num, year, kind = _num(m["num"]), m["year"] or "", m["type"]
            issuer = m["iss"] or (m["iss2"] and re.sub(r"\s+", "", m["iss2"]))
            if issuer:
                full = f"{num}/{year}/{kind}-{issuer}" if year else f"{num}/{kind}-{issuer}"
                add(m.start(), m.end(), number_keys(full) or _keys(num, year, (kind,)))
            else:
                add(m.start(), m.end(), _keys(num, year, (kind,)))
    for m in _NAME_FIRST.finditer(view):
        if not _year_ok(m["year"]) or _looks_like_year(m):
            continue
        types = TYPE_NAMES[" ".join(m["name"].split())]
        add(m.start(), m.end(), _keys(_num(m["num"]), m["year"] or "", types))
    for m in _NUMBER_YEAR.finditer(view):
        if _year_ok(m["year"]) and not _DATE_WORD.search(view, 0, m.start()):
            add(m.start(), m.end(), _keys(_num(m["num"]), m["year"], ()))
    return out


def parse_loose_numbers(query: str) -> list[LooseNumber]:
    """Document numbers in a query, however typed, in order; spans index
    ``analysis.prepare(query)`` (the query itself when it is already prepared)."""
    text = prepare(query)
    view = _fold_view(text)
    chosen: list[LooseNumber] = []
    ranked = sorted(_candidates(text, view),
                    key=lambda n: (-n.strength, -(n.end - n.start), n.start))
    for cand in ranked:
        if all(cand.end <= c.start or cand.start >= c.end for c in chosen):
            chosen.append(cand)
    return sorted(chosen, key=lambda n: n.start)
