"""``python -m indexer``: a thin Click shell over ``indexer.writer``."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable

import click

from indexer import writer
from indexer.generations import IndexNotFound
from indexer.readers import read_sources

# Exit codes, documented in README.md.
EXIT_OK, EXIT_FAILURES, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3

index_option = click.option("--index", "index_dir", required=True, metavar="DIR",
                            type=click.Path(file_okay=False), help="Index directory.")
json_option = click.option("--json", "as_json", is_flag=True,
                           help="Print a machine-readable JSON summary.")
quiet_option = click.option("--quiet", "-q", is_flag=True,
                            help="No progress; only the summary and errors.")


class _Progress:
    """A tqdm bar on a terminal; a log line every 10 s otherwise (cron, CI)."""

    def __init__(self, label: str, quiet: bool):
        self.label, self.quiet = label, quiet
        self.count, self.bar = 0, None
        self.started = self.last = time.monotonic()
        if not quiet and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(desc=label, unit=" docs", file=sys.stderr)

    def __call__(self, n: int) -> None:
        self.count += n
        if self.bar is not None:
            self.bar.update(n)
        elif not self.quiet and time.monotonic() - self.last >= 10:
            self.last = time.monotonic()
            rate = self.count / (self.last - self.started)
            click.echo(f"{self.label}: {self.count} documents ({rate:.1f} docs/s)", err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _run(action: Callable[[Callable[[int], None]], writer.RunSummary], label: str,
         quiet: bool, as_json: bool) -> None:
    progress = _Progress(label, quiet)
    refused = None
    try:
        summary = action(progress)
    except writer.IndexLocked as exc:
        raise _fail(str(exc), EXIT_LOCKED) from exc
    except IndexNotFound as exc:
        raise _fail(str(exc), EXIT_USAGE) from exc
    except writer.NothingIndexed as exc:
        refused, summary = exc, exc.summary or writer.RunSummary()
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


def _fail(message: str, code: int) -> click.exceptions.Exit:
    click.echo(f"error: {message}", err=True)
    return click.exceptions.Exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Build and maintain a Tra cứu search index."""


@cli.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path())
@index_option
@json_option
@quiet_option
def build(sources: tuple[str, ...], index_dir: str, as_json: bool, quiet: bool) -> None:
    """Index SOURCES (files or directories) into a new generation, then make it live."""
    _run(lambda p: writer.build(read_sources(sources), index_dir, p), "build", quiet, as_json)


@cli.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path())
@index_option
@json_option
@quiet_option
def update(sources: tuple[str, ...], index_dir: str, as_json: bool, quiet: bool) -> None:
    """Add or replace the documents of SOURCES in the live index, by id."""
    _run(lambda p: writer.update(read_sources(sources), index_dir, p), "update", quiet, as_json)


@cli.command()
@click.argument("ids", nargs=-1, required=True)
@index_option
@json_option
def delete(ids: tuple[str, ...], index_dir: str, as_json: bool) -> None:
    """Delete documents by ID from the live index."""
    _run(lambda p: writer.delete(ids, index_dir), "delete", True, as_json)


@cli.command()
@index_option
@json_option
def stats(index_dir: str, as_json: bool) -> None:
    """Show the size and state of the live index."""
    try:
        info = writer.stats(index_dir)
    except IndexNotFound as exc:
        raise _fail(str(exc), EXIT_USAGE) from exc
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False))
        return
    for key, value in info.items():
        shown = ", ".join(value) if isinstance(value, list) else value
        click.echo(f"{key:16} {shown}")
