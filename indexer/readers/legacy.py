"""Vietnamese text in a pre-Unicode encoding: recognised, so it is reported, not indexed.

Three 8-bit encodings were common before Unicode, and old files and pages still use them:

- Windows-1258: base letters plus combining tone bytes;
- TCVN3 (ABC): one byte per letter, many of them where Latin-1 has symbols
  (``â`` = 0xA9 ``©``, ``đ`` = 0xAE ``®``, ``á`` = 0xB8 ``¸``);
- VNI Windows: an ASCII letter followed by mark bytes (``à`` = ``a`` + 0xF8 ``ø``,
  ``ệ`` = ``e`` + 0xE4 ``ä``, ``đ`` = 0xF1 ``ñ``).

Their bytes are rarely valid UTF-8, and ``decode_utf8`` names the likely encoding in its
error. But a file converted with the wrong table (or a page that declares Latin-1) arrives
as valid Unicode mojibake (``nh©n d©n``, ``Vieät Nam``) and would be indexed as nonsense
that no query finds: ``legacy_encoding`` recognises that too. Both look for letter shapes
no real text has (a ``©`` between letters, ``aø``), and ask for several of them, so a stray
symbol or a foreign name does not trip them (0 hits over the 2,425 documents of the test
corpus, see docs/reliability.md).
"""

from __future__ import annotations

import re
import unicodedata

# Latin-1 symbols that TCVN3 uses for letters, next to an ASCII letter (``nh©n``, ``®ang``).
_TCVN3_SYMBOLS = "©ª«®¬µ¸·¹¶¾»¼½§¨¤¥¦¢£¡"
_TCVN3 = re.compile(f"[A-Za-z][{_TCVN3_SYMBOLS}]|[{_TCVN3_SYMBOLS}][A-Za-z]")
# VNI marks no language writes after a vowel (``aø``, ``eä``, ``oï``), tones after ơ/ư
# (``ôø``), ươ (``öô``), and ``ñ`` (đ) opening a word before a vowel (``ñieàu``).
_VNI = re.compile(r"[aeiouyAEIOUY][øûïåäëü]|[ôÔöÖ][øùûõï]|[öÖ][ôÔ]"
                  r"|(?<![^\W\d_])[ñÑ][aeiouyAEIOUYöôÖÔ]")
# Letters only Vietnamese writes: ă đ ơ ư and the toned vowels of Latin Extended Additional.
# Every character either pattern needs: most texts have none, and one search says so.
_MARKERS = re.compile(f"[{_TCVN3_SYMBOLS}øûïåäëüñÑ]")
_VIETNAMESE = re.compile("[ăđơưĂĐƠƯ\u1ea0-\u1ef9]")
# Bytes that no 8-bit text holds (C0 controls but tab, line breaks, form feed).
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")
_SAMPLE = 200_000
_MIN_HITS = 3
_WORDS_PER_HIT = 20  # at least one hit in 20 words


def _enough(hits: int, text: str) -> bool:
    return hits >= _MIN_HITS and hits * _WORDS_PER_HIT >= len(text.split())


def _example(text: str, match: re.Match) -> str:
    """The word the first hit stands in."""
    before = re.search(r"\S*$", text[max(0, match.start() - 30):match.start()])
    after = re.match(r"\S*", text[match.end():match.end() + 30])
    return before.group() + match.group() + after.group()


def legacy_encoding(text: str) -> tuple[str, str] | None:
    """(encoding, example word) when ``text`` is TCVN3 or VNI read as Latin-1, else None."""
    sample = text[:_SAMPLE]
    if not _MARKERS.search(sample):
        return None
    for name, pattern in (("TCVN3 (ABC)", _TCVN3), ("VNI", _VNI)):
        hits = pattern.findall(sample)
        if _enough(len(hits), sample):
            return name, _example(sample, pattern.search(sample))
    return None


def legacy_bytes(data: bytes) -> str | None:
    """The legacy encoding ``data`` (not valid UTF-8) seems to be in, or None."""
    sample = data[:_SAMPLE]
    plain = sum(1 for b in sample if b < 0x80)
    if _CONTROL_BYTES.search(sample) or plain < 0.6 * len(sample):
        return None  # binary, not text in some other encoding
    found = legacy_encoding(sample.decode("latin-1"))
    if found:
        return found[0]
    as_1258 = unicodedata.normalize("NFC", sample.decode("cp1258", errors="replace"))
    if _enough(len(_VIETNAMESE.findall(as_1258)), as_1258):
        return "Windows-1258"
    return None
