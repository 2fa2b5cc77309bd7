"""CORS for ``/api/*``: portals on the allow-list (``TRACUU_CORS_ORIGINS``) may call the API
from their pages (the widget does). Empty list: no CORS headers, browsers refuse cross-origin
reads. Preflight ``OPTIONS`` requests are answered by Flask's automatic OPTIONS route."""

from __future__ import annotations

from flask import Flask, Response, request

ALLOWED_METHODS = "GET, OPTIONS"
ALLOWED_HEADERS = "Accept, Accept-Language, Content-Language, Content-Type"
MAX_AGE_SECONDS = "600"


def parse_origins(raw: str) -> frozenset[str]:
    """``"https://a.vn, https://b.vn/"`` → the origins, without trailing slashes; ``*`` any."""
    return frozenset(o.strip().rstrip("/") for o in (raw or "").split(",") if o.strip())


def allowed_origin(origin: str | None, origins: frozenset[str]) -> str | None:
    """The ``Access-Control-Allow-Origin`` value for a request from ``origin``, if allowed."""
    if not origin or not origins:
        return None
    if "*" in origins:
        return "*"
    return origin if origin in origins else None


def register(app: Flask) -> None:
    origins = parse_origins(app.config["CORS_ORIGINS"])
    if not origins:
        return

    @app.after_request
    def cors_headers(response: Response) -> Response:
        if not request.path.startswith("/api/"):
            return response
        response.vary.add("Origin")  # the answer differs by origin: caches must know
        allow = allowed_origin(request.headers.get("Origin"), origins)
        if allow is None:
            return response
        response.headers["Access-Control-Allow-Origin"] = allow
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response.headers["Access-Control-Max-Age"] = MAX_AGE_SECONDS
        return response
