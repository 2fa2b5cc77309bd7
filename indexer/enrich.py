"""Metadata from the text, for records that do not carry it (issue: official documents).

Given metadata always wins. The numbers a text cites become ``cites``.
Extraction is used only when the text has a real document header (``Số: …``,
place and date, type line): a news article that mentions a decision must not be
filed as that decision. Issuers, given or extracted, are written in one
canonical spelling so that filters and facets see one body once
(``ỦY BAN NHÂN DÂN TỈNH BẮC NINH`` = ``UBND tỉnh Bắc Ninh``).
"""

from __future__ import annotations

import dataclasses

from indexer.citations import extract_citations
from indexer.fold import fold_key
from indexer.issuers import canonical_issuer
from indexer.metadata import extract_metadata, merge
from indexer.record import Record


def enrich(record: Record) -> Record:
    extracted = extract_metadata(record.text)
    fields = record.to_dict()
    if extracted.source == "header":
        if _placeholder_title(record.title, extracted.doc_type):
            fields["title"] = ""  # only the type line: take type + number + subject
        fields = merge(fields, extracted)
    fields["issuer"] = canonical_issuer(fields["issuer"])
    fields["cites"] = extract_citations(record.text, fields["doc_number"])
    return dataclasses.replace(record, **{k: fields[k] for k in
                                          ("title", "doc_number", "doc_type", "issuer",
                                           "signer", "date", "cites")})


def _placeholder_title(title: str, doc_type: str) -> bool:
    return not title.strip() or (bool(doc_type) and fold_key(title) == fold_key(doc_type))
