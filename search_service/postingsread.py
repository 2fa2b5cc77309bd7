"""A term's whole posting list read from a Whoosh 3 segment in one read, decoded with numpy.

Whoosh's leaf matcher reads a posting list block by block: a ``seek`` and a ``read`` for
each block's header, another for its data, and the document numbers undone from their
deltas by a Python generator, one call per posting. On the 49k-document index that was
half of a query's CPU (25.7 million generator calls for 500 queries). Here the list's
extent, which the term info records, is read at once; each block's two pickles are loaded
from that buffer, and the deltas of every block are undone by one ``numpy.cumsum``.

The block layout is ``whoosh.codec.whoosh3.W3PostingsWriter``'s: a 4-byte magic, then per
block a signed 4-byte length (negative for the last block), the pickled block info
``(count, last id, max weight, compression, min length, max length)`` and the pickled data
``(id deltas, weights, values)``; weights are ``None`` (all 1.0), one float (all equal) or
one per posting. tests/test_postingsread.py compares the result with Whoosh's matcher for
every term of real indexes, compressed and not.
"""

from __future__ import annotations

import io
import pickle
import struct
import zlib

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.reading import TermNotFound
from whoosh.system import unpack_int

from indexer.integrity import IndexDamaged

Postings = tuple[np.ndarray, np.ndarray]  # docnums (int32, ascending), weights (float32)


class PostingsDamaged(IndexDamaged):
    """A posting list does not have Whoosh's block layout (the service answers 503, as
    for any damaged file of the live generation)."""


def read_postings(leaf, field: str, text: bytes) -> Postings | None:
    """Docnums (of this segment) and weights of ``field:text`` in one segment reader, deleted
    documents included; ``None`` when the segment does not have the term."""
    try:
        info = leaf.term_info(field, text)
    except TermNotFound:
        return None
    if info.is_inlined():
        ids, weights, _ = info.inlined_postings()
        return np.array(ids, np.int32), np.array(weights, np.float32)
    offset, length = info.extent()
    if isinstance(length, tuple):  # W3TermInfo.from_bytes keeps struct.unpack's tuple
        length = length[0]
    return decode(leaf._terms._postfile.get(offset, length))


def decode(buf: bytes) -> Postings:
    """The docnums and weights of one posting list's bytes (as written at its extent)."""
    if buf[:4] != WHOOSH3_HEADER_MAGIC:
        raise PostingsDamaged("posting list without its block header")
    try:
        deltas, weights = _blocks(buf)
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, zlib.error,
            struct.error) as exc:
        raise PostingsDamaged(f"posting list cannot be read: {exc}") from exc
    ids = np.cumsum(np.array(deltas, dtype=np.int64)).astype(np.int32)
    return ids, np.array(weights, dtype=np.float32)


def _blocks(buf: bytes) -> tuple[list[int], list[float]]:
    stream = io.BytesIO(buf)
    deltas: list[int] = []
    weights: list[float] = []
    pos, previous_last, end = 4, 0, len(buf)
    while True:
        (length,) = unpack_int(buf[pos:pos + 4])
        pos += 4
        stop = pos + abs(length)
        if stop > end:
            raise ValueError("a block runs past the end of the list")
        stream.seek(pos)
        count, last, _, compression, _, _ = pickle.load(stream)
        data = buf[stream.tell():stop]
        if compression:
            data = zlib.decompress(data)
        block_ids, block_weights, _ = pickle.loads(data)
        if len(block_ids) != count or not count:
            raise ValueError("a block's count does not match its data")
        first = len(deltas)
        deltas.extend(block_ids)
        # a block's first id is absolute: as a delta from the previous block's last id,
        # one cumulative sum over all blocks gives every docnum
        deltas[first] -= previous_last
        previous_last = last
        if block_weights is None:
            weights.extend([1.0] * count)
        elif isinstance(block_weights, float):
            weights.extend([block_weights] * count)
        else:
            weights.extend(block_weights)
        pos = stop
        if length < 0:  # the last block
            return deltas, weights
