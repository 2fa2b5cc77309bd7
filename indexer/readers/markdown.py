"""Markdown documents: the words are content, the syntax is not.

Optional front matter (``---`` lines at the very top holding ``key: value`` pairs) gives
the metadata; it is parsed by hand (flat keys only) to avoid a YAML dependency.
The heading used as the title is not repeated in the text (as for the other formats).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from indexer.normalize import normalize_text
from indexer.readers.common import build_record, parse_date, read_text, title_from_text
from indexer.record import Record

FRONT_MATTER_KEYS = ("id", "title", "date", "doc_number", "doc_type", "issuer", "signer",
                     "url", "category", "author", "summary")

_KEY_VALUE = re.compile(r"([A-Za-z_][\w-]*)\s*:\s*(.*)")
_FENCE = re.compile(r"\s{0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"\s{0,3}(#{1,6})(?:\s+(.*?))?(?:\s+#+)?\s*")
_SETEXT = re.compile(r"\s{0,3}(=+|-+)\s*")
_RULE = re.compile(r"\s{0,3}(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})")
_QUOTE = re.compile(r"^\s*(?:>\s?)+")
_LIST = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?")
_TABLE_RULE = re.compile(r"\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*")
_LINK_DEF = re.compile(r"\s{0,3}\[[^\]]+\]:\s*\S+.*")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)

# Inline syntax, applied outside code spans.
_IMAGE = re.compile(r"!\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])")
_LINK = re.compile(r"\[([^\]]*)\](?:\((?:[^()]|\([^)]*\))*\)|\[[^\]]*\])")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+)>")
_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_STARS = re.compile(r"(?<!\s)\*+|\*+(?!\s)")  # a run of * touching a word: emphasis
_STRIKE = re.compile(r"~~")
# Underscores delimit emphasis only at a word edge: snake_case keeps its underscores.
_UNDERSCORES = re.compile(r"(?<!\w)_+(?=\S)|(?<=\S)_+(?!\w)")
# Backslash escapes are hidden in the private-use area until the markers are gone.
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|<])")
_HIDE = 0xE000
_HIDDEN = re.compile(f"[{chr(_HIDE)}-{chr(_HIDE + 127)}]")


def read_markdown(path: str | Path) -> Record:
    """Read one Markdown file; metadata from front matter, title from the first ``#`` heading."""
    source = normalize_text(read_text(path))
    meta, body = _front_matter(source)
    lines, heading_at = _strip_blocks(_COMMENT.sub("", body).split("\n"))
    title = meta.pop("title", "")
    if not title and heading_at is not None:
        title = lines[heading_at]
        del lines[heading_at]  # the title is its own field; do not repeat it in the text
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    if not title:
        title = title_from_text(text)
    if not title and not text:
        raise ValueError("empty document")
    record_id = meta.pop("id", "") or Path(path).stem
    date = parse_date(meta.pop("date", ""))
    return build_record(id=record_id, title=title, text=text, date=date, source=path, **meta)


def _front_matter(source: str) -> tuple[dict[str, str], str]:
    """Metadata and the rest of the document; no front matter if any line inside the
    ``---`` block is not ``key: value`` (then the ``---`` was a rule, not front matter)."""
    lines = source.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, source
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        return {}, source
    meta: dict[str, str] = {}
    for line in lines[1:end]:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _KEY_VALUE.fullmatch(line.strip())
        if not m:
            return {}, source
        key, value = m[1].lower().replace("-", "_"), m[2].strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        if key in FRONT_MATTER_KEYS and key not in meta:
            meta[key] = value
    return meta, "\n".join(lines[end + 1:])


def _strip_blocks(lines: list[str]) -> tuple[list[str], int | None]:
    """Plain lines, and the index of the first level-1 heading (the title) if any."""
    out: list[str] = []
    heading_at = None
    fence = ""
    for line in lines:
        if fence:  # inside a fenced code block: the code is text, kept as written
            if line.strip().startswith(fence):
                fence = ""
            else:
                out.append(line.rstrip())
            continue
        if m := _FENCE.match(line):
            fence = m[1][0] * len(m[1])
            continue
        if _LINK_DEF.fullmatch(line) or ("|" in line and _TABLE_RULE.fullmatch(line)):
            continue
        if out and out[-1] and (m := _SETEXT.fullmatch(line)):
            if m[1][0] == "=" and heading_at is None:  # "Title\n=====" is a level-1 heading
                heading_at = len(out) - 1
            continue
        if _RULE.fullmatch(line):
            out.append("")
            continue
        if m := _ATX.fullmatch(line):
            if len(m[1]) == 1 and heading_at is None:
                heading_at = len(out)
            out.append(_inline(m[2] or ""))
            continue
        body = _QUOTE.sub("", line, count=1) if line.lstrip().startswith(">") else line
        body = _LIST.sub("", body, count=1).strip()
        if body.startswith("|") or body.endswith("|"):  # a table row: keep the cells
            cells = [c.strip() for c in body.strip("|").split("|")]
            body = " | ".join(c for c in cells if c)
        out.append(_inline(body))
    return out, heading_at


def _inline(line: str) -> str:
    """Drop inline Markdown markers, keep the words (code spans are kept verbatim)."""
    line = _ESCAPE.sub(lambda m: chr(_HIDE + ord(m[1])), line)
    parts = []
    last = 0
    for m in _CODE_SPAN.finditer(line):
        parts.append(_plain(line[last:m.start()]))
        parts.append(_unhide(m[2].strip(), "\\"))  # escapes do not apply in code
        last = m.end()
    parts.append(_plain(line[last:]))
    return _unhide("".join(parts))


def _unhide(text: str, prefix: str = "") -> str:
    return _HIDDEN.sub(lambda m: prefix + chr(ord(m[0]) - _HIDE), text)


def _plain(text: str) -> str:
    text = _IMAGE.sub("", text)
    text = _LINK.sub(lambda m: m[1], text)
    text = _AUTOLINK.sub(lambda m: m[1], text)
    text = _TAG.sub("", text)
    text = _STRIKE.sub("", text)
    text = _STARS.sub("", text)
    text = _UNDERSCORES.sub("", text)
    text = html.unescape(text)
    return re.sub(r"[ ]{2,}", " ", text)
