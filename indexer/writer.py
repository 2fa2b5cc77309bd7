"""Writing the index: full builds, incremental updates, deletions, rollback, stats.

The only module that writes Whoosh files. Every writer holds the index lock
(``indexer.lock``) for its whole run; analysis runs through
``indexer.parallel`` (in-process, local processes or Dask) and the single
Whoosh writer adds the analysed documents in source order.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Protocol

import whoosh.index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.writing import LockError

from indexer import fingerprints, generations
from indexer.batches import plan
from indexer.integrity import IndexDamaged, check_generation, write_manifest
from indexer.lock import IndexLock, IndexLocked
from indexer.parallel import run_batches
from indexer.pipeline import Analyzed, Unchanged, document_fields, process_records
from indexer.record import ReadError, Record
from indexer.schema import build_schema
from indexer.wordpairs import PairCounter

__all__ = ["IndexDamaged", "IndexLocked", "NothingIndexed", "RunSummary", "build", "delete",
           "rollback", "stats", "update"]

_FAILED_AT = re.compile(r"(:\d+|\[\d+\])$")

# Whoosh's in-memory posting pool before it spills a sorted run to disk: bounds peak RSS.
# The pool really takes about twice its limit (the postings hold the analysed batches'
# strings), and sorting it at commit about as much again: 32 instead of 128 took 130 MB
# off the writer of a 2k-document build, at no measured cost in time.
WRITER_LIMIT_MB = 32


def _writer(ix, limitmb: int = WRITER_LIMIT_MB):
    """A Whoosh writer whose segments keep posting blocks uncompressed: zlib took 13 % of
    the writer's time and a quarter of decoding a posting list at query time, for an index
    a quarter larger (docs/performance.md). Segments record their codec, so indexes written
    with compression read as before.

    Segments are left as separate files, not assembled into one compound ``.seg``: Whoosh
    opens a file inside a compound segment by copying it into a ``BytesIO``, so every
    searcher (each server worker, each writer's id map) held the whole posting file in
    memory: 1.4 GB and a second to open on the full corpus. Separate files are read in place.
    """
    return ix.writer(limitmb=limitmb, codec=W3Codec(compression=0), compound=False)


class NothingIndexed(Exception):
    """A build read no document: publishing it would empty the live index."""

    def __init__(self, message: str, summary: RunSummary):
        super().__init__(message)
        self.summary = summary


class Progress(Protocol):
    def start(self, total: int) -> None: ...
    def __call__(self, n: int) -> None: ...


class _NoProgress:
    def start(self, total: int) -> None:
        pass

    def __call__(self, n: int) -> None:
        pass


@dataclass
class RunSummary:
    """What one indexer run did; printed as one line and as ``--json``."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    missing: int = 0
    failures: list[ReadError] = field(default_factory=list)
    seconds: float = 0.0
    skipped_files: int = 0  # source files an update did not read (indexer.fingerprints)

    @property
    def documents(self) -> int:
        return self.added + self.updated

    def line(self) -> str:
        rate = self.documents / self.seconds if self.seconds > 0 else 0.0
        parts = [f"{self.documents} documents"]
        if self.updated or self.unchanged:
            parts.append(f"{self.added} added, {self.updated} replaced, "
                         f"{self.unchanged} unchanged")
        if self.deleted or self.missing:
            parts.append(f"{self.deleted} deleted, {self.missing} not found")
        parts.append(f"{len(self.failures)} failures")
        if self.skipped_files:
            parts.append(f"{self.skipped_files} files unchanged since the last run (not read)")
        parts.append(f"{self.seconds:.1f} s ({rate:.1f} docs/s)")
        return ", ".join(parts)

    def to_dict(self) -> dict:
        return {
            "added": self.added, "updated": self.updated, "unchanged": self.unchanged,
            "deleted": self.deleted, "missing": self.missing, "failed": len(self.failures),
            "failures": [{"source": f.source, "reason": f.reason} for f in self.failures],
            "skipped_files": self.skipped_files, "seconds": round(self.seconds, 3),
        }


class _Run:
    """The shared part of build and update: plan, analyse, feed one Whoosh writer."""

    def __init__(self, root: Path, sources: Iterable[str | Path], progress: Progress | None,
                 workers: int, scheduler: str | None, known: dict[str, tuple[str, str]],
                 records: Iterable[Record], files: fingerprints.SourceFiles):
        sources = list(sources)
        self.given = [os.path.abspath(str(s)) for s in sources]
        self.root, self.summary = root, RunSummary()
        self.progress = progress or _NoProgress()
        self.spool = root / f"{generations.SPOOL_PREFIX}{os.getpid()}"
        self.files = files
        self.plan = plan(sources, self.spool, skip=files.skip)
        self.summary.failures.extend(self.plan.errors)
        self.seen: set[str] = set()
        # documents of files that are as the last run read them: unchanged, not read
        skipped = set(self.plan.skipped)
        self.seen.update(k for k, (_, source) in known.items() if source in skipped)
        self.summary.unchanged += len(self.seen)
        self.summary.skipped_files = len(skipped)
        self.documents: Counter[str] = Counter()  # per source file, this run's documents
        self.known_path = None
        if known:
            self.spool.mkdir(parents=True, exist_ok=True)
            # a name of its own per run: workers cache the map by path
            self.known_path = str(self.spool / f"known-{secrets.token_hex(8)}.json")
            with open(self.known_path, "w", encoding="utf-8") as f:
                json.dump({k: h for k, (h, _) in known.items()}, f)
        self.workers, self.scheduler = workers, scheduler
        self.records = records

    def items(self):
        self.progress.start(self.plan.documents)
        batches = run_batches(self.plan.batches, self.known_path, self.workers, self.scheduler)
        # records given in memory (the write API) are analysed here, after the files
        in_memory = (process_records(self.records, self.known_path),)
        for items in chain(batches, in_memory):
            for item in items:
                if isinstance(item, ReadError):
                    self.summary.failures.append(item)
                    continue
                doc_id = item.id if isinstance(item, Unchanged) else item.record.id
                if doc_id in self.seen:
                    # Whoosh cannot delete a document buffered in the same writer.
                    source = item.source if isinstance(item, Unchanged) else item.record.source
                    self.summary.failures.append(ReadError(
                        source, f"duplicate id {doc_id!r} in this run (the first was kept)"))
                    continue
                self.seen.add(doc_id)
                self.documents[item.source if isinstance(item, Unchanged)
                               else item.record.source] += 1
                yield item
            self.progress(len(items))

    def failed_files(self) -> set[str]:
        # a failure's source is a file, "file:line" or "file[index]"
        return {_FAILED_AT.sub("", f.source) for f in self.summary.failures}

    def fingerprints(self) -> dict[str, fingerprints.Fingerprint]:
        """What to record for the next update (call once the run is committed)."""
        return self.files.result(self.plan.files, self.documents, self.failed_files())

    def close(self) -> None:
        shutil.rmtree(self.spool, ignore_errors=True)


def build(sources: Iterable[str | Path], root: str | Path, progress: Progress | None = None,
          workers: int = 1, scheduler: str | None = None,
          records: Iterable[Record] = ()) -> RunSummary:
    """Index ``sources`` (files, directories) and ``records`` into a new generation, and
    make it live when committed."""
    started = time.monotonic()
    root = generations.check_root(root)
    with IndexLock(root):
        generations.remove_debris(root)
        gen = generations.new_generation(root)
        run = _Run(root, sources, progress, workers, scheduler, {}, records,
                   fingerprints.SourceFiles({}, Counter()))
        try:
            ix = whoosh.index.create_in(str(gen), build_schema())
            writer = _writer(ix)
            pairs = PairCounter()  # for did-you-mean (indexer.wordpairs)
            try:
                for item in run.items():
                    writer.add_document(**document_fields(item))
                    pairs.add_counts(item.pairs)
                    run.summary.added += 1
            except BaseException:
                writer.cancel()
                raise
            if run.summary.added == 0:
                # A mistyped path in a cron job must not empty the live search.
                writer.cancel()
                ix.close()
                run.summary.seconds = time.monotonic() - started
                raise NothingIndexed("nothing was indexed; the live index was left unchanged",
                                     run.summary)
            writer.commit()
            ix.close()
            pairs.write(gen)
            fingerprints.save(gen, run.fingerprints())
            write_manifest(gen)
            generations.publish(root, gen)
        except BaseException:
            shutil.rmtree(gen, ignore_errors=True)
            raise
        finally:
            run.close()
    run.summary.seconds = time.monotonic() - started
    return run.summary


def indexed_hashes(searcher) -> dict[str, tuple[str, str]]:
    """id → (content hash, source) of every live document, read from columns (no text)."""
    reader = searcher.reader()
    ids, hashes, sources = (reader.column_reader(name) for name in ("id", "hash", "source"))
    return {ids[n]: (hashes[n], sources[n]) for n in reader.all_doc_ids()}


def update(sources: Iterable[str | Path], root: str | Path, progress: Progress | None = None,
           workers: int = 1, scheduler: str | None = None, prune: bool = False,
           records: Iterable[Record] = ()) -> RunSummary:
    """Analyse only new or changed documents and replace them in the live generation.

    With ``prune``, documents whose source file lies under ``sources`` but that
    were not read this time are deleted (not those of files that failed to read).
    """
    started = time.monotonic()
    root = Path(root)
    generations.live_generation(root)
    with IndexLock(root):
        generations.remove_debris(root)
        ix = _open_live(root)
        try:
            writer = _writer(ix)
        except LockError as exc:
            ix.close()
            raise IndexLocked(f"index {root} is locked by another Whoosh writer") from exc
        run = None
        gen = generations.live_generation(root)
        try:
            with ix.searcher() as searcher:
                indexed = indexed_hashes(searcher)
            recorded = fingerprints.load(gen)
            files = fingerprints.SourceFiles(
                recorded, Counter(source for _, source in indexed.values()))
            run = _Run(root, sources, progress, workers, scheduler, indexed, records, files)
            changed = False
            for item in run.items():
                if isinstance(item, Unchanged):
                    run.summary.unchanged += 1
                    continue
                assert isinstance(item, Analyzed)
                writer.update_document(**document_fields(item))
                changed = True
                if item.record.id in indexed:
                    run.summary.updated += 1
                else:
                    run.summary.added += 1
            if prune:
                changed |= _prune(writer, indexed, run)
            if changed:
                writer.commit()
            else:
                _cancel(writer)  # nothing to write: no new segment, no new files
        except BaseException:
            _cancel(writer)
            raise
        finally:
            ix.close()
            if run is not None:
                run.close()
        # after the commit: a crash before it leaves the old record, which only costs reading
        if (now := run.fingerprints()) != recorded:
            fingerprints.save(gen, now)
        if changed:
            write_manifest(gen)
    run.summary.seconds = time.monotonic() - started
    return run.summary


def _cancel(writer) -> None:
    """Cancel a Whoosh writer and remove the files its new segment had already created."""
    segment = writer.newsegment.segment_id()
    storage = writer.storage
    writer.cancel()
    for name in storage.list():
        if name.startswith(segment):
            storage.delete_file(name)


def _prune(writer, indexed: dict[str, tuple[str, str]], run: _Run) -> bool:
    failed = run.failed_files()
    deleted = False
    for doc_id, (_, source) in indexed.items():
        if doc_id in run.seen or source in failed:
            continue
        if any(source == r or source.startswith(r.rstrip(os.sep) + os.sep) for r in run.given):
            writer.delete_by_term("id", doc_id)
            run.summary.deleted += 1
            deleted = True
    return deleted


def delete(ids: Iterable[str], root: str | Path) -> RunSummary:
    """Delete documents by id from the live generation."""
    started = time.monotonic()
    summary = RunSummary()
    root = Path(root)
    generations.live_generation(root)
    with IndexLock(root):
        ix = _open_live(root)
        try:
            writer = _writer(ix)
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
        write_manifest(generations.live_generation(root))
    summary.seconds = time.monotonic() - started
    return summary


def _open_live(root: Path):
    """The live generation, opened once it is checked whole (``IndexDamaged`` otherwise:
    Whoosh reports a truncated file as whatever its parser trips on, ``EOFError`` among
    them, which a command line reads as "aborted")."""
    gen = generations.live_generation(root)
    check_generation(gen, digests=False)
    return whoosh.index.open_dir(str(gen))


def rollback(root: str | Path) -> tuple[str, str]:
    """Make the previous generation live again (and the live one previous)."""
    with IndexLock(root):
        return generations.rollback(root)


def stats(root: str | Path) -> dict:
    """Facts about the live index: size, counts, generation."""
    gen = generations.live_generation(root)
    ix = _open_live(root)
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
