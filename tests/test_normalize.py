"""Step 1 of analysis: character normalisation (tables of real cases)."""

from __future__ import annotations

import unicodedata

import pytest

from indexer.normalize import normalize_line, normalize_text
from tests.conftest import PORTAL_PAGE


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (unicodedata.normalize("NFD", "Nghị quyết Đại hội"), "Nghị quyết Đại hội"),
        ("tài sản của \u00d0ảng", "tài sản của Đảng"),  # Latin Eth, as the portal page writes it
        ("CNH, H\u00d0H", "CNH, HĐH"),
        ("\u00f0ồng chí", "đồng chí"),
        ("\u0189ảng ủy, \u0256oàn", "Đảng ủy, đoàn"),  # African D look-alikes
        ("Huyện\u00a0ủy", "Huyện ủy"),  # NBSP
        ("Văn\u200bphòng", "Vănphòng"),  # zero-width space joins, as the browser shows it
        ("phát\u00adtriển", "pháttriển"),  # soft hyphen
        ("\ufeffỦy ban", "Ủy ban"),  # BOM
        ("dòng 1\r\ndòng 2\rdòng 3", "dòng 1\ndòng 2\ndòng 3"),
        ("a\x00b\x07c", "abc"),  # control characters
        ("tab\there", "tab here"),
        ("\u202eđảo\u202c", "đảo"),  # bidi overrides
        ("lone \ud800 surrogate", "lone  surrogate"),
        ("", ""),
    ],
)
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected


def test_normalize_line_collapses_space():
    assert normalize_line("  Quyết định\n số\u00a0 2820 ") == "Quyết định số 2820"


def test_normalisation_is_idempotent_on_the_portal_page():
    raw = PORTAL_PAGE.read_text(encoding="utf-8")
    once = normalize_text(raw)
    assert normalize_text(once) == once
    assert "\u00d0" not in once and "\u00a0" not in once
    assert once.count("Đảng") == raw.count("Đảng") + raw.count("\u00d0ảng")
