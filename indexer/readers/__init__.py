"""Read documents from files and folders, one module per format.

``read_sources`` is the one entry point: it walks the given paths, picks a reader by
file suffix and yields ``Record``s, or ``ReadError``s for whatever could not be read.
It never raises for bad input, so one broken file cannot stop an indexing run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from indexer.readers.common import check_size
from indexer.readers.docx import read_docx
from indexer.readers.html import read_html
from indexer.readers.markdown import read_markdown
from indexer.readers.pdf import read_pdf
from indexer.readers.portal import read_portal
from indexer.readers.records import read_records
from indexer.record import ReadError, Record

__all__ = [
    "SUPPORTED_SUFFIXES",
    "iter_files",
    "read_docx",
    "read_html",
    "read_markdown",
    "read_pdf",
    "read_portal",
    "read_records",
    "read_sources",
    "reader_for",
    "suffix_of",
]

_SINGLE: dict[str, Callable[[Path], Record]] = {
    ".txt": read_portal,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".docx": read_docx,
    ".pdf": read_pdf,
}
_MANY: dict[str, Callable[[Path], Iterator[Record | ReadError]]] = {
    ".jsonl": read_records,
    ".jsonl.gz": read_records,
    ".json": read_records,
}
# Longest first, so ".jsonl.gz" wins over any shorter ending.
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(sorted({*_SINGLE, *_MANY}, key=len, reverse=True))

# A README documents a data folder; it is not a document (skipped only while walking).
_SKIPPED_STEMS = frozenset({"readme"})


def suffix_of(path: str | Path) -> str | None:
    """The supported suffix ``path`` ends with (case-insensitive), or None."""
    name = Path(path).name.lower()
    return next((s for s in SUPPORTED_SUFFIXES if name.endswith(s) and name != s), None)


def reader_for(path: str | Path) -> Callable[[Path], Record | Iterator[Record | ReadError]] | None:
    """The reader function for ``path``'s suffix, or None if the format is unsupported."""
    suffix = suffix_of(path)
    return None if suffix is None else _SINGLE.get(suffix) or _MANY[suffix]


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path | ReadError]:
    """The files to read, in a stable order, each once.

    A directory is walked recursively in sorted order, skipping hidden entries,
    README files and unsupported suffixes. A path given explicitly that is missing,
    not a regular file or of an unsupported type yields a ``ReadError``.
    """
    if isinstance(paths, (str, os.PathLike)):  # one path given bare, not a list of them
        paths = [paths]
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        for item in _expand(path):
            if isinstance(item, Path):
                # The same file named twice (or via its folder) would index it twice.
                key = _identity(item)
                if key in seen:
                    continue
                seen.add(key)
            yield item


def _expand(path: Path) -> list[Path | ReadError]:
    try:
        if path.is_dir():
            return _walk(path)
        if path.is_file():
            return [path if suffix_of(path) else ReadError(str(path), _unsupported(path))]
        if path.exists() or path.is_symlink():
            return [ReadError(str(path), "not a regular file or directory (or a broken link)")]
        return [ReadError(str(path), "no such file or directory")]
    except OSError as exc:  # e.g. a folder on the way that we may not enter
        return [ReadError(str(path), _os_reason(exc, "cannot access"))]
    except ValueError as exc:  # e.g. a NUL character in the path
        return [ReadError(str(path), f"invalid path: {exc}")]


def _identity(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: fall back to the spelled path
        return path.absolute()


def _walk(root: Path) -> list[Path | ReadError]:
    errors: list[ReadError] = []
    files: list[Path] = []

    def on_error(exc: OSError) -> None:
        errors.append(ReadError(str(exc.filename or root), _os_reason(exc, "cannot list")))

    for folder, dirs, names in os.walk(root, onerror=on_error):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            path = Path(folder, name)
            if name.startswith(".") or not suffix_of(path):
                continue
            if name.lower().split(".", 1)[0] in _SKIPPED_STEMS:
                continue
            if path.is_file():  # not a socket, fifo or broken link
                files.append(path)
    # Sort on path components so "a/b" and "a-b" order the same on every system.
    return [*errors, *sorted(files, key=lambda p: p.relative_to(root).parts)]


def read_sources(paths: Iterable[str | Path]) -> Iterator[Record | ReadError]:
    """Every Record in ``paths`` (files or folders), with a ReadError for each failure."""
    for item in iter_files(paths):
        if isinstance(item, ReadError):
            yield item
            continue
        reader = reader_for(item)
        if reader in _MANY.values():
            yield from _guard_many(item, reader)
        else:
            yield _guard_one(item, reader)


def _guard_one(path: Path, reader: Callable[[Path], Record]) -> Record | ReadError:
    try:
        check_size(path.stat().st_size)  # a .docx or .pdf too: not opened when huge
        return reader(path)
    except OSError as exc:
        return ReadError(str(path), _os_reason(exc, "cannot read file"))
    except ValueError as exc:  # bad content; the readers word the reason themselves
        return ReadError(str(path), str(exc))
    except Exception as exc:  # a parser bug must not stop the whole run
        return ReadError(str(path), f"parser failed: {type(exc).__name__}: {exc}")


def _guard_many(path: Path, reader: Callable[[Path], Iterator[Record | ReadError]]
                ) -> Iterator[Record | ReadError]:
    try:
        yield from reader(path)
    except OSError as exc:
        yield ReadError(str(path), _os_reason(exc, "cannot read file"))
    except Exception as exc:  # report it and go on with the next file
        yield ReadError(str(path), f"parser failed: {type(exc).__name__}: {exc}")


def _unsupported(path: Path) -> str:
    # Show ".json.gz" rather than ".gz", but not ".2025.pdf" for "so 12.2025.pdf".
    kind = "".join(path.suffixes[-2:]) if path.suffix.lower() == ".gz" else path.suffix
    kind = f"'{kind}'" if kind else "no suffix"
    return f"unsupported file type ({kind}); supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}"


def _os_reason(exc: OSError, what: str) -> str:
    return f"{what}: {exc.strerror or exc}"
