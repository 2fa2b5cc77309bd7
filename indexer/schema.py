"""The index schema: which fields exist and how each is analysed.

Searchable text is indexed four ways (words, syllables, folded syllables,
folded syllable pairs) for the title and the body, so a query matches whatever
cut pyvi made and whether or not it was typed with diacritics. Document numbers
have their own fields.
"""

from __future__ import annotations

from whoosh.fields import ID, STORED, TEXT, Schema

from indexer.analyzers import (
    bigram_analyzer,
    docnumber_analyzer,
    folded_analyzer,
    syllable_analyzer,
    word_analyzer,
)
from indexer.record import Record

# Stored for display; ``text`` is shown, ``body`` (summary + text) is searched.
STORED_FIELDS = ("url", "summary", "text", "author", "signer", "doc_number", "related")
TEXT_FIELDS = ("title", "title_syl", "title_fold", "title_bi",
               "body", "body_syl", "body_fold", "body_bi")


def build_schema() -> Schema:
    words, sylls, fold = word_analyzer(), syllable_analyzer(), folded_analyzer()
    pairs = bigram_analyzer()
    return Schema(
        # id, hash and source are columns too: an update reads them for every
        # document without unpickling stored texts
        id=ID(stored=True, unique=True, sortable=True),
        hash=ID(stored=True, sortable=True),
        source=ID(stored=True, sortable=True),
        title=TEXT(analyzer=words, stored=True, phrase=False),
        title_syl=TEXT(analyzer=sylls, phrase=True),
        title_fold=TEXT(analyzer=fold, phrase=True),
        title_bi=TEXT(analyzer=pairs, phrase=False),
        body=TEXT(analyzer=words, phrase=False),
        body_syl=TEXT(analyzer=sylls, phrase=True),
        body_fold=TEXT(analyzer=fold, phrase=True),
        body_bi=TEXT(analyzer=pairs, phrase=False),
        # the document's own number, and every number its text mentions
        docnum=TEXT(analyzer=docnumber_analyzer(loose=True), phrase=False),
        numbers=TEXT(analyzer=docnumber_analyzer(loose=False), phrase=False),
        doc_type=ID(stored=True),
        issuer=ID(stored=True),
        category=ID(stored=True),
        date=ID(stored=True, sortable=True),
        **{name: STORED() for name in STORED_FIELDS},
    )


def record_fields(record: Record) -> dict:
    """The keyword arguments of ``writer.add_document`` for one record."""
    title = record.title
    body = f"{record.summary}\n\n{record.text}" if record.summary else record.text
    fields = {
        "id": record.id,
        "title": title,
        "title_syl": title,
        "title_fold": title,
        "title_bi": title,
        "body": body,
        "body_syl": body,
        "body_fold": body,
        "body_bi": body,
        "docnum": record.doc_number,
        "numbers": f"{title}\n{body}",
        "doc_type": record.doc_type,
        "issuer": record.issuer,
        "category": record.category,
        "date": record.date,
        "url": record.url,
        "summary": record.summary,
        "text": record.text,
        "author": record.author,
        "signer": record.signer,
        "doc_number": record.doc_number,
        "related": list(record.related),
        "source": record.source,
        "hash": record.content_hash(),
    }
    # Whoosh rejects empty ID values in a unique field but accepts absent ones.
    return {k: v for k, v in fields.items() if v not in ("", None)}
