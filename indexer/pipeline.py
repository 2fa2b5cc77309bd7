"""What a worker does with a batch: read it, skip what is unchanged, analyse the rest.

Runs in worker processes (local or Dask) as well as in-process. Analysis ships
back each text field's postings already encoded (``indexer.postings``), so the
writer only adds them, and adds exactly what a serial build would have added.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from indexer.analysis import index_terms
from indexer.batches import Batch, read_batch
from indexer.enrich import enrich
from indexer.postings import Posting, PreIndexed, field_items
from indexer.record import ReadError, Record
from indexer.schema import STREAMS, build_schema, record_fields
from indexer.wordpairs import document_pairs


@dataclass
class Analyzed:
    record: Record  # enriched with metadata from its text
    postings: dict[str, tuple[Posting, ...]]  # per text field, encoded as Whoosh writes them
    hash: str  # of the record as read, before enrichment: what an update compares
    pairs: dict[int, int]  # adjacent word pairs, for did-you-mean (indexer.wordpairs)


@dataclass
class Unchanged:
    id: str
    source: str


Item = Analyzed | Unchanged | ReadError


@lru_cache(maxsize=1)
def _schema():
    return build_schema()


@lru_cache(maxsize=2)
def load_known(path: str) -> dict[str, str]:
    """The id → content hash map of the live index, written by the writer for this run."""
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def analyze(record: Record, content_hash: str = "") -> Analyzed:
    """Extract metadata, analyse title and body once, and encode each text field's postings.

    The terms are those of the fields' own Whoosh analyzers (tests/test_pipeline.py
    compares the postings with what Whoosh makes of the plain text).
    """
    content_hash = content_hash or record.content_hash()
    record = enrich(record)
    schema, fields = _schema(), record_fields(record, content_hash)
    postings, words = {}, {}
    for base in ("title", "body"):
        if base not in fields:
            continue
        streams = index_terms(fields[base])
        words[base] = streams.words
        for suffix, stream in STREAMS.items():
            name = base + suffix
            postings[name] = field_items(schema[name], getattr(streams, stream))
    return Analyzed(record, postings, content_hash, document_pairs(words))


def process_batch(batch: Batch, known_path: str | None = None) -> list[Item]:
    """Read and analyse one batch; records whose hash is in the index come back Unchanged."""
    return process_records(read_batch(batch), known_path)


def process_records(items: Iterable[Record | ReadError], known_path: str | None = None
                    ) -> list[Item]:
    known = load_known(known_path) if known_path else {}
    out: list[Item] = []
    for item in items:
        if isinstance(item, ReadError):
            out.append(item)
        elif known.get(item.id) == (content_hash := item.content_hash()):
            out.append(Unchanged(item.id, item.source))
        else:
            out.append(analyze(item, content_hash))
    return out


def document_fields(analyzed: Analyzed) -> dict:
    """Keyword arguments of ``add_document`` with the shipped postings in place."""
    fields = record_fields(analyzed.record, analyzed.hash)
    for name, items in analyzed.postings.items():
        fields[name] = PreIndexed(fields[name], items)
    fields["_stored_title"] = analyzed.record.title  # store the plain string, not the terms
    return fields
