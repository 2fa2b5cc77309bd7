"""``python -m indexer``: a thin Click shell over ``indexer.writer``."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable

import click

from indexer import writer
from indexer.generations import IndexNotFound
from indexer.parallel import SchedulerUnavailable

# Exit codes, documented in README.md.
EXIT_OK, EXIT_FAILURES, EXIT_USAGE, EXIT_LOCKED, EXIT_SCHEDULER = 0, 1, 2, 3, 4
EXIT_WRITE = 5  # the index could not be written (disk full, I/O error)
EXIT_DAMAGED = 6  # the live generation is damaged: roll back or build anew
# Seconds between progress lines when stderr is not a terminal (cron logs).
LOG_EVERY_SECONDS = float(os.environ.get("TRACUU_LOG_INTERVAL", "10"))

index_option = click.option("--index", "index_dir", required=True, metavar="DIR",
                            type=click.Path(file_okay=False), help="Index directory.")
json_option = click.option("--json", "as_json", is_flag=True,
                           help="Print a machine-readable JSON summary.")
quiet_option = click.option("--quiet", "-q", is_flag=True,
                            help="No progress; only the summary and errors (for cron).")
workers_option = click.option(
    "--workers", "-w", type=click.IntRange(1, 256), default=os.cpu_count() or 1,
    show_default="number of cores", help="Analysis processes on this machine.")
scheduler_option = click.option(
    "--scheduler", metavar="tcp://HOST:8786", default=None,
    help="Run the analysis on a Dask cluster instead (needs the dist extra).")


class _Progress:
    """A tqdm bar (rate, ETA) on a terminal; a log line every 10 s otherwise (cron, CI)."""

    def __init__(self, label: str, quiet: bool):
        self.label, self.quiet = label, quiet
        self.count, self.total, self.bar = 0, 0, None
        self.started = self.last = time.monotonic()
        self.tty = sys.stderr.isatty()

    def start(self, total: int) -> None:
        self.total = total
        if not self.quiet and self.tty:
            from tqdm import tqdm

            self.bar = tqdm(desc=self.label, total=total, unit=" docs", file=sys.stderr)

    def __call__(self, n: int) -> None:
        self.count += n
        if self.bar is not None:
            self.bar.update(n)
        elif not self.quiet and time.monotonic() - self.last >= LOG_EVERY_SECONDS:
            self.last = time.monotonic()
            elapsed = self.last - self.started
            rate = self.count / elapsed if elapsed else 0.0
            eta = (self.total - self.count) / rate if rate else 0.0
            click.echo(f"{self.label}: {self.count}/{self.total} documents, {rate:.1f} docs/s, "
                       f"about {eta:.0f} s left", err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _run(action: Callable[[_Progress], writer.RunSummary], label: str,
         quiet: bool, as_json: bool) -> None:
    progress = _Progress(label, quiet)
    refused = None
    try:
        summary = action(progress)
    except writer.IndexLocked as exc:
        raise _fail(str(exc), EXIT_LOCKED) from exc
    except IndexNotFound as exc:
        raise _fail(str(exc), EXIT_USAGE) from exc
    except writer.IndexDamaged as exc:
        raise _damaged(exc) from exc
    except SchedulerUnavailable as exc:
        raise _fail(str(exc), EXIT_SCHEDULER) from exc
    except OSError as exc:  # readers report their own I/O errors: this one is the index's
        where = f" ({exc.filename})" if exc.filename else ""
        raise _fail(f"cannot write the index: {exc.strerror or exc}{where}; the live index "
                    "is as it was before this run", EXIT_WRITE) from exc
    except writer.NothingIndexed as exc:
        refused, summary = exc, exc.summary
    finally:
        progress.close()
    for failure in summary.failures:
        click.echo(f"error: {failure}", err=True)
    if refused is not None:
        click.echo(f"error: {refused}", err=True)
    if as_json:
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False))
    else:
        click.echo(f"{label}: {summary.line()}")
    if summary.failures or refused is not None:
        sys.exit(EXIT_FAILURES)


def _damaged(exc: Exception) -> click.exceptions.Exit:
    return _fail(f"{exc}; nothing was changed. Make the previous generation live with "
                 "`python -m indexer rollback --index DIR`, or run a new `build`", EXIT_DAMAGED)


def _fail(message: str, code: int) -> click.exceptions.Exit:
    click.echo(f"error: {message}", err=True)
    return click.exceptions.Exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Build and maintain a Tra cứu search index.

    Exit codes: 0 ok, 1 some inputs failed, 2 usage error or no index,
    3 the index is locked by another writer, 4 the Dask scheduler is unavailable,
    5 the index could not be written (disk full), 6 the live index is damaged.
    """


@cli.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path())
@index_option
@workers_option
@scheduler_option
@json_option
@quiet_option
def build(sources: tuple[str, ...], index_dir: str, workers: int, scheduler: str | None,
          as_json: bool, quiet: bool) -> None:
    """Index SOURCES (files or directories) into a new generation, then make it live."""
    _run(lambda p: writer.build(sources, index_dir, p, workers=workers, scheduler=scheduler),
         "build", quiet, as_json)


@cli.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path())
@index_option
@click.option("--prune", is_flag=True,
              help="Delete indexed documents whose source under SOURCES is gone.")
@workers_option
@scheduler_option
@json_option
@quiet_option
def update(sources: tuple[str, ...], index_dir: str, prune: bool, workers: int,
           scheduler: str | None, as_json: bool, quiet: bool) -> None:
    """Add new and replace changed documents of SOURCES in the live index, by id."""
    _run(lambda p: writer.update(sources, index_dir, p, workers=workers, scheduler=scheduler,
                                 prune=prune),
         "update", quiet, as_json)


@cli.command()
@click.argument("ids", nargs=-1, required=True)
@index_option
@json_option
def delete(ids: tuple[str, ...], index_dir: str, as_json: bool) -> None:
    """Delete documents by ID from the live index."""
    _run(lambda p: writer.delete(ids, index_dir), "delete", True, as_json)


@cli.command()
@index_option
def rollback(index_dir: str) -> None:
    """Make the previous generation live again (run twice to roll forward)."""
    try:
        old, new = writer.rollback(index_dir)
    except writer.IndexLocked as exc:
        raise _fail(str(exc), EXIT_LOCKED) from exc
    except IndexNotFound as exc:
        raise _fail(str(exc), EXIT_USAGE) from exc
    click.echo(f"rollback: {new} is live (was {old})")


@cli.command()
@index_option
@json_option
def stats(index_dir: str, as_json: bool) -> None:
    """Show the size and state of the live index."""
    try:
        info = writer.stats(index_dir)
    except IndexNotFound as exc:
        raise _fail(str(exc), EXIT_USAGE) from exc
    except writer.IndexDamaged as exc:
        raise _damaged(exc) from exc
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False))
        return
    for key, value in info.items():
        shown = ", ".join(value) if isinstance(value, list) else value
        click.echo(f"{key:16} {shown}")
