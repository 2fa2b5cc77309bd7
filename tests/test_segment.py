"""Step 2: pyvi segmentation with offsets, identical to ViTokenizer.tokenize."""

from __future__ import annotations

import gzip
import itertools
import json
import random
import threading

import pytest
from pyvi import ViTokenizer

from indexer import segment as segment_module
from indexer.normalize import normalize_text
from indexer.segment import as_pyvi_string, segment, syllable_spans
from tests.conftest import LEGAL_DOCUMENTS, NEWS_2K, PORTAL_PAGE, run_snippet


def _news_2k() -> list[str]:
    texts = []
    with gzip.open(NEWS_2K, "rt", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            texts += [normalize_text(record["title"]), normalize_text(record["text"])]
    return texts


def _texts():
    yield from _news_2k()
    with gzip.open(LEGAL_DOCUMENTS, "rt", encoding="utf-8") as f:
        for line in itertools.islice(f, 20):
            yield normalize_text(json.loads(line)["text"])
    yield normalize_text(PORTAL_PAGE.read_text(encoding="utf-8"))


def _same_as_pyvi(text: str) -> bool:
    return as_pyvi_string(text, segment(text)) == ViTokenizer.tokenize(text)


def test_identical_to_pyvi_on_real_text():
    # all of news-2k (title and text of every record), 20 legal documents, the portal page
    # (~12 s, most of it in pyvi)
    texts = list(_texts())
    divergent = [i for i, text in enumerate(texts) if not _same_as_pyvi(text)]
    assert divergent == []
    assert len(texts) == 4021


EDGE_CASES = {
    "empty": "",
    "spaces only": "   ",
    "newline only": "\n",
    "newlines and spaces": "\n\n  \n ",
    "punctuation only": "!?...“”()",
    "pyvi's specials": "a ==> b -> c >> d ... e",
    "email": "Liên hệ: nguyen.van-a+tin@bao.gov.vn.",
    "email-like": ".a@b.c -x@y.z a@b. @ a@",
    "urls": "Xem https://chinhphu.vn/van-ban?id=12,5&x=1 hoặc ftp://a.b/c.",
    "numbers": "Tăng 12,5% lên 1.000.000 đồng; mã 12_5abc; 3,14; 1.2.3; ngày 20/11/2024 lúc 10:30",
    "abbreviations": "Tp. Hồ Chí Minh, TP.HCM, Mr. Smith, Mrs. Lan, Ms. Hoa, Dr. No, ThS. Nam, ĐH.",
    "all caps": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
    "title case": "Thủ Tướng Chính Phủ Yêu Cầu Các Bộ Ngành Khẩn Trương Triển Khai",
    "lower case": "thủ tướng chính phủ yêu cầu các bộ ngành khẩn trương triển khai",
    "mixed scripts": "Tiếng Việt, 中文, العربية, Ελληνικά ΌΣΟΣ ΑΣ Σ, русский, ½ Ⅻ ١٢٣ ²",
    "special casing": "İstanbul ß ﬁ Ǆ ǅ ǆ ǈ Ａｂｃ Ⓐ ⓐ",
    "emoji": "😀 Vui quá 🇻🇳! 👍🏽 Hà Nội ❤️",
    "control characters": "a\x00b \x00 tab\tand\u00a0nbsp\u2028end\r\n",
    "underscores": "_ __ a_b _x x_",
}


@pytest.mark.parametrize("text", EDGE_CASES.values(), ids=EDGE_CASES.keys())
def test_identical_to_pyvi_on_edge_cases(text):
    assert as_pyvi_string(text, segment(text)) == ViTokenizer.tokenize(text)
    spans = [span for word in segment(text) for span in word.spans]
    assert spans == syllable_spans(text)
    assert [text[s:e] for s, e in spans] == ViTokenizer.ViTokenizer.sylabelize(text)[1]


def test_identical_to_pyvi_on_a_very_long_line():
    text = " ".join(t.replace("\n", " ") for t in _news_2k()[:100])
    assert "\n" not in text and len(text) > 100_000
    assert _same_as_pyvi(text)


def test_identical_to_pyvi_on_random_text():
    # Words of real text mixed with the edge cases above, in random case and spacing.
    rng = random.Random(20261128)
    vocabulary = sorted({w for t in _news_2k()[:200] for w in t.split()})
    odd = [w for t in EDGE_CASES.values() for w in t.split()] + ["\n", "\x00", "Σ", "12_5"]
    for _ in range(1500):
        words = [rng.choice(vocabulary) if rng.random() < 0.7 else rng.choice(odd)
                 for _ in range(rng.choice([1, 2, 3, 8, 40, 200]))]
        words = [w.upper() if r < 0.1 else w.title() if r < 0.2 else w
                 for w, r in zip(words, [rng.random() for _ in words], strict=True)]
        seps = [rng.choice([" ", " ", "", "\n", "  ", "\t", ", "]) for _ in words]
        text = "".join(itertools.chain.from_iterable(zip(words, seps, strict=True)))
        assert _same_as_pyvi(text), text


def test_a_small_cache_gives_the_same_words(monkeypatch):
    # The per-syllable cache starts again when it grows too big; from several threads too.
    texts = _news_2k()[:200]
    expected = [segment(t) for t in texts]
    model = segment_module._model()
    empty = segment_module._Vocabulary(model.np, model.not_in_ngrams)
    monkeypatch.setattr(model, "vocabulary", empty)
    monkeypatch.setattr(segment_module, "_MAX_VOCABULARY", 300)
    results: dict[int, list] = {}

    def run(k):
        results[k] = [segment(t) for t in texts]

    threads = [threading.Thread(target=run, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(results[k] == expected for k in range(4))
    longest = max(len(syllable_spans(t)) for t in texts)
    assert model.vocabulary is not empty  # it did start again
    assert 0 < len(model.vocabulary.ids) < 300 + longest


def test_offsets_point_at_the_syllables():
    text = normalize_text(PORTAL_PAGE.read_text(encoding="utf-8"))
    words = segment(text)
    assert len(words) > 1000
    spans = [span for word in words for span in word.spans]
    # spans are in order, never overlap, and skip nothing but white space
    assert spans[0][0] == 0
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end <= start and text[end:start].strip() == ""
    assert text[spans[-1][1]:].strip() == ""
    joined = {w.joined(text) for w in words}
    assert {"Văn_phòng", "Huyện_ủy", "cách_mạng"} <= joined


def test_empty_and_punctuation_only():
    assert segment("") == []
    assert [w.joined("!?") for w in segment("!?")] == ["!", "?"]


def test_model_loads_lazily_without_pyvi_or_temp_files():
    # Importing the module loads nothing; segmenting reads pyvi's model without
    # importing pyvi.ViTokenizer (sklearn) and leaves no model*.crfsuite behind.
    code = (
        "import glob, os, sys, tempfile\n"
        "pattern = os.path.join(tempfile.gettempdir(), 'model*.crfsuite')\n"
        "before = set(glob.glob(pattern))\n"
        "from indexer.segment import segment\n"
        "assert 'numpy' not in sys.modules and 'pyvi' not in sys.modules\n"
        "words = [w.joined('Văn phòng Huyện ủy') for w in segment('Văn phòng Huyện ủy')]\n"
        "assert words == ['Văn_phòng', 'Huyện_ủy'], words\n"
        "assert not any(m.startswith(('pyvi.', 'sklearn', 'pycrfsuite')) for m in sys.modules)\n"
        "assert set(glob.glob(pattern)) <= before\n"
        "print('ok')\n"
    )
    run_snippet(code)
