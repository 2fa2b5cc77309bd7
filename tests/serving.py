"""Start the real production server (``python -m search_service``) for a test, and talk to it."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STARTUP_SECONDS = 60


@dataclass
class Reply:
    status: int
    content_type: str
    body: dict


def get(base: str, path: str, timeout: float = 10, **params) -> Reply:
    url = base + path + ("?" + urllib.parse.urlencode(params) if params else "")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return Reply(r.status, r.headers.get_content_type(), json.loads(r.read()))
    except urllib.error.HTTPError as exc:
        with exc:
            return Reply(exc.code, exc.headers.get_content_type(), json.loads(exc.read()))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerFailed(AssertionError):
    pass


@contextmanager
def running_server(index: Path, log_dir: Path, workers: int = 2,
                   env: Mapping[str, str] | None = None) -> Iterator[tuple[str, Path]]:
    """Yield (base URL, stderr log) of a gunicorn server on a free port; stop it after.
    ``env``: settings (``TRACUU_*``) added to this process's environment for the server."""
    port = free_port()
    err = log_dir / f"server-{port}.err"
    with (log_dir / f"server-{port}.out").open("wb") as stdout, err.open("wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "search_service", "--index", str(index),
             "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
            cwd=ROOT, stdout=stdout, stderr=stderr, env={**os.environ, **(env or {})})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if proc.poll() is not None:
                raise ServerFailed(f"the server exited with {proc.returncode}:\n"
                                   + err.read_text(errors="replace"))
            try:
                if get(base, "/api/health").status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise ServerFailed(f"no answer from {base}/api/health in {STARTUP_SECONDS} s:\n"
                                   + err.read_text(errors="replace"))
            time.sleep(0.2)
        yield base, err
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        # pytest shows this only for a failing test
        print(f"--- server stderr (exit {proc.returncode}) ---")
        print(err.read_text(errors="replace")[-20_000:])
