"""HTML pages, with the standard library's ``html.parser`` only.

The content is the first ``<article>``, else ``<main>``, else ``<body>``, without page
chrome (navigation, scripts, forms, …), so menus and footers do not make every page match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from indexer.normalize import normalize_line, normalize_text
from indexer.readers.common import (
    build_record,
    decode_utf8,
    parse_date,
    read_bytes,
    title_from_text,
)
from indexer.record import Record

# Never content, wherever they appear.
EXCLUDED_TAGS = frozenset({
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "template",
    "svg", "iframe", "button", "head", "title",
})
# Elements that start a new paragraph.
BLOCK_TAGS = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section", "article",
    "blockquote", "pre", "table", "main", "ul", "ol", "dl", "dt", "dd", "figure",
    "figcaption", "address", "hr", "details", "summary", "caption", "body", "center",
})
# Table cells stay on their row's line, separated by a space.
CELL_TAGS = frozenset({"td", "th"})
VOID_TAGS = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
})
# Containers tried in order for the main content.
CONTENT_TAGS = ("article", "main", "body")

_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[_Node | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """A forgiving element tree: unknown end tags are ignored, unclosed ones closed late."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # entities arrive decoded
        self.root = _Node("#document")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID_TAGS:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(_Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def read_html(path: str | Path) -> Record:
    """Read one HTML page: main content as text, ``<h1>``/``<title>`` as title."""
    root = parse_html(decode_html(read_bytes(path)))
    content = next((n for tag in CONTENT_TAGS if (n := _find(root, tag, True))), root)
    h1 = _find(content, "h1", skip_excluded=True)
    title = normalize_line(_render(h1)) if h1 else ""
    # The heading that became the title is its own field; do not repeat it in the text.
    text = _render(content, omit=h1 if title else None)
    if not title and (node := _find(root, "title")):
        title = normalize_line(_text_of(node))
    if not title:
        title = title_from_text(text)
    if not title and not text:
        raise ValueError("no text in the HTML page")
    meta = _meta(root)
    return build_record(
        id=Path(path).stem, title=title, text=text, source=path,
        summary=normalize_line(meta.get("description", "")),  # attribute whitespace is noise
        author=meta.get("author", ""),
        url=_canonical(root),
        date=_date(meta.get("article:published_time", "")),
    )


def decode_html(data: bytes) -> str:
    """UTF-8 first; else the encoding a ``<meta charset>`` declares; else ValueError."""
    try:
        return decode_utf8(data)
    except ValueError as utf8_error:
        m = _META_CHARSET.search(data[:4096])
        if not m:
            raise ValueError(f"{utf8_error}; no <meta charset> declared") from None
        charset = m[1].decode("ascii")
        try:
            return data.decode(charset)
        except LookupError:
            raise ValueError(f"{utf8_error}; declared charset {charset!r} is unknown") from None
        except UnicodeDecodeError:
            raise ValueError(f"not valid UTF-8 nor the declared charset {charset!r}") from None


def parse_html(source: str) -> _Node:
    builder = _TreeBuilder()
    builder.feed(source)
    builder.close()
    return builder.root


def _find(node: _Node, tag: str, skip_excluded: bool = False) -> _Node | None:
    """The first element named ``tag`` in document order (depth first)."""
    for child in node.children:
        if isinstance(child, str):
            continue
        if child.tag == tag:
            return child
        if skip_excluded and child.tag in EXCLUDED_TAGS:
            continue
        if found := _find(child, tag, skip_excluded):
            return found
    return None


def _text_of(node: _Node) -> str:
    return "".join(c if isinstance(c, str) else _text_of(c) for c in node.children)


def _render(node: _Node, omit: _Node | None = None) -> str:
    """Visible text: blocks become paragraphs ("\\n\\n"), ``<br>`` a line break."""
    paragraphs: list[list[str]] = [[""]]  # paragraphs -> lines -> text

    def new_paragraph() -> None:
        if paragraphs[-1] != [""]:
            paragraphs.append([""])

    def walk(current: _Node, pre: bool) -> None:
        for child in current.children:
            if isinstance(child, str):
                if pre:  # preformatted: its own line breaks are line breaks
                    first, *rest = child.split("\n")
                    paragraphs[-1][-1] += first
                    paragraphs[-1].extend(rest)
                else:
                    paragraphs[-1][-1] += child
                continue
            if child is omit or child.tag in EXCLUDED_TAGS or "hidden" in child.attrs:
                continue
            if child.tag == "br":
                paragraphs[-1].append("")
            elif child.tag in CELL_TAGS:
                paragraphs[-1][-1] += " "
                walk(child, pre)
                paragraphs[-1][-1] += " "
            elif child.tag in BLOCK_TAGS:
                new_paragraph()
                walk(child, pre or child.tag == "pre")
                new_paragraph()
            else:
                walk(child, pre)

    walk(node, node.tag == "pre")
    out = []
    for lines in paragraphs:
        cleaned = [normalize_line(line) for line in lines]
        text = "\n".join(line for line in cleaned if line)
        if text:
            out.append(text)
    return normalize_text("\n\n".join(out))


def _meta(root: _Node) -> dict[str, str]:
    """``<meta name=… content=…>`` (and ``property=``) values; the first of each wins."""
    found: dict[str, str] = {}

    def walk(node: _Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                continue
            if child.tag == "meta":
                key = (child.attrs.get("name") or child.attrs.get("property") or "").lower()
                if key and key not in found:
                    found[key] = child.attrs.get("content", "")
            walk(child)

    walk(root)
    return found


def _canonical(root: _Node) -> str:
    def walk(node: _Node) -> str:
        for child in node.children:
            if isinstance(child, str):
                continue
            if child.tag == "link" and "canonical" in child.attrs.get("rel", "").lower().split():
                return child.attrs.get("href", "")
            if found := walk(child):
                return found
        return ""

    return walk(root)


def _date(value: str) -> str:
    # Page metadata is a hint, not a source of truth: an unreadable date is left out.
    try:
        return parse_date(value[:10] if re.match(r"\d{4}-", value) else value)
    except ValueError:
        return ""
