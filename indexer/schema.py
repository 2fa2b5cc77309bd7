"""The index schema: which fields exist and how each is analysed.

Searchable text is indexed four ways (words, syllables, folded syllables,
folded syllable pairs) for the title and the body, so a query matches whatever
cut pyvi made and whether or not it was typed with diacritics. Document numbers
have their own fields. Only ``title_fold`` keeps positions (autocomplete ranks titles
that begin with the typed word first); phrases are matched through the syllable pairs
(search_service.searcher), which is cheaper to write and to read than positions.
"""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, STORED, Schema

from indexer.analyzers import (
    bigram_analyzer,
    folded_analyzer,
    syllable_analyzer,
    word_analyzer,
)
from indexer.fold import fold_key
from indexer.loosenumber import number_keys
from indexer.postings import PreIndexedText as TEXT
from indexer.record import Record

# Stored for display; ``text`` is shown, ``body`` (summary + text) is searched.
STORED_FIELDS = ("url", "summary", "text", "author", "signer", "doc_number", "related")
# facet name in the API → indexed field
FACETS = {"type": "doc_type", "issuer": "issuer", "category": "category"}
TEXT_FIELDS = ("title", "title_syl", "title_fold", "title_bi",
               "body", "body_syl", "body_fold", "body_bi")
# which stream of ``indexer.analysis.index_terms`` each text field indexes
STREAMS = {"": "words", "_syl": "syllables", "_fold": "folded", "_bi": "bigrams"}


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
        title_syl=TEXT(analyzer=sylls, phrase=False),
        title_fold=TEXT(analyzer=fold, phrase=True),  # autocomplete: a title's first word
        title_bi=TEXT(analyzer=pairs, phrase=False),
        body=TEXT(analyzer=words, phrase=False),
        body_syl=TEXT(analyzer=sylls, phrase=False),
        body_fold=TEXT(analyzer=fold, phrase=False),
        body_bi=TEXT(analyzer=pairs, phrase=False),
        # keys of the document's own number, and of every number it cites
        # (indexer.loosenumber: "15/2020/nd-cp", "nd#15/2020", "15/2020", "nd#15")
        docnum=KEYWORD(),
        cites_keys=KEYWORD(),
        cites=STORED(),
        # facets count the display values; filters match their folded keys
        doc_type=ID(stored=True),
        issuer=ID(stored=True),
        category=ID(stored=True),
        year=ID(),
        **{f"{name}_key": ID() for name in FACETS},
        date=ID(stored=True, sortable=True),
        has_date=ID(sortable=True),  # sorts documents without a date last either way
        **{name: STORED() for name in STORED_FIELDS},
    )


def record_fields(record: Record, content_hash: str = "") -> dict:
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
        "docnum": " ".join(number_keys(record.doc_number, record.doc_type, record.date[:4])),
        "cites_keys": " ".join(dict.fromkeys(k for n in record.cites for k in number_keys(n))),
        "cites": list(record.cites),
        "doc_type": record.doc_type,
        "issuer": record.issuer,
        "category": record.category,
        "date": record.date,
        "year": record.date[:4],
        "has_date": "1" if record.date else "0",
        "type_key": fold_key(record.doc_type),
        "issuer_key": fold_key(record.issuer),
        "category_key": fold_key(record.category),
        "url": record.url,
        "summary": record.summary,
        "text": record.text,
        "author": record.author,
        "signer": record.signer,
        "doc_number": record.doc_number,
        "related": list(record.related),
        "source": record.source,
        "hash": content_hash or record.content_hash(),
    }
    # Whoosh rejects empty ID values in a unique field but accepts absent ones.
    return {k: v for k, v in fields.items() if v not in ("", None)}
