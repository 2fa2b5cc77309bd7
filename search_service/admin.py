"""The write API: ``POST /api/documents`` and ``DELETE /api/documents/<id>``, with a token.

Thin on purpose: reading and writing are ``indexer.submit``'s (the CLI's readers, writer and
lock). A write is answered once committed, so the document is searchable at once by every
worker (each refreshes its searcher when the index has a newer commit).
"""

from __future__ import annotations

import hmac
import json
from functools import wraps

from flask import Blueprint, current_app, jsonify, request

from indexer import submit
from indexer.record import Record
from search_service.api import index
from search_service.errors import APIError, BadRequest, NotFound

bp = Blueprint("admin", __name__, url_prefix="/api")

FILE_FIELD = "file"
ID_FIELD = "id"
LOCKED_RETRY_AFTER = "5"  # seconds, sent with a 409 while another writer holds the index


class UploadTooLarge(APIError):
    status = 413


class UnsupportedMediaType(APIError):
    status = 415


def _error(status: int, message: str, headers: dict | None = None, **extra):
    return jsonify({"error": message, **extra}), status, headers or {}


def _given_token() -> bytes | None:
    """The bearer token of the request as sent (WSGI hands headers over as latin-1)."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    try:
        return value.strip().encode("latin-1")
    except UnicodeEncodeError:
        return None


def token_required(view):
    """401 without the right ``Authorization: Bearer`` token; 403 when no token is set."""

    @wraps(view)
    def guarded(*args, **kwargs):
        token = current_app.config["ADMIN_TOKEN"]
        if not token:
            return _error(403, "the write API is off: no admin token is configured "
                               "(TRACUU_ADMIN_TOKEN)")
        given = _given_token()
        # compare_digest: the time taken says nothing about how much of the token matched
        if given is None or not hmac.compare_digest(
                given, token.encode("utf-8", "surrogateescape")):
            return _error(401, "a valid 'Authorization: Bearer <token>' header is required",
                          {"WWW-Authenticate": 'Bearer realm="tracuu"'})
        return view(*args, **kwargs)

    return guarded


def _locked(exc: submit.IndexLocked):
    return _error(409, f"{exc}; try again later", {"Retry-After": LOCKED_RETRY_AFTER},
                  holder=exc.holder)


def _rejected(exc: submit.Rejected):
    failures = [{"source": f.source, "reason": f.reason} for f in exc.failures]
    return _error(400, str(exc), failures=failures) if failures else _error(400, str(exc))


def _records() -> list[Record]:
    """The records of the request: one JSON object, or one uploaded file."""
    if request.mimetype == "application/json":
        try:
            obj = json.loads(request.get_data())
        except (ValueError, RecursionError):  # bad JSON or UTF-8, or nested too deep
            raise BadRequest("the body is not valid JSON") from None
        return [submit.record_from_json(obj)]
    if request.mimetype == "multipart/form-data":
        upload = request.files.get(FILE_FIELD)
        if upload is None:
            raise BadRequest(f"a multipart upload needs a {FILE_FIELD!r} field with the file")
        limit = current_app.config["MAX_UPLOAD_BYTES"]
        data = upload.read(limit + 1)
        if len(data) > limit:
            raise UploadTooLarge(f"the uploaded file is larger than {limit} bytes "
                                 "(TRACUU_MAX_UPLOAD_BYTES)")
        return submit.records_from_upload(upload.filename or "", data,
                                          request.form.get(ID_FIELD, ""))
    raise UnsupportedMediaType("send one JSON record (Content-Type: application/json) or one "
                               f"file (multipart/form-data with a {FILE_FIELD!r} field)")


@bp.post("/documents")
@token_required
def add_documents():
    try:
        records = _records()
    except submit.Rejected as exc:
        return _rejected(exc)
    try:
        summary = submit.put(current_app.config["INDEX"], records,
                             current_app.config["WRITE_LOCK_WAIT"])
    except submit.IndexLocked as exc:
        return _locked(exc)
    body = {"ids": [r.id for r in records], "added": summary.added,
            "updated": summary.updated, "unchanged": summary.unchanged}
    return jsonify(body), 201 if summary.added else 200


@bp.delete("/documents/<path:doc_id>")
@token_required
def delete_document(doc_id: str):
    if index().document(doc_id) is None:  # nothing to delete: no lock, no commit
        raise NotFound(f"no document with id {doc_id!r}")
    try:
        summary = submit.delete(current_app.config["INDEX"], doc_id,
                                current_app.config["WRITE_LOCK_WAIT"])
    except submit.IndexLocked as exc:
        return _locked(exc)
    if not summary.deleted:  # deleted by someone else meanwhile
        raise NotFound(f"no document with id {doc_id!r}")
    return jsonify({"id": doc_id, "deleted": True})
