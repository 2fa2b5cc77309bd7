"""Is a generation whole? A manifest of its files, written after every commit, and a check.

Whoosh files are never rewritten: every commit writes segments and a table of contents
under new names. So after each commit the writer records the size and SHA-256 of every
file of the generation in ``tracuu-manifest.json``, and a check can tell a file that was
truncated, overwritten or flipped by the disk from one that is merely new:

- structural: the index opens, its segments open, stored fields are readable (catches a
  truncated or missing file and a broken table of contents);
- against the manifest: every listed file that is still there has its size and digest
  (catches damage Whoosh would read without noticing). Files written after the manifest
  (a commit in progress) are not judged; files listed but gone were merged away.

Digests are cached per process by (name, size, mtime), so a server hashes each file once
and later checks cost one ``stat`` per file.

Whoosh unpickles its table of contents: never open an index that came from a source you do
not trust (a manifest does not make a foreign index safe; it only detects damage).
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import re
import traceback
import warnings
from collections import deque
from pathlib import Path

import whoosh.index

MANIFEST = "tracuu-manifest.json"
# tracuu-sources.json (indexer.fingerprints) is rewritten by updates that commit nothing
_SKIP = {MANIFEST, "MAIN_WRITELOCK", "tracuu-sources.json"}
_CACHE: dict[tuple[str, int, int], str] = {}
_TOC = re.compile(r"_MAIN_(\d+)\.toc")


class IndexDamaged(Exception):
    """The live generation cannot be trusted: a file is missing, truncated or changed."""


def sha256_of(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def file_digest(path: Path, st: os.stat_result) -> str:
    """SHA-256 of an index file, cached by (path, size, mtime): Whoosh never rewrites one."""
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key not in _CACHE:
        _CACHE[key] = sha256_of(path)
    return _CACHE[key]


def write_manifest(gen: str | Path) -> None:
    """Record every file of ``gen`` (call after a commit, holding the index lock)."""
    gen = Path(gen)
    # Whoosh never rewrites a file: the digest of one the last manifest saw with the same
    # size and time is still right (a full corpus is GBs to hash after a one-document update)
    try:
        known = json.loads((gen / MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError):
        known = {}
    files = {}
    for path in sorted(gen.iterdir()):
        if path.name in _SKIP or path.name.startswith(".") or not path.is_file():
            continue
        st = path.stat()
        old = known.get(path.name, {})
        if old.get("size") == st.st_size and old.get("mtime_ns") == st.st_mtime_ns:
            digest = old["sha256"]
        else:
            digest = file_digest(path, st)
        files[path.name] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": digest}
    tmp = gen / f".{MANIFEST}-{os.getpid()}"
    tmp.write_text(json.dumps({"files": files}, indent=1), encoding="utf-8")
    os.replace(tmp, gen / MANIFEST)


def signature(gen: str | Path) -> tuple:
    """Every file of ``gen`` with its size and time: what a check's verdict holds for (Whoosh
    never rewrites a file, so damage or a commit changes this)."""
    out = []
    for entry in os.scandir(gen):
        if entry.is_file():
            st = entry.stat()
            out.append((entry.name, st.st_size, st.st_mtime_ns))
    return tuple(sorted(out))


def check_generation(gen: str | Path, digests: bool = True) -> int:
    """The number of documents of ``gen``, or ``IndexDamaged`` naming what is wrong.
    Without ``digests`` only sizes are compared with the manifest (a truncated file, not a
    flipped byte): for writers, which must not hash gigabytes before a small update."""
    gen = Path(gen)
    _check_manifest(gen, digests)
    try:
        ix = whoosh.index.open_dir(str(gen))
        try:
            with ix.searcher() as searcher:
                reader = searcher.reader()
                count = searcher.doc_count()
                doc_ids = list(reader.all_doc_ids())
                for docnum in doc_ids[:1] + doc_ids[-1:]:
                    reader.stored_fields(docnum)
                for leaf, _ in reader.leaf_readers():
                    _read_last_postings(leaf)
                return count
        finally:
            ix.close()
    except Exception as exc:  # Whoosh reports damage as whatever its parser tripped on
        message = f"index generation {gen.name} cannot be read: {type(exc).__name__}: {exc}"
        # Whoosh leaves the file it failed on open: close it now (its traceback's frames
        # hold it), without a ResourceWarning about it.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            traceback.clear_frames(exc.__traceback__)
            gc.collect()
    raise IndexDamaged(message)


def _check_manifest(gen: Path, digests: bool = True) -> None:
    try:
        listed = json.loads((gen / MANIFEST).read_text(encoding="utf-8"))["files"]
    except FileNotFoundError:
        return  # written before manifests existed: the structural check only
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise IndexDamaged(f"index generation {gen.name}: unreadable {MANIFEST} "
                           f"({type(exc).__name__})") from exc
    # no commit since the manifest (its table of contents is still the latest): every file
    # it lists must be there. Else a listed file may have been merged away by that commit.
    settled = _latest_toc(gen) in listed
    for name, want in listed.items():
        path = gen / name
        try:
            st = path.stat()
        except FileNotFoundError:
            if settled:
                # before Whoosh tries: it retries ten times, leaking a file each time
                raise IndexDamaged(f"index generation {gen.name}: file {name} is missing") \
                    from None
            continue
        if st.st_size != want["size"]:
            raise IndexDamaged(f"index generation {gen.name}: file {name} has "
                               f"{st.st_size} bytes, {want['size']} were written (truncated "
                               "or overwritten)")
        if digests and file_digest(path, st) != want["sha256"]:
            raise IndexDamaged(f"index generation {gen.name}: file {name} is corrupted "
                               "(its SHA-256 differs from the one written)")


def _latest_toc(gen: Path) -> str | None:
    """The name of the newest table of contents (``_MAIN_12.toc``) in ``gen``."""
    tocs = [(int(m.group(1)), m.group(0)) for p in gen.glob("_MAIN_*.toc")
            if (m := _TOC.fullmatch(p.name))]
    return max(tocs)[1] if tocs else None


def _read_last_postings(reader) -> None:
    """Read the posting list written last into a segment's postings file (Whoosh writes
    them in field and term order): a truncated file fails here."""
    schema = reader.schema
    for name in sorted((n for n in schema.names() if schema[n].indexed), reverse=True):
        last = deque(reader.lexicon(name), maxlen=1)
        if last:
            list(reader.postings(name, last[0]).all_ids())
            return
