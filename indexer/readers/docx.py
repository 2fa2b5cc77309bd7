"""Word ``.docx`` files, read with python-docx (imported only when a .docx is read).

The body is walked in document order straight from its XML, so text that python-docx's
paragraph API leaves out is kept: tracked insertions, content controls, fields, text boxes.
Each paragraph is a block and blocks are separated by a blank line. A table is read row by
row, each cell a block of its paragraphs' lines: an official document's header is such a
table (issuing body | national motto, number | place and date), and this keeps every line
of it whole ("Số: 215/QĐ-UBND") for the metadata extraction that reads the text later.
Page headers and footers are not read: they repeat on every page and say little.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from indexer.readers.common import build_record, title_from_text
from indexer.record import Record

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

# Run content and the text it stands for.
_RUN_TEXT = {f"{_W}tab": "\t", f"{_W}ptab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n",
             f"{_W}noBreakHyphen": "-"}
# Never visible text: properties, deleted or moved-away runs, and the fallback copy of a
# drawing (``mc:Fallback`` repeats the text box of ``mc:Choice``).
_SKIPPED = frozenset({f"{_W}pPr", f"{_W}rPr", f"{_W}del", f"{_W}moveFrom",
                      f"{_MC}Fallback", f"{_W}sectPr", f"{_W}tblPr", f"{_W}tblGrid",
                      f"{_W}trPr", f"{_W}tcPr"})
# Styles whose first paragraph is the document's title (names as python-docx reports them).
_TITLE_STYLES = ("title", "heading 1")
# An old binary Word file (or an encrypted .docx, which Word stores the same way).
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_docx(path: str | Path) -> Record:
    """Read one .docx: paragraphs and table cells in order. Title: the core properties'
    title, else the first Title / Heading 1 paragraph, else the first non-empty paragraph
    outside a table, else the first line."""
    document = _open(Path(path))
    title_ids = {style.style_id for style in document.styles
                 if (style.name or "").lower() in _TITLE_STYLES}
    blocks: list[str] = []
    styled = first = ""
    for text, style_id in _blocks(document.element.body):
        if not text.strip():
            continue
        if style_id is not None:  # a paragraph, not a table cell (the header table is
            first = first or text  # the issuing body and the motto: no title)
            if not styled and style_id in title_ids:
                styled = text
        blocks.append(text)
    # Blank lines inside a paragraph (``<w:br/>`` twice) must not look like more blocks.
    text = re.sub(r"\n{3,}", "\n\n", "\n\n".join(blocks))
    # A title broken over lines (``<w:br/>`` in a heading) is still one title.
    title = (document.core_properties.title or "").strip() or (styled or first).replace("\n", " ")
    title = title_from_text(title or text)
    if not title and not text.strip():
        raise ValueError("empty document")
    return build_record(id=Path(path).stem, title=title, text=text, source=path)


def _open(path: Path):
    from docx import Document  # python-docx and lxml: imported only when a .docx is read
    from docx.opc.exceptions import PackageNotFoundError

    with path.open("rb") as file:  # OSError (missing, unreadable) goes to the caller
        head = file.read(8)
        if not head:
            raise ValueError("empty file")
        if head == _OLE_MAGIC:
            raise ValueError("not a .docx file: an old Word .doc or a password-protected "
                             "document (OLE container)")
        if not zipfile.is_zipfile(file):
            raise ValueError("not a .docx file (not a zip archive, or a truncated one)")
    try:
        return Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError) as exc:
        raise ValueError(f"not a readable .docx file ({type(exc).__name__}: {exc})") from None
    except ValueError as exc:  # e.g. a .xlsx renamed: "... is not a Word file"
        raise ValueError(f"not a readable .docx file ({exc})") from None
    except SyntaxError as exc:  # lxml's XMLSyntaxError: a damaged part inside the zip
        raise ValueError(f"damaged .docx file (bad XML: {exc})") from None


def _blocks(container) -> Iterator[tuple[str, str | None]]:
    """(text, paragraph style id) of each paragraph in ``container``; a table gives
    (cell text, None) cell by cell."""
    for child in container:
        tag = child.tag
        if tag == f"{_W}p":
            boxes: list = []
            parts: list[str] = []
            _runs(child, parts, boxes)
            yield "".join(parts), _style_id(child)
            for box in boxes:  # a text box's paragraphs follow the one anchoring it
                yield from _blocks(box)
        elif tag == f"{_W}tbl":
            yield from _table(child)
        elif tag not in _SKIPPED:  # content controls, custom XML: look inside
            yield from _blocks(child)


def _table(table) -> Iterator[tuple[str, None]]:
    for row in table.iter(f"{_W}tr"):
        if _ancestor_table(row) is not table:  # a nested table is read from its cell
            continue
        for cell in row.iter(f"{_W}tc"):
            if _ancestor_table(cell) is not table:
                continue
            # The cell's paragraphs are its lines; the cell as a whole is one block.
            lines = [text for text, _ in _blocks(cell) if text.strip()]
            if lines:
                yield "\n".join(lines), None


def _ancestor_table(element):
    parent = element.getparent()
    while parent is not None and parent.tag != f"{_W}tbl":
        parent = parent.getparent()
    return parent


def _runs(element, parts: list[str], boxes: list) -> None:
    """Append the visible text under ``element`` to ``parts``; collect its text boxes."""
    for child in element:
        tag = child.tag
        if tag == f"{_W}t":
            parts.append(child.text or "")
        elif tag in _RUN_TEXT:
            parts.append(_RUN_TEXT[tag])
        elif tag == f"{_W}txbxContent":
            boxes.append(child)
        elif tag not in _SKIPPED:
            _runs(child, parts, boxes)


def _style_id(paragraph) -> str:
    style = paragraph.find(f"{_W}pPr/{_W}pStyle")
    return "" if style is None else style.get(f"{_W}val", "")
