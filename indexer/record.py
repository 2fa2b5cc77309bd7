"""The one shape every reader produces and the index stores."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

# Fields a source may carry besides id/title/text, in the order documented.
METADATA_FIELDS = (
    "summary",
    "url",
    "category",
    "author",
    "doc_number",
    "doc_type",
    "issuer",
    "signer",
    "date",
)


@dataclass
class Record:
    """One searchable document, already normalised (see ``indexer.normalize``).

    ``date`` is ISO ``yyyy-mm-dd`` or empty. ``source`` is the file the record
    came from, so later runs can tell which documents a file produced.
    """

    id: str
    title: str
    text: str
    summary: str = ""
    url: str = ""
    category: str = ""
    author: str = ""
    doc_number: str = ""
    doc_type: str = ""
    issuer: str = ""
    signer: str = ""
    date: str = ""
    related: list[str] = field(default_factory=list)
    source: str = ""
    cites: list[str] = field(default_factory=list)  # found in the text (indexer.enrich)

    def to_dict(self) -> dict:
        return asdict(self)

    def content_hash(self) -> str:
        """A digest of everything that is indexed, to detect changed documents."""
        payload = self.to_dict()
        payload.pop("source", None)
        raw = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return hashlib.sha256(raw).hexdigest()[:32]


@dataclass
class ReadError:
    """A file or record that could not be read; the run reports it and goes on."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"
