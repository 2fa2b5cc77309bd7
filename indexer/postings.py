"""Postings encoded where the analysis runs: Whoosh's per-term values, made in the worker.

Whoosh's writer analyses each field value and encodes every term's positions itself,
one Python call per token, in the single writing process. Here the worker process that
analysed a document also encodes its postings (with the field's own Whoosh format, so
the bytes are the ones Whoosh would write), and the writer only adds them to its pool.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from whoosh import formats
from whoosh.fields import TEXT
from whoosh.system import pack_uint

Posting = tuple[bytes, int, float, bytes]  # term, frequency, weight, encoded value


class PreIndexed(str):
    """A field value (the text, for highlighting and storage) with its postings made."""

    items: tuple[Posting, ...]

    def __new__(cls, value: str, items: tuple[Posting, ...]) -> PreIndexed:
        obj = super().__new__(cls, value)
        obj.items = items
        return obj


class PreIndexedText(TEXT):
    """A TEXT field that takes a ``PreIndexed`` value's postings as they are."""

    def index(self, value, **kwargs) -> Iterator[Posting]:
        if isinstance(value, PreIndexed):
            return iter(value.items)
        return super().index(value, **kwargs)


def field_items(field: TEXT, terms: Sequence[str]) -> tuple[Posting, ...]:
    """What ``field.index(value)`` yields for a value whose analysis gives ``terms``."""
    fmt = field.format
    boost = fmt.field_boost
    if isinstance(fmt, formats.Positions):
        positions: dict[str, list[int]] = {}
        for pos, term in enumerate(terms):
            positions.setdefault(term, []).append(pos)
        return tuple((term.encode("utf-8"), len(p), len(p) * boost, fmt.encode(p))
                     for term, p in positions.items())
    if type(fmt) is formats.Frequency:
        counts: dict[str, int] = {}
        for term in terms:
            counts[term] = counts.get(term, 0) + 1
        return tuple((term.encode("utf-8"), n, n * boost, pack_uint(n))
                     for term, n in counts.items())
    raise TypeError(f"no pre-encoding for {type(fmt).__name__}")
