"""Cut the sources of a run into batches of about 100 documents (1 MB at most), named by path.

Analysis runs in worker processes, local or on a Dask cluster. A batch names
where its documents are on disk (a file, or a byte range of a JSON Lines
file), never their text, so nothing large travels through a scheduler and a
batch can be run again after a worker dies. A ``.jsonl.gz`` cannot be read
from the middle, so it is first decompressed once into a spool directory.
"""

from __future__ import annotations

import gzip
import shutil
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from indexer.readers import iter_files, read_sources, suffix_of
from indexer.readers.records import EMPTY_RECORDS, read_records_range
from indexer.record import ReadError, Record

BATCH_SIZE = 100
# and at most this many bytes of source: a batch is held whole twice over (analysed in a
# worker, then waiting for the writer), and 100 encyclopaedia pages (20 KB each on average)
# or legal texts (29 KB) weigh six to eight times 100 news articles (3.6 KB)
BATCH_BYTES = 1 << 20


@dataclass(frozen=True)
class Part:
    """A whole file, or lines ``first_line…`` at bytes ``start:end`` of a JSON Lines file."""

    path: str
    source: str  # the file the user named (the .gz, not its spooled copy)
    start: int = 0
    end: int = -1  # -1: the whole file, read by its format's reader
    first_line: int = 1


@dataclass(frozen=True)
class Batch:
    number: int
    parts: tuple[Part, ...]
    documents: int  # how many documents it holds (a .json file counts as one)


@dataclass
class Plan:
    batches: list[Batch]
    files: list[str]  # every source file found, absolute
    errors: list[ReadError]
    skipped: list[str]  # files ``skip`` said need no reading (not in ``files``)

    @property
    def documents(self) -> int:
        return sum(b.documents for b in self.batches)


def plan(sources: Iterable[str | Path], spool: Path, size: int = BATCH_SIZE,
         skip: Callable[[str], bool] | None = None, max_bytes: int = BATCH_BYTES) -> Plan:
    """Walk ``sources`` and cut them into batches of at most ``size`` documents and, unless
    one document is larger, ``max_bytes`` (spooling ``.jsonl.gz`` into ``spool``), leaving
    out the files for which ``skip(absolute path)`` is true."""
    result = Plan([], [], [], [])
    pending: list[Part] = []
    count = nbytes = 0

    def flush() -> None:
        nonlocal pending, count, nbytes
        if pending:
            result.batches.append(Batch(len(result.batches), tuple(pending), count))
            pending, count, nbytes = [], 0, 0

    for item in iter_files(sources):
        if isinstance(item, ReadError):
            result.errors.append(item)
            continue
        path = str(item.resolve())
        if skip is not None and skip(path):
            result.skipped.append(path)
            continue
        result.files.append(path)
        suffix = suffix_of(item)
        if suffix in (".jsonl", ".jsonl.gz"):
            try:
                parts = list(_line_ranges(item, suffix == ".jsonl.gz", spool, size,
                                          max_bytes))
            except (OSError, EOFError, zlib.error):
                # Unreadable as a whole: its reader reports why when the batch runs.
                parts = [(Part(path, path), 1)]
            if not any(n for _, n in parts):
                result.errors.append(ReadError(path, EMPTY_RECORDS))
                continue
        else:
            parts = [(Part(path, path), 1)]
        for part, n in parts:
            weight = part.end - part.start if part.end >= 0 else _file_size(part.path)
            if count + n > size or nbytes + weight > max_bytes:
                flush()
            pending.append(part)
            count += n
            nbytes += weight
    flush()
    return result


def _file_size(path: str) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0  # its reader reports why when the batch runs


def _line_ranges(path: Path, gz: bool, spool: Path, size: int,
                 max_bytes: int) -> Iterator[tuple[Part, int]]:
    source = str(path.resolve())
    if gz:
        spool.mkdir(parents=True, exist_ok=True)
        plain = spool / f"{len(list(spool.iterdir())):05d}-{path.name.removesuffix('.gz')}"
        with gzip.open(path, "rb") as src, open(plain, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        target = str(plain)
    else:
        target = source
    with open(target, "rb") as stream:
        start = offset = 0
        first = lineno = 1
        lines = 0
        for raw in stream:
            # cut before the line that would make the part too many documents or bytes
            if lines and (lines == size or offset + len(raw) - start > max_bytes):
                yield Part(target, source, start, offset, first), lines
                start, first, lines = offset, lineno, 0
            offset += len(raw)
            if raw.strip():
                lines += 1
            lineno += 1
        if offset > start:
            yield Part(target, source, start, offset, first), lines


def read_batch(batch: Batch) -> Iterator[Record | ReadError]:
    """The documents of a batch, in order, with a ReadError for each failure."""
    for part in batch.parts:
        if part.end >= 0:
            yield from read_records_range(part.path, part.start, part.end, part.first_line,
                                          part.source)
        else:
            yield from read_sources([part.path])
