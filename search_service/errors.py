"""Every error leaves the service as JSON ``{"error": "..."}`` with its status code."""

from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from indexer.generations import IndexNotFound
from indexer.integrity import IndexDamaged

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


def register(app: Flask) -> None:
    @app.errorhandler(APIError)
    def api_error(exc: APIError):
        return jsonify({"error": exc.message}), exc.status

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return jsonify({"error": exc.description or exc.name}), exc.code

    @app.errorhandler(IndexNotFound)
    def no_index(exc: IndexNotFound):
        return jsonify({"status": "unavailable", "error": str(exc)}), 503

    @app.errorhandler(IndexDamaged)
    def damaged(exc: IndexDamaged):
        log.error("%s", exc)
        return jsonify({"status": "damaged", "error": f"{exc}; roll back with `python -m "
                        "indexer rollback` or rebuild"}), 503

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unhandled error")
        return jsonify({"error": "internal error"}), 500
