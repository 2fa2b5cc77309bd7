"""Run ``process_batch`` over batches: in-process, in local processes, or on Dask.

Results come back in batch order (a serial and a parallel build add documents
in the same order, so they write the same index), with a bounded number of
batches in flight so memory stays flat however large the run.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from indexer.batches import Batch
from indexer.pipeline import Item, process_batch


class SchedulerUnavailable(Exception):
    """Dask is not installed or its scheduler cannot be reached."""


def run_batches(batches: Iterable[Batch], known_path: str | None = None, workers: int = 1,
                scheduler: str | None = None) -> Iterator[list[Item]]:
    """The items of each batch, in order."""
    if scheduler:
        yield from _on_dask(batches, known_path, scheduler)
    elif workers > 1:
        # fork: workers start at once and share pyvi's model pages if it is loaded
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                 initializer=_die_with_parent,
                                 initargs=(os.getpid(),)) as pool:
            # one batch ahead per worker: the writer, not analysis, sets the pace, and each
            # analysed batch waiting for it holds ~30 MB of postings in the writer
            yield from _ordered(batches, lambda b: pool.submit(process_batch, b, known_path),
                                window=workers + 1)
    else:
        for batch in batches:
            yield process_batch(batch, known_path)


def _die_with_parent(parent: int) -> None:
    """A worker whose writer was killed (``kill -9``) must not linger holding memory."""
    try:  # Linux: the kernel sends SIGKILL when the parent dies
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # it died before prctl took effect
        os._exit(1)
    # elsewhere (and as a second line of defence): notice that the parent is gone
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _ordered(batches: Iterable[Batch], submit: Callable[[Batch], Future],
             window: int) -> Iterator[list[Item]]:
    pending: deque = deque()
    it = iter(batches)
    for batch in it:
        pending.append(submit(batch))
        if len(pending) >= window:
            break
    while pending:
        result = pending.popleft().result()
        for batch in it:
            pending.append(submit(batch))
            break
        yield result


def _on_dask(batches: Iterable[Batch], known_path: str | None,
             scheduler: str) -> Iterator[list[Item]]:
    try:
        from distributed import Client
    except ImportError as exc:
        raise SchedulerUnavailable(
            "--scheduler needs Dask: install the dist extra (pip install '.[dist]')") from exc
    try:
        client = Client(scheduler, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise SchedulerUnavailable(f"cannot reach the Dask scheduler at {scheduler}: {exc}") \
            from exc
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        # pure=False: a batch names files, whose content may change between runs.
        yield from _ordered(
            batches, lambda b: client.submit(process_batch, b, known_path, pure=False,
                                             retries=2),
            window=4 * workers)
    finally:
        client.close()
