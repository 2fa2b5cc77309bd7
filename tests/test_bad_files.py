"""Readers fed bad files: truncated, binary, in a legacy Vietnamese encoding, empty, huge.

Each bad file is reported with its reason and skipped; the run goes on, the good files
are indexed, and a bad file never changes what the index holds (through the library and
through ``python -m indexer build/update`` as a subprocess). The text is our own.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer import writer
from indexer.readers import SUPPORTED_SUFFIXES, read_sources
from indexer.record import ReadError, Record
from search_service.query import parse_query
from search_service.searcher import SearchIndex
from tests.conftest import ROOT
from tests.legacy import to_tcvn3, to_vni
from tests.test_properties import PROFILE
from tests.test_readers import to_cp1258

SENTENCE = "ủy ban nhân dân xã tổ chức họp dân về việc sửa đường liên thôn trước mùa mưa."
TITLE = "thông báo lịch tiếp công dân tháng mười"
PORTAL = f"Xã hội\n{TITLE.capitalize()}\n{SENTENCE.capitalize()}\n"
GOOD = {
    "tin-tot.txt": "Văn hóa\nNhà văn hóa thôn Đồng Sen được khánh thành\n"
                   "Sáng nay, bà con thôn Đồng Sen vui mừng dọn về nhà văn hóa mới xây.\n",
    "ban-ghi-tot.jsonl": json.dumps({
        "id": "ban-ghi-tot", "title": "Kế hoạch trồng rừng phòng hộ ven sông Lam",
        "text": "Hạt kiểm lâm phối hợp với các xã trồng mới ba mươi héc-ta rừng phòng hộ."},
        ensure_ascii=False) + "\n",
}
LIMIT_MB = 1  # TRACUU_MAX_DOCUMENT_MB for these tests: "huge" is then 3 MB, quick to write


def _docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def _noise(size: int, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(size)


def bad_files() -> dict[str, tuple[bytes, str]]:
    """name → (content, what the reason must say)."""
    utf8 = PORTAL.encode()
    one_line = json.dumps({"id": "gz", "title": TITLE,
                           "text": " ".join(f"{SENTENCE} {i}" for i in range(300))},
                          ensure_ascii=False).encode() + b"\n"
    gz = gzip.compress(one_line)
    huge_line = json.dumps({"id": "dai", "title": TITLE, "text": SENTENCE * 40_000},
                           ensure_ascii=False).encode() + b"\n"
    return {
        "cp1258.txt": (to_cp1258(PORTAL), "legacy Windows-1258 encoding: convert it to UTF-8"),
        "tcvn3.txt": (to_tcvn3(PORTAL.lower()), "legacy TCVN3 (ABC) encoding: convert it to"),
        "vni.md": (to_vni(f"# {TITLE}\n\n{SENTENCE}\n"), "legacy VNI encoding: convert it"),
        "tcvn3-ghi-la-latin1.html": (
            b'<html><head><meta charset="windows-1252"></head><body><h1>' + to_tcvn3(TITLE)
            + b"</h1><p>" + to_tcvn3(SENTENCE) + b"</p></body></html>",
            "the title looks like Vietnamese in the legacy TCVN3 (ABC) encoding read as "
            "Latin-1 ('th«ng'): convert the source to Unicode"),
        "vni-da-doi-sai.jsonl": (
            json.dumps({"id": "vni", "title": to_vni(TITLE).decode("cp1252"),
                        "text": to_vni(SENTENCE).decode("cp1252")}).encode() + b"\n",
            "looks like Vietnamese in the legacy VNI encoding read as Latin-1"),
        "tcvn3.jsonl": (b'{"id": "t3", "title": "' + to_tcvn3(SENTENCE) + b'"}\n',
                        "legacy TCVN3 (ABC) encoding"),
        "cat-giua-chu.txt": (utf8[:utf8.index("nhân".encode()) + 3],
                             "it ends in the middle of a character (a truncated file?)"),
        "cat-ngang.json": (one_line[:200], "invalid JSON: Unterminated string"),
        "cat-ngang.jsonl.gz": (gz[:len(gz) // 2], "cannot read file: Compressed file ended"),
        "nhi-phan.txt": (_noise(5000), "binary file (contains NUL bytes), not UTF-8 text"),
        "nhi-phan.html": (_noise(5000, 8), "binary file (contains NUL bytes)"),
        "nhi-phan.docx": (_noise(5000, 9), "not a .docx file"),
        "nhi-phan.pdf": (b"%PDF-1.7\n" + _noise(5000, 10), "PDF"),
        "zip-khong-phai-docx.docx": (_docx_bytes(), "not a readable .docx file"),
        "trong.txt": (b"", "empty file"),
        "trong.md": (b"\n \n", "empty document"),
        "trong.html": (b"<html><body> </body></html>", "no text in the HTML page"),
        "trong.jsonl": (b"", "empty file (no records)"),
        "trong.jsonl.gz": (gzip.compress(b"\n\n"), "empty file (no records)"),
        "trong.json": (b"  ", "empty file (no records)"),
        "trong.docx": (b"", "empty file"),
        "trong.pdf": (b"", "empty file"),
        "qua-lon.txt": (("Xã hội\n" + SENTENCE * 30_000).encode(),
                        f"file too large (3 MB; one document may have at most {LIMIT_MB} MB)"),
        "dong-qua-lon.jsonl": (huge_line, "line too large"),
    }


def make_sources(folder: Path) -> dict[str, str]:
    """Write the good and the bad files; return bad name → expected reason."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in GOOD.items():
        (folder / name).write_text(text, encoding="utf-8")
    expected = {}
    for name, (content, reason) in bad_files().items():
        (folder / name).write_bytes(content)
        expected[name] = reason
    return expected


def _name(source: str) -> str:
    name = Path(source).name
    return name.split(":")[0]


@pytest.fixture()
def small_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    import indexer.readers.common as common

    monkeypatch.setattr(common, "MAX_DOCUMENT_BYTES", LIMIT_MB * 2**20)
    monkeypatch.setenv("TRACUU_MAX_DOCUMENT_MB", str(LIMIT_MB))


def test_every_kind_of_bad_file_is_reported_with_its_reason(tmp_path: Path,
                                                            small_limit) -> None:
    expected = make_sources(tmp_path / "src")
    items = list(read_sources([tmp_path / "src"]))
    errors = [i for i in items if isinstance(i, ReadError)]
    reasons = {_name(e.source): e.reason for e in errors}
    assert set(reasons) == set(expected)
    for name, reason in expected.items():
        assert reason in reasons[name], (name, reasons[name])
    assert not [e for e in errors if e.reason.startswith("parser failed")]
    assert sorted(i.id for i in items if isinstance(i, Record)) == ["ban-ghi-tot", "tin-tot"]


def _cli(*args, env_limit: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, **({"TRACUU_MAX_DOCUMENT_MB": str(LIMIT_MB)} if env_limit else {})}
    return subprocess.run([sys.executable, "-m", "indexer", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, env=env)


def _errors(stderr: str) -> dict[str, str]:
    out = {}
    for line in stderr.splitlines():
        assert line.startswith("error: "), line  # nothing else: no traceback
        source, _, reason = line.removeprefix("error: ").partition(": ")
        out[_name(source)] = reason
    return out


def test_cli_build_and_update_skip_bad_files_and_keep_the_index(tmp_path: Path) -> None:
    src, index = tmp_path / "src", tmp_path / "index"
    expected = make_sources(src)
    build = _cli("build", src, "--index", index, "--quiet", "--json")
    assert build.returncode == 1, build.stderr
    summary = json.loads(build.stdout)
    assert (summary["added"], summary["failed"]) == (2, len(expected))
    errors = _errors(build.stderr)
    assert set(errors) == set(expected)
    for name, reason in expected.items():
        assert reason in errors[name], (name, errors[name])

    # A good file goes bad (re-saved in TCVN3, truncated to nothing), another one
    # arrives: the bad ones change nothing in the index, the new one is added, and
    # --prune does not delete the documents of files that failed to read.
    (src / "tin-tot.txt").write_bytes(to_tcvn3(GOOD["tin-tot.txt"].lower()))
    (src / "ban-ghi-tot.jsonl").write_bytes(b"")
    (src / "moi.md").write_text("# Lịch cắt điện tuần tới\n\nĐiện lực huyện thông báo "
                                "lịch cắt điện để bảo dưỡng đường dây.\n", encoding="utf-8")
    update = _cli("update", src, "--index", index, "--prune", "--json")
    assert update.returncode == 1, update.stderr
    summary = json.loads(update.stdout)
    assert (summary["added"], summary["updated"], summary["deleted"]) == (1, 0, 0)
    errors = _errors(update.stderr)
    assert "legacy TCVN3 (ABC) encoding" in errors["tin-tot.txt"]
    assert errors["ban-ghi-tot.jsonl"] == "empty file (no records)"
    search = SearchIndex(index)
    try:
        assert search.doc_count() == 3
        assert search.search(parse_query("nhà văn hóa Đồng Sen"), 1, 1).hits[0]["id"] \
            == "tin-tot"
        assert search.document("ban-ghi-tot")["title"].startswith("Kế hoạch trồng rừng")
        assert search.search(parse_query("lịch cắt điện"), 1, 1).hits[0]["id"] == "moi"
    finally:
        search.close()


def test_a_build_of_only_bad_files_keeps_the_live_index(tmp_path: Path) -> None:
    src, index = tmp_path / "src", tmp_path / "index"
    make_sources(src)
    writer.build([src / "tin-tot.txt"], index)
    live = os.readlink(index / "current")
    bad = [src / name for name in bad_files()]
    build = _cli("build", *bad, "--index", index)
    assert build.returncode == 1
    assert "nothing was indexed; the live index was left unchanged" in build.stderr
    assert os.readlink(index / "current") == live
    assert not list((index / "generations").glob(".building-*"))


def test_legacy_text_is_recognised_but_real_text_is_not() -> None:
    from indexer.readers.legacy import legacy_bytes, legacy_encoding

    assert legacy_encoding(to_tcvn3(SENTENCE).decode("latin-1"))[0] == "TCVN3 (ABC)"
    assert legacy_encoding(to_vni(SENTENCE).decode("cp1252"))[0] == "VNI"
    assert legacy_bytes(to_cp1258(SENTENCE)) == "Windows-1258"
    # a stray symbol, a foreign name, a German or Spanish quotation: not legacy text
    for text in (SENTENCE, "Giá vàng 24K tăng 1,5% (© Báo Mới), 5 µg/kg", "Raphaël, Noël",
                 "Herr Müller fährt über die Brücke", "el señor Muñoz y la niña", "«Điều 3»"):
        assert legacy_encoding(text) is None, text
    assert legacy_bytes(_noise(3000)) is None  # binary is not an encoding


# --- any bytes at all, in every format ----------------------------------------------------

@settings(PROFILE, max_examples=max(30, PROFILE.max_examples // 3),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=500).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.sampled_from([to_tcvn3(SENTENCE), to_vni(SENTENCE), to_cp1258(PORTAL)]).flatmap(
        lambda b: st.integers(0, len(b)).map(lambda n: b[:n])),
    st.binary(max_size=400).map(lambda b: b"%PDF-1.4\n" + b),
    st.binary(max_size=400).map(lambda b: b"PK\x03\x04" + b),
    st.binary(max_size=400).map(gzip.compress)),
    suffix=st.sampled_from(sorted(SUPPORTED_SUFFIXES)))
def test_any_bytes_become_a_record_or_a_reason(tmp_path_factory, data: bytes,
                                               suffix: str) -> None:
    path = tmp_path_factory.mktemp("bytes") / f"tep{suffix}"
    path.write_bytes(data)
    for item in read_sources([path]):
        assert isinstance(item, (Record, ReadError))
        if isinstance(item, ReadError):
            assert item.reason and not item.reason.startswith("parser failed"), item
        else:
            item.title.encode("utf-8")
            item.text.encode("utf-8")
