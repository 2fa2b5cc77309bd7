"""Where index generations live, how one becomes live atomically, and rollback.

``DIR/current`` is a relative symlink to ``DIR/generations/<name>``, and
``DIR/previous`` to the generation that was live before. A build writes
``generations/.building-<name>`` and, only once committed, renames it and
replaces the symlink with ``os.replace`` (atomic on POSIX): a reader of DIR
sees the old generation or the new one, never a half-built index.

Servers hold a shared ``flock`` on ``generations/<name>.inuse`` while they have
a generation open; an old generation is deleted only when nobody holds it.
"""

from __future__ import annotations

import fcntl
import os
import secrets
import shutil
import socket
import time
from pathlib import Path

CURRENT = "current"
PREVIOUS = "previous"
GENERATIONS = "generations"
BUILDING_PREFIX = ".building-"
SPOOL_PREFIX = ".spool-"
INUSE_SUFFIX = ".inuse"
_OURS = (CURRENT, PREVIOUS, GENERATIONS)


class IndexNotFound(Exception):
    """DIR holds no live index generation."""


def live_generation(root: str | Path) -> Path:
    """The real path of the live generation, or ``IndexNotFound``."""
    link = Path(root) / CURRENT
    if not link.is_symlink() and not link.exists():
        raise IndexNotFound(
            f"no index at {root} (run `python -m indexer build SRC --index {root}`)")
    real = Path(os.path.realpath(link))
    if not real.is_dir():
        raise IndexNotFound(f"the live generation of {root} is missing ({real})")
    return real


def has_index(root: str | Path) -> bool:
    try:
        live_generation(root)
    except IndexNotFound:
        return False
    return True


def check_root(root: str | Path) -> Path:
    """Accept an empty or missing directory, or one laid out by us; refuse anything else."""
    root = Path(root)
    if root.exists() and not root.is_dir():
        raise IndexNotFound(f"{root} is not a directory")
    if root.is_dir():
        foreign = [p.name for p in root.iterdir()
                   if p.name not in _OURS and not p.name.startswith(".")]
        if foreign:
            raise IndexNotFound(
                f"{root} is not an index directory (it holds {', '.join(sorted(foreign)[:3])}); "
                "choose an empty or new directory")
    return root


def new_generation(root: str | Path) -> Path:
    """A fresh directory to build into, not yet visible to readers."""
    root = check_root(root)
    gens = root / GENERATIONS
    gens.mkdir(parents=True, exist_ok=True)
    # The random part keeps two builds of one process in one second apart.
    name = f"{time.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(3)}-{socket.gethostname()}" \
        f"-{os.getpid()}"
    path = gens / (BUILDING_PREFIX + name)
    path.mkdir()
    return path


def publish(root: str | Path, building: Path) -> Path:
    """Make a finished build the live generation; the live one becomes ``previous``."""
    root = Path(root)
    final = building.with_name(building.name.removeprefix(BUILDING_PREFIX))
    os.rename(building, final)
    old = _target(root, CURRENT)
    if old is not None:
        _point(root, PREVIOUS, old)
    _point(root, CURRENT, final.name)
    remove_unused(root)
    return final


def rollback(root: str | Path) -> tuple[str, str]:
    """Swap ``current`` and ``previous``; returns (from, to). Twice is a roll forward."""
    root = Path(root)
    live_generation(root)
    current, previous = _target(root, CURRENT), _target(root, PREVIOUS)
    if previous is None or not (root / GENERATIONS / previous).is_dir():
        raise IndexNotFound(f"{root} has no previous generation to roll back to")
    _point(root, CURRENT, previous)
    _point(root, PREVIOUS, current)
    return current, previous


def remove_unused(root: Path) -> list[str]:
    """Delete generations that are neither current nor previous and that no server holds."""
    keep = {_target(root, CURRENT), _target(root, PREVIOUS)}
    removed = []
    gens = root / GENERATIONS
    for path in sorted(gens.iterdir()):
        name = path.name
        if name in keep or name.endswith(INUSE_SUFFIX) or name.startswith(BUILDING_PREFIX):
            continue
        if _in_use(gens / (name + INUSE_SUFFIX)):
            continue  # a server still reads it: try again after the next build
        shutil.rmtree(path, ignore_errors=True)
        (gens / (name + INUSE_SUFFIX)).unlink(missing_ok=True)
        removed.append(name)
    return removed


def remove_debris(root: Path) -> list[str]:
    """Builds and spools left by writers that died. Call only while holding the index lock."""
    removed = []
    for folder in (root, root / GENERATIONS):
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            if path.name.startswith((BUILDING_PREFIX, SPOOL_PREFIX)):
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path.name)
    return removed


class GenerationHold:
    """A server's shared claim on a generation, so no writer deletes it under it."""

    def __init__(self, generation: Path):
        self.fd: int | None = None
        try:
            self.fd = os.open(str(generation) + INUSE_SUFFIX, os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(self.fd, fcntl.LOCK_SH)
        except OSError:  # a read-only copy: nobody deletes generations there anyway
            self.release()

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing drops the flock
            self.fd = None


def _in_use(inuse: Path) -> bool:
    try:
        fd = os.open(inuse, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


def _target(root: Path, link: str) -> str | None:
    path = root / link
    return os.path.basename(os.readlink(path)) if path.is_symlink() else None


def _point(root: Path, link: str, name: str) -> None:
    tmp = root / f".{link}-{os.getpid()}"
    if tmp.is_symlink():
        tmp.unlink()
    os.symlink(os.path.join(GENERATIONS, name), tmp)
    os.replace(tmp, root / link)
    fd = os.open(root, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
