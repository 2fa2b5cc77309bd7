"""Document numbers (số ký hiệu): found before segmentation, indexed whole.

pyvi cuts ``15/2020/NĐ-CP`` into five tokens, so numbers are recognised on the
normalised text first and indexed in their own fields under two keys: the
canonical key (``15/2020/nđ-cp``) and its folded form (``15/2020/nd-cp``), so a
number typed without ``đ`` or in lower case still finds its document.

Shapes (Nghị định 30/2020/NĐ-CP and the party's rules):
- legal normative: ``121/2003/NĐ-CP``, ``87/2025/QĐ-UBND``, ``72/2025/QH15``
- administrative: ``2820/QĐ-UBND``, ``5348/CT-CS``, ``06/QĐ-TTg``
- party: ``15-NQ/TU``, ``383-QĐ/TW``
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.fold import fold

_DASH = r"\s?[-–]\s?"
_SLASH = r"\s?/\s?"


def _pattern(code: str, dash: str, slash: str) -> str:
    codes = f"{code}(?:{dash}{code})*"
    legal = rf"(?P<lnum>\d{{1,5}}){slash}(?P<year>(?:19|20)\d\d){slash}(?P<lcode>{codes})"
    admin = rf"(?P<anum>\d{{1,5}}){slash}(?P<acode>{codes})"
    party = rf"(?P<pnum>\d{{1,5}}){dash}(?P<ptype>{code}){slash}(?P<pcode>{codes})"
    return rf"(?<![\w/.-])(?:{legal}|{party}|{admin})(?![\w/])"


# In documents the code letters are capitals (mixed case only after a capital:
# ``TTg``, ``QH15``), which keeps ``50/người`` or ``km/h`` out.
_IN_TEXT = re.compile(_pattern(r"[A-ZĐ][A-ZĐa-z0-9]*", "[-–]", "/"))
# In queries people type any case, with or without đ, sometimes with spaces.
_IN_QUERY = re.compile(_pattern(r"[^\W\d_][^\W_]*", _DASH, _SLASH), re.IGNORECASE)


@dataclass(frozen=True)
class DocNumber:
    """A recognised number: where it stands and its index keys."""

    start: int
    end: int
    text: str
    canonical: str  # display form, e.g. ``15/2020/NĐ-CP``

    @property
    def key(self) -> str:
        return self.canonical.lower()

    @property
    def folded_key(self) -> str:
        return fold(self.key)

    def index_keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.key, self.folded_key)))


def _code(raw: str) -> str:
    parts = re.split(r"\s*[-–]\s*", raw.strip())
    return "-".join(p.upper() if not re.fullmatch(r"[A-ZĐ][A-ZĐa-z0-9]*", p) else p for p in parts)


def _canonical(m: re.Match) -> str:
    g = m.groupdict()
    if g["lnum"]:
        return f"{int(g['lnum'])}/{g['year']}/{_code(g['lcode'])}"
    if g["pnum"]:
        return f"{int(g['pnum'])}-{_code(g['ptype'])}/{_code(g['pcode'])}"
    return f"{int(g['anum'])}/{_code(g['acode'])}"


def _find(pattern: re.Pattern, text: str) -> list[DocNumber]:
    found = []
    for m in pattern.finditer(text):
        if not re.search(r"[^\W\d_]", m.group()):
            continue
        found.append(DocNumber(m.start(), m.end(), m.group(), _canonical(m)))
    return found


def find_in_text(text: str) -> list[DocNumber]:
    """Numbers written in a document, in order of appearance."""
    return _find(_IN_TEXT, text)


def find_in_query(query: str) -> list[DocNumber]:
    """Numbers typed in a query, whatever their case or spacing."""
    return _find(_IN_QUERY, query)


def canonical_key(number: str) -> str:
    """The folded index key of one number as a user or a record wrote it, or ``""``."""
    found = find_in_query(number.strip())
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(number.strip()):
        return found[0].folded_key
    return ""


# --- Lenient finding --------------------------------------------------------------------
# Real documents slip inside numbers, and ``find_in_text`` then stops short or misses them
# (counts over the 424 texts of legal-documents.jsonl.gz):
# - a line break after a dash: ``3783/QĐ-\nUBND``, ``21/2020/TT-\nBTTTT`` (79)
# - a space on one side of a dash: ``267/2025/NĐ- CP`` (about 250), before a slash:
#   ``4834 /TTr-SXD``, after one when capitals follow: ``123/2020/ NĐ-CP`` (about 20); a
#   line break before a slash: ``409\n/TTr-SVHTTDL`` (1)
# - a dotted sub-number: ``66.4/2025/NQ-CP`` (12); a dotted code: ``11554/VPCP-V.I``
# - a type glued to its issuer: ``118/2025/NĐCP``, ``02/2024/TTBKHĐT`` (11)
# and QCVN ``06:2022/BXD`` is a standard, not ``2022/BXD``. Markdown emphasis inside a
# number (``63**/**2010``) is the caller's to remove.

_TEXT_CODE = r"[A-ZĐ][A-ZĐa-z0-9]*"
_QUERY_CODE = r"[^\W\d_][^\W_]*"
_DECIMAL = r"\d{1,5}(?:\.\d{1,2})?"


def _lenient_pattern(code: str, more: str, dash: str, slash: str) -> str:
    part = rf"{code}(?:\.{more})*"
    codes = f"{part}(?:{dash}{part})*"
    legal = rf"(?P<lnum>{_DECIMAL}){slash}(?P<year>(?:19|20)\d\d){slash}(?P<lcode>{codes})"
    admin = rf"(?P<anum>\d{{1,5}}){slash}(?P<acode>{codes})"
    party = rf"(?P<pnum>\d{{1,5}}){dash}(?P<ptype>{code}){slash}(?P<pcode>{codes})"
    return rf"(?<![\w/.-])(?<!\d:)(?:{legal}|{party}|{admin})(?![\w/])"


_IN_TEXT_LENIENT = re.compile(_lenient_pattern(
    _TEXT_CODE, r"[A-ZĐ0-9][A-ZĐa-z0-9]*",
    r"(?:[-–][ \t]*\n[ \t]*|[-–] ?| [-–])",  # not `` - ``: a list or a range, as often
    r"(?:[ \t]*\n?[ \t]*/(?:[ \t](?=[A-ZĐ0-9]{2}))?)"))  # ``4/ Cung cấp`` is an item
_IN_QUERY_LENIENT = re.compile(
    _lenient_pattern(_QUERY_CODE, r"[^\W_]+", _DASH, _SLASH), re.IGNORECASE)
# A type glued to its issuer in a legal number (``NĐCP``), split back.
_GLUED = re.compile(r"(N[ĐD])(CP)|(NQ)(CP|H[ĐD]ND)|(Q[ĐD])(TT[Gg]|UBND|B[A-ZĐ]{2,9})|"
                    r"(TT)(B[A-ZĐ]{2,9})")


def _number(raw: str) -> str:
    whole, dot, sub = raw.partition(".")
    return f"{int(whole)}{dot}{sub}"


def _lenient_canonical(m: re.Match) -> str:
    g = m.groupdict()
    if g["lnum"]:
        code = _code(g["lcode"])
        glued = _GLUED.fullmatch(code)
        if glued:
            code = "-".join(p for p in glued.groups() if p)
        return f"{_number(g['lnum'])}/{g['year']}/{code}"
    return _canonical(m)


def _find_lenient(pattern: re.Pattern, text: str) -> list[DocNumber]:
    found = []
    for m in pattern.finditer(text):
        if not re.search(r"[^\W\d_]", m.group()):
            continue
        found.append(DocNumber(m.start(), m.end(), m.group(), _lenient_canonical(m)))
    return found


def find_in_text_lenient(text: str) -> list[DocNumber]:
    """``find_in_text`` that reads through the slips above; canonical forms carry no space.

    Every number ``find_in_text`` finds whole is found here with the same canonical form.
    """
    return _find_lenient(_IN_TEXT_LENIENT, text)


def find_in_query_lenient(query: str) -> list[DocNumber]:
    """``find_in_query`` plus dotted numbers and codes, glued types, and no QCVN years."""
    return _find_lenient(_IN_QUERY_LENIENT, query)
