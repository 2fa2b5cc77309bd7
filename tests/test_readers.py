"""The file readers: real files (written to tmp_path, or read in place from ../shared)."""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from pathlib import Path

import pytest

from indexer.readers import (
    SUPPORTED_SUFFIXES,
    iter_files,
    read_html,
    read_markdown,
    read_portal,
    read_records,
    read_sources,
)
from indexer.readers.common import parse_date, title_from_text
from indexer.readers.portal import unglue
from indexer.record import ReadError, Record

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PORTAL_PAGE = SHARED / "corpus" / "portal" / "000_9621e5eb919ebfc1.txt"
LEGAL_DOCUMENTS = SHARED / "corpus" / "official" / "legal-documents.jsonl.gz"

needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is not available")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def all_strings(record: Record) -> list[str]:
    return [v for k, v in record.to_dict().items() if isinstance(v, str) and k != "source"] + \
        list(record.related)


def assert_normalised(record: Record) -> None:
    for value in all_strings(record):
        assert value == unicodedata.normalize("NFC", value)
        assert "\u00a0" not in value and "\u00d0" not in value and "\u200b" not in value


def records_and_errors(items):
    items = list(items)
    return ([i for i in items if isinstance(i, Record)],
            [i for i in items if isinstance(i, ReadError)])


# --- the real portal page (read in place) ---------------------------------------------

@pytest.fixture(scope="module")
def portal_record() -> Record:
    if not PORTAL_PAGE.is_file():
        pytest.skip("../shared portal page is not available")
    return read_portal(PORTAL_PAGE)


def test_portal_page_fields(portal_record: Record) -> None:
    r = portal_record
    assert r.id == "000_9621e5eb919ebfc1"
    assert r.source == str(PORTAL_PAGE)
    assert r.category == "Chính trị"
    assert r.title == ("Văn phòng Huyện ủy Ninh Giang - Phát huy truyền thống 90 năm "
                       "Văn phòng cấp uỷ")
    assert r.author.startswith("Đồng chí")
    # the whole author line (read in place, not copied here): a name, a role, a period
    assert r.author.startswith("Đồng chí ") and r.author.endswith(
        " – HUV, Chánh Văn phòng Huyện ủy.")
    assert r.date == ""
    assert r.text.startswith("Lịch sử ra đời và phát triển của Văn phòng cấp ủy")
    assert r.text.endswith("trên địa bàn huyện trong sạch vững mạnh./.")
    assert r.text.count("\n\n") == 6  # seven body paragraphs
    assert "\n\n\n" not in r.text


def test_portal_page_related(portal_record: Record) -> None:
    assert len(portal_record.related) == 5
    assert all(re.search(r"\(\d{2}/\d{2}/\d{4}\)$", item) for item in portal_record.related)
    assert portal_record.related[0].startswith("Huyện ủy Ninh Giang tổ chức Hội nghị gặp mặt")
    assert portal_record.related[0].endswith("các đoàn thể (12/10/2020)")
    assert portal_record.related[-1].endswith("nhiệm kỳ 2020-2025 (15/09/2020)")


def test_portal_page_body_has_no_chrome(portal_record: Record) -> None:
    for chrome in ("Truyền thanh", "VĂN BẢN MỚI", "LIÊN KẾT WEBSITE", "BỘ PHẬN MỘT CỬA",
                   "Quay lại", "Xem tiếp", "Các bài liên quan", "Thực hiện:", "(12/10/2020)"):
        assert chrome not in portal_record.text


def test_portal_page_is_normalised(portal_record: Record) -> None:
    assert_normalised(portal_record)
    assert "\u00d0" not in repr(portal_record.to_dict())
    assert "tài sản của Đảng" in portal_record.text  # written with U+00D0 in the file
    assert "CNH, HĐH" in portal_record.text
    assert "Huyện ủy Các thế hệ" in portal_record.text  # scraper-glued sentences split
    assert "yêu nước" in portal_record.text  # two NBSPs became one space


# --- own portal samples ----------------------------------------------------------------

def test_portal_without_related_block(tmp_path: Path) -> None:
    page = write(tmp_path / "tin-1.txt", (
        "Kinh tế\n"
        "Xã Tân Hưng ra mắt mô hình  nông thôn mới kiểu mẫu\n"
        "\u00a0\n"
        "Sáng nay, UBND xã tổ chức lễ ra mắt mô hình.\n"
        "\n\n\n"
        "Theo kế hoạch, năm 2025 xã hoàn thành các tiêu chí.Người dân phấn khởi\n"
        "Ban chỉ đạo xã đã họp.Sau đó, HĐND xã thông qua nghị quyếtMới.\n"
        "\n"
        "Tin, ảnh: Nguyễn Thị Hoa\n"
        "\u00a0\n"
        "Quay lạiXem tiếp\u00a0\u00a0\n"
        "VĂN BẢN MỚI\n"
        "Quyết định số 12/QĐ-UBND về kế hoạch năm 2025\n"
    ))
    r = read_portal(page)
    assert r.id == "tin-1"
    assert r.category == "Kinh tế"
    assert r.title == "Xã Tân Hưng ra mắt mô hình nông thôn mới kiểu mẫu"
    assert r.author == "Nguyễn Thị Hoa"
    assert r.related == []
    assert r.text == (
        "Sáng nay, UBND xã tổ chức lễ ra mắt mô hình.\n\n"
        "Theo kế hoạch, năm 2025 xã hoàn thành các tiêu chí.Người dân phấn khởi\n"
        "Ban chỉ đạo xã đã họp.Sau đó, HĐND xã thông qua nghị quyết Mới."
    )


def test_portal_navigation_dropped_without_author_or_related(tmp_path: Path) -> None:
    page = write(tmp_path / "p.txt", (
        "Văn hóa\nLễ hội đền Bà Chúa Kho\nIn bài | Chia sẻ\n"
        "Lễ hội diễn ra từ ngày 14 tháng Giêng.\n\nNguồn: Tổng cục Thống kê\n\n"
        "Đoạn hai.\n\nĐoạn ba.\n\nĐoạn bốn.\n"
        "Về đầu trang\nLIÊN KẾT WEBSITE\nCổng thông tin điện tử tỉnh\n"
    ))
    r = read_portal(page)
    assert r.author == ""  # "Nguồn:" here is a caption inside the body, not the byline
    assert r.text == ("Lễ hội diễn ra từ ngày 14 tháng Giêng.\n\nNguồn: Tổng cục Thống kê\n\n"
                      "Đoạn hai.\n\nĐoạn ba.\n\nĐoạn bốn.")


def test_portal_source_credit_and_related_list_end(tmp_path: Path) -> None:
    page = write(tmp_path / "p.txt", (
        "Xã hội\nTiêm chủng mở rộng\nNội dung bài viết.\n\nTheo Báo Hải Dương\n\n"
        "Tin liên quan:\nBài một (01/02/2024)\n\nBài hai\u00a0(2/3/2024)\n"
        "Truyền thanh\nBản tin sáng (03/03/2024)\n"
    ))
    r = read_portal(page)
    assert r.author == "Báo Hải Dương"
    assert r.text == "Nội dung bài viết."
    assert r.related == ["Bài một (01/02/2024)", "Bài hai (2/3/2024)"]


def test_portal_empty_and_one_line(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="empty"):
        read_portal(write(tmp_path / "empty.txt", " \n\u00a0\n\n"))
    with pytest.raises(ValueError, match="only one line"):
        read_portal(write(tmp_path / "one.txt", "Chính trị\n"))


@pytest.mark.parametrize(("glued", "fixed"), [
    ("Huyện ủyCác", "Huyện ủy Các"),
    ("Việt NamCác", "Việt Nam Các"),
    ("thường trựcĐảng", "thường trực Đảng"),
    ("ThS Nguyễn", "ThS Nguyễn"),
    ("TTg", "TTg"),
    ("iPhone", "iPhone"),
    ("McDonald", "McDonald"),
    ("YouTube", "YouTube"),
    ("arXiv", "arXiv"),
    ("HĐND", "HĐND"),
])
def test_unglue(glued: str, fixed: str) -> None:
    assert unglue(glued) == fixed


# --- JSON Lines and JSON -----------------------------------------------------------------

def test_jsonl_good_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "qd-1", "title": "Quyết định 12/QĐ-UBND", "text": "Điều 1. Phê duyệt.",
                    "doc_number": "12/QĐ-UBND", "date": "05/03/2025", "source": "crawler"},
                   ensure_ascii=False),
        '{"id": "broken", "title": ',
        json.dumps({"title": "Không có mã", "text": "x"}, ensure_ascii=False),
        json.dumps({"id": "qd-2", "title": "Sai ngày", "text": "x", "date": "31/02/2025"},
                   ensure_ascii=False),
        "",
        json.dumps({"id": 123, "title": "", "text": "Dòng đầu làm tiêu đề\nDòng hai",
                    "date": "2025-1-7T08:30:00", "related": ["A (01/01/2025)"]},
                   ensure_ascii=False),
        json.dumps({"id": "empty", "title": " ", "text": ""}),
        json.dumps({"id": "bad-type", "title": "T", "text": "x", "author": {"name": "A"}}),
        json.dumps(["not", "an", "object"]),
    ]
    path = write(tmp_path / "docs.jsonl", "\n".join(lines) + "\n")
    records, errors = records_and_errors(read_records(path))

    assert [r.id for r in records] == ["qd-1", "123"]
    first, second = records
    assert first.title == "Quyết định 12/QĐ-UBND"
    assert first.doc_number == "12/QĐ-UBND"
    assert first.date == "2025-03-05"
    assert first.source == str(path)
    assert second.title == "Dòng đầu làm tiêu đề"
    assert second.date == "2025-01-07"
    assert second.related == ["A (01/01/2025)"]

    assert [(e.source, e.reason) for e in errors] == [
        (f"{path}:2", errors[0].reason),
        (f"{path}:3", "record has no id"),
        (f"{path}:4", "record 'qd-2': invalid date '31/02/2025'"),
        (f"{path}:7", "record 'empty' has neither title nor text"),
        (f"{path}:8", "field 'author' must be a string, a number or a list of them, "
                      "got object"),
        (f"{path}:9", "expected a JSON object, got list"),
    ]
    assert errors[0].reason.startswith("invalid JSON:")
    assert str(errors[1]) == f"{path}:3: record has no id"


def test_jsonl_gz_and_nfd(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Nghị quyết về phát triển kinh tế")
    path = tmp_path / "news.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for i in range(3):
            f.write(json.dumps({"id": f"n{i}", "title": nfd, "text": f"{nfd}\u00a0số {i}",
                                "summary": "Tóm\u200btắt", "url": "https://example.vn/a"},
                               ensure_ascii=False) + "\n")
    records, errors = records_and_errors(read_records(path))
    assert errors == []
    assert [r.id for r in records] == ["n0", "n1", "n2"]
    assert records[0].title == "Nghị quyết về phát triển kinh tế"
    assert records[0].title != nfd
    assert records[2].text == "Nghị quyết về phát triển kinh tế số 2"
    assert records[0].summary == "Tómtắt"
    for r in records:
        assert_normalised(r)


def test_jsonl_invalid_utf8_line_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b'{"id": "a", "title": "T\xff"}\n'
                     + '{"id": "b", "title": "Tốt"}\n'.encode())
    records, errors = records_and_errors(read_records(path))
    assert [r.id for r in records] == ["b"]
    assert errors[0].source == f"{path}:1"
    assert "not valid UTF-8" in errors[0].reason


def test_truncated_gzip_keeps_earlier_records(tmp_path: Path) -> None:
    path = tmp_path / "cut.jsonl.gz"
    payload = "".join(json.dumps({"id": f"d{i}", "title": "Tiêu đề " * 50}, ensure_ascii=False)
                      + "\n" for i in range(200))
    data = gzip.compress(payload.encode("utf-8"))
    path.write_bytes(data[: len(data) // 2])
    records, errors = records_and_errors(read_records(path))
    assert records and records[0].id == "d0"
    assert len(errors) == 1 and errors[0].source == str(path)
    assert errors[0].reason.startswith("cannot read file")


def test_json_list_object_and_documents(tmp_path: Path) -> None:
    listed = write(tmp_path / "list.json", json.dumps([
        {"id": "a", "title": "Thông tư 01", "text": "Nội dung", "date": "2025-12-01"},
        {"id": "b", "text": "Chỉ có nội dung"},
        {"title": "Thiếu mã"},
    ], ensure_ascii=False))
    records, errors = records_and_errors(read_records(listed))
    assert [(r.id, r.title, r.date) for r in records] == [
        ("a", "Thông tư 01", "2025-12-01"), ("b", "Chỉ có nội dung", "")]
    assert [(e.source, e.reason) for e in errors] == [(f"{listed}[2]", "record has no id")]

    single = write(tmp_path / "one.json", json.dumps(
        {"id": "c", "title": "Công văn", "text": ["Đoạn một.", "Đoạn hai."],
         "signer": "Trần Văn An", "issuer": 7}, ensure_ascii=False))
    (record,) = read_records(single)
    assert record.text == "Đoạn một.\n\nĐoạn hai."
    assert record.signer == "Trần Văn An" and record.issuer == "7"

    wrapped = write(tmp_path / "wrapped.json", json.dumps(
        {"documents": [{"id": "d", "title": "Kế hoạch"}, {"id": "e", "title": "Báo cáo"}]},
        ensure_ascii=False))
    assert [r.id for r in read_records(wrapped)] == ["d", "e"]

    broken = write(tmp_path / "broken.json", '[{"id": "x",\n "title": }]')
    (error,) = read_records(broken)
    assert isinstance(error, ReadError)
    assert error.source == f"{broken}:2" and error.reason.startswith("invalid JSON")


@pytest.mark.parametrize(("raw", "iso"), [
    ("05/03/2025", "2025-03-05"),
    ("5/3/2025", "2025-03-05"),
    ("2025-03-05", "2025-03-05"),
    ("2025-03-05T14:20:00", "2025-03-05"),
    ("2025-03-05T14:20:00+07:00", "2025-03-05"),
    ("", ""),
])
def test_parse_date(raw: str, iso: str) -> None:
    assert parse_date(raw) == iso


@pytest.mark.parametrize("raw", ["31/02/2025", "2025-13-01", "hôm qua", "03.05.2025"])
def test_parse_date_rejects(raw: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f"invalid date '{raw}'")):
        parse_date(raw)


def test_title_from_text_is_cut_at_a_word() -> None:
    title = title_from_text("\n\n" + "nghị quyết " * 40)
    assert len(title) <= 200 and title.endswith("quyết") and title.startswith("nghị quyết")


@needs_shared
def test_real_legal_documents() -> None:
    if not LEGAL_DOCUMENTS.is_file():
        pytest.skip("legal-documents.jsonl.gz is not available")
    records, errors = records_and_errors(read_records(LEGAL_DOCUMENTS))
    assert errors == []
    assert len(records) == 424
    assert len({r.id for r in records}) == 424
    dated = [r.date for r in records if r.date]
    assert dated and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in dated)
    assert all(r.title and r.source == str(LEGAL_DOCUMENTS) for r in records)


# --- Markdown -----------------------------------------------------------------------------

MARKDOWN = """---
date: 05/03/2025
doc_number: "12-QC/HU"
issuer: Huyện ủy Ninh Giang
layout: post
---

# Quy chế làm việc của Ban Chấp hành

Văn bản **quan trọng** về _cải cách hành chính_ và tệp cau_hinh_mau.
Xem [Cổng thông tin](https://example.vn/a_(b)) và ![ảnh minh họa](anh.png) nữa.
Mã `a*b_c` và \\*không nhấn\\* __đậm__ ~~bỏ~~.

## Điều 1

> Trích dẫn: *nghị quyết*

- mục một
* mục hai
1. mục ba

| Cột A | Cột B |
|---|:---:|
| ô 1 | ô 2 |

```
x = a_b * 2  # **giữ nguyên**
```
5 * 3 = 15 &amp; xong
"""


def test_markdown_front_matter_and_stripping(tmp_path: Path) -> None:
    r = read_markdown(write(tmp_path / "quy-che.md", MARKDOWN))
    assert r.id == "quy-che"
    assert r.title == "Quy chế làm việc của Ban Chấp hành"
    assert (r.date, r.doc_number, r.issuer) == ("2025-03-05", "12-QC/HU", "Huyện ủy Ninh Giang")
    assert r.text == (
        "Văn bản quan trọng về cải cách hành chính và tệp cau_hinh_mau.\n"
        "Xem Cổng thông tin và nữa.\n"
        "Mã a*b_c và *không nhấn* đậm bỏ.\n\n"
        "Điều 1\n\n"
        "Trích dẫn: nghị quyết\n\n"
        "mục một\nmục hai\nmục ba\n\n"
        "Cột A | Cột B\nô 1 | ô 2\n\n"
        "x = a_b * 2  # **giữ nguyên**\n"
        "5 * 3 = 15 & xong"
    )


def test_markdown_without_heading_or_front_matter(tmp_path: Path) -> None:
    r = read_markdown(write(tmp_path / "ghi-chu.markdown",
                            "---\n\nĐây là **ghi chú** đầu tiên.\n\nDòng sau.\n"))
    assert r.title == "Đây là ghi chú đầu tiên."
    assert r.text == "Đây là ghi chú đầu tiên.\n\nDòng sau."
    assert r.date == ""


def test_markdown_front_matter_id_and_bad_date(tmp_path: Path) -> None:
    r = read_markdown(write(tmp_path / "a.md", "---\nid: tb-07\ntitle: Thông báo\n---\nNội dung"))
    assert (r.id, r.title, r.text) == ("tb-07", "Thông báo", "Nội dung")
    with pytest.raises(ValueError, match="invalid date '30/02/2025'"):
        read_markdown(write(tmp_path / "b.md", "---\ndate: 30/02/2025\n---\n# T\n"))


# --- HTML -----------------------------------------------------------------------------------

HTML = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<title>Thông báo lịch tiếp dân - Cổng TTĐT huyện</title>
<meta name="description" content="Lịch tiếp công dân   tháng 3/2025">
<link rel="canonical" href="https://example.vn/tiep-dan">
<style>body{color:red}</style><script>var x = "văn bản";</script>
</head><body>
<header><h1>Cổng thông tin</h1><nav><a href="/">Trang chủ</a> | <a>Văn bản</a></nav></header>
<aside><article><h2>Tin khác</h2><p>Không lấy</p></article></aside>
<article>
<h1>Thông báo lịch tiếp công dân</h1>
<p>Ủy ban nhân dân huyện&nbsp;thông báo lịch   tiếp công dân<br>tháng 3 năm 2025.</p>
<div>Địa điểm: <b>Trụ sở</b> UBND &amp; HĐND</div>
<ul><li>Thứ Hai</li><li>Thứ Năm</li></ul>
<table><tr><td>Ngày</td><td>Người tiếp</td></tr><tr><td>03/03</td><td>Chủ tịch</td></tr></table>
<form><button>Gửi</button></form><noscript>Bật JavaScript</noscript>
<script>alert("văn bản")</script>
</article>
<footer>Bản quyền thuộc về UBND huyện</footer>
</body></html>
"""


def test_html_article_extraction(tmp_path: Path) -> None:
    r = read_html(write(tmp_path / "tiep-dan.html", HTML))
    assert r.id == "tiep-dan"
    assert r.title == "Thông báo lịch tiếp công dân"
    assert r.summary == "Lịch tiếp công dân tháng 3/2025"
    assert r.url == "https://example.vn/tiep-dan"
    assert r.text == (
        "Ủy ban nhân dân huyện thông báo lịch tiếp công dân\ntháng 3 năm 2025.\n\n"
        "Địa điểm: Trụ sở UBND & HĐND\n\n"
        "Thứ Hai\n\nThứ Năm\n\n"
        "Ngày Người tiếp\n\n03/03 Chủ tịch"
    )
    for chrome in ("Trang chủ", "Văn bản", "Không lấy", "Bản quyền", "Gửi", "alert",
                   "JavaScript", "color"):
        assert chrome not in r.text
    assert_normalised(r)


def test_html_body_fallback_and_title_tag(tmp_path: Path) -> None:
    page = write(tmp_path / "b.htm", (
        "<html><head><title>Trang  tin huyện</title></head><body>"
        "<nav>Menu chính</nav><div>Đoạn một</div><p>Đoạn <i>hai</i></p>"
        "<footer>Liên hệ</footer></body></html>"
    ))
    r = read_html(page)
    assert r.title == "Trang tin huyện"
    assert r.text == "Đoạn một\n\nĐoạn hai"


def to_cp1258(text: str) -> bytes:
    """Windows-1258 has no precomposed toned letters: the tone is a combining mark."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out += (base + tones).encode("cp1258")
    return bytes(out)


def test_html_main_and_declared_charset(tmp_path: Path) -> None:
    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; '
            'charset=windows-1258"></head><body><div>Ngoài</div>'
            '<main><h2>Đề mục</h2><p>Hội đồng nhân dân</p></main></body></html>')
    path = tmp_path / "cp.html"
    path.write_bytes(to_cp1258(html))
    r = read_html(path)
    assert r.title == "Đề mục"  # no <h1>, no <title>: the first line
    assert r.text == "Đề mục\n\nHội đồng nhân dân"
    assert_normalised(r)


def test_html_undecodable_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.html"
    path.write_bytes("<p>Hội đồng</p>".encode("utf-16-le"))
    _, errors = records_and_errors(read_sources([path]))
    assert len(errors) == 1 and "UTF-8" in errors[0].reason


# --- read_sources / iter_files -----------------------------------------------------------

def make_tree(root: Path) -> None:
    write(root / "b" / "tin.txt", "Chính trị\nTiêu đề tin\nNội dung tin.\n")
    write(root / "a.jsonl", json.dumps({"id": "j1", "title": "Bản ghi"}, ensure_ascii=False))
    write(root / "b" / "ghi-chu.md", "# Ghi chú\nNội dung.\n")
    write(root / "c.html", "<h1>Trang</h1><p>Nội dung trang.</p>")
    write(root / "README.md", "# Mô tả thư mục\n")
    write(root / "notes.odt", "không đọc")
    write(root / ".hidden.txt", "Ẩn\nẨn\n")
    write(root / ".cache" / "x.jsonl", json.dumps({"id": "hidden", "title": "Ẩn"}))


def test_directory_walk(tmp_path: Path) -> None:
    make_tree(tmp_path)
    files = list(iter_files([tmp_path]))
    assert files == [tmp_path / "a.jsonl", tmp_path / "b" / "ghi-chu.md",
                     tmp_path / "b" / "tin.txt", tmp_path / "c.html"]
    records, errors = records_and_errors(read_sources([tmp_path]))
    assert errors == []
    assert [(r.id, r.title) for r in records] == [
        ("j1", "Bản ghi"), ("ghi-chu", "Ghi chú"), ("tin", "Tiêu đề tin"), ("c", "Trang")]
    assert [r.source for r in records] == [str(f) for f in files]


def test_bad_inputs_do_not_stop_the_run(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", "Xã hội\nTin tốt\nNội dung.\n")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xd8\xff")
    nul = tmp_path / "nul.md"
    nul.write_bytes(b"# T\x00\x01\x02\n")
    missing = tmp_path / "khong-co.jsonl"
    unsupported = write(tmp_path / "bao-cao.doc", "x")
    empty = write(tmp_path / "empty.txt", "")
    items = list(read_sources([missing, binary, good, unsupported, nul, empty, good]))
    assert [type(i).__name__ for i in items] == [
        "ReadError", "ReadError", "Record", "ReadError", "ReadError", "ReadError"]
    assert [(i.source, i.reason) for i in items if isinstance(i, ReadError)] == [
        (str(missing), "no such file or directory"),
        (str(binary), "not valid UTF-8 text (byte 0x89 at offset 0)"),
        (str(unsupported), "unsupported file type ('.doc'); supported: "
                           + ", ".join(sorted(SUPPORTED_SUFFIXES))),
        (str(nul), "binary file (contains NUL bytes), not UTF-8 text"),
        (str(empty), "empty file"),
    ]
    assert items[2].id == "good"


def test_explicit_file_is_read_even_if_walking_would_skip_it(tmp_path: Path) -> None:
    readme = write(tmp_path / "README.md", "# Hướng dẫn\nĐọc kỹ.\n")
    assert list(iter_files([tmp_path])) == []
    (record,) = read_sources([readme])
    assert record.title == "Hướng dẫn"


def test_a_single_path_and_gz_suffix(tmp_path: Path) -> None:
    path = tmp_path / "Tin.JSONL.GZ"
    path.write_bytes(gzip.compress(b'{"id": "x", "title": "T"}\n'))
    assert [r.id for r in read_sources(str(path))] == ["x"]
    other = write(tmp_path / "dump.json.gz", "x")
    (error,) = read_sources([other])
    assert error.reason.startswith("unsupported file type ('.json.gz')")


def test_supported_suffixes() -> None:
    assert set(SUPPORTED_SUFFIXES) == {".txt", ".jsonl", ".jsonl.gz", ".json", ".md",
                                       ".markdown", ".html", ".htm", ".docx", ".pdf"}


def test_a_parser_crash_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import indexer.readers as readers

    def crash(path: Path) -> Record:
        raise RuntimeError("boom")

    monkeypatch.setitem(readers._SINGLE, ".htm", crash)
    page = write(tmp_path / "a.htm", "<p>x</p>")
    after = write(tmp_path / "b.txt", "Chuyên mục\nTiêu đề\n")
    (error, record) = read_sources([page, after])
    assert (error.source, error.reason) == (str(page), "parser failed: RuntimeError: boom")
    assert (record.title, record.text) == ("Tiêu đề", "")


def test_list_as_id_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path / "x.jsonl", '{"id": ["a", "b"], "title": "T"}\n')
    (error,) = read_records(path)
    assert error.reason == "field 'id' must be a string or a number, got list"
