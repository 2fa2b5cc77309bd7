"""Writing the index: full builds, updates and deletions (the only writer of Whoosh files)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import whoosh.index
from whoosh.writing import LockError

from indexer.generations import live_generation, new_generation, publish
from indexer.record import ReadError, Record
from indexer.schema import build_schema, record_fields

# Whoosh's in-memory pool per writer before it spills a segment; bounds peak RSS.
WRITER_LIMIT_MB = 256

Progress = Callable[[int], None]


class IndexLocked(Exception):
    """Another writer holds the index."""


class NothingIndexed(Exception):
    """A build read no document: publishing it would empty the live index."""

    def __init__(self, message: str, summary: RunSummary | None = None):
        super().__init__(message)
        self.summary = summary


@dataclass
class RunSummary:
    """What one indexer run did; printed as one line and as ``--json``."""

    added: int = 0
    updated: int = 0
    deleted: int = 0
    missing: int = 0
    failures: list[ReadError] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def documents(self) -> int:
        return self.added + self.updated

    def line(self) -> str:
        rate = self.documents / self.seconds if self.seconds > 0 else 0.0
        parts = [f"{self.documents} documents"]
        if self.updated:
            parts.append(f"{self.added} added, {self.updated} replaced")
        if self.deleted or self.missing:
            parts.append(f"{self.deleted} deleted, {self.missing} not found")
        parts.append(f"{len(self.failures)} failures")
        parts.append(f"{self.seconds:.1f} s ({rate:.1f} docs/s)")
        return ", ".join(parts)

    def to_dict(self) -> dict:
        return {
            "added": self.added, "updated": self.updated, "deleted": self.deleted,
            "missing": self.missing, "failed": len(self.failures),
            "failures": [{"source": f.source, "reason": f.reason} for f in self.failures],
            "seconds": round(self.seconds, 3),
        }


def _feed(items: Iterable[Record | ReadError], summary: RunSummary, progress: Progress | None,
          add: Callable[[Record], None]) -> None:
    # Whoosh cannot delete a document buffered in the same writer, so a second
    # record with an id already seen in this run is reported, not indexed.
    seen: set[str] = set()
    for item in items:
        if isinstance(item, ReadError):
            summary.failures.append(item)
            continue
        if item.id in seen:
            reason = f"duplicate id {item.id!r} in this run (the first was kept)"
            summary.failures.append(ReadError(item.source, reason))
            continue
        seen.add(item.id)
        add(item)
        if progress:
            progress(1)


def build(items: Iterable[Record | ReadError], root: str | Path,
          progress: Progress | None = None) -> RunSummary:
    """Index everything into a new generation and make it live when committed."""
    started = time.monotonic()
    summary = RunSummary()
    gen = new_generation(root)
    try:
        ix = whoosh.index.create_in(str(gen), build_schema())
        writer = ix.writer(limitmb=WRITER_LIMIT_MB)

        def add(record: Record) -> None:
            writer.add_document(**record_fields(record))
            summary.added += 1

        try:
            _feed(items, summary, progress, add)
        except BaseException:
            writer.cancel()
            raise
        if summary.added == 0:
            # A mistyped path in a cron job must not empty the live search.
            writer.cancel()
            ix.close()
            raise NothingIndexed(
                "nothing was indexed; the live index was left unchanged", summary)
        writer.commit()
        ix.close()
        publish(root, gen)
    except BaseException:
        shutil.rmtree(gen, ignore_errors=True)
        raise
    summary.seconds = time.monotonic() - started
    return summary


def _writer(root: str | Path):
    ix = whoosh.index.open_dir(str(live_generation(root)))
    try:
        return ix, ix.writer(limitmb=WRITER_LIMIT_MB)
    except LockError as exc:
        ix.close()
        raise IndexLocked(f"index {root} is locked by another writer") from exc


def update(items: Iterable[Record | ReadError], root: str | Path,
           progress: Progress | None = None) -> RunSummary:
    """Add or replace documents by id in the live generation."""
    started = time.monotonic()
    summary = RunSummary()
    ix, writer = _writer(root)
    try:
        with ix.searcher() as searcher:

            def add(record: Record) -> None:
                known = searcher.document_number(id=record.id) is not None
                writer.update_document(**record_fields(record))
                if known:
                    summary.updated += 1
                else:
                    summary.added += 1

            _feed(items, summary, progress, add)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    finally:
        ix.close()
    summary.seconds = time.monotonic() - started
    return summary


def delete(ids: Iterable[str], root: str | Path) -> RunSummary:
    """Delete documents by id from the live generation."""
    started = time.monotonic()
    summary = RunSummary()
    ix, writer = _writer(root)
    try:
        for doc_id in dict.fromkeys(ids):
            if writer.delete_by_term("id", doc_id):
                summary.deleted += 1
            else:
                summary.missing += 1
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    finally:
        ix.close()
    summary.seconds = time.monotonic() - started
    return summary


def stats(root: str | Path) -> dict:
    """Facts about the live index: size, counts, generation."""
    gen = live_generation(root)
    ix = whoosh.index.open_dir(str(gen))
    try:
        with ix.searcher() as searcher:
            return {
                "index": str(Path(root)),
                "generation": gen.name,
                "documents": searcher.doc_count(),
                "deleted_pending": searcher.doc_count_all() - searcher.doc_count(),
                "segments": len(ix._segments()),
                "bytes": sum(p.stat().st_size for p in gen.iterdir() if p.is_file()),
                "fields": sorted(ix.schema.names()),
                "modified": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(ix.last_modified())),
            }
    finally:
        ix.close()
