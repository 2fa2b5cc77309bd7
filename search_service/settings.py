"""Every setting of the service, declared once: the app, the CLI and the docs read this table."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Setting:
    name: str  # Flask config key
    default: Any
    help: str

    @property
    def env(self) -> str:
        return f"TRACUU_{self.name}"

    def parse(self, raw: str) -> Any:
        if isinstance(self.default, bool):
            return raw.strip().lower() in ("1", "true", "yes", "on")
        if isinstance(self.default, int):
            return int(raw)
        if isinstance(self.default, float):
            return float(raw)
        return raw


SETTINGS: tuple[Setting, ...] = (
    Setting("INDEX", "var/index", "Index directory (as written by `python -m indexer build`)."),
    Setting("MAX_QUERY_LENGTH", 1000, "Longest accepted `q`, in characters; longer is a 400."),
    Setting("MAX_PER_PAGE", 100, "Largest accepted `per_page`."),
    Setting("SNIPPET_CHARS", 240, "Approximate length of a result snippet, in characters."),
    Setting("SIMILAR_MAX", 50, "Largest accepted `limit` of /similar."),
    Setting("MAX_DEPTH", 10_000, "Largest accepted `page × per_page` of /api/search; deeper is "
            "a 400."),
    Setting("QUERY_TIME_LIMIT", 5.0, "Seconds a search may spend matching; then the hits found "
            "so far are answered with `\"partial\": true`. `0` turns the limit off."),
    Setting("MAX_CONTENT_LENGTH", 16 * 1024 * 1024, "Largest request body, in bytes; larger is "
            "a 413."),
    Setting("MAX_UPLOAD_BYTES", 10 * 1024 * 1024, "Largest file uploaded to `POST "
            "/api/documents`, in bytes; larger is a 413."),
    Setting("RATE_LIMIT", "", "Requests allowed per client IP address, e.g. `60/minute` or "
            "`10/second;500/hour`; more is a 429. Empty: no limit."),
    Setting("RATE_LIMIT_STORAGE", "memory://", "Where request counts are kept (a Flask-Limiter "
            "storage URI); `memory://` counts in each worker process separately."),
    Setting("ADMIN_TOKEN", "", "Bearer token of the write API (`POST`/`DELETE "
            "/api/documents`). Empty: the write API is off (403)."),
    Setting("WRITE_LOCK_WAIT", 5.0, "Seconds a write waits for the index lock held by another "
            "writer before answering 409."),
    Setting("CORS_ORIGINS", "", "Origins allowed to call /api/* from a browser (the widget), "
            "comma-separated, `*` for any; empty: no CORS headers."),
    Setting("RESULT_CACHE", 1024, "Result pages kept per server process for repeated queries "
            "(0: none); a new index generation or commit makes old entries unreachable."),
    Setting("POSTINGS_CACHE_MB", 64, "Megabytes of decoded posting lists kept per server "
            "thread for scoring (the common words' lists are the costly ones to read); made "
            "again after a commit or a new generation."),
)


def from_environ(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Defaults overridden by ``TRACUU_*`` environment variables."""
    environ = os.environ if environ is None else environ
    values = {}
    for s in SETTINGS:
        values[s.name] = s.parse(environ[s.env]) if s.env in environ else s.default
    return values
