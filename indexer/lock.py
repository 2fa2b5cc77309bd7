"""One writer at a time per index directory, with a lock that names its holder.

The lock is ``fcntl.flock`` on ``DIR/.lock``: the kernel releases it when the
holder dies, even by ``kill -9``, so a stale lock is simply taken over. The file
also holds who locked it (pid, host, since) for the message a second writer gets.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from pathlib import Path

LOCK_NAME = ".lock"

# Worker processes forked while a lock is held inherit its file description, and a
# flock lives until every copy is closed: children close theirs at once, so the
# lock dies with its holder even when orphaned workers linger.
_HELD: set[int] = set()


def _close_inherited() -> None:
    for fd in _HELD:
        os.close(fd)
    _HELD.clear()


os.register_at_fork(after_in_child=_close_inherited)


class IndexLocked(Exception):
    """Another writer holds the index; ``holder`` is its record (pid, host, since), if known."""

    def __init__(self, message: str, holder: dict | None = None):
        super().__init__(message)
        self.holder = holder or {}


class IndexLock:
    """``with IndexLock(root):`` — raises ``IndexLocked`` at once if someone holds it."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.path = self.root / LOCK_NAME
        self._fd: int | None = None
        self.previous: dict | None = None  # a dead holder's record, when taken over

    def acquire(self) -> IndexLock:
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read(fd)
            os.close(fd)
            raise IndexLocked(f"index {self.root} is locked by {_describe(holder)}",
                              holder) from None
        self.previous = _read(fd) or None  # left by a writer that died holding it
        info = {"pid": os.getpid(), "host": socket.gethostname(),
                "since": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        self._fd = fd
        _HELD.add(fd)
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        _HELD.discard(self._fd)
        os.ftruncate(self._fd, 0)  # an empty file: nobody holds it
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> IndexLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def _read(fd: int) -> dict:
    try:
        raw = os.pread(fd, 4096, 0)
        return json.loads(raw) if raw.strip() else {}
    except (OSError, ValueError):
        return {}


def _describe(holder: dict) -> str:
    if not holder:
        return "another process"
    return f"pid {holder.get('pid')} on host {holder.get('host')} since {holder.get('since')}"
