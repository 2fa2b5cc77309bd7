"""Metadata of an official document read from its own text (see docs/metadata.md).

A Vietnamese official document has a fixed layout (Nghị định 30/2020/NĐ-CP; the party's
rules for party documents), and this module reads it as a small grammar:

    issuer block      ỦY BAN NHÂN DÂN / TỈNH LAI CHÂU      (party: ĐẢNG BỘ … / HUYỆN ỦY …)
    motto             CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc
                      (party: ĐẢNG CỘNG SẢN VIỆT NAM)
    number            Số: 2820/QĐ-UBND   (party: Số 15-NQ/TU; laws: Luật số: 72/2025/QH15)
    [V/v subject]     V/v …              (công văn: no type line)
    place, date       Lai Châu, ngày 19 tháng 11 năm 2025
    type line         QUYẾT ĐỊNH
    subject           Về việc …  /  BAN HÀNH KẾ HOẠCH …   (trích yếu)
    [authority]       CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LAI CHÂU
    body              Căn cứ … / Kính gửi: … / Điều 1. …
    end               Nơi nhận: …  next to  TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH /
                      PHÓ CHỦ TỊCH / name

Scraped copies break this layout: header cells wrap anywhere (``ỦY BAN NHÂN`` / ``DÂN``),
markdown emphasis is cut across lines, the two columns of the header and of the signature
come out one after the other or interleaved, and a portal may put its own metadata panel on
top. The panel (``**Số hiệu:**`` …) and the portal's title line above it are dropped: they
are the portal's copy of the metadata, not the document.

When the header itself is lost (a fragment, a letter that starts at ``Kính gửi:``, a news
summary), fallbacks read what else in the text names the document: the lead of a news page,
the caption of an appendix (``Kèm theo Quyết định số … ngày … của …``), the enacting formula
(``Bộ trưởng Bộ … ban hành Thông tư …``), ``<type> này`` self-references, the sender of a
reply letter (``Cục Thuế có ý kiến như sau``), ``TM. <body>`` in the signature.

``extract_metadata(text)`` returns what the text says; ``merge`` lets a record's own
metadata win over it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from indexer.docnumber import find_in_text
from indexer.issuers import (
    KNOWN_BODIES,
    PROVINCES,
    canonical_issuer,
    display_issuer,
    issuer_from_header,
    issuer_heads,
    parse_issuer,
)
from indexer.normalize import normalize_line, normalize_text
from indexer.tone import normalize_tone

__all__ = ["DOC_TYPES", "MERGE_FIELDS", "TYPE_CODES", "Metadata", "extract_metadata", "merge",
           "sentence_case", "strip_panel"]

# Type lines as printed (upper case) → the name a person uses.
DOC_TYPES = {
    "QUYẾT ĐỊNH": "Quyết định", "NGHỊ QUYẾT": "Nghị quyết",
    "NGHỊ QUYẾT LIÊN TỊCH": "Nghị quyết liên tịch", "NGHỊ ĐỊNH": "Nghị định",
    "THÔNG TƯ": "Thông tư", "THÔNG TƯ LIÊN TỊCH": "Thông tư liên tịch", "CHỈ THỊ": "Chỉ thị",
    "CÔNG ĐIỆN": "Công điện", "CÔNG VĂN": "Công văn", "KẾ HOẠCH": "Kế hoạch",
    "THÔNG BÁO": "Thông báo", "THÔNG BÁO KẾT LUẬN": "Thông báo", "HƯỚNG DẪN": "Hướng dẫn",
    "QUY ĐỊNH": "Quy định", "KẾT LUẬN": "Kết luận", "BÁO CÁO": "Báo cáo",
    "TỜ TRÌNH": "Tờ trình", "QUY CHẾ": "Quy chế", "LUẬT": "Luật", "BỘ LUẬT": "Bộ luật",
    "PHÁP LỆNH": "Pháp lệnh", "LỆNH": "Lệnh", "CHƯƠNG TRÌNH": "Chương trình",
    "ĐỀ ÁN": "Đề án", "PHƯƠNG ÁN": "Phương án", "DỰ ÁN": "Dự án", "BIÊN BẢN": "Biên bản",
    "GIẤY MỜI": "Giấy mời", "THÔNG CÁO": "Thông cáo", "THÔNG TRI": "Thông tri",
    "HIẾN PHÁP": "Hiến pháp", "ĐIỀU LỆ": "Điều lệ", "QUY CHẾ PHỐI HỢP": "Quy chế",
    "VĂN BẢN HỢP NHẤT": "Văn bản hợp nhất", "CHƯƠNG TRÌNH HÀNH ĐỘNG": "Chương trình",
    "DECREE": "Nghị định", "CIRCULAR": "Thông tư", "JOINT CIRCULAR": "Thông tư liên tịch",
    "DECISION": "Quyết định", "RESOLUTION": "Nghị quyết", "LAW": "Luật",
    "DIRECTIVE": "Chỉ thị", "ORDINANCE": "Pháp lệnh", "ORDER": "Lệnh",
    "OFFICIAL DISPATCH": "Công văn", "OFFICIAL LETTER": "Công văn",
}
# The type part of a number's code (``QĐ`` in ``2820/QĐ-UBND``, ``NQ`` in ``15-NQ/TU``).
TYPE_CODES = {
    "QĐ": "Quyết định", "NQ": "Nghị quyết", "NQLT": "Nghị quyết liên tịch", "NĐ": "Nghị định",
    "TT": "Thông tư", "TTLT": "Thông tư liên tịch", "CT": "Chỉ thị", "CĐ": "Công điện",
    "KH": "Kế hoạch", "TB": "Thông báo", "HD": "Hướng dẫn", "BC": "Báo cáo", "TTr": "Tờ trình",
    "QC": "Quy chế", "KL": "Kết luận", "CTr": "Chương trình", "ĐA": "Đề án",
    "VBHN": "Văn bản hợp nhất", "L": "Lệnh", "PL": "Pháp lệnh", "CV": "Công văn",
    "QĐi": "Quy định",
}
# Types whose name reads "<type> <subject>" (``Luật Tổ chức chính quyền địa phương``).
_NAMED_TYPES = frozenset({"Luật", "Bộ luật", "Pháp lệnh", "Hiến pháp"})

_MONTHS = {m: i for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"), 1)}


@dataclass(frozen=True)
class Metadata:
    """What a document's text says about itself; empty strings where it says nothing.

    ``date`` is ISO ``yyyy-mm-dd``; ``issuer`` is canonical (``indexer.issuers``, spelled
    out by ``issuer_display``); ``title`` is ``<type> <number> <subject>``. ``source`` tells
    which grammar identified the document: ``header`` (its own header), ``caption`` (an
    appendix caption naming it), ``lead`` (the lead of a news page about it: "Ngày
    26/11/2025, Chính phủ ban hành Nghị quyết 08/2025/NQ-CP …"), ``fallback`` (only type or
    issuer, from the other fallbacks) or ``""``. Callers indexing news may want to ignore
    ``lead`` results: the page is about the document, it is not the document.
    """

    doc_type: str = ""
    doc_number: str = ""
    issuer: str = ""
    date: str = ""
    place: str = ""
    signer: str = ""
    signer_role: str = ""
    subject: str = ""
    title: str = ""
    source: str = ""

    @property
    def issuer_display(self) -> str:
        return display_issuer(self.issuer)

    def to_dict(self) -> dict:
        return asdict(self)


# Record fields that extraction may fill (the Record's own names).
MERGE_FIELDS = ("title", "doc_number", "doc_type", "issuer", "signer", "date")


def merge(record_fields: dict, extracted: Metadata, fields: tuple[str, ...] = MERGE_FIELDS,
          ) -> dict:
    """A copy of ``record_fields`` where every empty field of ``fields`` is taken from the
    extraction: metadata given in the record wins whenever it is not empty (blank strings
    count as empty). Record-shaped input is expected: ``date`` ISO, as ``Record`` keeps it."""
    merged = dict(record_fields)
    for name in fields:
        given = merged.get(name)
        if isinstance(given, str):
            given = given.strip()
        if not given:
            value = getattr(extracted, name, "")
            if value:
                merged[name] = value
    return merged


# --- lines ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Line:
    text: str  # cleaned: no markdown, one space between words, tone marks in one style
    bold: bool  # the whole line was ``**bold**`` (or a ``#`` heading)
    raw: tuple[str, ...]  # the physical lines it was joined from

    @property
    def parts(self) -> list[str]:
        return [p for p in (_clean(r) for r in self.raw) if p]


_STARS = re.compile(r"\*+")
_SEPARATOR = re.compile(r"^[-_=–—*.\s]{3,}$")
_PANEL_LABEL = re.compile(
    r"^(?:Số hiệu|Loại văn bản|Nơi ban hành|Người ký|Ngày ban hành|Ngày hiệu lực|"
    r"Ngày công báo|Số công báo|Tình trạng|Lĩnh vực|Cơ quan ban hành|Ngày có hiệu lực):$")


_INNER_STARS = re.compile(r"(?<=\w)\*+(?=\w)")
_HEADING = re.compile(r"^\s*#+\s+")


def _clean(raw: str) -> str:
    """One line without markdown, one space between words (tone marks are normalised once,
    on the whole text, by ``extract_metadata``)."""
    if "*" in raw:
        raw = _INNER_STARS.sub("", raw).replace("*", " ")  # ``C****ÔNG`` → ``CÔNG``
    if "#" in raw:
        raw = _HEADING.sub("", raw)
    return " ".join(raw.replace("\\", " ").split())


def _open_emphasis(raw: str) -> bool:
    """True when ``*``/``**`` spans opened on the line are not all closed on it."""
    if not raw.replace("*", "").strip() or _SEPARATOR.match(raw.strip()):
        return False
    runs = [len(r) for r in _STARS.findall(raw)]
    return sum(n // 2 for n in runs) % 2 == 1 or sum(n % 2 for n in runs) % 2 == 1


def _lines(text: str) -> list[_Line]:
    """Logical lines: a line whose markdown emphasis stays open continues on the next ones
    (``*Thành phố Hồ`` / ``Chí Minh, ngày 19 tháng 11 năm 2025*``)."""
    raw = text.split("\n")
    out: list[_Line] = []
    i = 0
    while i < len(raw):
        group = [raw[i]]
        j = i
        while "*" in raw[i] and _open_emphasis(" ".join(group)) and j + 1 < len(raw) \
                and len(group) < 6:
            nxt = raw[j + 1]
            if not nxt.strip() or _SEPARATOR.match(nxt.strip()) or nxt.lstrip().startswith("*"):
                break  # a line that opens its own span starts a new logical line
            group.append(nxt)
            j += 1
        joined = " ".join(group)
        stripped = joined.strip()
        bold = stripped.startswith("#") or (stripped.startswith("**") and stripped.endswith("**"))
        out.append(_Line(_clean(joined), bold, tuple(group)))
        i = j + 1
    return out


def strip_panel(text: str) -> str:
    """Drop a portal's metadata panel (``Số hiệu:`` / value / ``Loại văn bản:`` / …) and the
    portal's title line above it: they are the portal's copy of the metadata, not the
    document's text."""
    raw = text.split("\n")
    head = [i for i, line in enumerate(raw[:60]) if line.replace("*", "").strip()][:4]
    for start in head:
        i = start
        while i < len(raw) and _PANEL_LABEL.match(" ".join(raw[i].replace("*", " ").split())):
            i += 2
        if i - start >= 6:  # three label/value pairs at least
            return "\n".join(raw[i:])
    return text


def _letters(text: str) -> str:
    return "".join(c for c in text if c.isalpha())


def _is_upper(text: str) -> bool:
    letters = _letters(text)
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.85 * len(letters)


# --- header --------------------------------------------------------------------------------

_MOTTO = re.compile(
    r"CỘNG\s*HÒA\s*XÃ\s*HỘI\s*CHỦ\s*NGHĨA\s*VIỆT\s*NAM|ĐẢNG\s*CỘNG\s*SẢN\s*VIỆT\s*NAM|"
    r"SOCIALIST\s*REPUBLIC\s*OF\s*VIET\s*NAM|^Độc lập\s*[-–]\s*Tự do|^Independence\b", re.I)
_NUMBER = re.compile(
    r"^(?:(?:Luật|Bộ luật|Pháp lệnh|Lệnh|LUẬT)\s+(?:số|Số|SỐ)|Số|SỐ|No\.?)(?:\s*(?:hiệu|ký hiệu))?"
    r"\s*[:.]?\s*(?P<rest>.*)$")
_DATE = re.compile(
    r"^(?P<place>[^\d,;:()]{0,60}?)\s*,?\s*(?:ngày|Ngày)\s+(?P<d>\d{1,2})\s*(?:tháng\s*|[/.-])"
    r"\s*(?P<m>\d{1,2})\s*(?:,?\s*năm\s*|[/.-])\s*(?P<y>(?:19|20)\d\d)\s*\.?$")
_EN_DATE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z ]{1,30}),\s*(?P<mon>[A-Za-z]+)\s+(?P<d>\d{1,2}),?\s+"
    r"(?P<y>(?:19|20)\d\d)$")
_BODY_START = re.compile(
    r"^(?:[-+•]\s*)?(?:Căn cứ|Kính gửi|Thực hiện|Xét |Theo đề nghị|Điều 1\b|Chương I\b|"
    r"Dear\b|Pursuant\b|In accordance\b)", re.I)
_VV = re.compile(r"^(?:V/v|V/V|v/v|Về việc|VỀ VIỆC)\b\.?:?\s*(?P<rest>.*)$")
_AUTHORITY = re.compile(
    r"^(?:(?:PHÓ )?(?:CHỦ TỊCH|BỘ TRƯỞNG|THỦ TƯỚNG|THỐNG ĐỐC|CHÁNH ÁN|GIÁM ĐỐC|CỤC TRƯỞNG|"
    r"TỔNG CỤC TRƯỞNG|TRƯỞNG BAN|VIỆN TRƯỞNG|TỔNG KIỂM TOÁN NHÀ NƯỚC|CHỦ NHIỆM)(?:,? .*)?|"
    r"(?:ỦY BAN NHÂN DÂN|HỘI ĐỒNG NHÂN DÂN)(?: .*)?|CHÍNH PHỦ|QUỐC HỘI|"
    r"ỦY BAN THƯỜNG VỤ QUỐC HỘI|BAN CHẤP HÀNH TRUNG ƯƠNG(?: ĐẢNG)?|BAN THƯỜNG VỤ(?: .*)?|"
    r"BAN BÍ THƯ|BỘ CHÍNH TRỊ)(?: ĐIỆN| điện)?:?$")
_NOT_AUTHORITY = re.compile(r"\d| VỀ | CỦA | VÀ | GIỮA | NĂM | TRONG | THEO | ĐỐI VỚI ")


def _authority(text: str) -> bool:
    return bool(_AUTHORITY.match(text)) and not _NOT_AUTHORITY.search(text)


def _type_of(line: _Line) -> str:
    text = line.text.strip(" .")
    if not text or text.endswith(":") or not _is_upper(text):
        return ""
    return DOC_TYPES.get(text.upper(), "")


def _number_after(lines: list[_Line], i: int) -> tuple[str, int]:
    """The number printed on line ``i`` after ``Số:`` (or on the next line), and the last
    line it uses; ``("", i)`` when the line is not a number line."""
    m = _NUMBER.match(lines[i].text)
    if not m:
        return "", i
    rest, last = m.group("rest").strip(), i
    if not rest and i + 1 < len(lines):
        rest, last = lines[i + 1].text, i + 1
    token = re.sub(r"\s*([/–-])\s*", r"\1", rest).split(" ")[0] if rest else ""
    if token.endswith(("/", "-", "–")) and last + 1 < len(lines):  # ``3783/QĐ-`` / ``UBND``
        token += lines[last + 1].text.split(" ")[0]
        last += 1
    token = token.strip(".,;:")
    if not re.match(r"^\d[\w.]*[/-]\S*[^\W\d_]", token):
        return "", i
    return token, last


_PLACE_WORDS = frozenset({"thành", "phố", "tỉnh", "huyện", "quận", "xã", "phường", "thị", "trấn",
                          "đặc", "khu"})


def _date(line: str) -> tuple[str, str] | None:
    m = _DATE.match(line)
    if m:
        day, month, year = int(m.group("d")), int(m.group("m")), int(m.group("y"))
        place = m.group("place")
    else:
        m = _EN_DATE.match(line)
        if not m or m.group("mon").lower() not in _MONTHS:
            return None
        day, month, year = int(m.group("d")), _MONTHS[m.group("mon").lower()], int(m.group("y"))
        place = m.group("place")
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    place = place.strip(" ,.")
    if place and not all(w[0].isupper() or w in _PLACE_WORDS for w in place.split()):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}", place


def _is_separator(line: _Line) -> bool:
    return not line.text or bool(_SEPARATOR.match(line.text))


@dataclass
class _Header:
    doc_type: str = ""
    doc_number: str = ""
    issuer: str = ""
    date: str = ""
    place: str = ""
    subject: str = ""
    authority: str = ""
    body_start: int = 0
    found: bool = False
    kinh_gui: bool = False


def _header_start(lines: list[_Line]) -> int:
    """Where the header begins: the top, or the issuer cells before the first motto or
    number line when something else comes first (a news summary of the document)."""
    for i in range(min(len(lines), 400)):
        text = lines[i].text
        if i < 15 and (_MOTTO.search(text) or _number_after(lines, i)[0]):
            return 0
        # further down only a motto followed by a number or date line opens a header
        if _MOTTO.search(text) and any(_number_after(lines, k)[0] or _date(lines[k].text)
                                       for k in range(i + 1, min(len(lines), i + 6))):
            j = i
            while j > 0 and i - j < 12 and (_is_upper(lines[j - 1].text)
                                             or _is_separator(lines[j - 1])):
                j -= 1
            return j
        if _BODY_START.match(text) and i >= 15:
            break
    return 0


def _parse_header(lines: list[_Line]) -> _Header:
    offset = _header_start(lines)
    h = _parse_header_at(lines[offset:])
    h.body_start += offset
    return h


def _parse_header_at(lines: list[_Line]) -> _Header:
    h = _Header()
    limit = min(len(lines), 60)
    body = next((i for i in range(limit) if _BODY_START.match(lines[i].text)), limit)
    motto = number_at = date_at = type_at = vv_at = -1
    for i in range(min(body, 45)):
        text = lines[i].text
        if motto < 0 and _MOTTO.search(text):
            motto = i
        if number_at < 0 and type_at < 0:
            number, _ = _number_after(lines, i)
            if number:
                h.doc_number, number_at = number, i
                continue
        if date_at < 0 and type_at < 0:
            found = _date(text)
            if not found and i + 1 < len(lines) and re.search(r"ngày\s*\d*$", text):
                found = _date(f"{text} {lines[i + 1].text}")
            if found:
                h.date, h.place = found
                date_at = i
                continue
        if vv_at < 0 and type_at < 0 and _VV.match(text) and (
                number_at >= 0 or date_at >= 0):
            vv_at = i
            h.subject = text
            continue
        # a type line belongs to the header once the number, date or motto are passed;
        # a text that starts with it has lost its header cells
        if type_at < 0 and (doc_type := _type_of(lines[i])) and (
                max(motto, number_at, date_at) >= 0 or i < 12):
            type_at = i
            h.doc_type = doc_type
            break
    anchors = [a for a in (motto, number_at, date_at) if a >= 0]
    h.found = bool(anchors)
    if anchors:
        first = min(anchors)
        block: list[str] = []
        for line in lines[max(0, first - 12):first]:
            if _is_separator(line) or _MOTTO.search(line.text):
                continue
            if not _is_upper(line.text):
                block = []  # prose before the header: not part of the issuer cells
                continue
            block.extend(line.parts)
        h.issuer = issuer_from_header([b for b in block if not _SEPARATOR.match(b)])
    if body == limit:  # no "Căn cứ"/"Kính gửi"/"Điều 1": the body starts after the header
        body = max(motto, number_at, date_at, vv_at, type_at) + 1
    start = type_at + 1 if type_at >= 0 else -1
    if start > 0:
        h.subject, h.authority, end = _subject(lines, start)
        body = max(body, end)
    elif vv_at >= 0:
        h.subject = _vv_subject(lines, vv_at, h.subject)
    h.body_start = body
    h.kinh_gui = any(lines[i].text.replace(" ", "").startswith("Kínhgửi")
                     for i in range(max(0, body - 1), min(len(lines), body + 3)))
    return h


def _vv_subject(lines: list[_Line], i: int, first: str) -> str:
    parts = [first]
    for line in lines[i + 1:i + 4]:
        text = line.text
        if not text or _date(text) or _BODY_START.match(text) or not text[0].islower():
            break
        parts.append(text)
    return " ".join(parts)


def _subject(lines: list[_Line], start: int) -> tuple[str, str, int]:
    """The trích yếu after the type line, the authority line after it, and where it ends."""
    i = start
    while i < len(lines) and (not lines[i].text or _SEPARATOR.match(lines[i].text)):
        i += 1
    # party documents: ``NGHỊ QUYẾT`` / ``CỦA BAN THƯỜNG VỤ HUYỆN ỦY`` / ``về …``
    if i < len(lines) and re.match(r"^(?:CỦA|của)\s", lines[i].text):
        j = next((k for k in range(i + 1, min(len(lines), i + 4))
                  if re.match(r"^(?:VỀ|về|Về)\s", lines[k].text)), -1)
        if j > 0 and _is_upper(lines[i].text) != _is_upper(lines[j].text):
            i = j
    parts: list[str] = []
    upper = None
    bold = None
    authority = ""
    end = i
    while i < len(lines) and len(parts) < 12:
        line = lines[i]
        text = line.text
        if not text:
            if parts:
                break
            i += 1
            continue
        if (_SEPARATOR.match(text) or _BODY_START.match(text) or text.endswith(":")
                or re.match(r"^(?:[IVX]+|\d+)[.)]\s", text) or _date(text)):
            if text.endswith(":") and _authority(text):
                authority = text
            break
        line_upper = _is_upper(text)
        if parts:
            if (upper and not line_upper) or (not upper and line_upper):
                if line_upper and _authority(text):
                    authority = text
                break
            if upper and _authority(text):
                authority = text
                break
            if upper and line.bold and not bold:
                break
            if not upper and not text[0].islower() and not parts[-1].endswith((",", "và")):
                break
        else:
            upper, bold = line_upper, line.bold
        parts.append(text)
        i += 1
        end = i
    if not authority:
        j = i
        while j < len(lines) and not lines[j].text:
            j += 1
        if j < len(lines) and _authority(lines[j].text):
            authority = lines[j].text
    subject = " ".join(parts)
    if re.match(r"^(?:CỦA|của)\s", subject) and re.search(r"\s(?:VỀ|về)\s", subject):
        subject = subject[re.search(r"\s(?:VỀ|về)\s", subject).start() + 1:]
    return subject, authority, end


# --- signature -----------------------------------------------------------------------------

_PREFIX = re.compile(r"^(?:TM|T/M|T\.M|KT|K/T|K\.T|TL|T/L|TUQ|Q|Q/|PP|ON BEHALF OF|FOR)\b\.?\s*")
_ROLE_WORDS = (
    r"CHỦ TỊCH|THỦ TƯỚNG|BỘ TRƯỞNG|THỨ TRƯỞNG|TỔNG CỤC TRƯỞNG|CHI CỤC TRƯỞNG|CỤC TRƯỞNG|"
    r"VỤ TRƯỞNG|TỔNG GIÁM ĐỐC|GIÁM ĐỐC|TỔNG BÍ THƯ|BÍ THƯ|CHỦ NHIỆM|TRƯỞNG BAN|"
    r"CHÁNH VĂN PHÒNG|THỐNG ĐỐC|CHÁNH ÁN|VIỆN TRƯỞNG|TRƯỞNG PHÒNG|CHÁNH THANH TRA|"
    r"TỔNG THANH TRA|TỔNG KIỂM TOÁN|HIỆU TRƯỞNG|TRƯỞNG ĐOÀN|THỦ TRƯỞNG|TƯ LỆNH|CHÍNH ỦY|"
    r"TỔNG THƯ KÝ|KẾ TOÁN TRƯỞNG|TỔ TRƯỞNG|TRƯỞNG|ỦY VIÊN|CHỦ TỌA|THƯ KÝ|"
    r"DEPUTY PRIME MINISTER|PRIME MINISTER|DEPUTY MINISTER|MINISTER|VICE CHAIRMAN|CHAIRMAN|"
    r"DEPUTY DIRECTOR|DIRECTOR|DEPUTY GOVERNOR|GOVERNOR")
# A line of a signature block: a role, or the marker of a consolidated text.
_ROLE = re.compile(rf"^(?:PHÓ\s+)?(?:{_ROLE_WORDS}|THƯỜNG TRỰC|XÁC THỰC VĂN BẢN HỢP NHẤT)\b")
_ROLE_IN = re.compile(rf"(?:^|\s)((?:PHÓ\s+)?(?:{_ROLE_WORDS}))\b")
_CORE_ROLE = re.compile(
    r"^((?:phó )?(?:" + _ROLE_WORDS.lower().replace("deputy ", "(?:deputy )?") + r"))\b\s*(.*)$")
_RECIPIENT = re.compile(r"^(?:[-+•–]|Lưu\b|Như trên|Như Điều|Nơi nhận|NƠI NHẬN)")
_SIGNED = re.compile(r"^[(\[]?\s*(?:đã ký|Đã ký|ĐÃ KÝ|Signed|ký)[^)\]]*[)\]]?\.?$")
_NOT_NAME_START = frozenset({"Nơi", "Lưu", "Kính", "Như", "Điều", "Căn", "Phụ", "Chương",
                             "Mục", "Phần", "Ghi", "Văn", "Ban", "Sở", "Bộ", "Cục", "Ủy",
                             "Thành", "Tỉnh", "Huyện", "Xã", "Phường", "Hà", "Hội"})
_SURNAMES = (
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Hà Lò "
    "Mai Đào Trịnh Lương Cao Tô Lâm Trương Đoàn Chu Vương Thái Tạ Quách Lưu Phùng Kiều "
    "Mạc Hứa Lục Nông Triệu Giang Khổng Tăng Lại La Mạnh Văn Quan Doãn Đàm Thân Từ Bế "
    "Hầu Sầm Vi Lăng Ông Diệp Tống Kim Châu Nghiêm Lã Đồng Đậu Yên Thạch Danh Sơn")
SURNAMES = frozenset(_SURNAMES.split())


_RANK = re.compile(
    r"^(?:(?:Đại|Thượng|Trung|Thiếu) (?:tướng|tá|úy)|Chuẩn Đô đốc|Phó Đô đốc|Đô đốc|"
    r"(?:GS|PGS|TS|ThS|BS|KS|Ts|Gs)\.?(?:\s*[,.]?\s*(?:TS|ThS|BS)\.?)*)\s+")


def _person(text: str) -> str:
    """A name line without its rank or degree (``Thượng tướng``, ``PGS.TS.``) and notes."""
    text = re.sub(r"\s*\(.*\)$", "", text).strip(" .")
    return _RANK.sub("", text)


def _is_name(text: str) -> bool:
    text = _person(text)
    words = text.split()
    if not 2 <= len(words) <= 6 or words[0] in _NOT_NAME_START:
        return False
    return all(w.isalpha() and w[0].isupper() and (len(w) == 1 or w[1:].islower())
               for w in words)


def _is_upper_name(text: str) -> bool:
    words = text.split()
    return (2 <= len(words) <= 5 and all(w.isalpha() for w in words)
            and words[0].capitalize() in SURNAMES and not _ROLE.match(text)
            and not _PREFIX.match(text))


def _role_line(text: str) -> bool:
    if not (_PREFIX.match(text) or _ROLE.match(text)):
        return False
    return _is_upper(text) and not re.search(r"\d", text) and len(text.split()) <= 14


def _role_of(block: list[str]) -> str:
    """The signer's own role: the last role named in the block, with the lines that continue
    it (``TRƯỞNG BAN BAN CHÍNH SÁCH,`` / ``THUẾ QUỐC TẾ``); ``""`` after a bare ``TM.``."""
    best = None
    for k, line in enumerate(block):
        if re.match(r"^(?:TM|T/M|T\.M)\b", line):
            continue  # ``TM. BAN BÍ THƯ`` names the body signed for, not a role
        text = _PREFIX.sub("", line)
        starts = [m.start(1) for m in _ROLE_IN.finditer(text)]
        if starts:
            best = (k, text[starts[-1]:])
    if best is None:
        return ""
    k, text = best
    tail = []
    for line in block[k + 1:]:
        if _PREFIX.match(line) or _ROLE_IN.search(line):
            break
        tail.append(line)
    return _role_display(" ".join([text, *tail]))


def _role_display(text: str) -> str:
    low = " ".join(text.lower().split()).strip(" ,")
    m = _CORE_ROLE.match(low)
    if not m:
        return low[:1].upper() + low[1:]
    core, rest = m.groups()
    words = core.split()
    out = [words[0].capitalize(), *words[1:]]
    if words[0] == "phó" and len(words) > 1:
        out[1] = words[1].capitalize()
    core = " ".join(out).replace("Chánh văn phòng", "Chánh Văn phòng")
    if rest:
        if issuer_heads(rest):
            rest = canonical_issuer(rest)
        else:
            proper = {p.lower(): p for p in _PROPER}
            rest = _PROPER_RE.sub(lambda m: proper[m.group(1)], rest)
            rest = rest[:1].upper() + rest[1:]
    return f"{core} {rest}".strip()


@dataclass(frozen=True)
class _Signature:
    at: int
    name: str
    role: str
    prefix_body: str  # ``ỦY BAN NHÂN DÂN`` of ``TM. ỦY BAN NHÂN DÂN``


def _signatures(lines: list[_Line], start: int) -> list[_Signature]:
    """Signature blocks: role lines (``TM.``/``KT.``/``TL.``/``T/M`` …, ``CHỦ TỊCH`` …) then a
    name. Lines of the recipients list (``Nơi nhận:``, ``- …``, ``Lưu: …``), which the
    two-column layout can interleave with the block, are skipped."""
    cand = [(i, lines[i].text) for i in range(start, len(lines))
            if lines[i].text and not _RECIPIENT.match(lines[i].text)
            and not _SIGNED.match(lines[i].text) and not _SEPARATOR.match(lines[i].text)]
    found: list[_Signature] = []
    k = 0
    while k < len(cand):
        at, text = cand[k]
        if not _role_line(text):
            k += 1
            continue
        block = [text]
        k += 1
        while k < len(cand) and _is_upper(cand[k][1]) and not re.search(r"\d", cand[k][1]) \
                and len(cand[k][1].split()) <= 14 and not _is_upper_name(cand[k][1]):
            block.append(cand[k][1])
            k += 1
        if k >= len(cand):
            break
        name = cand[k][1]
        if _is_name(name):
            name = _person(name)
        elif _is_upper_name(name):
            name = " ".join(w.capitalize() for w in name.split())
        else:
            continue
        prefix_body = ""
        m = re.match(r"^(?:TM|T/M|T\.M)\.?\s*(.+)$", block[0])
        if m:
            rest = [m.group(1)]
            for b in block[1:]:
                if _PREFIX.match(b) or _ROLE.match(b):
                    break
                rest.append(b)
            prefix_body = " ".join(rest)
        found.append(_Signature(at, name, _role_of(block), prefix_body))
        k += 1
    return found


def _pick_signature(lines: list[_Line], sigs: list[_Signature]) -> _Signature | None:
    if not sigs:
        return None
    anchor = next((i for i, line in enumerate(lines)
                   if re.match(r"^(?:Nơi nhận|NƠI NHẬN)\b", line.text)), -1)
    if anchor < 0:
        return sigs[0]
    return min(sigs, key=lambda s: (abs(s.at - anchor), s.at < anchor))


# --- subject case --------------------------------------------------------------------------

_VOWELS = set("aăâeêioôơuưyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")
_MIXED_CODES = {"TTG": "TTg", "TTR": "TTr", "CTR": "CTr", "QĐI": "QĐi"}
_TYPE_WORDS = ("quyết định", "nghị quyết", "nghị định", "thông tư liên tịch", "thông tư",
               "chỉ thị", "công văn", "kế hoạch", "thông báo", "hướng dẫn", "quy định",
               "kết luận", "pháp lệnh", "công điện", "quy chế", "chương trình", "đề án",
               "văn bản hợp nhất", "báo cáo", "tờ trình")
_STOP_WORDS = ("năm giai đoạn về và của theo trên đến tại trong cho với để đạt thuộc từ là có "
               "được nay sau trước khi giữa các những")
_STOP = frozenset(_STOP_WORDS.split())
_PROPER = sorted(
    [*KNOWN_BODIES, "Ủy ban nhân dân", "Hội đồng nhân dân", "Đảng Cộng sản Việt Nam",
     "Phó Thủ tướng Chính phủ", "Phó Thủ tướng", "Thủ tướng", "Ban Chỉ đạo", "Tổng Bí thư",
     "Chủ tịch nước", "Ban Thường vụ", "Huyện ủy", "Tỉnh ủy", "Thành ủy", "Quận ủy",
     "Đảng bộ",
     "Mặt trận Tổ quốc Việt Nam", "Việt Nam", "Trung ương", "Đại hội"],
    key=len, reverse=True)
_PROPER_RE = re.compile(r"\b(" + "|".join(re.escape(p.lower()) for p in _PROPER) + r")\b")
_FIELDS = sorted({b[3:] for b in KNOWN_BODIES if b.startswith("Bộ ")}, key=len, reverse=True)
_SO_RE = re.compile(r"\bsở (" + "|".join(re.escape(f.lower()) for f in _FIELDS) + r")\b")
_PROVINCE_RE = re.compile(
    r"\b(tỉnh|thành phố) (" + "|".join(re.escape(p.lower()) for p in
                                         sorted(PROVINCES, key=len, reverse=True))
    + r")(?=$|\s*[,.;:()\-–]|\s+(?:" + "|".join(sorted(_STOP)) + r")\b)")
# Places not in the list: the words after the level, up to a function word, at most four.
_LOCAL_RE = re.compile(
    r"\b(huyện|xã|phường|thị trấn|quận|thị xã|đặc khu|tỉnh|thành phố) (?!ủy\b|hội\b)"
    r"((?:[^\W\d_]+ ?){1,4})")


_ACRONYMS = frozenset({
    "UBND", "HĐND", "MTTQ", "UBMTTQ", "TTHC", "KT-XH", "CCHC", "OCOP", "ATGT", "NTM", "BHXH",
    "BHYT", "THPT", "THCS", "GDP", "GRDP", "COVID", "ASEAN", "WTO", "ODA", "PPP", "BOT", "FDI",
    "CNTT", "KH&CN", "QP-AN", "QPAN", "PCTT", "TKCN", "ĐVHC", "CQĐP", "CBCCVC", "HTX", "VAT",
    "GTGT", "TNDN", "TNCN", "HIV", "AIDS", "UNESCO", "EU", "AI", "IT"})


def _keep_upper(token: str, prev: str) -> bool:
    word = token.strip("().,;:\"“”'")
    if not word or not _letters(word):
        return False
    if re.fullmatch(r"[IVXLC]+(?:/\d+)?", word) and (
            prev.lower() in ("khóa", "khoá", "thứ", "quý", "phần", "chương", "mục", "kỳ")
            or "/" in word):
        return True
    if word.upper() in _ACRONYMS or word.split("-")[0].upper() in _ACRONYMS:
        return True
    letters = _letters(word).lower()
    return len(letters) >= 2 and not (set(letters) & _VOWELS)


def sentence_case(text: str) -> str:
    """An all-capital subject in sentence case, keeping what is written with capitals:
    document numbers, acronyms, roman numerals after ``khóa``/``thứ``, bodies, provinces."""
    text = " ".join(text.split())
    letters = _letters(text)
    if not letters:
        return text
    if sum(c.islower() for c in letters) > 0.3 * len(letters):
        return text[:1].upper() + text[1:]
    numbers = {n.text: n.text for n in find_in_text(text)}
    for raw in list(numbers):
        fixed = re.sub(r"[A-ZĐ]+", lambda m: _MIXED_CODES.get(m.group(), m.group()), raw)
        numbers[raw] = fixed
    tokens = text.split(" ")
    out = []
    for i, tok in enumerate(tokens):
        bare = tok.strip("().,;:\"“”'")
        if bare in numbers:
            out.append(tok.replace(bare, numbers[bare]))
        elif _keep_upper(tok, tokens[i - 1] if i else ""):
            out.append(tok)
        else:
            out.append(tok.lower())
    result = " ".join(out)
    proper = {p.lower(): p for p in _PROPER}
    result = _PROPER_RE.sub(lambda m: proper[m.group(1)], result)
    fields = {f.lower(): f for f in _FIELDS}
    result = _SO_RE.sub(lambda m: "Sở " + fields[m.group(1)], result)
    result = _PROVINCE_RE.sub(lambda m: f"{m.group(1)} {_place_title(m.group(2))}", result)
    result = _LOCAL_RE.sub(_local_place, result)
    result = re.sub(r"\b(" + "|".join(_TYPE_WORDS) + r")(?= (?:số )?\d)",
                    lambda m: m.group(1).capitalize(), result)
    result = re.sub(r"\b(bộ luật|luật) (?!số\b|này\b|sửa\b|và\b|các\b|về\b|hiện\b)(\w+)",
                    lambda m: f"{m.group(1).capitalize()} {m.group(2).capitalize()}", result)
    result = result.replace("thành phố Hồ Chí Minh", "Thành phố Hồ Chí Minh")
    result = _capitalise_people(result)
    return result[:1].upper() + result[1:]


# A person named after a title (``Phó Thủ tướng Chính phủ Bùi Thanh Sơn``): the words after
# the title, from a surname up to a function word, at most four.
_PERSON_TITLE = re.compile(
    r"\b(?:Chính phủ|Thủ tướng|Bộ trưởng|Chủ tịch|Tổng Bí thư|đồng chí|Bí thư|Chủ nhiệm) ")


def _capitalise_people(text: str) -> str:
    out, last = [], 0
    for m in _PERSON_TITLE.finditer(text):
        if m.end() < last:
            continue
        words = re.match(r"(?:[^\W\d_]+ ?){1,4}", text[m.end():])
        if not words:
            continue
        kept = []
        for w in words.group().split():
            if w in _STOP or (kept and w.capitalize() in ("Tại", "Về")):
                break
            kept.append(w)
        if len(kept) < 2 or kept[0].capitalize() not in SURNAMES:
            continue
        span = len(" ".join(kept))
        out.append(text[last:m.end()])
        out.append(" ".join(w.capitalize() for w in kept))
        last = m.end() + span
    out.append(text[last:])
    return "".join(out)


def _place_title(name: str) -> str:
    return " ".join("-".join(p.capitalize() for p in w.split("-")) for w in name.split())


def _local_place(m: re.Match) -> str:
    words = m.group(2).split()
    kept = []
    for w in words:
        if w in _STOP or not w.isalpha():
            break
        kept.append(w)
    if not kept:
        return m.group(0)
    rest = m.group(2)[len(" ".join(kept)):]
    return f"{m.group(1)} {_place_title(' '.join(kept))}{rest}"


def _clean_subject(subject: str) -> str:
    subject = normalize_line(subject).strip(" .;:-–")
    m = _VV.match(subject)
    if m:
        subject = "về việc " + m.group("rest")
    subject = re.sub(r"^(?:VỀ\s+VIỆC|Về\s+việc)\b", "về việc", subject)
    return sentence_case(subject)


def _title_of(doc_type: str, number: str, subject: str) -> str:
    if doc_type in _NAMED_TYPES and subject:
        return " ".join(p for p in (doc_type, subject, number) if p)
    lowered = subject
    # lower the first letter unless it starts an acronym or a proper name (``Luật Đất đai``)
    if subject and not (subject[:2].isupper() and subject[:2].isalpha()) and not any(
            subject.startswith(p) for p in _PROPER) and not re.match(
            r"^(?:Bộ luật|Luật|" + "|".join(t.capitalize() for t in _TYPE_WORDS)
            + r") (?:số \d|\d|[A-ZĐ])", subject):
        lowered = subject[:1].lower() + subject[1:]
    return " ".join(p for p in (doc_type, number, lowered) if p)


# --- fallbacks for texts that lost their header -----------------------------------------

_TYPE_NAMES = "|".join(sorted({t for t in DOC_TYPES.values()}, key=len, reverse=True))
# Laws, ordinances and council resolutions state the day they were passed at their end:
# ``Luật này được Quốc hội … khóa XV, kỳ họp thứ 9 thông qua ngày 16 tháng 6 năm 2025.``
_PASSED = re.compile(
    r"\b(?:" + _TYPE_NAMES + r") này (?:đã )?được .{0,200}?thông qua ngày (\d{1,2}) tháng "
    r"(\d{1,2}) năm (\d{4})")
_LEAD = re.compile(
    r"^(?:\*\*)?Ngày\s+(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>(?:19|20)\d\d),\s+"
    r"(?P<issuer>[^,.;:]{3,90}?)\s+(?:(?:đã|vừa|chính thức)\s+)*(?:ký\s+)?"
    r"(?:ban hành|có|thông qua|phê duyệt)\s+(?P<type>" + _TYPE_NAMES
    + r")\s+(?:số\s+)?(?P<number>\d[\w.]*(?:[/-][\w.]+)+)")
# ``(Kèm theo Quyết định số 3999/QĐ-BTC ngày 28 tháng 11 năm 2025 của Bộ Tài chính)``: the
# caption of an appendix names its own document.
_CAPTION = re.compile(
    r"^\(?\s*(?:Ban hành\s+)?[Kk]èm theo\s+(?P<type>" + _TYPE_NAMES + r")\s+(?:số:?\s*)?"
    r"(?P<number>\d[\w.]*(?:[/-][\w.Đđ]+)+)[,;]?(?:\s+ngày\s+(?P<date>[\d/ ]+|\d{1,2}\s+tháng"
    r"\s+\d{1,2}\s+năm\s+\d{4}))?(?:\s+(?:của|do)\s+(?P<issuer>[^()]+?))?\s*\)?\.?$")
# The enacting formula of a legal normative text: ``Bộ trưởng Bộ Công Thương ban hành Thông
# tư …``, ``Chính phủ ban hành Nghị định …``.
_ENACTING = re.compile(
    r"^(?P<issuer>(?:Chính phủ|Thủ tướng Chính phủ|Bộ trưởng|Thống đốc|Chánh án|Viện trưởng|"
    r"Tổng Kiểm toán|Ủy ban|Hội đồng|Chủ tịch|Ban|Bộ)[^,.;:]{0,90}?)\s+(?:quyết định\s+)?"
    r"ban hành\s+(?P<type>Thông tư liên tịch|Thông tư|Nghị định|Quyết định|Nghị quyết|"
    r"Chỉ thị|Quy định)\b")
_SELF_REFERENCE = re.compile(
    r"\b(?:(?P<a>" + _TYPE_NAMES + r") này (?:có hiệu lực|quy định|áp dụng|được|thay thế)|"
    r"(?:thi hành|thực hiện|theo|tại|của) (?P<b>" + _TYPE_NAMES + r") này\b)")
# A reply letter names its sender: ``Cục Thuế có ý kiến như sau``, ``Cục Hải quan trả lời
# để Công ty biết``.
_SENDER = re.compile(
    r"(?:^|[.;:,]\s+)(?P<body>(?:Cục|Tổng cục|Bộ|Sở|Văn phòng|Ủy ban nhân dân|UBND|Thuế|"
    r"Ban|Kho bạc|Ngân hàng|Bảo hiểm xã hội|Thanh tra|Chi cục)\b[^,.;:()]{0,80}?)\s+"
    r"(?:xin\s+)?(?:có ý kiến như sau|trả lời để|thông báo để|hướng dẫn để|trả lời như sau|"
    r"có ý kiến để)")


def _date_words(text: str) -> str:
    m = re.match(r"^(\d{1,2})\s*(?:tháng\s*|/)\s*(\d{1,2})\s*(?:năm\s*|/)\s*(\d{4})$",
                 text.strip())
    if not m:
        return ""
    day, month, year = (int(g) for g in m.groups())
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= day <= 31 and 1 <= month <= 12 else ""


def _type_from_number(number: str) -> str:
    found = find_in_text(number)
    if not found:
        return ""
    canonical = found[0].canonical
    if "-" in canonical.split("/")[0]:  # party: 15-NQ/TU
        return TYPE_CODES.get(canonical.split("/")[0].split("-", 1)[1], "")
    first = canonical.split("/")[-1].split("-")[0]
    if first in TYPE_CODES:
        return TYPE_CODES[first]
    if re.fullmatch(r"QH\d+", first):
        return ""
    return "Công văn" if canonical.count("/") == 1 else ""


def _self_referenced_type(lines: list[_Line]) -> str:
    counts: dict[str, int] = {}
    for line in lines:
        for m in _SELF_REFERENCE.finditer(line.text):
            t = m.group("a") or m.group("b")
            counts[t] = counts.get(t, 0) + 1
    if not counts:
        return ""
    weak = {"Quy định", "Quy chế", "Báo cáo", "Hướng dẫn"}
    strong = {t: c for t, c in counts.items() if t not in weak}
    pool = strong or counts
    return max(pool, key=lambda t: pool[t])


def _caption(lines: list[_Line], doc_type: str) -> re.Match | None:
    for line in lines:
        m = _CAPTION.match(line.text)
        if m and (not doc_type or m.group("type") == doc_type):
            return m
    return None


def _enacting(lines: list[_Line]) -> re.Match | None:
    for line in lines[:200]:
        if (m := _ENACTING.match(line.text)) and parse_issuer(m.group("issuer")).kind != "locality":
            return m
        if re.match(r"^(?:Chương I|Điều 1|Phần I)\b", line.text):
            break
    return None


def _sender(lines: list[_Line]) -> str:
    for line in lines:
        m = _SENDER.search(line.text)
        if m:
            parsed = parse_issuer(m.group("body"))
            if parsed.kind in ("ubnd", "hdnd") and not parsed.locality:
                continue
            return parsed.canonical
    return ""


def _authority_issuer(text: str) -> str:
    text = re.sub(r"\s*điện\s*:?$", "", text, flags=re.I).strip(" :")
    parsed = parse_issuer(text)
    if parsed.kind in ("ubnd", "hdnd") and not parsed.locality:
        return ""
    return parsed.canonical


# --- entry point ---------------------------------------------------------------------------

def extract_metadata(text: str) -> Metadata:
    """Read type, number, issuer, date and place, signer, subject and a title from a
    document's text (markdown or plain). Fields the text does not state are ``""``."""
    text = normalize_tone(normalize_text(text or ""))
    if not text.strip():
        return Metadata()
    lines = _lines(strip_panel(text))
    h = _parse_header(lines)
    source = "header" if h.found else ""
    doc_type, doc_number, issuer = h.doc_type, h.doc_number, h.issuer
    date, place, subject = h.date, h.place, h.subject

    number_type = _type_from_number(doc_number) if doc_number else ""
    if number_type == "Văn bản hợp nhất":
        doc_type = number_type  # a consolidated text repeats the type line of its original
    if not doc_type and (h.kinh_gui or any(re.match(r"^[Vv]/[Vv]\b", line.text)
                                           for line in lines[:25])):
        doc_type = "Công văn"  # a công văn has no type line: ``V/v …`` and ``Kính gửi:``
    if not doc_type and number_type:
        doc_type = number_type
    if not issuer and h.authority:
        issuer = _authority_issuer(h.authority)

    sig = _pick_signature(lines, _signatures(lines, h.body_start))
    if not issuer and sig and sig.prefix_body:
        parsed = parse_issuer(sig.prefix_body)  # ``TM. CHÍNH PHỦ``
        if parsed.kind == "body" or parsed.locality:
            issuer = parsed.canonical

    if not date and doc_type in ("Luật", "Bộ luật", "Pháp lệnh", "Nghị quyết"):
        for line in lines[h.body_start:]:
            if m := _PASSED.search(line.text):
                date = _date_words(f"{m.group(1)}/{m.group(2)}/{m.group(3)}")
                break

    if not h.found:  # the header is lost: what else in the text names the document
        lead = next((m for line in lines[:6] if (m := _LEAD.match(line.text))), None)
        if lead:
            source = "lead"
            doc_number = lead.group("number").rstrip(".,;")
            doc_type = doc_type or lead.group("type")
            issuer = issuer or canonical_issuer(lead.group("issuer"))
            date = _date_words(f"{lead.group('d')}/{lead.group('m')}/{lead.group('y')}")
        enacting = _enacting(lines)
        if enacting:
            doc_type = doc_type or enacting.group("type")
            issuer = issuer or canonical_issuer(enacting.group("issuer"))
        doc_type = doc_type or _self_referenced_type(lines)
        caption = _caption(lines, doc_type)
        if caption and not doc_number:
            source = "caption"
            doc_number = caption.group("number").rstrip(".,;")
            doc_type = doc_type or caption.group("type")
            date = date or _date_words(caption.group("date") or "")
            if caption.group("issuer"):
                issuer = issuer or canonical_issuer(caption.group("issuer"))
        if not issuer:
            issuer = _sender(lines)
        if not source and (doc_type or issuer):
            source = "header" if h.doc_type else "fallback"

    signer = sig.name if sig else ""
    signer_role = sig.role if sig else ""
    subject = _clean_subject(subject) if subject else ""
    title = _title_of(doc_type, doc_number, subject) if (subject or doc_number) else ""
    return Metadata(doc_type=doc_type, doc_number=doc_number, issuer=issuer, date=date,
                    place=place, signer=signer, signer_role=signer_role, subject=subject,
                    title=title, source=source)
