"""``python -m indexer``: the real CLI, run as subprocesses on small inputs written to tmp_path."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from indexer.readers import read_sources
from indexer.record import Record
from search_service import create_app

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
NEWS_2K = ROOT.parent / "shared" / "corpus" / "news" / "news-2k.jsonl.gz"
TIMEOUT = 300

SUMMARY = re.compile(
    r"^(?P<cmd>build|update): (?P<n>\d+) documents, (?P<failed>\d+) failures, "
    r"\d+\.\d s \(\d+\.\d docs/s\)$")

# --- the small corpus: five JSON Lines records and one portal page ------------------------

RECORDS = [
    {
        "id": "skh-tb-01",
        "title": "Huyện Sơn Khê ra quân làm đường giao thông nông thôn",
        "text": "Sáng 14/3, huyện Sơn Khê tổ chức lễ ra quân làm đường giao thông nông thôn "
                "năm 2025. Các xã đăng ký bê tông hóa 18 km đường thôn, bản, trong đó nhân "
                "dân hiến hơn 6.000 mét vuông đất.",
        "category": "Kinh tế",
        "date": "14/03/2025",
    },
    {
        "id": "skh-qd-112",
        "title": "Quyết định số 112/QĐ-UBND về việc thành lập Ban Chỉ đạo chuyển đổi số "
                 "huyện Sơn Khê",
        "text": "Điều 1. Thành lập Ban Chỉ đạo chuyển đổi số huyện Sơn Khê gồm 15 thành viên "
                "do Chủ tịch Ủy ban nhân dân huyện làm Trưởng ban.\nĐiều 2. Ban Chỉ đạo có "
                "nhiệm vụ xây dựng kế hoạch chuyển đổi số hằng năm.",
        "doc_number": "112/QĐ-UBND",
        "doc_type": "Quyết định",
        "issuer": "UBND huyện Sơn Khê",
        "signer": "Lò Văn Toàn",
        "date": "02/04/2025",
    },
    {
        "id": "skh-nq-07",
        "title": "Nghị quyết số 07/NQ-HĐND về dự toán ngân sách huyện năm 2025",
        "text": "Hội đồng nhân dân huyện Sơn Khê quyết nghị thông qua dự toán thu ngân sách "
                "nhà nước trên địa bàn năm 2025 là 215 tỷ đồng. Giao Ủy ban nhân dân huyện "
                "tổ chức thực hiện Nghị quyết này.",
        "doc_number": "07/NQ-HĐND",
        "doc_type": "Nghị quyết",
        "issuer": "HĐND huyện Sơn Khê",
        "date": "20/12/2024",
    },
    {
        "id": "skh-tb-02",
        "title": "Xã Nậm Pồ tổ chức ngày hội trồng cây đầu xuân",
        "text": "Đoàn viên, thanh niên và người dân xã Nậm Pồ đã trồng 3.500 cây keo và cây "
                "lát hoa trên các sườn đồi gần trung tâm xã.",
        "category": "Môi trường",
        "date": "05/02/2025",
    },
    {
        "id": "skh-tb-03",
        "title": "Trường Tiểu học Bản Lìm khánh thành phòng học mới",
        "text": "Sáu phòng học kiên cố cùng khu nhà vệ sinh được đưa vào sử dụng trước thềm "
                "năm học mới, giúp học sinh điểm trường Bản Lìm không còn phải học nhờ.",
        "category": "Giáo dục",
        "date": "10/09/2024",
    },
]

PORTAL_ID = "le-hoi-hoa-ban-suoi-lanh"
PORTAL_PAGE = """\
Văn hoá - Du lịch
Lễ hội Hoa ban xã Suối Lạnh thu hút hàng nghìn du khách
Trong hai ngày 22 và 23/3/2025, xã Suối Lạnh tổ chức Lễ hội Hoa ban lần thứ nhất với \
nhiều hoạt động như thi người đẹp hoa ban, ném còn, kéo co và chợ phiên nông sản.

Lễ hội là dịp quảng bá cảnh sắc núi rừng Tây Bắc và sản phẩm OCOP của địa phương.

Tin, ảnh: Quàng Văn Minh

Các bài liên quan
Xã Suối Lạnh ra mắt tổ du lịch cộng đồng (12/01/2025)
Quay lạiXem tiếp
VĂN BẢN MỚI
LIÊN KẾT WEBSITE
"""

N = len(RECORDS) + 1  # the records and the portal page

OLD_PHRASE = '"ngày hội trồng cây đầu xuân"'  # only in skh-tb-02's original title
UPDATES = [
    {**RECORDS[3], "title": "Xã Nậm Pồ phát động Tết trồng cây trên đồi Pú Nhọ"},
    {
        "id": "skh-tb-04",
        "title": "Hội thi tìm hiểu pháp luật đất đai cho hội viên nông dân",
        "text": "Mười đội thi đến từ các chi hội nông dân đã tranh tài ở ba phần thi: chào "
                "hỏi, kiến thức và tiểu phẩm tuyên truyền Luật Đất đai.",
        "date": "18/06/2025",
    },
]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return path


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "indexer", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=TIMEOUT, check=False)


def ok(*args: str | Path) -> subprocess.CompletedProcess[str]:
    proc = run_cli(*args)
    assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


def last_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[-1] if lines else ""


def live_name(index: Path) -> str:
    link = index / "current"
    assert link.is_symlink()
    return os.path.basename(os.readlink(link))


def generation_dirs(index: Path) -> set[str]:
    return {p.name for p in (index / "generations").iterdir() if not p.name.endswith(".inuse")}


def stats(index: Path) -> dict:
    return json.loads(ok("stats", "--index", index, "--json").stdout)


@contextmanager
def client(index: Path):
    app = create_app({"INDEX": str(index), "TESTING": True})
    try:
        yield app.test_client()
    finally:
        app.extensions["tracuu.index"].close()


def search(c, q: str, per_page: int = 10) -> dict:
    r = c.get("/api/search", query_string={"q": q, "per_page": per_page})
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_json()


# --- fixtures -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("corpus")
    write_jsonl(src / "tin-son-khe.jsonl", RECORDS)
    (src / f"{PORTAL_ID}.txt").write_text(PORTAL_PAGE, encoding="utf-8")
    return src


@pytest.fixture(scope="module")
def built(corpus: Path, tmp_path_factory: pytest.TempPathFactory
          ) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """One index of the small corpus, built once; tests that change it use ``index_copy``."""
    index = tmp_path_factory.mktemp("built") / "index"
    return index, ok("build", corpus, "--index", index)


@pytest.fixture
def index(built) -> Path:
    return built[0]


@pytest.fixture
def index_copy(built, tmp_path: Path) -> Path:
    """A private copy of the built index (the ``current`` link is relative, so it follows)."""
    copy = tmp_path / "index"
    shutil.copytree(built[0], copy, symlinks=True)
    assert (copy / "current").resolve().parent == copy / "generations"
    return copy


# --- build and stats ----------------------------------------------------------------------

def test_build_summary_and_layout(built) -> None:
    index, proc = built
    m = SUMMARY.match(last_line(proc.stdout))
    assert m, proc.stdout
    assert (m["cmd"], int(m["n"]), int(m["failed"])) == ("build", N, 0)
    assert "error" not in proc.stderr
    link = index / "current"
    assert link.is_symlink()
    target = os.readlink(link)
    assert not os.path.isabs(target)
    assert Path(target).parent == Path("generations")
    assert link.resolve().is_dir()
    assert link.resolve().parent == (index / "generations").resolve()
    assert generation_dirs(index) == {live_name(index)}
    assert not [p for p in (index / "generations").iterdir() if p.name.startswith(".building-")]
    assert sorted(p.name for p in index.iterdir()) == [".lock", "current", "generations"]


def test_stats_json(index: Path) -> None:
    info = stats(index)
    assert info["documents"] == N
    assert info["generation"] == live_name(index)
    assert info["deleted_pending"] == 0
    assert {"id", "title", "body"} <= set(info["fields"])


def test_stats_plain(index: Path) -> None:
    lines = ok("stats", "--index", index).stdout.splitlines()
    assert re.fullmatch(rf"documents\s+{N}", next(x for x in lines if x.startswith("documents")))
    assert re.fullmatch(rf"generation\s+{re.escape(live_name(index))}",
                        next(x for x in lines if x.startswith("generation")))


def test_built_documents_are_searchable(index: Path) -> None:
    with client(index) as c:
        assert c.get("/api/health").get_json()["documents"] == N
        qd = c.get("/api/documents/skh-qd-112").get_json()
        assert qd["doc_number"] == "112/QĐ-UBND"
        assert qd["doc_type"] == "Quyết định"
        assert qd["date"] == "2025-04-02"  # dd/mm/yyyy in the source, ISO in the index
        hits = search(c, "112/QĐ-UBND")["hits"]
        assert hits[0]["id"] == "skh-qd-112"

        page = c.get(f"/api/documents/{PORTAL_ID}").get_json()
        assert page["title"] == "Lễ hội Hoa ban xã Suối Lạnh thu hút hàng nghìn du khách"
        assert page["category"] == "Văn hoá - Du lịch"
        assert page["author"] == "Quàng Văn Minh"
        assert page["related"] == ["Xã Suối Lạnh ra mắt tổ du lịch cộng đồng (12/01/2025)"]
        assert "VĂN BẢN MỚI" not in page["text"] and "Quàng" not in page["text"]
        assert search(c, "le hoi hoa ban")["hits"][0]["id"] == PORTAL_ID

        # the phrase the update test removes is there before the update
        assert [h["id"] for h in search(c, OLD_PHRASE)["hits"]] == ["skh-tb-02"]


# --- update and delete --------------------------------------------------------------------

def test_update_replaces_and_adds(index_copy: Path, tmp_path: Path) -> None:
    before = live_name(index_copy)
    src = write_jsonl(tmp_path / "update" / "moi.jsonl", UPDATES)
    proc = ok("update", src, "--index", index_copy, "--json")
    summary = json.loads(proc.stdout)
    assert (summary["added"], summary["updated"], summary["deleted"], summary["failed"]) == \
        (1, 1, 0, 0)
    assert summary["failures"] == []
    assert live_name(index_copy) == before  # an update writes into the live generation
    assert stats(index_copy)["documents"] == N + 1

    with client(index_copy) as c:
        assert c.get("/api/health").get_json()["documents"] == N + 1
        hits = search(c, "Tết trồng cây đồi Pú Nhọ")["hits"]
        assert hits[0]["id"] == "skh-tb-02"
        assert hits[0]["title"] == UPDATES[0]["title"]
        assert search(c, OLD_PHRASE)["total"] == 0
        titles = [h["title"] for h in search(c, RECORDS[3]["title"], per_page=50)["hits"]]
        assert RECORDS[3]["title"] not in titles
        assert titles.count(UPDATES[0]["title"]) == 1  # replaced, not duplicated
        doc = c.get("/api/documents/skh-tb-02").get_json()
        assert doc["title"] == UPDATES[0]["title"]
        assert search(c, "hội thi pháp luật đất đai")["hits"][0]["id"] == "skh-tb-04"


def test_update_plain_summary_line(index_copy: Path, tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "moi.jsonl", UPDATES)
    line = last_line(ok("update", src, "--index", index_copy).stdout)
    assert re.fullmatch(r"update: 2 documents, 1 added, 1 replaced, 0 unchanged, 0 failures, "
                        r"\d+\.\d s \(\d+\.\d docs/s\)", line), line


def test_delete(index_copy: Path) -> None:
    proc = ok("delete", "skh-tb-01", "khong-co-van-ban-nay", "--index", index_copy, "--json")
    summary = json.loads(proc.stdout)
    assert (summary["deleted"], summary["missing"], summary["failed"]) == (1, 1, 0)
    assert stats(index_copy)["documents"] == N - 1
    with client(index_copy) as c:
        r = c.get("/api/documents/skh-tb-01")
        assert r.status_code == 404
        assert "error" in r.get_json()
        assert c.get("/api/documents/skh-tb-03").status_code == 200
        assert "skh-tb-01" not in [h["id"] for h in search(c, "ra quân làm đường")["hits"]]


# --- generations --------------------------------------------------------------------------

def test_rebuilds_keep_one_previous_generation(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    ok("build", corpus, "--index", index, "--quiet")
    first = live_name(index)
    assert generation_dirs(index) == {first}

    extra = write_jsonl(tmp_path / "extra" / "them.jsonl", UPDATES[1:])
    ok("build", corpus, extra, "--index", index, "--quiet")
    second = live_name(index)
    assert second != first
    assert generation_dirs(index) == {first, second}
    info = stats(index)
    assert (info["generation"], info["documents"]) == (second, N + 1)

    ok("build", corpus, "--index", index, "--quiet")
    third = live_name(index)
    assert third not in (first, second)
    assert generation_dirs(index) == {second, third}
    assert stats(index)["documents"] == N


def test_builds_in_one_process_within_a_second_get_their_own_generations(tmp_path: Path) -> None:
    from indexer import writer

    index = tmp_path / "index"
    for n in range(4):
        record = Record(id=f"r{n}", title=f"Bản tin số {n}", text="Nội dung ngắn.")
        assert writer.build([], index, records=[record]).added == 1
    assert len(generation_dirs(index)) == 2
    assert stats(index)["documents"] == 1


# --- failures and misuse ------------------------------------------------------------------

def test_build_that_reads_nothing_keeps_the_live_index(index_copy: Path, tmp_path: Path) -> None:
    before = live_name(index_copy)
    proc = run_cli("build", tmp_path / "duong-dan-go-sai", "--index", index_copy)
    assert proc.returncode == 1
    assert "nothing was indexed; the live index was left unchanged" in proc.stderr
    assert live_name(index_copy) == before and stats(index_copy)["documents"] == N
    assert not [p for p in generation_dirs(index_copy) if p.startswith(".building-")]


def test_delete_counts_a_repeated_id_once(index_copy: Path) -> None:
    proc = ok("delete", "skh-tb-01", "skh-tb-01", "--index", index_copy, "--json")
    assert json.loads(proc.stdout)["deleted"] == 1
    assert stats(index_copy)["documents"] == N - 1



def test_build_with_bad_inputs_indexes_the_good_ones(tmp_path: Path) -> None:
    good = write_jsonl(tmp_path / "src" / "good.jsonl", RECORDS[:3])
    bad = tmp_path / "src" / "bad.jsonl"
    bad.write_text(json.dumps(RECORDS[3], ensure_ascii=False) + "\n"
                   + '{"id": "hong", "title": "Bản ghi hỏng", \n', encoding="utf-8")
    missing = tmp_path / "src" / "khong-ton-tai.jsonl"
    index = tmp_path / "index"

    proc = run_cli("build", good, bad, missing, "--index", index)
    assert proc.returncode == 1, proc.stderr
    # files that cannot be found are reported first, then what went wrong while reading
    errors = sorted(line for line in proc.stderr.splitlines() if line.startswith("error: "))
    assert len(errors) == 2, proc.stderr
    assert errors[0].startswith(f"error: {bad}:2: invalid JSON")
    assert errors[1] == f"error: {missing}: no such file or directory"
    m = SUMMARY.match(last_line(proc.stdout))
    assert m and (int(m["n"]), int(m["failed"])) == (4, 2), proc.stdout

    info = stats(index)
    assert info["documents"] == 4
    assert info["generation"] == live_name(index)
    with client(index) as c:
        assert c.get("/api/documents/skh-tb-02").status_code == 200
        assert c.get("/api/documents/hong").status_code == 404

    proc = run_cli("build", good, bad, "--index", index, "--json")
    assert proc.returncode == 1
    summary = json.loads(proc.stdout)
    assert summary["failed"] == 1
    assert summary["failures"][0]["source"] == f"{bad}:2"


@pytest.mark.parametrize("args", [["stats"], ["update", "SRC"], ["delete", "skh-tb-01"]],
                         ids=["stats", "update", "delete"])
def test_commands_need_an_index(args: list[str], corpus: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    args = [str(corpus) if a == "SRC" else a for a in args]
    proc = run_cli(*args, "--index", empty)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"error: no index at {empty}" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""
    assert list(empty.iterdir()) == []


def test_build_refuses_a_foreign_directory(corpus: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "documents"
    (foreign / "anh").mkdir(parents=True)
    (foreign / "ghi-chu.txt").write_text("Ghi chú riêng, đừng xoá.\n", encoding="utf-8")
    (foreign / "anh" / "a.jpg").write_bytes(b"\xff\xd8\xff")
    before = sorted((str(p.relative_to(foreign)), p.is_dir() or p.read_bytes())
                    for p in foreign.rglob("*"))

    proc = run_cli("build", corpus, "--index", foreign)
    assert proc.returncode != 0
    assert f"error: {foreign} is not an index directory" in proc.stderr
    assert "Traceback" not in proc.stderr
    after = sorted((str(p.relative_to(foreign)), p.is_dir() or p.read_bytes())
                   for p in foreign.rglob("*"))
    assert after == before


@pytest.mark.parametrize(("command", "expected"), [
    ("build", ["SOURCES", "--index", "--json", "--quiet", "--help"]),
    ("update", ["SOURCES", "--index", "--json", "--quiet", "--help"]),
    ("delete", ["IDS", "--index", "--json", "--help"]),
    ("stats", ["--index", "--json", "--help"]),
])
def test_help(command: str, expected: list[str]) -> None:
    out = ok(command, "--help").stdout
    assert out.startswith(f"Usage: python -m indexer {command} [OPTIONS]")
    for word in expected:
        assert word in out, f"{word} missing from `{command} --help`:\n{out}"


def test_group_help_lists_commands() -> None:
    out = ok("--help").stdout
    for command in ("build", "update", "delete", "stats"):
        assert re.search(rf"^\s+{command}\s", out, re.MULTILINE), out


# --- the sample corpus --------------------------------------------------------------------

def test_build_the_sample_data(tmp_path: Path) -> None:
    if not DATA.is_dir():
        pytest.skip("data/ is missing")
    records = [item for item in read_sources([DATA]) if isinstance(item, Record)]
    if len(records) < 30:
        pytest.skip(f"data/ has only {len(records)} documents yet (need 30)")
    index = tmp_path / "index"
    proc = ok("build", DATA, "--index", index, "--json")
    summary = json.loads(proc.stdout)
    assert summary["failed"] == 0, summary["failures"]
    assert summary["added"] >= 30
    assert stats(index)["documents"] == summary["added"]


# --- an interrupted build -----------------------------------------------------------------

def _processes_naming(path: Path) -> list[int]:
    """Pids of the processes whose command line names ``path``."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ")
            except OSError:
                continue
            if str(path).encode() in cmdline:
                found.append(int(proc.name))
    return found


def test_killed_build_leaves_the_live_index_alone(index_copy: Path, corpus: Path) -> None:
    if not NEWS_2K.is_file():
        pytest.skip(f"{NEWS_2K} is not available")
    index = index_copy
    old = live_name(index)
    proc = subprocess.Popen(
        [sys.executable, "-m", "indexer", "build", str(NEWS_2K), "--index", str(index), "-q"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        building = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            found = list((index / "generations").glob(".building-*"))
            if found and any(found[0].iterdir()):
                building = found[0]
                break
            assert proc.poll() is None, f"the build ended early (exit {proc.returncode})"
            time.sleep(0.05)
        assert building is not None, "no .building-* directory appeared within 60 s"
        assert building.name.endswith(f"-{proc.pid}")
        time.sleep(1.0)  # let it index some documents
        assert proc.poll() is None, "the build finished before it could be interrupted"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)  # reaped: the pid no longer counts as alive

    # its analysis workers die with it instead of lingering as orphans
    deadline = time.monotonic() + 15
    while _processes_naming(index):
        assert time.monotonic() < deadline, f"orphaned workers: {_processes_naming(index)}"
        time.sleep(0.2)
    assert live_name(index) == old
    assert building.is_dir()  # the dead build's leftovers, until the next build
    info = stats(index)
    assert (info["generation"], info["documents"]) == (old, N)
    with client(index) as c:
        assert search(c, "Ban Chỉ đạo chuyển đổi số")["hits"][0]["id"] == "skh-qd-112"

    ok("build", corpus, "--index", index, "--quiet")
    new = live_name(index)
    assert new != old
    assert not building.exists()
    assert generation_dirs(index) == {old, new}
