"""``GET /api/openapi.json``: the OpenAPI 3.1 description of every ``/api/`` route.

Paths, methods and path parameters come from the app's own URL map; what a route takes and
answers is one entry of ``OPERATIONS``, keyed by the Flask endpoint. A new route is one new
entry (tests/test_openapi.py fails for an ``/api/`` route without one). Limits are read from
the app's settings when the document is served, so it states the limits in force.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Flask, current_app, jsonify

from search_service.searcher import FACET_FIELDS, SORTS

bp = Blueprint("openapi", __name__, url_prefix="/api")

TITLE = "Tra cứu API"
VERSION = "1"


@dataclass(frozen=True)
class Setting:
    """A value of the running app's settings, filled in when the document is served."""

    name: str


def _string(description: str = "", **extra) -> dict:
    return {"type": "string", **({"description": description} if description else {}), **extra}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict, required: tuple[str, ...] | None = None) -> dict:
    # every listed property is always present, unless ``required`` says otherwise; more may
    # be added later, so clients must ignore what they do not know
    names = tuple(properties) if required is None else required
    return {"type": "object", "properties": properties, "required": list(names)}


_HIT_STRINGS = ("id", "title", "url", "doc_number", "doc_type", "issuer", "date", "category")
SCHEMAS: dict[str, dict] = {
    "Error": _object({
        "error": _string("What was wrong, in English."),
        "failures": {"type": "array", "description": "Records of an upload that could "
                     "not be read.", "items": _object({"source": _string(),
                                                       "reason": _string()})},
        "holder": {"type": "object", "description": "The writer holding the index lock "
                   "(pid, host, since)."},
        "status": _string("`unavailable` when there is no index."),
    }, required=("error",)),
    "Hit": _object({
        **{name: _string() for name in _HIT_STRINGS},
        "snippet": _string("HTML-escaped text, matches in <mark>."),
        "score": {"type": ["number", "null"], "description": "BM25F; null when sorted by "
                  "date."},
    }),
    "SearchPage": _object({
        "query": _string(), "total": {"type": "integer", "minimum": 0},
        "page": {"type": "integer"}, "per_page": {"type": "integer"},
        "took_ms": {"type": "number"},
        "partial": {"type": "boolean", "description": "The time limit stopped the "
                    "matching: the best hits found until then (TRACUU_QUERY_TIME_LIMIT)."},
        "hits": {"type": "array", "items": _ref("Hit")},
        "facets": {"type": "object", "additionalProperties": {
            "type": "object", "additionalProperties": {"type": "integer"}}},
        "suggestion": _object({"text": _string("The query as probably meant."),
                               "html": _string("The same, HTML-escaped, changed words in "
                                               "<em>.")}),
    }, required=("query", "total", "page", "per_page", "took_ms", "partial", "hits")),
    "Completions": _object({
        "query": _string(), "took_ms": {"type": "number"},
        "hits": {"type": "array", "items": _object(
            {name: _string() for name in ("id", "title", "doc_number", "doc_type", "date",
                                          "url")})},
    }),
    "Document": _object({
        **{name: _string() for name in (*_HIT_STRINGS, "summary", "author", "signer", "text")},
        "related": {"type": "array", "items": _string()},
        "cites": {"type": "array", "items": _string()},
    }),
    "Similar": _object({"id": _string(), "hits": {"type": "array", "items": _ref("Hit")}}),
    "Brief": _object({"id": _string(), "title": _string(), "number": _string()}),
    "Citations": _object({
        "id": _string(), "number": _string(),
        "cites": {"type": "array", "items": _ref("Brief")},
        "not_indexed": {"type": "array", "items": _string()},
        "cited_by": {"type": "array", "items": _ref("Brief")},
    }),
    "Health": _object({"status": _string(), "documents": {"type": "integer"},
                       "generation": _string()}),
    "Record": {
        **_object({
            "id": {"type": ["string", "integer"]},
            "title": _string(), "text": {"type": ["string", "array"], "items": _string()},
            **{name: _string() for name in ("summary", "url", "category", "author",
                                            "doc_number", "doc_type", "issuer", "signer")},
            "date": _string("dd/mm/yyyy or yyyy-mm-dd."),
            "related": {"type": "array", "items": _string()},
        }, required=("id",)),
        # a title or a text with more than blanks
        "anyOf": [{"required": ["title"], "properties": {"title": {"pattern": r"\S"}}},
                  {"required": ["text"], "properties": {"text": {"type": "string",
                                                                  "pattern": r"\S"}}}],
        "description": "Fields of a .jsonl record; a title or a text is needed.",
    },
    "Upload": _object({
        "file": _string("A file in a reader format (.txt, .jsonl, .jsonl.gz, .json, .md, "
                        ".html, .docx, .pdf); its suffix picks the reader.", format="binary"),
        "id": _string("The id of a single-document file (default: the file name's stem)."),
    }, required=("file",)),
    "Written": _object({
        "ids": {"type": "array", "items": _string()},
        "added": {"type": "integer"}, "updated": {"type": "integer"},
        "unchanged": {"type": "integer"},
    }),
    "Deleted": _object({"id": _string(), "deleted": {"type": "boolean"}}),
    "OpenAPI": {"type": "object", "required": ["openapi", "paths"]},
}

STATUS = {
    200: "OK", 201: "Added (at least one new document); committed and searchable",
    400: "Bad request", 401: "No or wrong bearer token", 403: "The write API is off",
    404: "Not found", 409: "The index is locked by another writer; retry later",
    413: "Request body or upload too large", 415: "Neither JSON nor a multipart upload",
    429: "Rate limit exceeded (TRACUU_RATE_LIMIT)", 503: "No index to serve",
}


@dataclass(frozen=True)
class Operation:
    """What one route takes and answers (its path and method come from the URL map)."""

    summary: str
    answers: dict[int, str]  # status -> schema name
    parameters: tuple[dict, ...] = ()
    body: dict[str, str] = field(default_factory=dict)  # media type -> schema name
    token: bool = False  # needs Authorization: Bearer <TRACUU_ADMIN_TOKEN>


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema}


def _count(high: Setting, description: str, name: str) -> dict:
    return _query(name, {"type": "integer", "minimum": 1, "maximum": high}, description)


_ERRORS = {400: "Error", 429: "Error", 503: "Error"}
_FACET = f"({'|'.join(FACET_FIELDS)})"
_WRITE_ERRORS = {**_ERRORS, 401: "Error", 403: "Error", 409: "Error", 413: "Error"}

OPERATIONS: dict[str, Operation] = {
    "api.search": Operation(
        "Search: a ranked page of hits (with filters, sort and facets).",
        {200: "SearchPage", **_ERRORS},
        (_query("q", _string(maxLength=Setting("MAX_QUERY_LENGTH")),
                "The query; may be empty when a filter is given."),
         _count(Setting("MAX_DEPTH"), "Page number; page × per_page ≤ TRACUU_MAX_DEPTH.",
                "page"),
         _count(Setting("MAX_PER_PAGE"), "Hits per page.", "per_page"),
         *(_query(name, _string(), f"Keep documents of this {name}.")
           for name in ("type", "issuer", "category")),
         _query("year", _string(pattern=r"^[0-9]{4}$"), "A year like 2025."),
         _query("from", _string(format="date"), "ISO date, inclusive."),
         _query("to", _string(format="date"), "ISO date, inclusive."),
         _query("sort", {"type": "string", "enum": list(SORTS)}, "Default: relevance with q, "
                "newest without."),
         _query("facets", _string(pattern=rf"^{_FACET}(,{_FACET})*$"),
                f"Comma-separated, from {', '.join(FACET_FIELDS)}."))),
    "api.suggest_titles": Operation(
        "Autocomplete: documents whose title continues the typed text, or whose number "
        "begins so; diacritics optional.",
        {200: "Completions", **_ERRORS},
        (_query("q", _string(minLength=1, maxLength=Setting("MAX_QUERY_LENGTH")),
                "What was typed so far (required)."),
         _query("limit", {"type": "integer", "minimum": 1, "maximum": 20}, "How many; "
                "default 8."))),
    "api.document": Operation("One stored document.", {200: "Document", 404: "Error", 429:
                                                       "Error", 503: "Error"}),
    "api.similar": Operation(
        "Documents sharing the key words of this one.",
        {200: "Similar", 404: "Error", **_ERRORS},
        (_count(Setting("SIMILAR_MAX"), "How many.", "limit"),)),
    "api.citations": Operation("What this document cites and what cites it.",
                               {200: "Citations", 404: "Error", 429: "Error", 503: "Error"}),
    "api.health": Operation("Documents and generation served.", {200: "Health",
                                                                 503: "Error"}),
    "openapi.openapi": Operation("This document.", {200: "OpenAPI", 429: "Error"}),
    "admin.add_documents": Operation(
        "Add or replace documents: one JSON record, or one file. Answered once committed.",
        {200: "Written", 201: "Written", 415: "Error", **_WRITE_ERRORS},
        body={"application/json": "Record", "multipart/form-data": "Upload"}, token=True),
    "admin.delete_document": Operation(
        "Delete one document. Answered once committed.",
        {200: "Deleted", 404: "Error", **_WRITE_ERRORS}, token=True),
}

_ARGUMENT = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")
_IGNORED_METHODS = {"HEAD", "OPTIONS"}


def _fill(value: Any, config) -> Any:
    if isinstance(value, Setting):
        return config[value.name]
    if isinstance(value, dict):
        return {k: _fill(v, config) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_fill(v, config) for v in value]
    return value


def _operation(endpoint: str, arguments: list[str]) -> dict:
    op = OPERATIONS[endpoint]
    params = [{"name": name, "in": "path", "required": True, "schema": _string(minLength=1)}
              for name in arguments]
    out: dict[str, Any] = {
        "operationId": endpoint, "summary": op.summary,
        "parameters": [*params, *op.parameters],
        "responses": {str(status): {"description": STATUS[status],
                                    "content": {"application/json": {"schema": _ref(name)}}}
                      for status, name in sorted(op.answers.items())},
    }
    if op.body:
        out["requestBody"] = {"required": True, "content": {
            media: {"schema": _ref(name)} for media, name in op.body.items()}}
    if op.token:
        out["security"] = [{"bearer": []}]
    return out


def document(app: Flask) -> dict:
    """The OpenAPI document of ``app``'s ``/api/`` routes, with its limits filled in."""
    paths: dict[str, dict] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith("/api/"):
            continue
        arguments = _ARGUMENT.findall(rule.rule)
        path = _ARGUMENT.sub(r"{\1}", rule.rule)
        for method in sorted(rule.methods - _IGNORED_METHODS):
            paths.setdefault(path, {})[method.lower()] = _operation(rule.endpoint, arguments)
    return _fill({
        "openapi": "3.1.0",
        "info": {"title": TITLE, "version": VERSION,
                 "description": "Full-text search of Vietnamese official texts. Every "
                                "error is JSON {\"error\": \"...\"}."},
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "TRACUU_ADMIN_TOKEN"}},
        },
    }, app.config)


@bp.get("/openapi.json")
def openapi():
    return jsonify(document(current_app))
