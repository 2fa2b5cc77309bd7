"""Request limits: body size (413) and the per-IP rate limit (429, Flask-Limiter).

Query length, result depth, upload size and the time limit of a search are checked where
they apply (``api``, ``admin``, ``searcher``); all of them are settings (``settings``).
"""

from __future__ import annotations

from flask import Flask, jsonify, request
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from limits import parse_many
from werkzeug.exceptions import RequestEntityTooLarge

# Load balancers poll the health check: it is never limited.
EXEMPT_ENDPOINTS = frozenset({"api.health"})


def init_app(app: Flask) -> Limiter | None:
    """JSON answers for 413 and 429, and the rate limiter when ``RATE_LIMIT`` is set."""

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(exc: RequestEntityTooLarge):
        limit = app.config["MAX_CONTENT_LENGTH"]
        return jsonify({"error": f"the request body is larger than {limit} bytes "
                                 "(TRACUU_MAX_CONTENT_LENGTH)"}), 413

    @app.errorhandler(RateLimitExceeded)
    def too_many(exc: RateLimitExceeded):
        return jsonify({"error": f"too many requests from this address: the limit is "
                                 f"{exc.description}; try again later"}), 429

    rate = app.config["RATE_LIMIT"].strip()
    if not rate:
        return None
    try:
        parse_many(rate)
    except ValueError:
        raise ValueError(f"TRACUU_RATE_LIMIT: cannot read {rate!r} as a rate limit "
                         "(e.g. '60/minute' or '10/second;500/hour')") from None
    # one budget per address over all routes (default_limits would count each route apart)
    limiter = Limiter(get_remote_address, app=app, application_limits=[rate],
                      storage_uri=app.config["RATE_LIMIT_STORAGE"], headers_enabled=True,
                      key_prefix="tracuu")
    limiter.request_filter(lambda: request.endpoint in EXEMPT_ENDPOINTS)
    return limiter
