"""The JSON API: ``/api/search``, ``/api/documents/<id>``, ``/similar``, ``/api/health``."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, jsonify, request

from search_service.errors import BadRequest, NotFound
from search_service.query import Filters, parse_query
from search_service.searcher import FACET_FIELDS, SORTS, SearchIndex

bp = Blueprint("api", __name__, url_prefix="/api")

# Deeper than this a result page is refused: scoring page × per_page hits is
# the cost, and no person reads result 10,001.
MAX_DEPTH = 10_000


def index() -> SearchIndex:
    return current_app.extensions["tracuu.index"]


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise BadRequest(f"parameter {name!r} must be a whole number, got {raw[:50]!r}") from None
    if not low <= value <= high:
        raise BadRequest(f"parameter {name!r} must be between {low} and {high}, got {value}")
    return value


def _date_arg(name: str) -> str:
    raw = request.args.get(name, "").strip()
    if not raw:
        return ""
    try:
        return date.fromisoformat(raw).isoformat()
    except ValueError:
        raise BadRequest(f"parameter {name!r} must be a date as yyyy-mm-dd, got {raw[:30]!r}") \
            from None


def _filters() -> Filters:
    values = {name: request.args.get(name, "").strip()[:200]
              for name in ("type", "issuer", "category", "year")}
    if values["year"] and not (values["year"].isdigit() and len(values["year"]) == 4):
        raise BadRequest(f"parameter 'year' must be a year like 2025, got {values['year']!r}")
    filters = Filters(**values, date_from=_date_arg("from"), date_to=_date_arg("to"))
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise BadRequest("parameter 'from' must not be after 'to'")
    return filters


def _choice(name: str, allowed: tuple[str, ...], default: str) -> str:
    value = request.args.get(name, "").strip() or default
    if value not in allowed:
        raise BadRequest(f"parameter {name!r} must be one of {', '.join(allowed)}, "
                         f"got {value[:30]!r}")
    return value


def _facets() -> tuple[str, ...]:
    names = [n.strip() for n in request.args.get("facets", "").split(",") if n.strip()]
    unknown = [n for n in names if n not in FACET_FIELDS]
    if unknown:
        raise BadRequest(f"unknown facet {unknown[0][:30]!r}; facets: "
                         f"{', '.join(FACET_FIELDS)}")
    return tuple(dict.fromkeys(names))


@bp.get("/search")
def search():
    q = request.args.get("q", "")
    filters = _filters()
    if not q.strip() and not filters:
        raise BadRequest("parameter 'q' is required and must not be empty "
                         "(or give a filter: type, issuer, category, year, from, to)")
    max_len = current_app.config["MAX_QUERY_LENGTH"]
    if len(q) > max_len:
        raise BadRequest(f"parameter 'q' is longer than {max_len} characters ({len(q)})")
    page = _int_arg("page", 1, 1, MAX_DEPTH)
    per_page = _int_arg("per_page", 10, 1, current_app.config["MAX_PER_PAGE"])
    if page * per_page > MAX_DEPTH:
        raise BadRequest(f"page × per_page must not exceed {MAX_DEPTH} (results that deep "
                         "are not served; refine the query)")
    # a listing without words has no relevance: newest first unless asked otherwise
    sort = _choice("sort", SORTS, "relevance" if q.strip() else "newest")
    facets = _facets()
    parsed = parse_query(q) if q.strip() else None
    result = index().search(parsed, page, per_page, filters, sort, facets)
    body = {
        "query": q,
        "total": result.total,
        "page": page,
        "per_page": per_page,
        "took_ms": round(result.took_ms, 2),
        "hits": result.hits,
    }
    if result.facets is not None:
        body["facets"] = result.facets
    return jsonify(body)


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
    limit = _int_arg("limit", 5, 1, current_app.config["SIMILAR_MAX"])
    return jsonify({"id": doc_id, "hits": _known(index().similar(doc_id, limit), doc_id)})


@bp.get("/documents/<path:doc_id>/citations")
def citations(doc_id: str):
    return jsonify(_known(index().citations(doc_id), doc_id))


@bp.get("/health")
def health():
    idx = index()
    idx.check()  # a missing, truncated or corrupted file: 503 naming it
    return jsonify({"status": "ok", "documents": idx.doc_count(), "generation": idx.generation()})
