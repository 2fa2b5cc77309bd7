"""Plain-text portal pages as a scraper saves them (see shared docs, vietnamese-text.md §7).

Layout: category line, title line, body paragraphs, an optional author line, an optional
related-articles block (``… (dd/mm/yyyy)`` lines), then page chrome (navigation, sidebar
headings). Only the title and the body are content; the chrome must not be searchable,
or every page would match "văn bản".
"""

from __future__ import annotations

import re
from pathlib import Path

from indexer.normalize import normalize_line, normalize_text
from indexer.readers.common import build_record, read_text
from indexer.record import Record

# Headings that open the related-articles list.
RELATED_HEADINGS = (
    "Các bài liên quan",
    "Bài liên quan",
    "Tin liên quan",
    "Các tin liên quan",
    "Bài viết liên quan",
    "Tin cùng chuyên mục",
    "Các tin khác",
    "Tin khác",
    "Các tin đã đưa",
)

# Navigation / toolbar / sidebar text. A line made only of these (in any case, possibly
# glued together like "Quay lạiXem tiếp" or separated by "|") is dropped.
NAVIGATION_LINES = (
    "Quay lại",
    "Xem tiếp",
    "Truyền thanh",
    "VĂN BẢN MỚI",
    "BỘ PHẬN MỘT CỬA",
    "LIÊN KẾT WEBSITE",
    "In bài",
    "In trang",
    "Bản in",
    "Chia sẻ",
    "Gửi email",
    "Về đầu trang",
    "Lên đầu trang",
    "Trang chủ",
    "Xem thêm",
)

# Of those, the ones that only occur after the article (end-of-article links and sidebar
# headings): once the body has started, everything from here on is page chrome.
# Toolbar items ("In bài", "Chia sẻ", …) may also sit above the body, so they are only dropped.
SECTION_END_LINES = (
    "Quay lại",
    "Xem tiếp",
    "Truyền thanh",
    "VĂN BẢN MỚI",
    "BỘ PHẬN MỘT CỬA",
    "LIÊN KẾT WEBSITE",
    "Về đầu trang",
    "Lên đầu trang",
)

# Bylines with an explicit label; the author is the text after the colon.
_AUTHOR_LABELLED = re.compile(
    r"(?:Thực hiện|Tác giả|(?:Tin|Bài)(?:\s*[,&/–-]\s*|\s+và\s+)ảnh|Nguồn)\s*:\s*(?P<author>\S.*)",
    re.IGNORECASE,
)
# "Theo Báo Hải Dương": a source credit. Body sentences also start with "Theo …"
# ("Theo kế hoạch, …"), so only a short line without clause punctuation qualifies.
_AUTHOR_THEO = re.compile(r"Theo\s+(?P<author>[^,;:]+)")
_THEO_MAX_WORDS = 10
_DOMAIN = re.compile(r"\w\.(?:vn|com|net|org|gov|info)\b", re.IGNORECASE)
# A byline is the last thing of an article; a labelled line followed by more than this
# many lines is a caption inside the body ("Nguồn: Tổng cục Thống kê"), not the byline.
_MAX_LINES_AFTER_AUTHOR = 2

_RELATED_ITEM = re.compile(r".*\(\s*\d{1,2}/\d{1,2}/\d{4}\s*\)")
_RELATED_HEADING = re.compile(
    "(?:"
    + "|".join(re.escape(h) for h in sorted(RELATED_HEADINGS, key=len, reverse=True))
    + r")\s*:?",
    re.IGNORECASE,
)
_NAVIGATION = re.compile(
    r"(?:[\s|/·•»«<>–—-]|"
    + "|".join(re.escape(n) for n in sorted(NAVIGATION_LINES, key=len, reverse=True))
    + r")+",
    re.IGNORECASE,
)
_SECTION_END = tuple(s.casefold() for s in SECTION_END_LINES)

_WORD = re.compile(r"[^\W\d_]+")


def read_portal(path: str | Path) -> Record:
    """Read one scraped portal page; raise ValueError if it has no category and title."""
    lines = [normalize_line(line) for line in normalize_text(read_text(path)).split("\n")]
    filled = [i for i, line in enumerate(lines) if line]
    if not filled:
        raise ValueError("empty file")
    if len(filled) < 2:
        raise ValueError("portal page has only one line (expected a category and a title)")
    category, title = lines[filled[0]], lines[filled[1]]
    article, related = _split_article(lines[filled[1] + 1:])
    body, author = _split_author(article)
    text = _paragraphs(unglue(line) for line in body)
    return build_record(id=Path(path).stem, title=title, text=text, source=path,
                        category=category, author=author, related=related)


def is_navigation(line: str) -> bool:
    """Whether a (normalised) line is only navigation text."""
    return bool(line.strip()) and _NAVIGATION.fullmatch(line) is not None


def _split_article(lines: list[str]) -> tuple[list[str], list[str]]:
    """Lines of the article (navigation blanked out) and the dated related items."""
    article: list[str] = []
    related: list[str] = []
    started = False
    for i, line in enumerate(lines):
        if _RELATED_HEADING.fullmatch(line):
            related = _related_items(lines[i + 1:])
            break
        if is_navigation(line):
            if started and any(end in line.casefold() for end in _SECTION_END):
                break
            article.append("")  # keep the paragraph break the line made
            continue
        started = started or bool(line)
        article.append(line)
    return article, related


def _related_items(lines: list[str]) -> list[str]:
    """Dated lines after the heading; the first other line ends the list."""
    items = []
    for line in lines:
        if not line:
            continue
        if not _RELATED_ITEM.fullmatch(line):
            break
        items.append(line)
    return items


def _author_of(line: str) -> str:
    if m := _AUTHOR_LABELLED.fullmatch(line):
        return m["author"].rstrip()
    if m := _AUTHOR_THEO.fullmatch(line):
        source = m["author"].rstrip()
        if len(source.split()) <= _THEO_MAX_WORDS and (
            source[0].isupper() or _DOMAIN.search(source)
        ):
            return source
    return ""


def _split_author(article: list[str]) -> tuple[list[str], str]:
    """Body lines and the author. The byline ends the body (what follows is dropped);
    a byline directly under the title is taken out of the body too."""
    content = [i for i, line in enumerate(article) if line]
    if not content:
        return article, ""
    for i in reversed(content):
        if author := _author_of(article[i]):
            if sum(1 for j in content if j > i) <= _MAX_LINES_AFTER_AUTHOR:
                return article[:i], author
            break  # the last labelled line is inside the body: no byline at the end
    first = content[0]
    if author := _author_of(article[first]):
        return article[first + 1:], author
    return article, ""


def _paragraphs(lines) -> str:
    """Keep single line breaks; any run of blank lines becomes one paragraph break."""
    text = "\n".join(lines)
    return re.sub(r"\n{2,}", "\n\n", text).strip("\n")


def unglue(line: str) -> str:
    """Put back the space a scraper lost between sentences: ``Huyện ủyCác`` -> ``Huyện ủy Các``.

    Split a word where a lowercase letter meets an uppercase one followed by lowercase,
    if the part before has at least two lowercase letters (so ``ThS``, ``TTg``, ``iPhone``,
    ``McDonald`` stay) and the two parts hold a non-ASCII (Vietnamese) letter, so ASCII
    names and identifiers (``YouTube``, ``arXiv``, ``easyJet``, ``articleId``) stay whole.
    """
    return _WORD.sub(lambda m: _unglue_word(m.group()), line)


def _unglue_word(word: str) -> str:
    parts: list[str] = []
    start = 0
    for i in range(1, len(word) - 1):
        if not (word[i - 1].islower() and word[i].isupper() and word[i + 1].islower()):
            continue
        left = word[start:i]
        if sum(ch.islower() for ch in left) < 2:
            continue
        end = next((j for j in range(i + 1, len(word))
                    if word[j - 1].islower() and word[j].isupper()), len(word))
        if (left + word[i:end]).isascii():
            continue
        parts.append(left)
        start = i
    parts.append(word[start:])
    return " ".join(parts)
