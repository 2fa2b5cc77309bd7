"""Metadata read from a document's own text: header grammar, signature, issuer spelling.

The snippets below are written for these tests (a fictional huyện Tân Lạc Sơn, tỉnh Hòa
Bình Nam, invented numbers and people); the real documents of ../shared are read in place.
"""

from __future__ import annotations

import json
import re
import time
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from indexer.issuers import (
    canonical_issuer,
    display_issuer,
    issuer_from_header,
    issuer_key,
    same_issuer,
)
from indexer.metadata import Metadata, extract_metadata, merge, sentence_case
from indexer.tone import normalize_tone
from tests.conftest import LEGAL_DOCUMENTS, ROOT

# --- header snippets -----------------------------------------------------------------------

UBND_DECISION = """\
ỦY BAN NHÂN DÂN
HUYỆN TÂN LẠC SƠN
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 1502/QĐ-UBND
Tân Lạc Sơn, ngày 09 tháng 10 năm 2025
QUYẾT ĐỊNH
Về việc thành lập Tổ công tác rà soát hồ chứa nước xã Mường Khê
CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN TÂN LẠC SƠN
Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;
Căn cứ Quyết định số 88/QĐ-UBND ngày 02 tháng 01 năm 2025 của Ủy ban nhân dân tỉnh;
QUYẾT ĐỊNH:
Điều 1. Thành lập Tổ công tác gồm các ông, bà có tên sau đây.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký./.
Nơi nhận:
TM. ỦY BAN NHÂN DÂN
- Như Điều 2;
KT. CHỦ TỊCH
- TT Huyện ủy;
PHÓ CHỦ TỊCH
- Lưu: VT, NN.
(Đã ký)
Lường Văn Sáng
"""

PARTY_RESOLUTION = """\
ĐẢNG BỘ TỈNH HÒA BÌNH NAM
HUYỆN ỦY TÂN LẠC SƠN
*
Số 07-NQ/HU
ĐẢNG CỘNG SẢN VIỆT NAM
Tân Lạc Sơn, ngày 2 tháng 6 năm 2025
NGHỊ QUYẾT
CỦA BAN THƯỜNG VỤ HUYỆN ỦY
về phát triển vùng chè shan tập trung giai đoạn 2025 - 2030
-----
I. TÌNH HÌNH
Diện tích chè shan của huyện còn phân tán, giá trị thấp.
Nghị quyết này được phổ biến đến chi bộ.
Nơi nhận:
- Ban Thường vụ Tỉnh ủy (để báo cáo);
- Lưu Văn phòng Huyện ủy.
T/M BAN THƯỜNG VỤ
BÍ THƯ
Hà Thị Nguyệt
"""

PARTY_CONCLUSION = """\
ĐẢNG BỘ TỈNH HÒA BÌNH NAM
HUYỆN ỦY TÂN LẠC SƠN
*
Số 12-KL/HU
ĐẢNG CỘNG SẢN VIỆT NAM
Tân Lạc Sơn, ngày 30 tháng 9 năm 2025
KẾT LUẬN
CỦA BAN THƯỜNG VỤ HUYỆN ỦY
VỀ CÔNG TÁC CHUẨN BỊ ĐẠI HỘI ĐẢNG BỘ XÃ PHÚ LÂM
-----
Ban Thường vụ Huyện ủy kết luận như sau.
T/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ THƯỜNG TRỰC
Hoàng Văn Khiêm
"""

# A ministry circular as scraped pages render it: wrapped header cells, emphasis cut across
# lines, the number on the line after "Số:", the date split over two lines.
MINISTRY_CIRCULAR = """\
**BỘ NÔNG NGHIỆP
VÀ **
MÔI TRƯỜNG
-------
**CỘNG HÒA XÃ
HỘI CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
---------------
Số:
61/2025/TT-BNNMT
*Hà Nội, ngày 14
tháng 8 năm 2025*

**THÔNG TƯ**

QUY ĐỊNH KỸ THUẬT VỀ TRỒNG CHÈ SHAN DƯỚI TÁN RỪNG TẠI TỈNH HÒA BÌNH NAM

**BỘ TRƯỞNG BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG**

*Căn cứ Luật Lâm nghiệp số 16/2017/QH14;*

*Bộ trưởng Bộ Nông nghiệp và Môi trường ban hành Thông tư quy định kỹ thuật.*

**Điều 1. Phạm vi điều chỉnh**

Thông tư này quy định kỹ thuật trồng chè shan.

*Nơi nhận:*
- Văn phòng Chính phủ;
- Lưu: VT, LN.
**KT. BỘ TRƯỞNG**
**THỨ TRƯỞNG**
**Trần Quang Vĩnh**
"""

CONG_VAN = """\
ỦY BAN NHÂN DÂN
XÃ PHÚ LÂM
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 45/UBND-VP
V/v rà soát hộ nghèo, hộ cận nghèo năm 2025
Phú Lâm, ngày 3/9/2025
Kính gửi:
- Ban Chỉ đạo giảm nghèo các thôn;
- Công chức Văn hóa - Xã hội.
Ủy ban nhân dân xã đề nghị các thôn rà soát hộ nghèo.
Nơi nhận:
- Như trên;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Đinh Thị Hoa
"""

LAW = """\
QUỐC HỘI
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Luật số: 99/2025/QH15
LUẬT
PHÁT TRIỂN VÙNG CAO BỀN VỮNG
Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;
Quốc hội ban hành Luật Phát triển vùng cao bền vững.
Điều 1. Phạm vi điều chỉnh
Luật này quy định chính sách phát triển vùng cao.
Luật này được Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam khóa XV, kỳ họp thứ 10 thông \
qua ngày 11 tháng 12 năm 2025.
CHỦ TỊCH QUỐC HỘI
Vương Đình Khải
"""

HDND_RESOLUTION = """\
HỘI ĐỒNG NHÂN DÂN
TỈNH HÒA BÌNH NAM
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 21/2025/NQ-HĐND
Hòa Bình Nam, ngày 12 tháng 7 năm 2025
NGHỊ QUYẾT
QUY ĐỊNH MỨC HỖ TRỢ TRỒNG RỪNG GỖ LỚN TRÊN ĐỊA BÀN TỈNH HÒA BÌNH NAM
HỘI ĐỒNG NHÂN DÂN TỈNH HÒA BÌNH NAM
KHÓA XVI, KỲ HỌP THỨ 25
Căn cứ Luật Lâm nghiệp số 16/2017/QH14;
QUYẾT NGHỊ:
Điều 1. Mức hỗ trợ.
CHỦ TỊCH
Phạm Ngọc Thạch
"""

HEADERS = {
    "ubnd-decision": (UBND_DECISION, {
        "doc_type": "Quyết định", "doc_number": "1502/QĐ-UBND",
        "issuer": "UBND huyện Tân Lạc Sơn", "date": "2025-10-09", "place": "Tân Lạc Sơn",
        "signer": "Lường Văn Sáng", "signer_role": "Phó Chủ tịch",
        "subject": "Về việc thành lập Tổ công tác rà soát hồ chứa nước xã Mường Khê",
        "title": "Quyết định 1502/QĐ-UBND về việc thành lập Tổ công tác rà soát hồ chứa nước "
                 "xã Mường Khê",
        "source": "header"}),
    "party-resolution": (PARTY_RESOLUTION, {
        "doc_type": "Nghị quyết", "doc_number": "07-NQ/HU", "issuer": "Huyện ủy Tân Lạc Sơn",
        "date": "2025-06-02", "place": "Tân Lạc Sơn", "signer": "Hà Thị Nguyệt",
        "signer_role": "Bí thư",
        "subject": "Về phát triển vùng chè shan tập trung giai đoạn 2025 - 2030",
        "title": "Nghị quyết 07-NQ/HU về phát triển vùng chè shan tập trung giai đoạn "
                 "2025 - 2030",
        "source": "header"}),
    "party-conclusion": (PARTY_CONCLUSION, {
        "doc_type": "Kết luận", "doc_number": "12-KL/HU", "issuer": "Huyện ủy Tân Lạc Sơn",
        "date": "2025-09-30", "place": "Tân Lạc Sơn", "signer": "Hoàng Văn Khiêm",
        "signer_role": "Phó Bí thư Thường trực",
        "subject": "Về công tác chuẩn bị Đại hội Đảng bộ xã Phú Lâm",
        "title": "Kết luận 12-KL/HU về công tác chuẩn bị Đại hội Đảng bộ xã Phú Lâm",
        "source": "header"}),
    "ministry-circular": (MINISTRY_CIRCULAR, {
        "doc_type": "Thông tư", "doc_number": "61/2025/TT-BNNMT",
        "issuer": "Bộ Nông nghiệp và Môi trường", "date": "2025-08-14", "place": "Hà Nội",
        "signer": "Trần Quang Vĩnh", "signer_role": "Thứ trưởng",
        "subject": "Quy định kỹ thuật về trồng chè shan dưới tán rừng tại tỉnh Hòa Bình Nam",
        "title": "Thông tư 61/2025/TT-BNNMT quy định kỹ thuật về trồng chè shan dưới tán "
                 "rừng tại tỉnh Hòa Bình Nam",
        "source": "header"}),
    "cong-van": (CONG_VAN, {
        "doc_type": "Công văn", "doc_number": "45/UBND-VP", "issuer": "UBND xã Phú Lâm",
        "date": "2025-09-03", "place": "Phú Lâm", "signer": "Đinh Thị Hoa",
        "signer_role": "Chủ tịch",
        "subject": "Về việc rà soát hộ nghèo, hộ cận nghèo năm 2025",
        "title": "Công văn 45/UBND-VP về việc rà soát hộ nghèo, hộ cận nghèo năm 2025",
        "source": "header"}),
    "law": (LAW, {
        "doc_type": "Luật", "doc_number": "99/2025/QH15", "issuer": "Quốc hội",
        "date": "2025-12-11", "place": "", "signer": "Vương Đình Khải",
        "signer_role": "Chủ tịch Quốc hội", "subject": "Phát triển vùng cao bền vững",
        "title": "Luật Phát triển vùng cao bền vững 99/2025/QH15", "source": "header"}),
    "hdnd-resolution": (HDND_RESOLUTION, {
        "doc_type": "Nghị quyết", "doc_number": "21/2025/NQ-HĐND",
        "issuer": "HĐND tỉnh Hòa Bình Nam", "date": "2025-07-12", "place": "Hòa Bình Nam",
        "signer": "Phạm Ngọc Thạch", "signer_role": "Chủ tịch",
        "subject": "Quy định mức hỗ trợ trồng rừng gỗ lớn trên địa bàn tỉnh Hòa Bình Nam",
        "title": "Nghị quyết 21/2025/NQ-HĐND quy định mức hỗ trợ trồng rừng gỗ lớn trên "
                 "địa bàn tỉnh Hòa Bình Nam",
        "source": "header"}),
}


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_header_snippets(name):
    text, expected = HEADERS[name]
    assert extract_metadata(text).to_dict() == expected


def test_nfd_and_old_tone_style_read_the_same():
    import unicodedata

    old_style = UBND_DECISION.replace("ỦY BAN", "UỶ BAN").replace("HÒA", "HOÀ")
    nfd = unicodedata.normalize("NFD", old_style)
    assert extract_metadata(nfd) == extract_metadata(UBND_DECISION)


def test_crlf_and_portal_panel_are_ignored():
    panel = ("**Số hiệu:**\n9/QĐ-UBND\n**Loại văn bản:**\nQuyết định\n**Nơi ban hành:**\n"
             "Tỉnh Khác\n**Người ký:**\nAi Đó\n")
    text = (panel + UBND_DECISION).replace("\n", "\r\n")
    assert extract_metadata(text) == extract_metadata(UBND_DECISION)


def test_text_without_a_header_states_little():
    meta = extract_metadata("Bà con thôn Khe Mọc ra quân làm đường giao thông nông thôn.")
    assert meta == Metadata()
    assert extract_metadata("") == Metadata()


def test_caption_of_an_appendix_names_a_document_that_lost_its_header():
    text = ("**QUYẾT ĐỊNH**\n\nBAN HÀNH QUY CHẾ LƯU TRỮ\n\n**CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN "
            "TÂN LẠC SƠN**\n\n*Căn cứ Luật Lưu trữ;*\n\nĐiều 1. Ban hành kèm theo Quyết định "
            "này Quy chế.\n\n**QUY CHẾ**\n\n*(Kèm theo Quyết định số 77/QĐ-UBND ngày 5 tháng 3 "
            "năm 2025 của Chủ tịch UBND huyện Tân Lạc Sơn)*\n")
    meta = extract_metadata(text)
    assert (meta.doc_type, meta.doc_number, meta.date, meta.issuer, meta.source) == (
        "Quyết định", "77/QĐ-UBND", "2025-03-05", "UBND huyện Tân Lạc Sơn", "caption")


def test_news_lead_names_the_document_it_is_about():
    text = ("## Hỗ trợ nông dân trồng chè\n**Ngày 12/5/2025, UBND huyện Tân Lạc Sơn ban hành "
            "Quyết định 640/QĐ-UBND về hỗ trợ giống chè shan.**\nTheo đó, mỗi hộ được hỗ trợ.")
    meta = extract_metadata(text)
    assert (meta.doc_type, meta.doc_number, meta.date, meta.issuer, meta.source) == (
        "Quyết định", "640/QĐ-UBND", "2025-05-12", "UBND huyện Tân Lạc Sơn", "lead")


# --- issuers -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("names", "canonical"),
    [
        (["ỦY BAN NHÂN DÂN TỈNH LAI CHÂU", "UBND tỉnh Lai Châu", "Uỷ ban nhân dân tỉnh Lai Châu",
          "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LAI CHÂU", "**ỦY BAN NHÂN DÂN** TỈNH LAI CHÂU"],
         "UBND tỉnh Lai Châu"),
        (["HỘI ĐỒNG NHÂN DÂN THÀNH PHỐ HÀ NỘI", "HĐND TP. Hà Nội"], "HĐND thành phố Hà Nội"),
        (["Tỉnh Bắc Ninh", "tỉnh Bắc Ninh"], "Tỉnh Bắc Ninh"),
        (["Bộ trưởng Bộ Công thương", "BỘ CÔNG THƯƠNG", "Bộ Công Thương"], "Bộ Công Thương"),
        (["Bộ Văn hoá, Thể thao và du lịch", "BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH"],
         "Bộ Văn hóa, Thể thao và Du lịch"),
        (["Thống đốc Ngân hàng Nhà nước Việt Nam"], "Ngân hàng Nhà nước Việt Nam"),
        (["THỦ TƯỚNG CHÍNH PHỦ", "Thủ tướng Chính phủ"], "Thủ tướng Chính phủ"),
        (["CHÍNH PHỦ", "TM. CHÍNH PHỦ"], "Chính phủ"),
        (["Văn phòng Ban Chấp hành Trung ương", "Văn phòng Trung ương Đảng"],
         "Văn phòng Trung ương Đảng"),
        (["HUYỆN ỦY TÂN LẠC SƠN", "Huyện uỷ Tân Lạc Sơn"], "Huyện ủy Tân Lạc Sơn"),
        (["Sở Nội vụ Thành phố Hồ Chí Minh"], "Sở Nội vụ thành phố Hồ Chí Minh"),
        (["THE GOVERNMENT OF VIETNAM"], "Chính phủ"),
    ],
)
def test_one_canonical_spelling(names, canonical):
    assert {canonical_issuer(n) for n in names} == {canonical}
    assert len({issuer_key(n) for n in names}) == 1


def test_display_form_spells_out_councils_and_committees():
    assert display_issuer("UBND huyện Tân Lạc Sơn") == "Ủy ban nhân dân huyện Tân Lạc Sơn"
    assert display_issuer("HĐND tỉnh Hòa Bình Nam") == "Hội đồng nhân dân tỉnh Hòa Bình Nam"
    assert display_issuer("Cục Thuế") == "Cục Thuế"


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Tỉnh Bắc Ninh", "ỦY BAN NHÂN DÂN TỈNH BẮC NINH", True),
        ("Thành phố Hà Nội", "HỘI ĐỒNG NHÂN DÂN THÀNH PHỐ HÀ NỘI", True),
        ("Thành phố Hà Nội", "Trung tâm Phục vụ hành chính công thành phố Hà Nội", True),
        ("Bộ trưởng Bộ Khoa học và Công nghệ", "BỘ KHOA HỌC VÀ CÔNG NGHỆ", True),
        ("Thủ tướng Chính phủ", "Chính phủ", False),
        ("UBND tỉnh Bắc Ninh", "HĐND tỉnh Bắc Ninh", False),
        ("Tỉnh Bắc Ninh", "UBND tỉnh Bắc Giang", False),
        ("Cục Thuế", "Cục Hải quan", False),
        ("", "Cục Thuế", False),
    ],
)
def test_same_issuer(a, b, same):
    assert same_issuer(a, b) is same
    assert same_issuer(b, a) is same


@pytest.mark.parametrize(
    ("lines", "issuer"),
    [
        (["BỘ TÀI", "CHÍNH", "CỤC THUẾ"], "Cục Thuế"),
        (["CỤC THUẾ", "THUẾ TỈNH HÒA BÌNH NAM"], "Thuế tỉnh Hòa Bình Nam"),
        (["ỦY BAN NHÂN", "DÂN", "THÀNH PHỐ HỒ CHÍ MINH"], "UBND thành phố Hồ Chí Minh"),
        (["ỦY", "BAN NHÂN DÂN", "TỈNH HÒA BÌNH NAM"], "UBND tỉnh Hòa Bình Nam"),
        (["UBND TỈNH HÒA BÌNH NAM", "SỞ NỘI VỤ"], "Sở Nội vụ tỉnh Hòa Bình Nam"),
        (["BAN CHẤP HÀNH", "TRUNG ƯƠNG", "VĂN PHÒNG"], "Văn phòng Trung ương Đảng"),
        (["BAN CHẤP HÀNH", "TRUNG ƯƠNG", "BAN TUYÊN GIÁO VÀ DÂN VẬN"],
         "Ban Tuyên giáo và Dân vận Trung ương"),
        (["ĐẢNG BỘ TỈNH HÒA BÌNH NAM", "HUYỆN ỦY TÂN LẠC SƠN"], "Huyện ủy Tân Lạc Sơn"),
        (["HUYỆN ỦY TÂN LẠC SƠN", "BAN TUYÊN GIÁO"], "Ban Tuyên giáo Huyện ủy Tân Lạc Sơn"),
        (["BỘ NÔNG NGHIỆP", "VÀ", "MÔI TRƯỜNG"], "Bộ Nông nghiệp và Môi trường"),
        (["VĂN", "PHÒNG CHÍNH PHỦ"], "Văn phòng Chính phủ"),
    ],
)
def test_issuer_block_of_a_header(lines, issuer):
    assert issuer_from_header(lines) == issuer


# --- subjects, merge -----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("upper", "sentence"),
    [
        ("BAN HÀNH KẾ HOẠCH TRIỂN KHAI QUYẾT ĐỊNH SỐ 06/QĐ-TTG NGÀY 02 THÁNG 01 NĂM 2025 CỦA "
         "THỦ TƯỚNG CHÍNH PHỦ",
         "Ban hành kế hoạch triển khai Quyết định số 06/QĐ-TTg ngày 02 tháng 01 năm 2025 của "
         "Thủ tướng Chính phủ"),
        ("QUY ĐỊNH CHI TIẾT MỘT SỐ ĐIỀU CỦA LUẬT LÂM NGHIỆP",
         "Quy định chi tiết một số điều của Luật Lâm nghiệp"),
        ("VỀ VIỆC GIAO CHỈ TIÊU CHO SỞ TÀI CHÍNH VÀ UBND HUYỆN TÂN LẠC SƠN NĂM 2025",
         "Về việc giao chỉ tiêu cho Sở Tài chính và UBND huyện Tân Lạc Sơn năm 2025"),
        ("KẾT LUẬN CỦA PHÓ THỦ TƯỚNG CHÍNH PHỦ NGUYỄN VĂN AN TẠI BUỔI LÀM VIỆC VỚI TỈNH LAI "
         "CHÂU", "Kết luận của Phó Thủ tướng Chính phủ Nguyễn Văn An tại buổi làm việc với "
         "tỉnh Lai Châu"),
        ("Về kế hoạch phát triển kinh tế - xã hội năm 2025",
         "Về kế hoạch phát triển kinh tế - xã hội năm 2025"),
    ],
)
def test_sentence_case(upper, sentence):
    assert sentence_case(upper) == sentence


def test_merge_given_values_win():
    extracted = extract_metadata(UBND_DECISION)
    record = {"id": "x", "title": "", "text": "…", "doc_number": "1502/QĐ-UBND",
              "doc_type": "  ", "issuer": "Ủy ban nhân dân huyện Tân Lạc Sơn", "signer": "",
              "date": "2025-10-10"}
    merged = merge(record, extracted)
    assert merged == {**record, "title": extracted.title, "doc_type": "Quyết định",
                      "signer": "Lường Văn Sáng"}
    assert record["title"] == ""  # the input is not changed
    assert merge({}, Metadata()) == {}
    assert merge({"id": "y"}, extracted, fields=("date",)) == {"id": "y", "date": "2025-10-09"}


# --- our own sample documents --------------------------------------------------------------

SAMPLE = ROOT / "data" / "van-ban"


def _iso(date: str) -> str:
    day, month, year = date.split("/")
    return f"{year}-{month}-{day}"


def _sample_records() -> list[dict]:
    with open(SAMPLE / "van-ban.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


@pytest.mark.parametrize("record", _sample_records(), ids=lambda r: r["id"])
def test_sample_records_agree_with_their_own_metadata(record):
    meta = extract_metadata(record["text"])
    assert meta.doc_number == record["doc_number"]
    assert meta.doc_type == record["doc_type"]
    assert meta.issuer == canonical_issuer(record["issuer"]) == record["issuer"]
    assert meta.date == _iso(record["date"])
    assert meta.signer == record["signer"]
    assert meta.place == "Tân Lạc Sơn"
    # the record's title was written by hand ("<type> số <number> [về] <subject>", sometimes
    # shortened); ours is "<type> <number> <subject as printed>"
    assert meta.title.startswith(f"{record['doc_type']} {record['doc_number']} ")
    ours = normalize_tone(meta.title.replace(f"{meta.doc_type} ", f"{meta.doc_type} số ", 1)
                          .casefold())
    theirs = normalize_tone(record["title"].casefold())
    assert SequenceMatcher(None, ours, theirs).ratio() > 0.8, (ours, theirs)


@pytest.mark.parametrize("path", sorted(SAMPLE.glob("*.md")), ids=lambda p: p.name)
def test_sample_markdown_documents(path: Path):
    text = path.read_text(encoding="utf-8")
    heading = text.splitlines()[0].lstrip("# ")
    meta = extract_metadata(text)
    doc_type, number = re.match(r"^(\S+ \S+) số (\S+)", heading).groups()
    assert (meta.doc_type, meta.doc_number) == (doc_type, number)
    assert meta.issuer == "UBND huyện Tân Lạc Sơn"
    assert meta.signer and meta.signer_role and meta.date.startswith("2025-")


# --- the real documents --------------------------------------------------------------------

# Measured with ``python -m bench.metadata_eval`` (docs/metadata.md); floors just under.
FLOORS_ALL = {"doc_number": 0.91, "doc_type": 0.975, "date": 0.925, "issuer": 0.95,
              "signer": 0.975}
FLOORS_WITH_HEADER = {"doc_number": 0.995, "doc_type": 0.995, "date": 0.985, "issuer": 0.99,
                      "signer": 0.99}


@pytest.mark.skipif(not LEGAL_DOCUMENTS.exists(), reason="../shared corpus not present")
def test_accuracy_on_the_official_documents():
    from bench.metadata_eval import evaluate, load

    started = time.perf_counter()
    result = evaluate(load(LEGAL_DOCUMENTS))
    assert time.perf_counter() - started < 20
    for field, floor in FLOORS_ALL.items():
        s = result["stats"][field]
        assert s["ok"] / s["n"] >= floor, (field, s)
        assert s["hok"] / s["hn"] >= FLOORS_WITH_HEADER[field], (field, s)
    # every miss is explained: the text lost its header or the record contradicts the text
    unexplained = [f for f in result["failures"]
                   if "no document header" not in f[4] and "truth disagrees" not in f[4]
                   and "the record's date is that of" not in f[4]]
    assert unexplained == []
