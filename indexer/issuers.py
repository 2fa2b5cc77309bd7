"""Issuing bodies (cơ quan ban hành): one canonical spelling each, and when two names agree.

Sources write one body in many ways: ``ỦY BAN NHÂN DÂN TỈNH LAI CHÂU``, ``UBND tỉnh Lai
Châu``, ``Uỷ ban nhân dân tỉnh Lai Châu``, ``CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LAI CHÂU``; a
portal may give only the locality (``Tỉnh Lai Châu``) or the office that signs for the body
(``Bộ trưởng Bộ Công thương``). ``canonical_issuer`` maps all of these to one spelling:

- people's committees and councils: ``UBND tỉnh Lai Châu``, ``HĐND thành phố Hà Nội``
  (the short forms our own records use; ``display_issuer`` spells them out);
- a bare locality stays a locality: ``Tỉnh Lai Châu``;
- the head of a body stands for the body: ``Bộ trưởng Bộ Công Thương`` → ``Bộ Công Thương``,
  ``Chủ tịch UBND tỉnh X`` → ``UBND tỉnh X``, ``Thống đốc Ngân hàng Nhà nước Việt Nam`` →
  ``Ngân hàng Nhà nước Việt Nam``. ``Thủ tướng Chính phủ`` is the exception: the Prime
  Minister issues in his own name (his header reads ``THỦ TƯỚNG CHÍNH PHỦ``), so he is not
  ``Chính phủ``;
- organs of the party Central Committee are ``<organ> Trung ương``
  (``Văn phòng Ban Chấp hành Trung ương`` = ``Văn phòng Trung ương Đảng``);
- tone marks in one style (``Thanh Hoá`` = ``Thanh Hóa``), case folded in ``issuer_key``.

``same_issuer`` compares two names: equal keys, or a bare locality against that locality's
people's committee or council (a portal's "nơi ban hành" ``Thành phố Hà Nội`` covers both).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from indexer.normalize import normalize_line
from indexer.tone import normalize_tone

# Administrative levels, longest first; ``xã`` is not a level in ``xã hội``.
LEVELS = ("thành phố", "thị xã", "thị trấn", "đặc khu", "tỉnh", "huyện", "quận", "phường", "xã")
_LEVEL = r"(?:thành phố|thị xã|thị trấn|đặc khu|tỉnh|huyện|quận|phường|xã(?! hội))"

# Abbreviations as official texts write them (case-sensitive, whole words).
ABBREVIATIONS = {
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "UBMTTQ": "Ủy ban Mặt trận Tổ quốc",
    "MTTQ": "Mặt trận Tổ quốc",
    "BCH": "Ban Chấp hành",
    "BTV": "Ban Thường vụ",
    "TW": "Trung ương",
    "ĐVHC": "đơn vị hành chính",
    "CQĐP": "chính quyền địa phương",
    "TAND": "Tòa án nhân dân",
    "VKSND": "Viện kiểm sát nhân dân",
    "NHNN": "Ngân hàng Nhà nước",
    "BHXH": "Bảo hiểm xã hội",
    "TP.": "thành phố",
    "Tp.": "thành phố",
    "TP": "thành phố",
}
_ABBREVIATION = re.compile(
    r"(?<![\w.])(" + "|".join(re.escape(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True))
    + r")(?!\w)"
)

# Bodies whose spelling is not what the general capitalisation rule gives.
KNOWN_BODIES = (
    "Chính phủ", "Thủ tướng Chính phủ", "Văn phòng Chính phủ", "Thanh tra Chính phủ",
    "Quốc hội", "Ủy ban Thường vụ Quốc hội", "Văn phòng Quốc hội", "Chủ tịch nước",
    "Văn phòng Chủ tịch nước", "Ban Chấp hành Trung ương", "Bộ Chính trị", "Ban Bí thư",
    "Văn phòng Trung ương Đảng", "Ủy ban Kiểm tra Trung ương",
    "Ban Tuyên giáo và Dân vận Trung ương", "Ban Tổ chức Trung ương",
    "Ban Nội chính Trung ương", "Ban Chính sách, chiến lược Trung ương",
    "Ban Đối ngoại Trung ương", "Ban Kinh tế Trung ương", "Ban Dân vận Trung ương",
    "Ban Tuyên giáo Trung ương",
    "Bộ Công an", "Bộ Công Thương", "Bộ Dân tộc và Tôn giáo", "Bộ Giáo dục và Đào tạo",
    "Bộ Khoa học và Công nghệ", "Bộ Ngoại giao", "Bộ Nội vụ", "Bộ Nông nghiệp và Môi trường",
    "Bộ Quốc phòng", "Bộ Tài chính", "Bộ Tư pháp", "Bộ Văn hóa, Thể thao và Du lịch",
    "Bộ Xây dựng", "Bộ Y tế", "Bộ Kế hoạch và Đầu tư", "Bộ Giao thông vận tải",
    "Bộ Lao động - Thương binh và Xã hội", "Bộ Tài nguyên và Môi trường",
    "Bộ Thông tin và Truyền thông", "Bộ Nông nghiệp và Phát triển nông thôn",
    "Ngân hàng Nhà nước Việt Nam", "Kiểm toán nhà nước", "Tòa án nhân dân tối cao",
    "Viện kiểm sát nhân dân tối cao", "Bảo hiểm xã hội Việt Nam", "Kho bạc Nhà nước",
    "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam", "Cục Thuế", "Cục Hải quan",
    "Tổng Liên đoàn Lao động Việt Nam", "Trung ương Đoàn Thanh niên Cộng sản Hồ Chí Minh",
)

# Words that begin a body's name in a header block (lower case, tone-normalised).
HEADS = (
    "ủy ban nhân dân", "hội đồng nhân dân", "ủy ban", "hội đồng", "chính phủ", "thủ tướng",
    "quốc hội", "ban chấp hành", "bộ chính trị", "ban bí thư", "ban thường vụ",
    "tỉnh ủy", "thành ủy", "huyện ủy", "quận ủy", "thị ủy", "đảng ủy", "đảng bộ", "chi bộ",
    "đảng đoàn", "ban cán sự", "bộ", "tổng cục", "cục", "chi cục", "vụ", "sở", "phòng", "ban",
    "văn phòng", "trung tâm", "thanh tra", "thuế", "kho bạc", "ngân hàng", "tòa án",
    "viện kiểm sát", "kiểm toán", "bảo hiểm", "học viện", "viện", "trường", "công an",
    "bộ tư lệnh", "bộ chỉ huy", "quân khu", "tổng liên đoàn", "liên đoàn", "mặt trận",
    "tập đoàn", "tổng công ty", "công ty", "đài", "báo", "chủ tịch",
)
# Two syllables that belong together even when a header wraps between them.
_BOUND = frozenset({
    ("ủy", "ban"), ("văn", "phòng"), ("hội", "đồng"), ("tổng", "cục"), ("chi", "cục"),
    ("đảng", "bộ"), ("chi", "bộ"), ("nội", "vụ"), ("phục", "vụ"), ("nghiệp", "vụ"),
    ("dịch", "vụ"), ("nhiệm", "vụ"), ("thường", "vụ"), ("thủ", "tướng"), ("trung", "tâm"),
    ("cơ", "sở"), ("trụ", "sở"), ("học", "viện"), ("tổng", "liên"), ("liên", "đoàn"),
})
# Heads that need a name after them; alone on a line they are not a whole body.
_NEEDS_NAME = frozenset({"bộ", "cục", "tổng cục", "chi cục", "sở", "ủy ban", "hội đồng", "ban",
                         "vụ", "phòng", "trung tâm", "ngân hàng", "tòa án", "thủ tướng",
                         "chủ tịch", "viện", "học viện", "trường", "thuế"})
# Generic units named only through their parent (``VĂN PHÒNG`` under ``BAN CHẤP HÀNH …``).
_GENERIC = frozenset({"văn phòng", "thanh tra", "ủy ban kiểm tra", "ban thường vụ"})

# The head of a body signs for it: ``Bộ trưởng Bộ X`` is ``Bộ X``.
_HOLDER = re.compile(
    r"^(?:(?:phó )?(?:chủ tịch|bộ trưởng|thống đốc|chánh án|viện trưởng|tổng kiểm toán|"
    r"cục trưởng|tổng cục trưởng|giám đốc|tổng giám đốc|trưởng ban|chủ nhiệm|chánh văn phòng)"
    r"(?:\s*,\s*|\s+))+(?=(?:ủy ban|hội đồng|bộ |ngân hàng|tòa án|viện|kiểm toán|cục|tổng cục|"
    r"sở|trung tâm|văn phòng|ban|nhân dân))"
)
_PARTY_COMMITTEE = re.compile(r"^(.*?)\b(tỉnh|thành|huyện|quận|thị) ủy\b\s*(.*)$")
_COMMITTEE_END = re.compile(r"\b(?:tỉnh|thành|huyện|quận|thị) ủy$")
# Capitalise the word after these heads (``Sở Nội vụ``), and after ``và``/``,`` for the
# ministry-like ones (``Sở Văn hóa, Thể thao và Du lịch``).
_NAMED_HEADS = ("tổng cục", "chi cục", "trung tâm", "học viện", "bộ", "cục", "sở", "ban",
                "vụ", "phòng", "viện", "trường")
_FIELD_HEADS = frozenset({"bộ", "sở", "phòng"})


@dataclass(frozen=True)
class Issuer:
    """A parsed issuer name: ``kind`` is ``ubnd``, ``hdnd``, ``locality`` or ``body``."""

    kind: str
    body: str  # lower case, without the locality ("sở nội vụ"); "" for a bare locality
    locality: str  # lower case ("tỉnh lai châu") or ""

    @property
    def canonical(self) -> str:
        if not self.body and not self.locality:
            return ""
        place = _place_display(self.locality)
        if self.kind == "ubnd":
            return f"UBND {place}".strip()
        if self.kind == "hdnd":
            return f"HĐND {place}".strip()
        if self.kind == "locality":
            return place[:1].upper() + place[1:]
        name = _body_display(self.body)
        if _COMMITTEE_END.search(self.body) and place:
            place = _title(self.locality.split(" ", 2)[-1] if self.locality.startswith(
                ("thành phố ", "thị xã ")) else self.locality.split(" ", 1)[-1])
        return f"{name} {place}".strip()

    @property
    def display(self) -> str:
        place = _place_display(self.locality)
        if self.kind == "ubnd":
            return f"Ủy ban nhân dân {place}".strip()
        if self.kind == "hdnd":
            return f"Hội đồng nhân dân {place}".strip()
        return self.canonical

    @property
    def key(self) -> str:
        return " ".join(re.sub(r"[^\w\s-]", " ", self.canonical.lower()).split())


def prepare(name: str) -> str:
    """One line, tone marks in one style, abbreviations spelled out, markdown and
    surrounding punctuation gone; case kept."""
    text = re.sub(r"(?<=\w)\*+(?=\w)", "", normalize_line(name))
    text = text.replace("*", " ").replace("#", " ").replace("_", " ")
    text = _ABBREVIATION.sub(lambda m: ABBREVIATIONS[m.group(1)], text)
    text = normalize_tone(" ".join(text.split()))
    text = re.sub(r"\s*([,;])\s*", r"\1 ", text)
    text = re.sub(r"\s+-\s+|\s*–\s*", " - ", text)
    return text.strip(" .,;:-")


# English translations name central bodies in English; others are left unnamed.
ENGLISH_BODIES = {
    "government": "Chính phủ", "prime minister": "Thủ tướng Chính phủ",
    "office of the government": "Văn phòng Chính phủ", "national assembly": "Quốc hội",
    "state bank": "Ngân hàng Nhà nước Việt Nam", "ministry of finance": "Bộ Tài chính",
    "ministry of health": "Bộ Y tế", "ministry of industry and trade": "Bộ Công Thương",
    "ministry of justice": "Bộ Tư pháp", "ministry of home affairs": "Bộ Nội vụ",
    "ministry of national defence": "Bộ Quốc phòng", "ministry of national defense":
    "Bộ Quốc phòng", "ministry of public security": "Bộ Công an",
    "ministry of foreign affairs": "Bộ Ngoại giao", "ministry of construction": "Bộ Xây dựng",
    "ministry of education and training": "Bộ Giáo dục và Đào tạo",
    "ministry of science and technology": "Bộ Khoa học và Công nghệ",
    "ministry of agriculture and environment": "Bộ Nông nghiệp và Môi trường",
    "ministry of culture, sports and tourism": "Bộ Văn hóa, Thể thao và Du lịch",
    "ministry of ethnic and religious affairs": "Bộ Dân tộc và Tôn giáo",
}


def _english(name: str) -> str | None:
    """The Vietnamese name of an English one, ``""`` if unknown, ``None`` if not English."""
    if not name.isascii() or not re.search(r"\b(?:the|of|ministry|government|minister)\b",
                                            name, re.I):
        return None
    key = " ".join(re.sub(r"[^a-z, ]", " ", name.lower()).split())
    key = re.sub(r"^the |(?: of)? (?:the )?(?:socialist republic of )?viet ?nam$", "", key)
    key = re.sub(r"^the ", "", key)
    return ENGLISH_BODIES.get(key, "")


@lru_cache(maxsize=4096)
def parse_issuer(name: str) -> Issuer:
    """Parse one body's name (not a whole header block: see ``issuer_from_header``)."""
    english = _english(normalize_line(name).replace("*", " "))
    if english is not None:
        return parse_issuer(english) if english else Issuer("body", "", "")
    s = prepare(name).lower()
    s = re.sub(r"^(?:tm|t/m|t\.m|kt|k/t|tl|t/l|tuq|q)\.?\s+", "", s)
    s = _HOLDER.sub("", s)
    s = re.sub(r"\bban chấp hành trung ương đảng(?: cộng sản việt nam)?$",
               "ban chấp hành trung ương", s)
    m = re.match(r"^(.+?) (?:ban chấp hành trung ương|trung ương đảng)$", s)
    if m and m.group(1) not in ("ban", "đảng"):
        s = m.group(1) + " trung ương"
    m = _PARTY_COMMITTEE.match(s)
    if m and not re.search(rf"{_LEVEL}\s*$", m.group(1)):
        level = {"tỉnh": "tỉnh", "thành": "thành phố", "huyện": "huyện", "quận": "quận",
                 "thị": "thị xã"}[m.group(2)]
        place = m.group(3)
        body = f"{m.group(1)}{m.group(2)} ủy"
        return Issuer("body", body, f"{level} {place}".strip() if place else "")
    m = re.match(rf"^(?P<body>.*?)\s*(?P<locality>{_LEVEL}\s+[^()]+)$", s)
    body, locality = (m.group("body"), m.group("locality")) if m else (s, "")
    bare = re.match(rf"^(ủy ban nhân dân|hội đồng nhân dân)\s+{_LEVEL}$", body)
    if bare:  # ``Ủy ban nhân dân Thành phố``: the level without the place's name
        body = bare.group(1)
    if not body:
        return Issuer("locality", "", locality)
    if body == "ủy ban nhân dân":
        return Issuer("ubnd", "", locality)
    if body == "hội đồng nhân dân":
        return Issuer("hdnd", "", locality)
    return Issuer("body", body, locality)


def canonical_issuer(name: str) -> str:
    """The one spelling of a body: ``ỦY BAN NHÂN DÂN TỈNH LAI CHÂU`` → ``UBND tỉnh Lai Châu``."""
    if not name or not name.strip():
        return ""
    return parse_issuer(name).canonical


def display_issuer(name: str) -> str:
    """The spelled-out form for display: ``UBND tỉnh Lai Châu`` → ``Ủy ban nhân dân tỉnh Lai
    Châu``."""
    if not name or not name.strip():
        return ""
    return parse_issuer(name).display


def issuer_key(name: str) -> str:
    """The key for equality and facets: the canonical spelling, lower case."""
    if not name or not name.strip():
        return ""
    return parse_issuer(name).key


def issuer_locality(name: str) -> str:
    """The locality a body belongs to, lower case (``tỉnh lai châu``), or ``""``."""
    if not name or not name.strip():
        return ""
    return parse_issuer(name).locality


def same_issuer(a: str, b: str) -> bool:
    """True when both names denote the same body (see the module docstring for the rule)."""
    if not a or not b:
        return False
    pa, pb = parse_issuer(a), parse_issuer(b)
    if pa.key == pb.key:
        return True
    for x, y in ((pa, pb), (pb, pa)):
        if x.kind == "locality" and y.kind != "locality" and x.locality == y.locality:
            return True
    return False


# --- header blocks -------------------------------------------------------------------------

def _starts_with_head(words: list[str]) -> str:
    for head in sorted(HEADS, key=lambda h: -len(h.split())):
        n = len(head.split())
        if words[:n] == head.split():
            return head
    return ""


def issuer_heads(name: str) -> str:
    """The head word a body's name starts with (``bộ``, ``ủy ban nhân dân`` …), or ``""``."""
    return _starts_with_head(prepare(name).lower().split())


def split_units(lines: list[str]) -> list[str]:
    """Cut a header's issuer lines into bodies, parent first.

    Header cells wrap anywhere (``BỘ TÀI`` / ``CHÍNH`` / ``CỤC THUẾ``), so a line break only
    separates two bodies when the next line starts with a body's head word, the line before
    is a whole body (not a bare ``BỘ``), and the break does not fall inside a word pair
    (``ỦY`` / ``BAN NHÂN DÂN``) or a coordination (``… VÀ`` / ``MÔI TRƯỜNG``).
    """
    units: list[list[str]] = []
    for line in lines:
        words = prepare(line).lower().split()
        if not words:
            continue
        if units:
            prev = units[-1]
            head = _starts_with_head(words)
            prev_head = _starts_with_head(prev)
            joined = (
                not head
                or (prev[-1], words[0]) in _BOUND
                or prev[-1] in ("và", "-") or prev[-1].endswith(",")
                or (" ".join(prev) in _NEEDS_NAME)
                or (prev_head and " ".join(prev) == prev_head and prev_head in _NEEDS_NAME)
                or (head in ("chính phủ", "quốc hội") and prev[-1] in ("tướng", "phòng"))
            )
            if joined:
                prev.extend(words)
                continue
        units.append(list(words))
    return [" ".join(u) for u in units]


def issuer_from_header(lines: list[str]) -> str:
    """The issuing body of a header block (its last body, named through its parent when the
    name needs it), canonical; ``""`` if the lines name no body."""
    english = _english(" ".join(lines))
    if english is not None:
        return english
    units = [u for u in split_units(lines) if u]
    if not units:
        return ""
    child = parse_issuer(units[-1])
    if len(units) == 1:
        return child.canonical
    parent = parse_issuer(units[-2])
    if child.kind == "body" and not child.locality:
        if child.body in _GENERIC or child.body.split()[0] in ("ban", "ủy"):
            if parent.body == "ban chấp hành trung ương":
                return canonical_issuer(f"{child.body} trung ương")
            if parent.body.endswith(" ủy") and parent.locality:
                return canonical_issuer(f"{child.body} {parent.canonical}")
        if child.body in _GENERIC:
            return canonical_issuer(f"{child.body} {parent.canonical}")
        if parent.locality and parent.kind in ("ubnd", "hdnd", "locality"):
            return Issuer("body", child.body, parent.locality).canonical
    return child.canonical


# --- capitalisation ------------------------------------------------------------------------

_KNOWN = {parse_issuer(b).body: b for b in KNOWN_BODIES}


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


def _title(words: str) -> str:
    return " ".join("-".join(_cap(p) for p in w.split("-")) for w in words.split())


def _place_display(locality: str) -> str:
    m = re.match(rf"^({_LEVEL})\s+(.*)$", locality)
    if not m:
        return _title(locality)
    return f"{m.group(1)} {_title(m.group(2))}"


def _body_display(body: str) -> str:
    if body in _KNOWN:
        return _KNOWN[body]
    if _COMMITTEE_END.search(body) and " " not in body.removesuffix(" ủy"):
        return _cap(body)
    for known, spelled in _KNOWN.items():  # ``văn phòng bộ tài chính``: a known body inside
        if body.endswith(" " + known) and len(known.split()) > 1:
            return _body_display(body[: -len(known) - 1]) + " " + spelled
    words = body.split()
    head = next((h for h in _NAMED_HEADS if words[: len(h.split())] == h.split()), "")
    n = len(head.split())
    out = [_cap(words[0]), *words[1:n]] if head else [_cap(words[0])]
    rest = words[n:] if head else words[1:]
    for i, w in enumerate(rest):
        after_coord = i > 0 and (rest[i - 1] == "và" or rest[i - 1].endswith(","))
        if head and (i == 0 or (head in _FIELD_HEADS and after_coord)):
            w = _cap(w)
        out.append(w)
    text = " ".join(out)
    text = re.sub(r"(?<=\s)(tỉnh|thành|huyện|quận|thị|đảng) ủy\b", lambda m: _cap(m.group()), text)
    return re.sub(r"\btrung ương\b", "Trung ương", text, flags=re.I)


# --- places --------------------------------------------------------------------------------

# Provinces and centrally-run cities, those of 2025 and the earlier ones (names as written
# after ``tỉnh``/``thành phố``), used to capitalise place names in all-capital subjects.
PROVINCES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre",
    "Bình Dương", "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ",
    "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai",
    "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng", "Hậu Giang",
    "Hòa Bình", "Hồ Chí Minh", "Huế", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum",
    "Lai Châu", "Lạng Sơn", "Lào Cai", "Lâm Đồng", "Long An", "Nam Định", "Nghệ An",
    "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi",
    "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên",
    "Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang", "Trà Vinh", "Tuyên Quang", "Vĩnh Long",
    "Vĩnh Phúc", "Yên Bái",
)
