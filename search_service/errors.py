"""Every error leaves the service as JSON ``{"error": "..."}`` with its status code."""

from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from indexer.generations import IndexNotFound

log = logging.getLogger(__name__)


class APIError(Exception):
    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class BadRequest(APIError):
    status = 400


class NotFound(APIError):
    status = 404


def _headers(exc: HTTPException) -> list[tuple[str, str]]:
    """The exception's own headers (a 405's ``Allow``), but not its HTML content type."""
    return [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]


def register(app: Flask) -> None:
    @app.errorhandler(APIError)
    def api_error(exc: APIError):
        return jsonify({"error": exc.message}), exc.status

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return jsonify({"error": exc.description or exc.name}), exc.code, _headers(exc)

    @app.errorhandler(IndexNotFound)
    def no_index(exc: IndexNotFound):
        return jsonify({"status": "unavailable", "error": str(exc)}), 503

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unhandled error")
        return jsonify({"error": "internal error"}), 500
