"""The lexical index: BM25 over the chunks, stemmed with the text toolkit's English stemmer.

Scores are the Lucene variant of BM25 (bm25s's default: k1 1.5, b 0.75, idf log(1 + (N - df + 0.5) / (df + 0.5))),
computed at query time from term counts kept per chunk. Nothing global is baked into what is stored, so a
re-index after one file changed drops that pattern's chunks and adds its new ones (:meth:`LexicalIndex.updated`)
instead of building BM25 over the whole library again. bm25s tokenizes (and a test compares the scores with its).

On disk (``<index>/lexical``): ``current.json`` names a generation of files, ``<generation>.*``: the counts
(``.npy``, mapped when loaded), each chunk's id, slug and section (``.about.json``) and the texts
(``.chunks.jsonl``, with where each line starts in ``.offsets.npy``).
"""

from __future__ import annotations

import json
import os
import re
import secrets
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Protocol

import bm25s
import numpy as np

from pattern_guide.errors import IndexMissingError
from pattern_guide.files import write_atomically
from pattern_guide.text import STEMMER

K1, B = 1.5, 0.75
FORMAT = 2  # 1 was bm25s's own files
CURRENT = "current.json"  # names the generation of files in use
_GENERATION = re.compile(r"[0-9a-f]{16}\.[a-z]+\.(npy|json|jsonl)")
_EARLIER = {"chunks.jsonl", "postings.npz", "vocab.json", "params.index.json", "vocab.index.json",
            "data.csc.index.npy", "indices.csc.index.npy", "indptr.csc.index.npy"}  # fmt: skip
COPY_BLOCK = 4 << 20  # bytes of unchanged chunk lines copied at once when the chunks file is written again
Tokens = list[str]


def tokenize(texts: list[str]) -> list[Tokens]:
    tokens: list[Tokens] = bm25s.tokenize(texts, stopwords="en", stemmer=STEMMER, return_ids=False, show_progress=False)
    return tokens


class ChunkLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def slug(self) -> str: ...
    @property
    def section(self) -> str: ...
    @property
    def text(self) -> str: ...


class ChunkRef:
    """One chunk as BM25 knows it. A loaded index reads the text from its chunks file when asked (a quote
    shown, a question answered), so a running app does not hold every chunk's text (on the Commons library
    about as much text again as the library itself)."""

    __slots__ = ("_source", "_span", "_text", "id", "section", "slug")

    def __init__(
        self, id: str, slug: str, section: str, text: str | None = None, source: _ChunkFile | None = None,
        span: tuple[int, int] = (0, 0),
    ) -> None:  # fmt: skip
        self.id, self.slug, self.section = id, slug, section
        self._text, self._source, self._span = text, source, span

    @property
    def text(self) -> str:
        if self._text is not None:
            return self._text
        if self._source is None:
            return ""
        return str(json.loads(self._source.read(*self._span))["text"])

    def line(self) -> bytes:
        """The chunk's line in a chunks file."""
        row = {"id": self.id, "slug": self.slug, "section": self.section, "text": self.text}
        return json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n"


def _lines(refs: Sequence[ChunkRef], offsets: list[int]) -> Iterator[bytes]:
    """The chunks file's lines for these refs, where each starts appended to ``offsets`` (and the end of the
    last): runs of lines of one loaded file are copied in blocks, unread."""
    run: tuple[_ChunkFile, int, int] | None = None  # source, offset, length
    at = 0
    for ref in refs:
        offsets.append(at)
        source, (offset, length) = ref._source, ref._span
        if ref._text is None and source is not None:
            at += length
            if run and run[0] is source and run[1] + run[2] == offset and run[2] < COPY_BLOCK:
                run = (source, run[1], run[2] + length)
                continue
            if run:
                yield run[0].read(run[1], run[2])
            run = (source, offset, length)
            continue
        if run:
            yield run[0].read(run[1], run[2])
            run = None
        line = ref.line()
        at += len(line)
        yield line
    if run:
        yield run[0].read(run[1], run[2])
    offsets.append(at)


class _ChunkFile:
    """The chunks file of a loaded index, kept open: an index rebuilt under a running app replaces the file,
    and this handle goes on reading the one it was loaded from."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("rb")
        self._fd = self._file.fileno()

    def read(self, offset: int, length: int) -> bytes:
        return os.pread(self._fd, length, offset)


class Postings:
    """Term counts, term-major: the chunks holding term t are ``docs[start[t]:start[t + 1]]``, with counts."""

    def __init__(self, start: np.ndarray, docs: np.ndarray, counts: np.ndarray, lengths: np.ndarray) -> None:
        self.start, self.docs, self.counts, self.lengths = start, docs, counts, lengths

    @classmethod
    def from_triples(
        cls, terms: np.ndarray, docs: np.ndarray, counts: np.ndarray, vocab: int, lengths: np.ndarray
    ) -> Postings:
        order = np.lexsort((docs, terms))
        start = np.zeros(vocab + 1, dtype=np.int64)
        np.cumsum(np.bincount(terms, minlength=vocab), out=start[1:])
        return cls(start, docs[order].astype(np.int32), counts[order].astype(np.uint16), lengths.astype(np.int32))

    def triples(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        terms = np.repeat(np.arange(len(self.start) - 1, dtype=np.int32), np.diff(self.start))
        return terms, self.docs, self.counts

    def renumbered(
        self, new_of_old: np.ndarray, added: tuple[np.ndarray, ...], vocab: int, lengths: np.ndarray
    ) -> Postings:
        """These postings with every chunk renumbered (-1: dropped; the kept keep their order) and the
        ``added`` (terms, docs, counts) merged in: no sort of the whole, one pass."""
        terms, docs, counts = self.triples()
        docs = new_of_old[docs]
        kept = docs >= 0
        terms, docs, counts = terms[kept], docs[kept], counts[kept]
        new_terms, new_docs, new_counts = added
        order = np.lexsort((new_docs, new_terms))
        new_terms, new_docs, new_counts = new_terms[order], new_docs[order], new_counts[order]
        width = np.int64(len(lengths) + 1)
        at = np.searchsorted(terms.astype(np.int64) * width + docs, new_terms.astype(np.int64) * width + new_docs)
        merged_terms = np.insert(terms, at, new_terms)
        start = np.zeros(vocab + 1, dtype=np.int64)
        np.cumsum(np.bincount(merged_terms, minlength=vocab), out=start[1:])
        return Postings(
            start,
            np.insert(docs, at, new_docs).astype(np.int32),
            np.insert(counts, at, new_counts).astype(np.uint16),
            lengths.astype(np.int32),
        )


def _counted(tokens: Iterable[Tokens], vocab: dict[str, int], first_doc: int) -> tuple[np.ndarray, ...]:
    """(terms, docs, counts, lengths) of these chunks' tokens, new terms added to ``vocab``."""
    terms: list[int] = []
    docs: list[int] = []
    counts: list[int] = []
    lengths: list[int] = []
    for doc, chunk in enumerate(tokens, start=first_doc):
        for term, count in Counter(chunk).items():
            terms.append(vocab.setdefault(term, len(vocab)))
            docs.append(doc)
            counts.append(min(count, 65535))
        lengths.append(len(chunk))
    return (np.array(terms, dtype=np.int32), np.array(docs, dtype=np.int32), np.array(counts, dtype=np.uint16),
            np.array(lengths, dtype=np.int32))  # fmt: skip


class LexicalIndex:
    """BM25 over chunks, built at index time and loaded once per process."""

    def __init__(self, vocab: dict[str, int], postings: Postings, refs: list[ChunkRef]) -> None:
        self.vocab = vocab
        self.postings = postings
        self.refs = refs
        self.by_id = {r.id: r for r in refs}
        lengths = postings.lengths.astype(np.float32)
        average = float(lengths.mean()) if len(lengths) and lengths.sum() else 1.0
        self._norm = K1 * ((1 - B) + B * lengths / average)

    @classmethod
    def build(cls, chunks: Sequence[ChunkLike], tokens: list[Tokens] | None = None) -> LexicalIndex:
        """BM25 over the chunks; ``tokens`` (each chunk's, in order) when already stemmed."""
        refs = [ChunkRef(id=c.id, slug=c.slug, section=c.section, text=c.text) for c in chunks]
        if tokens is None:
            tokens = tokenize([c.text for c in chunks])
        vocab: dict[str, int] = {}
        terms, docs, counts, lengths = _counted(tokens, vocab, 0)
        return cls(vocab, Postings.from_triples(terms, docs, counts, len(vocab), lengths), refs)

    def updated(
        self, slugs: Sequence[str], replaced: Collection[str], changed: Sequence[ChunkLike], tokens: list[Tokens]
    ) -> LexicalIndex:
        """This index with the chunks of the patterns in ``replaced`` replaced by ``changed`` (stemmed as
        ``tokens``) and only the patterns in ``slugs`` kept, in that order: what :meth:`build` gives over the
        same chunks."""
        fresh = set(replaced)
        by_slug: dict[str, list[int]] = {}
        for doc, ref in enumerate(self.refs):
            by_slug.setdefault(ref.slug, []).append(doc)
        new_of_old = np.full(len(self.refs), -1, dtype=np.int64)
        refs: list[ChunkRef] = []
        added: list[tuple[int, int]] = []  # (new doc, position in changed)
        mine: dict[str, list[int]] = {}
        for n, chunk in enumerate(changed):
            mine.setdefault(chunk.slug, []).append(n)
        for slug in dict.fromkeys(slugs):
            if slug in fresh:
                for n in mine.get(slug, []):
                    c = changed[n]
                    added.append((len(refs), n))
                    refs.append(ChunkRef(id=c.id, slug=c.slug, section=c.section, text=c.text))
            else:
                for doc in by_slug.get(slug, []):
                    new_of_old[doc] = len(refs)
                    refs.append(self.refs[doc])
        vocab = dict(self.vocab)
        new_terms, positions, new_counts, new_lengths = _counted((tokens[n] for _, n in added), vocab, 0)
        new_docs = np.array([doc for doc, _ in added], dtype=np.int64)
        lengths = np.zeros(len(refs), dtype=np.int32)
        old = new_of_old >= 0
        lengths[new_of_old[old]] = self.postings.lengths[old]
        lengths[new_docs] = new_lengths
        postings = self.postings.renumbered(
            new_of_old, (new_terms, new_docs[positions], new_counts), len(vocab), lengths
        )
        return LexicalIndex(vocab, postings, refs)

    def save(self, directory: Path) -> None:
        """Write the index as a new generation of files, then the small file that names it, whole or not at all:
        a reader sees the old index or the new one, and a running app keeps the files it opened."""
        directory.mkdir(parents=True, exist_ok=True)
        generation = secrets.token_hex(8)
        spans: list[int] = []
        write_atomically(directory / f"{generation}.chunks.jsonl", lambda out: out.writelines(_lines(self.refs, spans)))
        p = self.postings
        arrays = {"start": p.start, "docs": p.docs, "counts": p.counts, "lengths": p.lengths,
                  "offsets": np.array(spans, dtype=np.int64)}  # fmt: skip
        for name, array in arrays.items():
            write_atomically(directory / f"{generation}.{name}.npy", lambda out, a=array: np.save(out, a))  # type: ignore[misc]
        about = {
            "vocab": sorted(self.vocab, key=self.vocab.__getitem__),
            "ids": [r.id for r in self.refs],
            "slugs": [r.slug for r in self.refs],
            "sections": [r.section for r in self.refs],
        }
        text = json.dumps(about, ensure_ascii=False).encode("utf-8")
        write_atomically(directory / f"{generation}.about.json", lambda out: out.write(text))
        current = json.dumps({"format": FORMAT, "generation": generation}).encode("utf-8")
        write_atomically(directory / CURRENT, lambda out: out.write(current))
        for old in directory.iterdir():  # earlier generations, and what bm25s wrote before this format
            if (_GENERATION.fullmatch(old.name) and not old.name.startswith(generation)) or old.name in _EARLIER:
                old.unlink(missing_ok=True)

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        """The index a folder's current generation names; its arrays are mapped from the files, not read, so a
        running app holds in memory only the postings its queries touched."""
        if not (directory / CURRENT).is_file():
            raise IndexMissingError(f"No index at {directory.parent} — run `pattern-guide index`")
        unreadable = IndexMissingError(f"The lexical index at {directory} cannot be read — run `pattern-guide index`")
        try:
            current = json.loads((directory / CURRENT).read_bytes())
            generation = str(current["generation"])
            if current.get("format") != FORMAT or not re.fullmatch(r"[0-9a-f]{16}", generation):
                raise unreadable
            arrays = {
                name: np.load(directory / f"{generation}.{name}.npy", mmap_mode="r", allow_pickle=False)
                for name in ("start", "docs", "counts", "lengths", "offsets")
            }
            about = json.loads((directory / f"{generation}.about.json").read_bytes())
            vocab, ids, slugs, sections = about["vocab"], about["ids"], about["slugs"], about["sections"]
            source = _ChunkFile(directory / f"{generation}.chunks.jsonl")
        except (OSError, ValueError, KeyError, TypeError):
            raise unreadable from None
        postings = Postings(arrays["start"], arrays["docs"], arrays["counts"], arrays["lengths"])
        offsets = arrays["offsets"].tolist()
        if not len(ids) == len(slugs) == len(sections) == len(postings.lengths) == len(offsets) - 1:
            raise unreadable
        if len(vocab) != len(postings.start) - 1:
            raise unreadable
        names: dict[str, str] = {}  # one string per slug and section name, however many chunks share it
        refs = [
            ChunkRef(ids[n], names.setdefault(slugs[n], slugs[n]), names.setdefault(sections[n], sections[n]),
                     source=source, span=(offsets[n], offsets[n + 1] - offsets[n]))
            for n in range(len(ids))
        ]  # fmt: skip
        return cls({t: i for i, t in enumerate(vocab)}, postings, refs)

    def scores(self, tokens: Tokens) -> np.ndarray:
        """BM25 score of every chunk for these query tokens (a repeated token counts again, as in bm25s)."""
        p = self.postings
        out = np.zeros(len(self.refs), dtype=np.float32)
        total = len(self.refs)
        for token in tokens:
            term = self.vocab.get(token)
            if term is None:
                continue
            begin, end = int(p.start[term]), int(p.start[term + 1])
            if begin == end:
                continue
            docs, counts = p.docs[begin:end], p.counts[begin:end].astype(np.float32)
            idf = np.log(1 + (total - (end - begin) + 0.5) / ((end - begin) + 0.5))
            out[docs] += idf * counts / (counts + self._norm[docs])
        return out

    def score_text(self, text: str) -> np.ndarray:
        """BM25 score of every chunk for a text (all zero when none of its words is indexed)."""
        tokens = tokenize([text])[0]
        if not tokens or not self.refs:
            return np.zeros(len(self.refs), dtype=np.float32)
        return self.scores(tokens)

    def best(self, scores: np.ndarray, n: int) -> list[tuple[str, float]]:
        """The ``n`` best-scoring chunk ids of :meth:`score_text`, best first; chunks scoring zero left out."""
        n = min(n, len(scores))
        if n <= 0:
            return []
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.lexsort((top, -scores[top]))]
        return [(self.refs[int(i)].id, float(scores[i])) for i in top if scores[i] > 0]

    def query(self, text: str, n: int) -> list[tuple[str, float]]:
        """Chunk ids by BM25 score, best first; chunks with no matching term are left out."""
        return self.best(self.score_text(text), n)


def load_lexical(index_dir: Path) -> LexicalIndex:
    """The persisted BM25 index of an index folder."""
    return LexicalIndex.load(index_dir / "lexical")
