"""The JSON API: ``/api/search``, ``/api/documents/<id>``, ``/similar``, ``/api/health``."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from search_service.errors import BadRequest, NotFound
from search_service.query import parse_query
from search_service.searcher import SearchIndex

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


@bp.get("/search")
def search():
    q = request.args.get("q", "")
    if not q.strip():
        raise BadRequest("parameter 'q' is required and must not be empty")
    max_len = current_app.config["MAX_QUERY_LENGTH"]
    if len(q) > max_len:
        raise BadRequest(f"parameter 'q' is longer than {max_len} characters ({len(q)})")
    page = _int_arg("page", 1, 1, MAX_DEPTH)
    per_page = _int_arg("per_page", 10, 1, current_app.config["MAX_PER_PAGE"])
    if page * per_page > MAX_DEPTH:
        raise BadRequest(f"page × per_page must not exceed {MAX_DEPTH} (results that deep "
                         "are not served; refine the query)")
    result = index().search(parse_query(q), page, per_page)
    return jsonify({
        "query": q,
        "total": result.total,
        "page": page,
        "per_page": per_page,
        "took_ms": round(result.took_ms, 2),
        "hits": result.hits,
    })


@bp.get("/documents/<path:doc_id>")
def document(doc_id: str):
    doc = index().document(doc_id)
    if doc is None:
        raise NotFound(f"no document with id {doc_id!r}")
    return jsonify(doc)


@bp.get("/documents/<path:doc_id>/similar")
def similar(doc_id: str):
    limit = _int_arg("limit", 5, 1, current_app.config["SIMILAR_MAX"])
    hits = index().similar(doc_id, limit)
    if hits is None:
        raise NotFound(f"no document with id {doc_id!r}")
    return jsonify({"id": doc_id, "hits": hits})


@bp.get("/health")
def health():
    idx = index()
    return jsonify({"status": "ok", "documents": idx.doc_count(), "generation": idx.generation()})
