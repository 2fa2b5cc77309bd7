"""Vietnamese in the 8-bit encodings that predate Unicode, written by the tests themselves.

Only the letters of our own test sentences are covered (lowercase: TCVN3 keeps capitals
in separate fonts). Windows-1258 is ``tests.test_readers.to_cp1258``.
"""

from __future__ import annotations

# TCVN3 (ABC, TCVN 5712:1993 VN3): one byte per letter, shown here as its Latin-1 character.
_TCVN3 = dict(zip(
    "àáâãèéêìíòóôõùúýăđĩũơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởợụủứừửữựỳỵỷỹ",
    "µ¸©·ÌÐª×Ýßã«âïóý¨®Üò¬\xad¹¶ÊÇÈÉË¾»¼½ÆÑÎÏÕÒÓÔÖØÞäáèåæçéíêëîôñøõö÷ùúþûü",
    strict=True))
# VNI Windows: an ASCII base letter followed by one or two mark characters.
_VNI_MARKS = {"\u0300": "ø", "\u0301": "ù", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_VNI_CIRCUMFLEX = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã",
                   "\u0323": "ä"}
_VNI_BREVE = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü",
              "\u0323": "ë"}
_VNI_I = {"\u0300": "ì", "\u0301": "í", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}


def to_tcvn3(text: str) -> bytes:
    """``text`` (lowercase Vietnamese, NFC) as TCVN3 bytes."""
    return "".join(_TCVN3.get(ch, ch) for ch in text).encode("latin-1")


def _vni_letter(ch: str) -> str:
    import unicodedata

    if ch == "đ":
        return "ñ"
    if ch == "Đ":
        return "Ñ"
    parts = unicodedata.normalize("NFD", ch)
    if len(parts) == 1:
        return ch
    base, marks = parts[0], parts[1:]
    tone = next((m for m in marks if m in _VNI_MARKS), "")
    shape = next((m for m in marks if m not in _VNI_MARKS), "")
    if base in "iI" and not shape:
        return _VNI_I[tone] if base == "i" else _VNI_I[tone].upper()
    if shape == "\u031b":  # horn: ơ = ô, ư = ö, then the tone
        return {"o": "ô", "u": "ö", "O": "Ô", "U": "Ö"}[base] + _VNI_MARKS.get(tone, "")
    if shape == "\u0302":
        return base + _VNI_CIRCUMFLEX[tone]
    if shape == "\u0306":
        return base + _VNI_BREVE[tone]
    return base + _VNI_MARKS[tone]


def to_vni(text: str) -> bytes:
    """``text`` (Vietnamese, NFC) as VNI Windows bytes."""
    return "".join(_vni_letter(ch) for ch in text).encode("cp1252")
