"""Helpers every format reader shares: strict text decoding, dates, titles, Record building.

Readers raise ``ValueError`` (with a clear English reason) for bad content and let
``OSError`` through for I/O failures; ``read_sources`` turns both into ``ReadError``.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Iterable
from pathlib import Path

from indexer.normalize import normalize_line, normalize_text
from indexer.readers.legacy import legacy_bytes, legacy_encoding
from indexer.record import Record

TITLE_LIMIT = 200
# One document (a file, a JSON Lines line, a .json file) larger than this is refused
# unread: the largest official text we know is a few MB, and a 1 GB log file named .txt
# would otherwise be read whole into memory and segmented for an hour.
MAX_DOCUMENT_BYTES = int(os.environ.get("TRACUU_MAX_DOCUMENT_MB", "64")) * 2**20

# Fields that hold running text (line breaks kept); every other string field is one line.
TEXT_FIELDS = ("text", "summary")
LINE_FIELDS = ("id", "title", "url", "category", "author", "doc_number", "doc_type",
               "issuer", "signer", "date")

_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
# ISO date, optionally with a time part (and seconds fraction / zone) that we drop.
_ISO = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)


def decode_utf8(data: bytes) -> str:
    """Strict UTF-8 (a leading BOM is dropped); a failure becomes a readable ValueError."""
    # NUL bytes never occur in text we index: the file is binary even if it happens to decode.
    if b"\x00" in data:
        raise ValueError("binary file (contains NUL bytes), not UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":
            raise ValueError("not valid UTF-8 text: it ends in the middle of a character "
                             "(a truncated file?)") from None
        bad = data[exc.start]
        legacy = legacy_bytes(data)
        hint = (f"; it looks like Vietnamese in the legacy {legacy} encoding: convert it "
                "to UTF-8") if legacy else ""
        raise ValueError(
            f"not valid UTF-8 text (byte 0x{bad:02x} at offset {exc.start}){hint}"
        ) from None


def check_size(size: int, what: str = "file") -> None:
    """ValueError when one document of ``size`` bytes is over ``MAX_DOCUMENT_BYTES``."""
    if size > MAX_DOCUMENT_BYTES:
        raise ValueError(f"{what} too large ({size / 2**20:.0f} MB; one document may have "
                         f"at most {MAX_DOCUMENT_BYTES // 2**20} MB)")


def read_bytes(path: str | Path) -> bytes:
    """The whole file, refused unread when larger than one document may be."""
    path = Path(path)
    check_size(path.stat().st_size)
    return path.read_bytes()


def read_text(path: str | Path) -> str:
    """The whole file as text, decoded strictly as UTF-8 (not yet normalised)."""
    return decode_utf8(read_bytes(path))


def parse_date(value: str) -> str:
    """``dd/mm/yyyy``, ``d/m/yyyy``, ``yyyy-mm-dd`` (time part ignored) -> ISO; "" stays "".

    Raises ``ValueError("invalid date '...'")`` for a date that does not exist or that
    has no recognised layout, so the caller can report the record instead of guessing.
    """
    value = normalize_line(value)
    if not value:
        return ""
    if m := _DMY.fullmatch(value):
        day, month, year = (int(g) for g in m.groups())
    elif m := _ISO.fullmatch(value):
        year, month, day = (int(g) for g in m.groups())
    else:
        raise ValueError(f"invalid date '{value}' (expected dd/mm/yyyy or yyyy-mm-dd)")
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        raise ValueError(f"invalid date '{value}'") from None


def title_from_text(text: str, limit: int = TITLE_LIMIT) -> str:
    """The first non-empty line of ``text``, cut at a word boundary to at most ``limit`` chars."""
    for line in text.split("\n"):
        line = normalize_line(line)
        if line:
            if len(line) <= limit:
                return line
            cut = line[:limit + 1].rsplit(" ", 1)[0]
            # A single giant "word" has no boundary to cut at: cut hard.
            return (cut if cut and len(cut) <= limit else line[:limit]).rstrip()
    return ""


def build_record(*, id: str, title: str, text: str, source: str | Path,
                 related: Iterable[str] = (), **metadata: str) -> Record:
    """A Record whose every string field went through ``normalize_text``/``normalize_line``.

    ``source`` is the file path and is kept verbatim: it must still name the file.
    """
    values = {"id": id, "title": title, "text": text, **metadata}
    for name in ("title", "summary", "text"):
        legacy = legacy_encoding(values.get(name) or "")
        if legacy:
            raise ValueError(f"the {name} looks like Vietnamese in the legacy {legacy[0]} "
                             f"encoding read as Latin-1 ({legacy[1]!r}): convert the source "
                             "to Unicode")
    fields: dict[str, str] = {}
    for name, value in values.items():
        if name in TEXT_FIELDS:
            fields[name] = normalize_text(value or "").strip()
        elif name in LINE_FIELDS:
            fields[name] = normalize_line(value or "")
        else:
            raise TypeError(f"unknown Record field {name!r}")
    items = [normalize_line(item) for item in related]
    return Record(**fields, related=[item for item in items if item], source=str(source))
