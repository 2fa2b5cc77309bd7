"""Structured records: JSON Lines (``.jsonl``, ``.jsonl.gz``) and JSON (``.json``).

Each object has ``id``, ``title``, ``text`` and optionally the metadata fields of
``Record``. A bad record is reported as a ``ReadError`` whose source is
``{path}:{line}`` (JSON Lines) or ``{path}[{index}]`` (JSON) and the file goes on.
Unknown keys (e.g. a crawler's own ``source``) are ignored.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from indexer.readers.common import (
    LINE_FIELDS,
    build_record,
    check_size,
    decode_utf8,
    parse_date,
    read_bytes,
    title_from_text,
)
from indexer.record import ReadError, Record

EMPTY_RECORDS = "empty file (no records)"
# Metadata fields read as one-line strings ("id", "title" and "date" get extra care).
_META_FIELDS = tuple(f for f in LINE_FIELDS if f not in ("id", "title", "date"))


def read_records(path: str | Path) -> Iterator[Record | ReadError]:
    """Records of a ``.jsonl``, ``.jsonl.gz`` or ``.json`` file; never raises for bad data."""
    path = Path(path)
    name = path.name.lower()
    try:
        if name.endswith(".json"):
            yield from _read_json(path)
        else:
            yield from _read_json_lines(path, gz=name.endswith(".gz"))
    except (OSError, EOFError, zlib.error) as exc:
        # A truncated or corrupt gzip stream, or an I/O failure: stop this file, report it.
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        yield ReadError(str(path), f"cannot read file: {reason}")


def _read_json_lines(path: Path, gz: bool) -> Iterator[Record | ReadError]:
    # Binary lines, decoded one at a time: a bad byte spoils one line, not the whole file,
    # and a gzip stream is never held in memory whole (news-all is 123 MB of text).
    opener = gzip.open if gz else open
    with opener(path, "rb") as stream:
        found = False
        for item in parse_lines(stream, path, first_line=1):
            found = True
            yield item
    if not found:  # a file truncated to nothing must not pass for one with no news
        yield ReadError(str(path), EMPTY_RECORDS)


def read_records_range(path: str | Path, start: int, end: int, first_line: int,
                       source: str | Path) -> Iterator[Record | ReadError]:
    """Records of bytes ``start:end`` of a plain JSON Lines file (a batch of a larger file).

    ``source`` is the file the lines came from (a ``.jsonl.gz`` may have been spooled to
    a plain file first), and ``first_line`` its line number at ``start``.
    """
    try:
        with open(path, "rb") as stream:
            stream.seek(start)
            data = stream.read(end - start)
    except OSError as exc:
        yield ReadError(str(source), f"cannot read file: {exc.strerror or exc}")
        return
    yield from parse_lines(data.splitlines(keepends=True), Path(source), first_line)


def parse_lines(lines: Iterable[bytes], source: Path, first_line: int
                ) -> Iterator[Record | ReadError]:
    for lineno, raw in enumerate(lines, start=first_line):
        where = f"{source}:{lineno}"
        if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        try:
            check_size(len(raw), "line")
            obj = json.loads(decode_utf8(raw))
        except json.JSONDecodeError as exc:
            yield ReadError(where, f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        except ValueError as exc:  # bad UTF-8 or NUL bytes in the line
            yield ReadError(where, str(exc))
            continue
        yield _record_or_error(obj, source, where)


def _read_json(path: Path) -> Iterator[Record | ReadError]:
    try:
        raw = read_bytes(path)
        if not raw.strip():
            raise ValueError(EMPTY_RECORDS)
        data = json.loads(decode_utf8(raw))
    except json.JSONDecodeError as exc:
        yield ReadError(f"{path}:{exc.lineno}", f"invalid JSON: {exc.msg} (column {exc.colno})")
        return
    except ValueError as exc:
        yield ReadError(str(path), str(exc))
        return
    if isinstance(data, dict) and isinstance(data.get("documents"), list):
        items = data["documents"]
    elif isinstance(data, dict):
        items = [data]
    elif isinstance(data, list):
        items = data
    else:
        yield ReadError(str(path), f"expected a JSON object or list, got {_kind(data)}")
        return
    for index, obj in enumerate(items):
        yield _record_or_error(obj, path, f"{path}[{index}]")


def _record_or_error(obj: object, path: Path, where: str) -> Record | ReadError:
    try:
        return record_from_mapping(obj, path)
    except ValueError as exc:
        return ReadError(where, str(exc))


def record_from_mapping(obj: object, source: str | Path) -> Record:
    """A Record from one decoded JSON object; ValueError names what is wrong with it."""
    if not isinstance(obj, Mapping):
        raise ValueError(f"expected a JSON object, got {_kind(obj)}")
    if isinstance(obj.get("id"), list):
        raise ValueError("field 'id' must be a string or a number, got list")
    record_id = _one_line(obj, "id")
    if not record_id.strip():
        raise ValueError("record has no id")
    title = _one_line(obj, "title")
    text = _text(obj, "text")
    if not title.strip() and not text.strip():
        raise ValueError(f"record {record_id!r} has neither title nor text")
    if not title.strip():
        title = title_from_text(text)
    meta = {name: _one_line(obj, name) for name in _META_FIELDS}
    try:
        date = parse_date(_one_line(obj, "date"))
    except ValueError as exc:
        raise ValueError(f"record {record_id!r}: {exc}") from None
    return build_record(id=record_id, title=title, text=text, summary=_text(obj, "summary"),
                        date=date, related=_related(obj), source=source, **meta)


def _scalar(value: object) -> str | None:
    """A string or number as text; None for anything else."""
    if isinstance(value, str):
        return value
    # bool is an int subclass, but true/false as a title or id is a data error.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return None


def _strings(obj: Mapping, name: str) -> list[str] | None:
    """The field as a list of strings (None if absent); a wrong type raises ValueError."""
    value = obj.get(name)
    if value is None:
        return None
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        text = _scalar(item)
        if text is None:
            raise ValueError(f"field '{name}' must be a string, a number or a list of them, "
                             f"got {_kind(item)}")
        out.append(text)
    return out


def _one_line(obj: Mapping, name: str) -> str:
    # A list in a one-line field (several authors, say) is kept as one comma-separated value.
    items = _strings(obj, name)
    return ", ".join(i for i in items if i.strip()) if items else ""


def _text(obj: Mapping, name: str) -> str:
    # A list of paragraphs becomes paragraphs.
    items = _strings(obj, name)
    return "\n\n".join(items) if items else ""


def _related(obj: Mapping) -> list[str]:
    return _strings(obj, "related") or []


def _kind(value: object) -> str:
    names = {dict: "object", list: "list", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), type(value).__name__)
