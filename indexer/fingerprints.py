"""Which source files are exactly as the last run read them, so an update can skip them.

An ``update`` with nothing changed must not parse and hash 49k records again. Each build
and update records, per source file it read without a failure, the file's size, SHA-256
and how many documents it gave, in ``tracuu-sources.json`` inside the generation. The
next update skips a file when:

- its size and SHA-256 are the recorded ones (hashing the whole news corpus, 170 MB,
  takes well under a second; size and mtime alone would miss a file rewritten within
  the same clock tick or copied with its old time), and
- the live index still holds as many documents from it as recorded (a document deleted
  or replaced through the write API since then makes the file be read again, as before).

Anything doubtful (no record, a file unreadable, a damaged record file) means "read the
file": a fingerprint can only ever save work, never hide a change. The record is not
part of the index's integrity manifest: it is rewritten by updates that commit nothing,
and losing it costs one full read.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from indexer.integrity import sha256_of

SOURCES = "tracuu-sources.json"


@dataclass(frozen=True)
class Fingerprint:
    size: int
    sha256: str
    documents: int = 0

    def same_bytes(self, other: Fingerprint) -> bool:
        return self.size == other.size and self.sha256 == other.sha256


def load(gen: str | Path) -> dict[str, Fingerprint]:
    """The fingerprints recorded in ``gen`` (empty if none or unreadable)."""
    try:
        raw = json.loads((Path(gen) / SOURCES).read_text(encoding="utf-8"))["files"]
        return {path: Fingerprint(**fp) for path, fp in raw.items()}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def save(gen: str | Path, fingerprints: dict[str, Fingerprint]) -> None:
    """Write the record atomically (a crash leaves the old one or the new one)."""
    gen = Path(gen)
    tmp = gen / f".{SOURCES}-{os.getpid()}"
    payload = {"files": {p: asdict(fp) for p, fp in sorted(fingerprints.items())}}
    tmp.write_text(json.dumps(payload, indent=1), encoding="utf-8")
    os.replace(tmp, gen / SOURCES)


def take(path: str) -> Fingerprint | None:
    """The file's fingerprint now (``None`` if it cannot be read)."""
    try:
        # not cached by stat: a source file, unlike an index file, can be rewritten
        return Fingerprint(os.path.getsize(path), sha256_of(path))
    except OSError:
        return None


class SourceFiles:
    """The fingerprints of one run: what the last run recorded, what this one sees.

    ``live_counts`` is how many live documents each source file has right now.
    """

    def __init__(self, recorded: dict[str, Fingerprint], live_counts: Counter[str]):
        self.recorded, self.live_counts = recorded, live_counts
        self.now: dict[str, Fingerprint] = {}
        self.skipped: dict[str, int] = {}  # path → documents taken as unchanged

    def skip(self, path: str) -> bool:
        """True when ``path`` holds what the index already has from it (see module doc)."""
        old = self.recorded.get(path)
        current = take(path)
        if current is None:
            return False
        self.now[path] = current
        if (old is None or not old.same_bytes(current)
                or self.live_counts.get(path, 0) != old.documents or old.documents == 0):
            return False
        self.skipped[path] = old.documents
        return True

    def result(self, read: Iterable[str], documents: Counter[str],
               failed: set[str]) -> dict[str, Fingerprint]:
        """The record to save after the run: the files read without a failure (with the
        documents they gave), the skipped ones, and earlier entries for files this run
        did not look at (they are checked again when next used)."""
        out = dict(self.recorded)
        for path in read:
            fp = self.now.get(path)
            out.pop(path, None)
            if fp is not None and path not in failed and documents[path]:
                out[path] = Fingerprint(fp.size, fp.sha256, documents[path])
        for path, n in self.skipped.items():
            fp = self.now[path]
            out[path] = Fingerprint(fp.size, fp.sha256, n)
        return out
