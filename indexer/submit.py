"""Documents sent one at a time (the write API): read them, then write them like the CLI does.

A JSON record goes through the same checks as a line of a ``.jsonl`` file, and an uploaded
file through the reader of its suffix. Either is all or nothing: one bad record and nothing
is written. Writing goes through ``writer.update`` and ``writer.delete`` under the index
lock; a writer already holding the lock is waited for a bounded time, then reported.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from indexer import writer
from indexer.lock import IndexLocked
from indexer.normalize import normalize_line
from indexer.readers import SUPPORTED_SUFFIXES, read_sources, suffix_of
from indexer.readers.records import record_from_mapping
from indexer.record import ReadError, Record
from indexer.writer import RunSummary

__all__ = ["API_SOURCE", "IndexLocked", "Rejected", "delete", "put", "record_from_json",
           "records_from_upload"]

# The ``source`` of a record sent as JSON; an upload's is "upload:" + its file name.
# Neither is a path, so ``update --prune`` of a folder never deletes what the API added.
API_SOURCE = "api"
UPLOAD_PREFIX = "upload:"
MAX_NAME_BYTES = 200
_RETRY_SECONDS = 0.1

T = TypeVar("T")


class Rejected(ValueError):
    """Nothing to index, or something unreadable: nothing was written."""

    def __init__(self, message: str, failures: list[ReadError] | None = None):
        super().__init__(message)
        self.failures = failures or []


def record_from_json(obj: object) -> Record:
    """The record of one decoded JSON object, checked as a ``.jsonl`` line would be."""
    try:
        return record_from_mapping(obj, API_SOURCE)
    except ValueError as exc:
        raise Rejected(str(exc)) from None


def upload_name(filename: str) -> str:
    """The base name of an uploaded file, checked: it picks the reader and names the id."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name or name in (".", "..") or "\x00" in name:
        raise Rejected(f"the uploaded file has no usable name ({filename[:50]!r})")
    if len(name.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES:
        raise Rejected(f"the uploaded file's name is longer than {MAX_NAME_BYTES} bytes")
    if suffix_of(name) is None:
        raise Rejected(f"unsupported file type {name[:50]!r}; supported: "
                       f"{', '.join(sorted(SUPPORTED_SUFFIXES))}")
    return name


def records_from_upload(filename: str, data: bytes, doc_id: str = "") -> list[Record]:
    """The records of one uploaded file, read by the reader of its suffix.

    Single-document formats take their id from the file name, unless ``doc_id`` is given.
    """
    name = upload_name(filename)
    try:
        with tempfile.TemporaryDirectory(prefix="tracuu-upload-") as tmp:
            path = Path(tmp, name)
            path.write_bytes(data)
            items = list(read_sources([path]))
    except (OSError, UnicodeEncodeError) as exc:  # e.g. a name the file system refuses
        raise Rejected(f"the uploaded file cannot be stored as {name[:50]!r}: {exc}") from None
    # the reader names the temporary path: name the uploaded file instead
    failures = [ReadError(name + e.source[len(str(path)):], e.reason)
                for e in items if isinstance(e, ReadError)]
    if failures:
        raise Rejected(f"{name}: {len(failures)} record(s) could not be read; nothing was "
                       "indexed", failures)
    records = [r for r in items if isinstance(r, Record)]
    if not records:
        raise Rejected(f"{name} holds no document")
    if doc_id:
        if len(records) != 1:
            raise Rejected(f"'id' names one document, but {name} holds {len(records)}")
        records[0].id = normalize_line(doc_id)
        if not records[0].id:
            raise Rejected("'id' is empty")
    for record in records:
        record.source = UPLOAD_PREFIX + name
    _check_unique(records, name)
    return records


def _check_unique(records: list[Record], name: str) -> None:
    seen: set[str] = set()
    for record in records:
        if record.id in seen:
            raise Rejected(f"{name} holds the id {record.id!r} twice")
        seen.add(record.id)


def put(root: str | Path, records: list[Record], lock_wait: float) -> RunSummary:
    """Add or replace ``records`` in the live index; returns once committed."""
    return _waiting(lambda: writer.update([], root, records=records), lock_wait)


def delete(root: str | Path, doc_id: str, lock_wait: float) -> RunSummary:
    """Delete one document from the live index; returns once committed."""
    return _waiting(lambda: writer.delete([doc_id], root), lock_wait)


def _waiting(run: Callable[[], T], seconds: float) -> T:
    """``run()``, tried again while another writer holds the lock, for up to ``seconds``."""
    deadline = time.monotonic() + max(seconds, 0.0)
    while True:
        try:
            return run()
        except IndexLocked:
            if time.monotonic() + _RETRY_SECONDS > deadline:
                raise
            time.sleep(_RETRY_SECONDS)
