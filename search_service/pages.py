"""The Vietnamese HTML pages: search (``/``, ``/tim-kiem``), a document (``/van-ban/<id>``),
the widget demo (``/widget-demo``), and the error page.

Server-rendered, no JavaScript needed. A search runs through ``api.search_payload``, the
code path of ``/api/search``, so the page shows exactly what the API answers. Everything
from a document or a query is escaped by Jinja; the only HTML let through is ``<mark>``
(and the suggestion's emphasis), rebuilt from escaped text by ``marked``.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, render_template, request, url_for
from markupsafe import Markup, escape

from search_service.api import index, search_payload
from search_service.errors import NotFound
from search_service.highlight import mark_all, match_spans
from search_service.query import parse_query

bp = Blueprint("pages", __name__)

PER_PAGE = 10
FILTERS = ("type", "issuer", "category", "year", "from", "to")
FACETS = {"type": "Loại văn bản", "issuer": "Cơ quan ban hành", "category": "Chuyên mục",
          "year": "Năm"}
FACET_VALUES_SHOWN = 8
SORTS = {"relevance": "Liên quan nhất", "newest": "Mới nhất", "oldest": "Cũ nhất"}
RELATED = 5
PAGE_WINDOW = 2  # page links shown either side of the current one

# Tags an API string may carry around escaped text: matches, and a suggestion's emphasis.
_TAG = re.compile(r"(</?(?:mark|b|strong|em|i)>)")


def marked(fragment: str | None) -> Markup:
    """``fragment`` (escaped text with ``<mark>``) as safe HTML: the text between the tags is
    unescaped and escaped again, so nothing but the tags themselves can ever be markup."""
    out = []
    for i, piece in enumerate(_TAG.split(fragment or "")):
        out.append(piece if i % 2 else str(escape(html.unescape(piece))))
    return Markup("".join(out))


def vn_number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def vn_date(iso: str) -> str:
    parts = (iso or "").split("-")
    return "/".join(reversed(parts)) if len(parts) == 3 else (iso or "")


def vn_seconds(ms: float) -> str:
    return f"{ms / 1000:.3f}".replace(".", ",")


def safe_url(url: str) -> str:
    """``url`` if it is a web address (never ``javascript:`` and the like), else ``""``."""
    return url if urlsplit(url or "").scheme in ("http", "https") else ""


def _state() -> dict[str, str]:
    """The current search (query, filters, sort) as URL parameters."""
    state = {"q": request.args.get("q", "")}
    for name in (*FILTERS, "sort"):
        value = request.args.get(name, "").strip()
        if value:
            state[name] = value
    return state


def _url_maker(state: Mapping[str, str]):
    def search_url(changes: Mapping[str, object] | None = None) -> str:
        params = {**state, **(changes or {})}
        kept = {k: v for k, v in params.items() if v not in ("", None, 1)}
        return url_for("pages.search_page", **kept)
    return search_url


def _page_numbers(page: int, last: int) -> list[int | None]:
    """1 … page-2 … page+2 … last, with None where pages are left out."""
    shown = sorted({1, last, *range(max(1, page - PAGE_WINDOW), min(last, page + PAGE_WINDOW) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and n - out[-1] > 1:
            out.append(None)
        out.append(n)
    return out


@bp.get("/")
def home():
    return render_template("home.html", q="", documents=index().doc_count())


@bp.get("/tim-kiem")
def search_page():
    state = _state()
    search_url = _url_maker(state)
    q = state["q"]
    if not q.strip() and not any(name in state for name in FILTERS):
        return render_template("search.html", q=q, result=None, search_url=search_url)
    args = {**state, "page": request.args.get("page", ""), "per_page": str(PER_PAGE),
            "facets": ",".join(FACETS)}
    result = search_payload(args)
    deepest = current_app.config["MAX_DEPTH"] // PER_PAGE
    last = max(1, min(math.ceil(result["total"] / PER_PAGE), deepest))
    if result["page"] > last:
        raise NotFound(f"page {result['page']} is past the last page ({last})", "page")
    filters = {name: state[name] for name in FILTERS if name in state}
    return render_template(
        "search.html", q=q, result=result, search_url=search_url, filters=filters,
        sort=state.get("sort") or ("relevance" if q.strip() else "newest"),
        last_page=last, page_numbers=_page_numbers(result["page"], last))


@bp.get("/van-ban/<path:doc_id>")
def document_page(doc_id: str):
    idx = index()
    doc = idx.document(doc_id)
    if doc is None:
        raise NotFound(f"no document with id {doc_id!r}", "document")
    q = request.args.get("q", "")[: current_app.config["MAX_QUERY_LENGTH"]]
    spans: list = []
    title_spans: list = []
    if q.strip():
        parsed = parse_query(q)
        exact, bare = parsed.highlight_terms()
        keys = frozenset(k for n in parsed.numbers for k in n.keys)
        spans = match_spans(doc["text"], exact, bare, keys)
        title_spans = match_spans(doc["title"], exact, bare, keys)
    return render_template(
        "document.html", q=q, doc=doc, source=safe_url(doc["url"]),
        title_html=Markup(mark_all(doc["title"], title_spans)),
        text_html=Markup(mark_all(doc["text"], spans)), matches=len(spans),
        similar=idx.similar(doc_id, RELATED) or [], citations=idx.citations(doc_id))


@bp.get("/widget-demo")
def widget_demo():
    return render_template("widget_demo.html")


# Why a request failed, in Vietnamese, by status and the parameter at fault.
_MESSAGES = {
    (400, "page"): "Số trang không hợp lệ: hãy dùng một số nguyên dương.",
    (400, "q"): "Từ khóa tìm kiếm quá dài hoặc để trống.",
    (400, "year"): "Năm phải gồm bốn chữ số, ví dụ 2025.",
    (400, "from"): "Ngày phải có dạng năm-tháng-ngày (ví dụ 2025-01-31), và ngày bắt đầu "
                   "không được sau ngày kết thúc.",
    (400, "to"): "Ngày phải có dạng năm-tháng-ngày (ví dụ 2025-12-31).",
    (400, "sort"): "Cách sắp xếp không hợp lệ.",
    (404, "page"): "Không có trang kết quả này.",
    (404, "document"): "Không tìm thấy văn bản này. Có thể văn bản đã bị gỡ khỏi chỉ mục.",
}
_TITLES = {400: "Yêu cầu không hợp lệ", 404: "Không tìm thấy", 405: "Phương thức không hỗ trợ",
           500: "Đã xảy ra lỗi", 503: "Dịch vụ tạm thời gián đoạn"}
_DEFAULTS = {
    400: "Yêu cầu không hợp lệ. Hãy kiểm tra lại từ khóa và bộ lọc.",
    404: "Không tìm thấy trang này.",
    405: "Trang này không nhận phương thức yêu cầu đó.",
    500: "Đã xảy ra lỗi ngoài ý muốn. Xin vui lòng thử lại sau.",
    503: "Dịch vụ tra cứu chưa sẵn sàng (chưa có chỉ mục). Xin vui lòng thử lại sau.",
}


def error_page(status: int, param: str = "") -> str:
    message = _MESSAGES.get((status, param)) or _DEFAULTS.get(status) or _DEFAULTS[400]
    q = request.args.get("q", "")[: current_app.config["MAX_QUERY_LENGTH"]]
    return render_template("error.html", status=status, title=_TITLES.get(status, "Lỗi"),
                           message=message, q=q)


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    app.extensions["tracuu.error_page"] = error_page
    app.add_template_filter(marked)
    app.add_template_filter(vn_number)
    app.add_template_filter(vn_date)
    app.add_template_filter(vn_seconds)
    app.jinja_env.globals.update(FACETS=FACETS, SORTS=SORTS,
                                 FACET_VALUES_SHOWN=FACET_VALUES_SHOWN)
