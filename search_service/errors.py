"""Every error leaves the API as JSON ``{"error": "..."}`` with its status code.

Outside ``/api/`` (the pages) an error is a Vietnamese HTML page with the same code,
drawn by the function the pages register as ``app.extensions["tracuu.error_page"]``.
"""

from __future__ import annotations

import logging

from flask import Flask, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from indexer.generations import IndexNotFound
from indexer.integrity import IndexDamaged

log = logging.getLogger(__name__)


class APIError(Exception):
    status = 400

    def __init__(self, message: str, param: str = ""):
        super().__init__(message)
        self.message = message
        self.param = param  # the request parameter at fault, if one is


class BadRequest(APIError):
    status = 400


class NotFound(APIError):
    status = 404


def _headers(exc: HTTPException) -> list[tuple[str, str]]:
    """The exception's own headers (a 405's ``Allow``), but not its HTML content type."""
    return [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]


def _page(status: int, param: str = ""):
    """The HTML error page for a request outside /api/, or None for the API's JSON."""
    draw = current_app.extensions.get("tracuu.error_page")
    if draw is None or request.path.startswith("/api/"):
        return None
    return draw(status, param), status


def register(app: Flask) -> None:
    @app.errorhandler(APIError)
    def api_error(exc: APIError):
        return _page(exc.status, exc.param) or (jsonify({"error": exc.message}), exc.status)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return _page(exc.code) or (jsonify({"error": exc.description or exc.name}),
                                   exc.code, _headers(exc))

    @app.errorhandler(IndexNotFound)
    def no_index(exc: IndexNotFound):
        return _page(503) or (jsonify({"status": "unavailable", "error": str(exc)}), 503)

    @app.errorhandler(IndexDamaged)
    def damaged(exc: IndexDamaged):
        log.error("%s", exc)
        return jsonify({"status": "damaged", "error": f"{exc}; roll back with `python -m "
                        "indexer rollback` or rebuild"}), 503

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unhandled error")
        return _page(500) or (jsonify({"error": "internal error"}), 500)
