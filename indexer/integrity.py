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
import traceback
import warnings
from pathlib import Path

import whoosh.index

MANIFEST = "tracuu-manifest.json"
# tracuu-sources.json (indexer.fingerprints) is rewritten by updates that commit nothing
_SKIP = {MANIFEST, "MAIN_WRITELOCK", "tracuu-sources.json"}
_CACHE: dict[tuple[str, int, int], str] = {}


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


def check_generation(gen: str | Path) -> int:
    """The number of documents of ``gen``, or ``IndexDamaged`` naming what is wrong."""
    gen = Path(gen)
    _check_manifest(gen)
    try:
        ix = whoosh.index.open_dir(str(gen))
        try:
            with ix.searcher() as searcher:
                reader = searcher.reader()
                count = searcher.doc_count()
                doc_ids = list(reader.all_doc_ids())
                for docnum in doc_ids[:1] + doc_ids[-1:]:
                    reader.stored_fields(docnum)
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


def _check_manifest(gen: Path) -> None:
    try:
        listed = json.loads((gen / MANIFEST).read_text(encoding="utf-8"))["files"]
    except FileNotFoundError:
        return  # written before manifests existed: the structural check only
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise IndexDamaged(f"index generation {gen.name}: unreadable {MANIFEST} "
                           f"({type(exc).__name__})") from exc
    for name, want in listed.items():
        path = gen / name
        try:
            st = path.stat()
        except FileNotFoundError:
            continue  # merged away by a later commit
        if st.st_size != want["size"]:
            raise IndexDamaged(f"index generation {gen.name}: file {name} has "
                               f"{st.st_size} bytes, {want['size']} were written (truncated "
                               "or overwritten)")
        if file_digest(path, st) != want["sha256"]:
            raise IndexDamaged(f"index generation {gen.name}: file {name} is corrupted "
                               "(its SHA-256 differs from the one written)")
