"""Tra cứu search service: a Flask app over the index written by ``indexer``."""

from __future__ import annotations

from typing import Any

from flask import Flask

from search_service import admin, api, cors, errors, limits, openapi, pages, settings
from search_service.searcher import SearchIndex
from search_service.vocabulary import VocabularyCache


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(settings.from_environ())
    if test_config:
        app.config.from_mapping(test_config)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions["tracuu.index"] = SearchIndex(app.config["INDEX"],
                                                 app.config["SNIPPET_CHARS"],
                                                 app.config["RESULT_CACHE"],
                                                 app.config["POSTINGS_CACHE_MB"])
    app.extensions["tracuu.vocabulary"] = VocabularyCache(app.extensions["tracuu.index"])
    errors.register(app)
    limits.init_app(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(openapi.bp)
    pages.register(app)
    cors.register(app)
    return app
