""".docx and .pdf readers, on files generated here from our own (fictional) Vietnamese text.

The .docx files are written with python-docx, the PDFs with fpdf2 embedding DejaVuSans,
a Unicode TrueType font taken from the matplotlib package (both in the ``test`` extra), so
the text layer holds real Vietnamese glyphs mapped back to Unicode, as in a PDF printed
from Word, and no system font is needed.
"""

from __future__ import annotations

import importlib.util
import io
import random
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from fpdf import FPDF
from PIL import Image

from indexer import writer
from indexer.readers import SUPPORTED_SUFFIXES, iter_files, read_docx, read_pdf, read_sources
from indexer.record import ReadError, Record
from search_service import create_app

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# --- our own sample text ----------------------------------------------------------------

ISSUER_CELL = ["ỦY BAN NHÂN DÂN", "HUYỆN TÂN LẠC SƠN", "-------"]
MOTTO_CELL = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
              "---------------"]
NUMBER = "Số: 215/QĐ-UBND"
PLACE_DATE = "Tân Lạc Sơn, ngày 14 tháng 3 năm 2025"
SUBJECT = "Về việc thành lập Tổ công tác chuyển đổi số huyện Tân Lạc Sơn năm 2025"
DECISION_BODY = [
    "QUYẾT ĐỊNH",
    SUBJECT,
    "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN TÂN LẠC SƠN",
    "Căn cứ Luật Tổ chức chính quyền địa phương;",
    "Xét đề nghị của Trưởng phòng Văn hoá, Khoa học và Thông tin huyện.",
    "QUYẾT ĐỊNH:",
    "Điều 1. Thành lập Tổ công tác chuyển đổi số huyện Tân Lạc Sơn năm 2025 do đồng chí "
    "Phó Chủ tịch UBND huyện làm Tổ trưởng.",
    "Điều 2. Tổ công tác tham mưu hoà nhập dữ liệu đất đai, thuỷ lợi và dân cư của 14 xã, "
    "thị trấn vào hệ thống dùng chung của huyện.",
    "Điều 3. Chánh Văn phòng HĐND và UBND huyện, các thành viên Tổ công tác chịu trách "
    "nhiệm thi hành Quyết định này./.",
]
RECIPIENTS_CELL = ["Nơi nhận:", "- Như Điều 3;", "- Lưu: VT."]
SIGNATURE_CELL = ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Đinh Văn Khoa"]

# News, with both tone-mark styles: "Hoà"/"hòa", "thuỷ"/"thủy".
NEWS_TITLE = "Bản Suối Hoà được hòa lưới điện quốc gia"
NEWS_PAGE_1 = [
    NEWS_TITLE,
    "Ngày 20/3/2025, Điện lực huyện Tân Lạc Sơn đóng điện trạm biến áp",
    "bản Suối Hoà, xã Đồng Tâm. 126 hộ dân lần đầu được hòa lưới điện",
    "quốc gia, thôi dùng máy thuỷ điện nhỏ đặt dưới suối.",
]
NEWS_PAGE_2 = [
    "Ông Hà Văn Dũng, Trưởng bản, cho biết nhiều hộ đã mua tủ lạnh,",
    "máy bơm nước; trường mầm non có điện để học buổi tối.",
    "Công trình thủy lợi đầu nguồn cũng được cấp điện ổn định.",
]


# --- helpers ------------------------------------------------------------------------------

def dejavu_sans() -> Path:
    """DejaVuSans.ttf as shipped inside the matplotlib package (found without importing it)."""
    spec = importlib.util.find_spec("matplotlib")
    assert spec is not None and spec.submodule_search_locations, "install the test extra"
    font = Path(spec.submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf" / \
        "DejaVuSans.ttf"
    assert font.is_file(), font
    return font


def fill_cell(cell, lines: list[str]) -> None:
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def write_decision_docx(path: Path, core_title: str = "") -> Path:
    document = docx.Document()
    header = document.add_table(rows=2, cols=2)
    fill_cell(header.cell(0, 0), ISSUER_CELL)
    fill_cell(header.cell(0, 1), MOTTO_CELL)
    header.cell(1, 0).text = NUMBER
    header.cell(1, 1).text = PLACE_DATE
    document.add_paragraph()  # the empty spacing paragraphs Word documents are full of
    for line in DECISION_BODY:
        document.add_paragraph(line)
    signature = document.add_table(rows=1, cols=2)
    fill_cell(signature.cell(0, 0), RECIPIENTS_CELL)
    fill_cell(signature.cell(0, 1), SIGNATURE_CELL)
    document.core_properties.title = core_title
    document.save(str(path))
    return path


def write_news_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("Tin tức - Sự kiện")  # a category line above the headline
    document.add_heading(NEWS_TITLE, level=1)
    document.add_paragraph(" ".join(NEWS_PAGE_1[1:]))
    document.add_paragraph(" ".join(NEWS_PAGE_2))
    document.save(str(path))
    return path


def new_pdf() -> FPDF:
    pdf = FPDF()
    pdf.add_font("DejaVu", fname=str(dejavu_sans()))
    pdf.set_font("DejaVu", size=11)
    return pdf


def write_pdf(path: Path, pages: list[list[str]], title: str = "") -> Path:
    """One text line per cell, so the lines we assert are the lines on the page."""
    pdf = new_pdf()
    if title:
        pdf.set_title(title)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def write_scanned_pdf(path: Path) -> Path:
    """What a scanner produces: pages with pictures and shapes, no text at all."""
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 120, 60, style="F")
    pdf.add_page()
    pdf.image(Image.new("L", (60, 30), 200), x=20, y=20, w=120)
    pdf.output(str(path))
    return path


def lines_of(record: Record) -> list[str]:
    return record.text.split("\n")


def assert_nfc_and_real_d(record: Record) -> None:
    for value in (record.id, record.title, record.text):
        assert value == unicodedata.normalize("NFC", value)
        assert "\u00d0" not in value and "\u00f0" not in value  # Ð/ð look-alikes
    assert "Đ" in record.text


def noise(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


# --- .docx ----------------------------------------------------------------------------------

def test_docx_official_decision(tmp_path: Path) -> None:
    path = write_decision_docx(tmp_path / "qd-215-ubnd.docx")
    r = read_docx(path)
    assert (r.id, r.source) == ("qd-215-ubnd", str(path))
    # No title property, no heading style: the first paragraph outside the header table.
    assert r.title == "QUYẾT ĐỊNH"
    # The header table row by row, each cell a block of its lines.
    assert r.text.startswith(
        "ỦY BAN NHÂN DÂN\nHUYỆN TÂN LẠC SƠN\n-------\n\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n---------------\n\n"
        "Số: 215/QĐ-UBND\n\nTân Lạc Sơn, ngày 14 tháng 3 năm 2025\n\nQUYẾT ĐỊNH\n\n"
        "Về việc thành lập Tổ công tác chuyển đổi số huyện Tân Lạc Sơn năm 2025\n\n")
    for line in (NUMBER, PLACE_DATE, SUBJECT, *DECISION_BODY):
        assert line in lines_of(r)
    assert r.text.endswith("Nơi nhận:\n- Như Điều 3;\n- Lưu: VT.\n\n"
                           "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nĐinh Văn Khoa")
    assert "\n\n\n" not in r.text
    assert "hoà nhập" in r.text and "thuỷ lợi" in r.text  # tone style kept as written
    # Metadata is left to the extraction that reads the text later.
    assert (r.doc_number, r.doc_type, r.issuer, r.signer, r.date) == ("", "", "", "", "")
    assert_nfc_and_real_d(r)


def test_docx_title_sources(tmp_path: Path) -> None:
    titled = write_decision_docx(tmp_path / "a.docx", core_title=(
        "Quyết định số 215/QĐ-UBND về việc thành lập Tổ công tác chuyển đổi số"))
    assert read_docx(titled).title == (
        "Quyết định số 215/QĐ-UBND về việc thành lập Tổ công tác chuyển đổi số")
    news = read_docx(write_news_docx(tmp_path / "tin.docx"))
    assert news.title == NEWS_TITLE  # the Heading 1, not the category line above it
    assert news.text.split("\n\n") == [
        "Tin tức - Sự kiện", NEWS_TITLE, " ".join(NEWS_PAGE_1[1:]), " ".join(NEWS_PAGE_2)]
    assert "Suối Hoà" in news.text and "hòa lưới" in news.text
    assert_nfc_and_real_d(news)

    only_table = docx.Document()
    only_table.add_table(rows=1, cols=2)
    only_table.tables[0].cell(0, 0).text = "Bảng tổng hợp"
    only_table.tables[0].cell(0, 1).text = "Số liệu"
    only_table.save(str(tmp_path / "bang.docx"))
    r = read_docx(tmp_path / "bang.docx")
    assert (r.title, r.text) == ("Bảng tổng hợp", "Bảng tổng hợp\n\nSố liệu")


def test_docx_text_the_paragraph_api_leaves_out(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Ðiều 4. Hiệu lực")  # Latin Eth, as in scraped text
    paragraph.add_run().add_tab()
    paragraph.add_run(unicodedata.normalize("NFD", "kể từ ngày ký."))
    body = document.element.body
    # A tracked insertion and deletion, and a block-level content control.
    body.insert(len(body) - 1, parse_xml(
        f'<w:p xmlns:w="{W_NS}"><w:r><w:t xml:space="preserve">Giữ </w:t></w:r>'
        '<w:ins w:id="1" w:author="A" w:date="2025-03-14T00:00:00Z"><w:r>'
        '<w:t>nguyên</w:t></w:r></w:ins><w:del w:id="2" w:author="A" '
        'w:date="2025-03-14T00:00:00Z"><w:r><w:delText>bỏ</w:delText></w:r></w:del></w:p>'))
    body.insert(len(body) - 1, parse_xml(
        f'<w:sdt xmlns:w="{W_NS}"><w:sdtContent><w:p><w:r><w:t>Người ký: Đinh Văn Khoa'
        '</w:t></w:r><w:r><w:br/><w:t>Phó Chủ tịch</w:t></w:r></w:p></w:sdtContent></w:sdt>'))
    document.save(str(tmp_path / "x.docx"))
    r = read_docx(tmp_path / "x.docx")
    assert r.title == "Điều 4. Hiệu lực kể từ ngày ký."
    assert r.text == ("Điều 4. Hiệu lực kể từ ngày ký.\n\nGiữ nguyên\n\n"
                      "Người ký: Đinh Văn Khoa\nPhó Chủ tịch")
    assert_nfc_and_real_d(r)


def test_docx_empty(tmp_path: Path) -> None:
    docx.Document().save(str(tmp_path / "trong.docx"))
    with pytest.raises(ValueError, match="empty document"):
        read_docx(tmp_path / "trong.docx")


# --- .pdf -------------------------------------------------------------------------------------

def test_pdf_text_layer_vietnamese(tmp_path: Path) -> None:
    # Page 2 is written decomposed (NFD), as some PDF producers do; the record is NFC.
    nfd_page = [unicodedata.normalize("NFD", line) for line in NEWS_PAGE_2]
    path = write_pdf(tmp_path / "tin-dien.pdf", [NEWS_PAGE_1, nfd_page])
    r = read_pdf(path)
    assert (r.id, r.source, r.title) == ("tin-dien", str(path), NEWS_TITLE)
    assert r.text == "\n".join(NEWS_PAGE_1) + "\n\n" + "\n".join(NEWS_PAGE_2)
    assert "Suối Hoà" in r.text and "hòa lưới" in r.text and "thuỷ điện" in r.text
    assert_nfc_and_real_d(r)


def test_pdf_official_header_lines(tmp_path: Path) -> None:
    page = [*ISSUER_CELL[:2], *MOTTO_CELL[:2], NUMBER, PLACE_DATE, *DECISION_BODY[:2]]
    r = read_pdf(write_pdf(tmp_path / "qd.pdf", [page], title="Quyết định số 215/QĐ-UBND"))
    assert r.title == "Quyết định số 215/QĐ-UBND"  # the document information title
    for line in (NUMBER, PLACE_DATE, SUBJECT, "Độc lập - Tự do - Hạnh phúc"):
        assert line in lines_of(r)
    assert_nfc_and_real_d(r)


def test_pdf_file_name_as_title_is_ignored(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "qd.pdf", [[NUMBER, SUBJECT]],
                     title="Microsoft Word - QD 215 chuyen doi so.docx")
    assert read_pdf(path).title == NUMBER


def test_pdf_without_text_layer_is_reported(tmp_path: Path) -> None:
    scanned = write_scanned_pdf(tmp_path / "scan.pdf")
    good = write_pdf(tmp_path / "tin.pdf", [NEWS_PAGE_1])
    error, record = read_sources([scanned, good])
    assert error == ReadError(str(scanned), "no text layer (scanned PDF?)")
    assert record.id == "tin"


def test_encrypted_pdf(tmp_path: Path) -> None:
    locked = tmp_path / "mat.pdf"
    pdf = new_pdf()
    pdf.add_page()
    pdf.cell(text=NEWS_TITLE)
    pdf.set_encryption(owner_password="chu-so-huu", user_password="nguoi-doc")
    pdf.output(str(locked))
    (error,) = read_sources([locked])
    assert error.reason.startswith("encrypted PDF")
    # Only an owner password (no printing, no copying): it opens with the empty password.
    open_pdf = tmp_path / "han-che.pdf"
    pdf = new_pdf()
    pdf.add_page()
    pdf.cell(text=NEWS_TITLE)
    pdf.set_encryption(owner_password="chu-so-huu")
    pdf.output(str(open_pdf))
    assert read_pdf(open_pdf).text == NEWS_TITLE


# --- broken files ---------------------------------------------------------------------------

def test_corrupt_files_are_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    good_docx = write_decision_docx(tmp_path / "good.docx").read_bytes()
    good_pdf = write_pdf(tmp_path / "good.pdf", [NEWS_PAGE_1]).read_bytes()
    no_content_types = io.BytesIO()
    with zipfile.ZipFile(no_content_types, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    bad = {
        "noise.docx": noise(1, 4000),
        "truncated.docx": good_docx[: len(good_docx) // 2],
        "old-word.docx": bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504),
        "plain-zip.docx": no_content_types.getvalue(),
        "empty.docx": b"",
        "noise.pdf": noise(2, 4000),
        "truncated.pdf": good_pdf[: len(good_pdf) // 2],
        "empty.pdf": b"",
    }
    paths = []
    for name, data in bad.items():
        (tmp_path / name).write_bytes(data)
        paths.append(tmp_path / name)
    items = list(read_sources([*paths[:4], tmp_path / "good.docx", *paths[4:],
                               tmp_path / "good.pdf"]))
    assert [type(i).__name__ for i in items] == ["ReadError"] * 4 + ["Record"] + \
        ["ReadError"] * 4 + ["Record"]
    reasons = {Path(i.source).name: i.reason for i in items if isinstance(i, ReadError)}
    assert reasons == {
        "noise.docx": "not a .docx file (not a zip archive, or a truncated one)",
        "truncated.docx": "not a .docx file (not a zip archive, or a truncated one)",
        "old-word.docx": "not a .docx file: an old Word .doc or a password-protected "
                         "document (OLE container)",
        "plain-zip.docx": "not a readable .docx file (KeyError: \"There is no item named "
                          "'[Content_Types].xml' in the archive\")",
        "empty.docx": "empty file",
        "noise.pdf": "not a PDF file (no %PDF- header)",
        "truncated.pdf": reasons["truncated.pdf"],
        "empty.pdf": "empty file",
    }
    assert reasons["truncated.pdf"].startswith("damaged PDF (")
    assert [i.id for i in items if isinstance(i, Record)] == ["good", "good"]


# --- walking, registration, the index ---------------------------------------------------------

def make_folder(root: Path) -> None:
    root.mkdir()
    write_decision_docx(root / "qd-215-ubnd.docx")
    write_pdf(root / "tin-dien.pdf", [NEWS_PAGE_1, NEWS_PAGE_2])
    (root / "van-hoa").mkdir()
    (root / "van-hoa" / "le-hoi.txt").write_text(
        "Văn hóa\nLễ hội xuống đồng bản Suối Hoà\nNgười dân hòa vào ngày hội đầu xuân.\n",
        encoding="utf-8")
    write_scanned_pdf(root / "van-hoa" / "ban-scan.pdf")
    write_pdf(root / "README.pdf", [["Mô tả thư mục"]])


def test_folder_with_docx_pdf_and_txt(tmp_path: Path) -> None:
    root = tmp_path / "nguon"
    make_folder(root)
    assert list(iter_files([root])) == [
        root / "qd-215-ubnd.docx", root / "tin-dien.pdf",
        root / "van-hoa" / "ban-scan.pdf", root / "van-hoa" / "le-hoi.txt"]
    items = list(read_sources([root]))
    assert [(type(i).__name__, Path(i.source).name) for i in items] == [
        ("Record", "qd-215-ubnd.docx"), ("Record", "tin-dien.pdf"),
        ("ReadError", "ban-scan.pdf"), ("Record", "le-hoi.txt")]
    assert [i.title for i in items if isinstance(i, Record)] == [
        "QUYẾT ĐỊNH", NEWS_TITLE, "Lễ hội xuống đồng bản Suối Hoà"]


def test_suffixes_registered_and_imports_lazy() -> None:
    assert {".docx", ".pdf"} <= set(SUPPORTED_SUFFIXES)
    code = ("import sys, indexer.readers; "
            "print(sorted(m for m in ('docx', 'pypdf', 'lxml') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_index_and_search_office_documents(tmp_path: Path) -> None:
    root = tmp_path / "nguon"
    make_folder(root)
    summary = writer.build([root], tmp_path / "index")
    assert summary.added == 3
    assert [(Path(f.source).name, f.reason) for f in summary.failures] == [
        ("ban-scan.pdf", "no text layer (scanned PDF?)")]
    client = create_app({"INDEX": str(tmp_path / "index"), "TESTING": True}).test_client()

    def ids(q: str) -> list[str]:
        response = client.get("/api/search", query_string={"q": q})
        assert response.status_code == 200, response.get_json()
        return [hit["id"] for hit in response.get_json()["hits"]]

    assert ids("215/QĐ-UBND")[0] == "qd-215-ubnd"
    assert ids("215/qd-ubnd")[0] == "qd-215-ubnd"
    assert ids("lưới điện quốc gia")[0] == "tin-dien"
    assert ids("thuy dien nho")[0] == "tin-dien"  # folded query, tone style of the text
