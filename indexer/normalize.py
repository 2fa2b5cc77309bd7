"""Step 1 of analysis: make one spelling of the same characters.

Applied by the readers before a document is stored, and again to every query,
so that stored text, index terms and queries agree. It is idempotent, so the
analyzers may apply it again to stored text without moving any offset.
"""

from __future__ import annotations

import re
import unicodedata

# Look-alikes of the Vietnamese Đ/đ (U+0110/U+0111) that scraped pages use:
# Latin Eth (U+00D0/U+00F0) and African D (U+0189/U+0256).
_DSTROKE = {0x00D0: "Đ", 0x00F0: "đ", 0x0189: "Đ", 0x0256: "đ"}

# Spaces that are not U+0020 become U+0020; invisible characters disappear.
_SPACES = {cp: " " for cp in (0x00A0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004,
                              0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x202F,
                              0x205F, 0x3000, 0x0009, 0x000B, 0x000C)}
_INVISIBLE = {cp: None for cp in (0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF,
                                  0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D,
                                  0x202E, 0x2066, 0x2067, 0x2068, 0x2069)}
# Other C0/C1 controls carry nothing readable; newlines survive as line breaks.
_CONTROLS = {cp: None for cp in (*range(0x20), *range(0x7F, 0xA0))
             if cp not in (0x0A, 0x09, 0x0B, 0x0C, 0x0D)}

_TABLE = {**_CONTROLS, **_INVISIBLE, **_SPACES, **_DSTROKE}
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\u0085]")
# Lone surrogates cannot be encoded as UTF-8; they arrive from broken JSON.
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def normalize_text(text: str) -> str:
    """NFC, one Đ, plain spaces, no invisible characters, ``\\n`` line breaks."""
    if not text:
        return ""
    text = _NEWLINES.sub("\n", text)
    text = _SURROGATES.sub("", text)
    text = text.translate(_TABLE)
    # NFC last: the look-alike map may have enabled a composition, never undone one.
    return unicodedata.normalize("NFC", text)


def normalize_line(text: str) -> str:
    """``normalize_text`` for one-line values (titles, metadata): runs of space collapse."""
    return " ".join(normalize_text(text).split())
