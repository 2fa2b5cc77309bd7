"""Where index generations live and how one becomes live, atomically.

``DIR/current`` is a relative symlink to ``DIR/generations/<name>``. A build
writes ``generations/.building-<name>`` and, only once committed, renames it
and replaces the symlink with ``os.replace`` (atomic on POSIX): a reader of DIR
sees the old generation or the new one, never a half-built index.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import time
from pathlib import Path

CURRENT = "current"
GENERATIONS = "generations"
BUILDING_PREFIX = ".building-"


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
                   if p.name not in (CURRENT, GENERATIONS) and not p.name.startswith(".")]
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
    """Make a finished build the live generation; keep the previous one for rollback."""
    root = Path(root)
    final = building.with_name(building.name.removeprefix(BUILDING_PREFIX))
    os.rename(building, final)
    previous = _current_name(root)
    tmp = root / f".{CURRENT}-{os.getpid()}"
    if tmp.is_symlink():
        tmp.unlink()
    os.symlink(os.path.join(GENERATIONS, final.name), tmp)
    os.replace(tmp, root / CURRENT)
    _fsync_dir(root)
    remove_old(root, keep={final.name, previous} - {None})
    return final


def remove_old(root: Path, keep: set) -> None:
    """Delete generations other than ``keep``, and builds left by dead processes."""
    gens = root / GENERATIONS
    for path in gens.iterdir():
        if path.name in keep:
            continue
        if path.name.startswith(BUILDING_PREFIX) and _builder_alive(path.name):
            continue
        shutil.rmtree(path, ignore_errors=True)


def _builder_alive(name: str) -> bool:
    host_pid = name.removeprefix(BUILDING_PREFIX).split("-", 2)[-1]
    host, _, pid = host_pid.rpartition("-")
    if host != socket.gethostname() or not pid.isdigit():
        return True  # another machine's build: not ours to judge
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _current_name(root: Path) -> str | None:
    link = root / CURRENT
    return os.path.basename(os.readlink(link)) if link.is_symlink() else None


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
