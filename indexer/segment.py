"""Step 2 of analysis: cut text into words exactly as pyvi does, keeping character offsets.

``pyvi.ViTokenizer.tokenize`` returns a re-spaced string, so its tokens cannot
be mapped back to the text reliably. This module runs the same three steps as
pyvi (its syllable regex, its CRF model, its joining rule) but keeps each
syllable's span, so every word knows where it stands in the text. The output is
identical to ``ViTokenizer.tokenize`` (tested against pyvi on all of news-2k).

It is 6–7× faster than pyvi on news (docs/analysis.md) because it does not
go through pyvi's feature dicts, sklearn-crfsuite and python-crfsuite. It
reads the weights of pyvi's CRF model itself and redoes crfsuite's arithmetic
in the same order, so every score is bit-for-bit the one crfsuite computes:

- state scores: crfsuite adds ``weight × value`` for the attributes of an item
  in the order pyvi's feature dict lists them. Everything that depends on one
  syllable (its attributes, and its ``-1:``/``+1:`` attributes as a neighbour)
  is computed once per distinct syllable and cached; a text is then a few
  numpy gathers and element-wise additions, done in the same order. Attributes
  that are False (weight × 0.0) or unknown to the model add nothing.
- Viterbi: crfsuite's loop, for two labels, in plain Python floats.

Input that pyvi cannot tag (lone surrogates) raises UnicodeEncodeError here,
where pyvi raises SystemError.

The model is loaded lazily: importing this module (or unpickling an index
schema that references the analyzers) loads neither pyvi nor numpy. Loading
reads ``pyvi/models/pyvi3.pkl`` with a restricted unpickler that keeps the
embedded crfsuite model as bytes, so scikit-learn is not imported and no
``model*.crfsuite`` temp file is written.
"""

from __future__ import annotations

import importlib.util
import math
import pickle
import re
import string
import struct
import threading
from dataclasses import dataclass
from itertools import accumulate, chain
from operator import itemgetter
from pathlib import Path
from typing import Any

# pyvi's syllable pattern (ViTokenizer.sylabelize), alternatives in pyvi's order.
_ALTERNATIVES = [
    r"[A-ZĐ]+\.", r"Tp\.", r"Mr\.", r"Mrs\.", r"Ms\.", r"Dr\.", r"ThS\.",
    "==>", "->", r"\.\.\.", ">>", "\n",
    r"\w+://[^\s]+",
    r"(?:[a-zA-Z0-9_.+-]+@(?:[a-zA-Z0-9-]+\.)+[a-zA-Z0-9-]+)",
    r"\d+(?:[\.,_]\d+)+",
    r"[^\w\s]",
    r"\w+",
]
_SYLLABLE = re.compile("|".join(_ALTERNATIVES))
# The same tokens, faster, for segment():
# - a first alternative takes a whole run of word characters when no other
#   alternative could match there: a run followed by none of . : @ + , - cannot
#   end an abbreviation, a URL scheme, an e-mail local part or a number, and one
#   that does not start with digits, "_", a digit is not a number like 12_5;
#   otherwise the regex falls through to pyvi's alternatives, in pyvi's order;
# - a leading group takes the white space before each token (only white space
#   other than "\n" is ever skipped), so spans come from lengths, not Match objects.
_FAST_WORD = r"(?!\d+_\d)\w++(?![.:@+,\-])"
_GAP_AND_TOKEN = re.compile(r"([^\S\n]*+)(" + _FAST_WORD + "|" + "|".join(_ALTERNATIVES) + ")")


@dataclass(frozen=True, slots=True)
class Word:
    """One segmented word: its syllables' spans in the text, in order."""

    spans: tuple[tuple[int, int], ...]

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]

    def syllables(self, text: str) -> list[str]:
        return [text[s:e] for s, e in self.spans]

    def joined(self, text: str) -> str:
        """The word as pyvi writes it: syllables joined by ``_``."""
        return "_".join(self.syllables(text))


def syllable_spans(text: str) -> list[tuple[int, int]]:
    """pyvi's syllables (and punctuation, and newlines) as spans of ``text``."""
    return [m.span() for m in _SYLLABLE.finditer(text)]


def as_pyvi_string(text: str, words: list[Word]) -> str:
    """What ``ViTokenizer.tokenize(text)`` returns, for comparing the two."""
    if not words:
        return text  # pyvi returns its input when it finds no syllable
    return " ".join(w.joined(text) for w in words)


def segment(text: str) -> list[Word]:
    """Words of NFC ``text`` exactly as pyvi cuts them, with their spans."""
    pairs = _GAP_AND_TOKEN.findall(text)
    if not pairs:
        return []
    tokens = list(map(_SECOND, pairs))
    # start and end of every token: running sums of the lengths of gap, token, gap, token...
    bounds = accumulate(map(len, chain.from_iterable(pairs)))
    spans = tuple(zip(bounds, bounds, strict=True))
    cuts = _model().cuts(tokens)
    words = []
    append = words.append
    new, set_spans = object.__new__, _SET_SPANS
    start = 0
    for end in cuts:
        word = new(Word)  # Word(spans) without the dataclass __init__: 2× cheaper
        set_spans(word, spans[start:end])
        append(word)
        start = end
    return words


_SET_SPANS = Word.spans.__set__  # type: ignore[attr-defined]
_SECOND = itemgetter(1)


# --- pyvi's CRF model -------------------------------------------------------------

_LOCK = threading.Lock()
_MODEL: _Model | None = None


def _model() -> _Model:
    global _MODEL
    if _MODEL is None:
        with _LOCK:
            if _MODEL is None:
                _MODEL = _Model(_pyvi_dir())
    return _MODEL


def _pyvi_dir() -> Path:
    spec = importlib.util.find_spec("pyvi")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("pyvi is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


# Feature templates of pyvi's word2features, in its dict order: the order in
# which crfsuite adds their weights.
_OWN = ("bias", "word.lower():", "word.isupper()", "word.istitle()", "word.isdigit()")
_PREV = ("-1:word.lower():", "-1:word.istitle()", "-1:word.isupper()")
_NEXT = ("+1:word.lower():", "+1:word.istitle()", "+1:word.isupper()")
# Columns of the per-syllable table: own score, then the 3 _PREV and 3 _NEXT
# weight vectors this syllable contributes to its neighbours (2 labels each).
_COLUMNS = 14
# Above this many distinct syllables the cache starts again (memory bound: ~250 bytes a
# syllable; a full build meets ~100k distinct ones, mostly names and numbers).
_MAX_VOCABULARY = 1 << 17


class _Model:
    """pyvi3.pkl's CRF and n-gram lists, arranged for segmenting fast."""

    def __init__(self, pyvi_dir: Path) -> None:
        import numpy as np

        self.np = np
        labels, self.weights, trans = _read_crfsuite(_crfsuite_bytes(pyvi_dir / "models/pyvi3.pkl"))
        if labels != ["B_W", "I_W"]:
            raise ValueError(f"unexpected pyvi labels {labels}")
        (self.t00, self.t01), (self.t10, self.t11) = trans
        vec = self._vector
        self.bigram_prev = np.array(vec("-1:word.bi_gram()"))
        self.trigram_prev = np.array(vec("-2:word.tri_gram()"))
        self.bigram_next = np.array(vec("+1:word.bi_gram()"))
        self.trigram_next = np.array(vec("+2:word.tri_gram()"))

        # pyvi's n-gram sets hold "a b" and "a c d" strings of lowercased
        # syllables; syllables hold no space, so a lookup of (a, b) as numbers
        # in base B is the same test. B - 1 stands for "in no n-gram".
        with open(pyvi_dir / "models/words.txt", "rb") as f:  # as codecs.open reads it
            entries = [line.split(" ") for line in f.read().decode("utf-8").split("\n")]
        ngrams = [parts for parts in entries if len(parts) in (2, 3)]
        self.ngram_ids: dict[str, int] = {}
        for parts in ngrams:
            for part in parts:
                self.ngram_ids.setdefault(part, len(self.ngram_ids))
        self.base = base = len(self.ngram_ids) + 1
        self.not_in_ngrams = base - 1
        # a bit per pair: is it a bigram, does it start a trigram (4 MB each)
        bigrams = np.zeros((base * base + 7) // 8, dtype=np.uint8)
        trigram_starts = np.zeros_like(bigrams)
        trigrams = set()
        for parts in ngrams:
            a, b, *c = (self.ngram_ids[p] for p in parts)
            pair = a * base + b
            if c:
                trigrams.add(pair * base + c[0])
                trigram_starts[pair >> 3] |= 1 << (pair & 7)
            else:
                bigrams[pair >> 3] |= 1 << (pair & 7)
        self.bigrams, self.trigram_starts = bigrams, trigram_starts
        self.trigrams = np.array(sorted(trigrams) or [-1], dtype=np.int64)

        # Can a syllable be glued to its neighbour (pyvi's joining rule)? bit 0:
        # not punctuation and not starting with a digit; bit 1: starts with a title-case letter.
        self.glue = np.array([(c & 1) and (p & 1) and not (c & 2 and not p & 2)
                              for p in range(4) for c in range(4)], dtype=bool)
        self.vocabulary = _Vocabulary(np, self.not_in_ngrams)

    def _vector(self, attribute: str) -> list[float]:
        """[B_W, I_W] weights of one attribute with value 1 (0.0 where it has no feature)."""
        vector = [0.0, 0.0]
        # crfsuite looks attributes up as C strings: a NUL ends the name.
        for label, weight in self.weights.get(attribute.split("\0", 1)[0], ()):
            vector[label] += weight
        return vector

    def _rows(self, tokens: list[str]) -> tuple[_Vocabulary, Any]:
        """The cache, and the cache row of each token with row 0 twice at each end.

        Rows are computed for tokens not seen yet.
        """
        np = self.np
        n = len(tokens) + 4
        vocabulary = self.vocabulary
        try:
            return vocabulary, np.fromiter(
                chain((0, 0), map(vocabulary.ids.__getitem__, tokens), (0, 0)), np.intp, n)
        except KeyError:
            pass
        with _LOCK:
            vocabulary = self.vocabulary
            if len(vocabulary.ids) + len(tokens) >= _MAX_VOCABULARY:
                vocabulary = self.vocabulary = _Vocabulary(np, self.not_in_ngrams)
            new = [t for t in dict.fromkeys(tokens) if t not in vocabulary.ids]
            vocabulary.add(new, [self._row(t) for t in new])
        return vocabulary, np.fromiter(
            chain((0, 0), map(vocabulary.ids.__getitem__, tokens), (0, 0)), np.intp, n)

    def _row(self, token: str) -> tuple[list[float], int, int]:
        lower = token.lower()
        lower.encode()  # python-crfsuite fails on lone surrogates: so do we
        upper, title = token.isupper(), token.istitle()
        own = [0.0, 0.0]
        values = (True, True, upper, title, token.isdigit())
        for template, value in zip(_OWN, values, strict=True):
            if value:  # False adds weight × 0.0: nothing
                name = template + lower if template.endswith(":") else template
                for label, weight in self.weights.get(name.split("\0", 1)[0], ()):
                    own[label] += weight
        row = own
        for templates in (_PREV, _NEXT):
            lower_t, title_t, upper_t = templates
            row = row + self._vector(lower_t + lower)
            row = row + (self._vector(title_t) if title else [0.0, 0.0])
            row = row + (self._vector(upper_t) if upper else [0.0, 0.0])
        glue = token not in string.punctuation and not token[0].isdigit()
        flags = int(glue) | int(token[0].istitle()) << 1
        return row, self.ngram_ids.get(lower, self.not_in_ngrams), flags

    def cuts(self, tokens: list[str]) -> list[int]:
        """End index (exclusive) of each word, for pyvi's tokens of one text."""
        np = self.np
        n = len(tokens)
        # ext[2:-2] are the tokens' rows; row 0 stands for "no neighbour" at either end.
        vocabulary, ext = self._rows(tokens)
        rows = vocabulary.table[ext]
        g = vocabulary.ngram[ext]
        base = self.base
        pair = g[:-1] * base + g[1:]  # pair[j]: ext[j], ext[j + 1]
        byte, bit = pair >> 3, pair & 7
        bigram = (self.bigrams[byte] >> bit) & 1
        # triple[j]: ext[j], ext[j + 1], ext[j + 2]; looked up only where the
        # pair starts a trigram (a few percent of them)
        trigram = np.zeros(n + 2)
        starts = np.flatnonzero((self.trigram_starts[byte[:-1]] >> bit[:-1]) & 1)
        if len(starts):
            triple = pair[starts] * base + g[starts + 2]
            found = np.minimum(np.searchsorted(self.trigrams, triple), len(self.trigrams) - 1)
            trigram[starts] = self.trigrams[found] == triple

        # State scores, attribute by attribute in pyvi's order (see module docstring).
        state = rows[2:-2, 0:2] + rows[1:-3, 2:4]  # own + -1:word.lower()
        state += rows[1:-3, 4:6]  # -1:word.istitle()
        state += rows[1:-3, 6:8]  # -1:word.isupper()
        state += bigram[1:-2, None] * self.bigram_prev
        state += trigram[0:-2, None] * self.trigram_prev
        state += rows[3:-1, 8:10]  # +1:word.lower()
        state += rows[3:-1, 10:12]  # +1:word.istitle()
        state += rows[3:-1, 12:14]  # +1:word.isupper()
        state += bigram[2:-1, None] * self.bigram_next
        state += trigram[2:, None] * self.trigram_next

        labels = self._viterbi(state[:, 0].tolist(), state[:, 1].tolist())
        flags = vocabulary.flags[ext[2:-2]]
        joined = self.glue[flags[:-1] * 4 + flags[1:]] & np.frombuffer(labels, bool, n - 1, 1)
        cuts = (np.flatnonzero(~joined) + 1).tolist()
        cuts.append(n)
        return cuts

    def _viterbi(self, b_scores: list[float], i_scores: list[float]) -> bytearray:
        """crf1dc_viterbi for labels B_W (0) and I_W (1): 1 where the label is I_W.

        crfsuite keeps, for each label, the best previous label (the first on
        ties) and the score ``best + state``; so do we, in the same float order.
        """
        t00, t01, t10, t11 = self.t00, self.t01, self.t10, self.t11
        n = len(b_scores)
        scores = zip(b_scores, i_scores, strict=True)
        a0, a1 = next(scores)
        # back[t]: bit j is set if the best label before label j at t is I_W
        back = bytearray(n)
        for t, (x0, x1) in enumerate(scores, 1):
            p = a0 + t00
            q = a1 + t10
            r = a0 + t01
            u = a1 + t11
            if q > p:
                if u > r:
                    back[t] = 3
                    a0, a1 = q + x0, u + x1
                else:
                    back[t] = 1
                    a0, a1 = q + x0, r + x1
            elif u > r:
                back[t] = 2
                a0, a1 = p + x0, u + x1
            else:
                a0, a1 = p + x0, r + x1
        # Walk back: labels[t - 1] = bit labels[t] of back[t]. Where back[t] is
        # 0 or 3 that bit does not depend on labels[t] (translate does those at
        # once); the few 1s and 2s are done one by one, last first.
        labels = back[1:].translate(_FIXED_BITS)
        labels.append(1 if a1 > a0 else 0)
        for t in reversed([m.start() for m in _MIXED_BITS.finditer(back)]):
            labels[t - 1] = (back[t] >> labels[t]) & 1
        return labels


_FIXED_BITS = bytes([0, 0, 0, 1]) + bytes(252)
_MIXED_BITS = re.compile(b"[\x01\x02]")


class _Vocabulary:
    """Per-syllable rows, computed once per distinct syllable.

    Row 0 is the edge of the text: no weights, in no n-gram, never glued.
    Readers take ids first and arrays after, and rows are written before their
    ids are published, so a reader never sees an id without its row.
    """

    def __init__(self, np: Any, not_in_ngrams: int) -> None:
        self.np = np
        self.not_in_ngrams = not_in_ngrams
        self.ids: dict[str, int] = {}
        self.table = np.zeros((1024, _COLUMNS))
        self.ngram = np.full(1024, not_in_ngrams, dtype=np.int64)
        self.flags = np.zeros(1024, dtype=np.int64)

    def add(self, tokens: list[str], rows: list[tuple[list[float], int, int]]) -> None:
        first = len(self.ids) + 1
        size = len(self.table)
        if first + len(tokens) > size:
            while first + len(tokens) > size:
                size *= 2
            self.table = self._grown(self.table, size, 0.0)
            self.ngram = self._grown(self.ngram, size, self.not_in_ngrams)
            self.flags = self._grown(self.flags, size, 0)
        for i, (row, ngram, flags) in enumerate(rows, first):
            self.table[i], self.ngram[i], self.flags[i] = row, ngram, flags
        self.ids.update(zip(tokens, range(first, first + len(tokens)), strict=True))

    def _grown(self, array: Any, size: int, fill: float) -> Any:
        out = self.np.full((size, *array.shape[1:]), fill, dtype=array.dtype)
        out[: len(array)] = array
        return out


# --- reading pyvi3.pkl -------------------------------------------------------------

# The globals pyvi3.pkl refers to. They are replaced by inert stand-ins: we only
# want the bytes of the crfsuite model that sklearn-crfsuite pickled with the CRF.
_PICKLE_GLOBALS = {
    ("sklearn_crfsuite.estimator", "CRF"),
    ("sklearn_crfsuite._fileresource", "FileResource"),
    ("pycrfsuite._logparser", "TrainLogParser"),
    ("numpy.core.multiarray", "scalar"),
    ("numpy", "dtype"),
}


class _Inert:
    def __init__(self, *args: object) -> None:
        pass

    def __setstate__(self, state: object) -> None:
        if isinstance(state, dict):
            self.__dict__.update(state)


class _ModelUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("_codecs", "encode"):
            import _codecs

            return _codecs.encode
        if (module, name) in _PICKLE_GLOBALS:
            return _Inert
        raise pickle.UnpicklingError(f"unexpected global {module}.{name} in pyvi's model")


def _crfsuite_bytes(path: Path) -> bytes:
    with open(path, "rb") as f:
        crf = _ModelUnpickler(f).load()
    return crf.modelfile.__dict__["__FILE_RESOURCE_DATA__"]


def _read_crfsuite(data: bytes):
    """Labels, {attribute: ((label, weight), ...)} and transition weights of a CRF1d model.

    The layout is crfsuite's crf1d_model.c: a header, CQDB string tables for
    labels and attributes, feature records (type, source, destination, double
    weight) and, per label and per attribute, the list of their feature ids.
    """
    (magic, _size, kind, _version, _, n_labels, n_attrs, off_features, off_labels,
     off_attrs, off_label_refs, off_attr_refs) = struct.unpack_from("<4sI4s9I", data, 0)
    if magic != b"lCRF" or kind != b"FOMC":
        raise ValueError("not a crfsuite CRF1d model")
    labels = _cqdb_strings(data, off_labels)
    attrs = _cqdb_strings(data, off_attrs)
    (n_features,) = struct.unpack_from("<I", data, off_features + 8)
    features = list(struct.iter_unpack("<IIId", data[off_features + 12:
                                                     off_features + 12 + 20 * n_features]))
    if not all(math.isfinite(f[3]) for f in features):
        raise ValueError("non-finite weight in pyvi's model")
    trans = [[0.0] * n_labels for _ in range(n_labels)]
    for src, ids in enumerate(_feature_refs(data, off_label_refs, n_labels)):
        for fid in ids:
            _, _, dst, weight = features[fid]
            trans[src][dst] = weight
    weights = {}
    for aid, ids in enumerate(_feature_refs(data, off_attr_refs, n_attrs)):
        # crfsuite adds these in this order; they go to distinct labels
        weights[attrs[aid]] = tuple((features[fid][2], features[fid][3]) for fid in ids)
    return [labels[i] for i in range(n_labels)], weights, trans


def _cqdb_strings(data: bytes, base: int) -> dict[int, str]:
    chunk, _, _, byteorder, n, off = struct.unpack_from("<4s5I", data, base)
    if chunk != b"CQDB" or byteorder != 0x62445371:
        raise ValueError("bad CQDB chunk in pyvi's model")
    strings = {}
    for record in struct.unpack_from(f"<{n}I", data, base + off):
        if record:
            key_id, size = struct.unpack_from("<iI", data, base + record)
            start = base + record + 8
            strings[key_id] = data[start:start + size - 1].decode("utf-8")
    return strings


def _feature_refs(data: bytes, offset: int, count: int) -> list[tuple[int, ...]]:
    refs = []
    for ref in struct.unpack_from(f"<{count}I", data, offset + 12):
        (n,) = struct.unpack_from("<I", data, ref)
        refs.append(struct.unpack_from(f"<{n}I", data, ref + 4))
    return refs
