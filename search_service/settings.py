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
        return raw


SETTINGS: tuple[Setting, ...] = (
    Setting("INDEX", "var/index", "Index directory (as written by `python -m indexer build`)."),
    Setting("MAX_QUERY_LENGTH", 1000, "Longest accepted `q`, in characters; longer is a 400."),
    Setting("MAX_PER_PAGE", 100, "Largest accepted `per_page`."),
    Setting("SNIPPET_CHARS", 240, "Approximate length of a result snippet, in characters."),
    Setting("SIMILAR_MAX", 50, "Largest accepted `limit` of /similar."),
    Setting("CORS_ORIGINS", "", "Origins allowed to call /api/* from a browser (the widget), "
            "comma-separated, `*` for any; empty: no CORS headers."),
)


def from_environ(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Defaults overridden by ``TRACUU_*`` environment variables."""
    environ = os.environ if environ is None else environ
    values = {}
    for s in SETTINGS:
        values[s.name] = s.parse(environ[s.env]) if s.env in environ else s.default
    return values
