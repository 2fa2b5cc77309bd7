"""PDF files with a text layer, read with pypdf (imported only when a PDF is read).

Only the text layer is read: a scanned PDF (page images, no text) is reported as
"no text layer" rather than indexed as an empty document, since OCR is not done here.
Pages are separated by a blank line. Words hyphenated at a line end are left as they are:
Vietnamese syllables are short and rarely hyphenated, while joining "Kinh tế -" with the
next line would damage real hyphens (``Độc lập - Tự do - Hạnh phúc``, ``2025-2030``).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from indexer.readers.common import build_record, title_from_text
from indexer.record import Record

# Titles that PDF printers write for every file: the name of the source file, not a title.
_JUNK_TITLE = re.compile(
    r"(?:microsoft (?:word|powerpoint|excel) - .*|untitled\S*|.*\.(?:docx?|rtf|odt|pdf))",
    re.IGNORECASE,
)


def read_pdf(path: str | Path) -> Record:
    """Read one PDF: the text of every page; title from the document info, else the
    first non-empty line."""
    reader = _open(Path(path))
    pages, failure = _page_texts(reader)
    if not pages:
        raise ValueError(failure or "no text layer (scanned PDF?)")
    text = re.sub(r"\n{3,}", "\n\n", "\n\n".join(pages))
    title = _info_title(reader) or title_from_text(text)
    return build_record(id=Path(path).stem, title=title, text=text, source=path)


def _open(path: Path):
    from pypdf import PasswordType, PdfReader  # imported here: most runs read no PDF
    from pypdf.errors import DependencyError, PyPdfError

    # pypdf logs every repair it makes; what it cannot repair comes back as a ReadError
    # with the reason, and the rest would bury the run's own report.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    with path.open("rb") as file:  # OSError (missing, unreadable) goes to the caller
        head = file.read(1024)
    # Readers accept the header anywhere in the first 1 KiB (after some junk).
    if b"%PDF-" not in head:
        raise ValueError("not a PDF file (no %PDF- header)" if head else "empty file")
    try:
        reader = PdfReader(path)
        # pypdf has already tried the empty password; a PDF that only restricts printing
        # or copying (an owner password) opens with it.
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise ValueError("encrypted PDF (a password is needed to open it)")
        if len(reader.pages) == 0:
            raise ValueError("PDF has no pages")
    except DependencyError:  # AES-256 needs the 'cryptography' package
        raise ValueError("encrypted PDF (its cipher cannot be read here)") from None
    except PyPdfError as exc:  # e.g. a truncated file: "Stream has ended unexpectedly"
        raise ValueError(f"damaged PDF ({exc})") from None
    except (KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        # pypdf is lenient and walks damaged object trees until something does not fit.
        raise ValueError(f"damaged PDF ({type(exc).__name__}: {exc})") from None
    return reader


def _page_texts(reader) -> tuple[list[str], str]:
    """The non-empty page texts, and the reason to give if there is none."""
    from pypdf.errors import DependencyError

    pages: list[str] = []
    failure = ""
    for number, page in enumerate(reader.pages, 1):
        try:
            raw = page.extract_text() or ""
        except DependencyError:
            raise ValueError("encrypted PDF (its cipher cannot be read here)") from None
        except Exception as exc:  # one damaged page must not lose the others
            failure = failure or f"cannot extract text (page {number}: {exc})"
            continue
        lines = [line.rstrip() for line in raw.split("\n")]
        page_text = "\n".join(lines).strip("\n")
        if page_text.strip():
            pages.append(page_text)
    return pages, failure


def _info_title(reader) -> str:
    try:
        info = reader.metadata
        title = str(info.title or "") if info is not None else ""
    except Exception:  # a damaged info dictionary only costs the title
        return ""
    title = title_from_text(title.replace("\n", " "))
    return "" if _JUNK_TITLE.fullmatch(title) else title
