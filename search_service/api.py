"""The JSON API: ``/api/search``, ``/api/suggest``, ``/api/documents/<id>``, ``/similar``,
``/api/health``."""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import date

from flask import Blueprint, current_app, jsonify, request

from search_service.autocomplete import complete
from search_service.errors import BadRequest, NotFound
from search_service.query import Filters, parse_query
from search_service.searcher import FACET_FIELDS, SORTS, SearchIndex
from search_service.suggest import suggest

bp = Blueprint("api", __name__, url_prefix="/api")

# /api/suggest: a dropdown, not a result page
SUGGEST_LIMIT, SUGGEST_MAX = 8, 20


def index() -> SearchIndex:
    return current_app.extensions["tracuu.index"]


def _int_arg(args: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise BadRequest(f"parameter {name!r} must be a whole number, got {raw[:50]!r}",
                         name) from None
    if not low <= value <= high:
        raise BadRequest(f"parameter {name!r} must be between {low} and {high}, got {value}",
                         name)
    return value


def _date_arg(args: Mapping[str, str], name: str) -> str:
    raw = args.get(name, "").strip()
    if not raw:
        return ""
    try:
        return date.fromisoformat(raw).isoformat()
    except ValueError:
        raise BadRequest(f"parameter {name!r} must be a date as yyyy-mm-dd, got {raw[:30]!r}",
                         name) from None


def _filters(args: Mapping[str, str]) -> Filters:
    values = {name: args.get(name, "").strip()[:200]
              for name in ("type", "issuer", "category", "year")}
    if values["year"] and not (values["year"].isdigit() and len(values["year"]) == 4):
        raise BadRequest(f"parameter 'year' must be a year like 2025, got {values['year']!r}",
                         "year")
    filters = Filters(**values, date_from=_date_arg(args, "from"),
                      date_to=_date_arg(args, "to"))
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise BadRequest("parameter 'from' must not be after 'to'", "from")
    return filters


def _choice(args: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    value = args.get(name, "").strip() or default
    if value not in allowed:
        raise BadRequest(f"parameter {name!r} must be one of {', '.join(allowed)}, "
                         f"got {value[:30]!r}", name)
    return value


def _facets(args: Mapping[str, str]) -> tuple[str, ...]:
    names = [n.strip() for n in args.get("facets", "").split(",") if n.strip()]
    unknown = [n for n in names if n not in FACET_FIELDS]
    if unknown:
        raise BadRequest(f"unknown facet {unknown[0][:30]!r}; facets: "
                         f"{', '.join(FACET_FIELDS)}", "facets")
    return tuple(dict.fromkeys(names))


@bp.get("/search")
def search():
    return jsonify(search_payload(request.args))


def search_payload(args: Mapping[str, str]) -> dict:
    """The answer of /api/search to ``args`` (the search page renders the same)."""
    q = args.get("q", "")
    filters = _filters(args)
    if not q.strip() and not filters:
        raise BadRequest("parameter 'q' is required and must not be empty "
                         "(or give a filter: type, issuer, category, year, from, to)", "q")
    max_len = current_app.config["MAX_QUERY_LENGTH"]
    if len(q) > max_len:
        raise BadRequest(f"parameter 'q' is longer than {max_len} characters ({len(q)})", "q")
    # deeper than MAX_DEPTH a page is refused: scoring page × per_page hits is the cost,
    # and no person reads result 10,001
    max_depth = current_app.config["MAX_DEPTH"]
    page = _int_arg(args, "page", 1, 1, max_depth)
    per_page = _int_arg(args, "per_page", 10, 1, current_app.config["MAX_PER_PAGE"])
    if page * per_page > max_depth:
        raise BadRequest(f"page × per_page must not exceed {max_depth} (results that deep "
                         "are not served; refine the query)", "page")
    # a listing without words has no relevance: newest first unless asked otherwise
    sort = _choice(args, "sort", SORTS, "relevance" if q.strip() else "newest")
    facets = _facets(args)
    parsed = parse_query(q) if q.strip() else None
    result = index().search(parsed, page, per_page, filters, sort, facets,
                            time_limit=current_app.config["QUERY_TIME_LIMIT"])
    body = {
        "query": q,
        "total": result.total,
        "page": page,
        "per_page": per_page,
        "took_ms": round(result.took_ms, 2),
        "partial": result.partial,
        "hits": result.hits,
    }
    if result.facets is not None:
        body["facets"] = result.facets
    if parsed is not None and parsed.syllables:
        found = suggest(q, current_app.extensions["tracuu.vocabulary"].get())
        if found is not None:
            body["suggestion"] = {"text": found.text, "html": found.html}
    return body


@bp.get("/suggest")
def suggest_titles():
    q = request.args.get("q", "")
    if not q.strip():
        raise BadRequest("parameter 'q' is required and must not be empty")
    max_len = current_app.config["MAX_QUERY_LENGTH"]
    if len(q) > max_len:
        raise BadRequest(f"parameter 'q' is longer than {max_len} characters ({len(q)})")
    limit = _int_arg(request.args, "limit", SUGGEST_LIMIT, 1, SUGGEST_MAX)
    started = time.perf_counter()
    hits = complete(index().searcher(), q, limit)
    return jsonify({"query": q, "took_ms": round((time.perf_counter() - started) * 1000, 2),
                    "hits": hits})


def _known(value, doc_id: str):
    """``value``, or a 404 when the index has no document ``doc_id``."""
    if value is None:
        raise NotFound(f"no document with id {doc_id!r}")
    return value


@bp.get("/documents/<path:doc_id>")
def document(doc_id: str):
    return jsonify(_known(index().document(doc_id), doc_id))


@bp.get("/documents/<path:doc_id>/similar")
def similar(doc_id: str):
    limit = _int_arg(request.args, "limit", 5, 1, current_app.config["SIMILAR_MAX"])
    return jsonify({"id": doc_id, "hits": _known(index().similar(doc_id, limit), doc_id)})


@bp.get("/documents/<path:doc_id>/citations")
def citations(doc_id: str):
    return jsonify(_known(index().citations(doc_id), doc_id))


@bp.get("/health")
def health():
    idx = index()
    idx.check()  # a missing, truncated or corrupted file: 503 naming it
    return jsonify({"status": "ok", "documents": idx.doc_count(), "generation": idx.generation()})
