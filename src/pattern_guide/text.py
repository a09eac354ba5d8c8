"""The one text toolkit: escaping, the rendering policy for pattern Markdown, sentences, words, stems.

Every page, export and reply uses these, so there is one answer to "is this text safe to
render?" and one idea of what a sentence or a word is.

- :func:`escape` — a person's (or any untrusted) text made inert for Markdown;
  :func:`unescape` undoes it for a terminal.
- :func:`safe_markdown` — pattern Markdown with its formatting kept but no raw HTML and no
  script links.
- :func:`plain` — Markdown emphasis, code marks and blockquote markers dropped.
- :func:`sentences`, :func:`shorten`, :func:`words`, :func:`stem`, :func:`terms`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import Stemmer

# --- escaping ------------------------------------------------------------------------------------------

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_BLOCK_START = re.compile(r"^([#+\-=])")
_ORDERED = re.compile(r"^(\d+)([.)])")
_URL_SCHEME = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*):(?=//)")
_WWW = re.compile(r"(?i)\b(www)\.")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]<>()#+!|~:.=\-])")
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))


def escape(text: str) -> str:
    """Untrusted text made inert for Markdown: HTML as entities, markup characters backslash-escaped.

    No link, image, HTML tag, heading, list or code block can be smuggled in; GFM's bare
    "https://…" and "www.…" autolinks are broken too.
    """
    lines: list[str] = []
    for raw in text.strip().splitlines():
        line = raw.strip()  # leading spaces would make an indented code block
        line = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        line = _INLINE_SPECIAL.sub(r"\\\1", line)
        line = _URL_SCHEME.sub(r"\1\\:", line)
        line = _WWW.sub(r"\1\\.", line)
        line = _BLOCK_START.sub(r"\\\1", line)
        line = _ORDERED.sub(r"\1\\\2", line)
        lines.append(line)
    return "\n".join(lines)


def unescape(markdown: str) -> str:
    """Markdown produced with :func:`escape` back to the characters a terminal should print."""
    text = _ESCAPED.sub(r"\1", markdown)
    for entity, char in _ENTITIES:
        text = text.replace(entity, char)
    return text


_UNSAFE_LINK = re.compile(r"\]\(\s*(?:javascript|data|vbscript):[^)]*\)", re.IGNORECASE)


def safe_markdown(text: str | None) -> str:
    """Pattern Markdown with its formatting kept but no way to inject HTML or script.

    "<" is escaped (no raw HTML tags or autolinks), and links to javascript:/data: URLs
    lose their target.
    """
    text = (text or "").replace("<", "&lt;").strip()
    return _UNSAFE_LINK.sub("](#)", text)


_STRONG = re.compile(r"\*\*(.+?)\*\*|__(.+?)__", re.DOTALL)
_EM = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])|(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])", re.DOTALL)
_CODE = re.compile(r"`([^`]*)`")
_QUOTE_MARK = re.compile(r"^>\s?", re.MULTILINE)


def plain(text: str) -> str:
    """Markdown emphasis, code marks and blockquote markers dropped: the words as a reader sees them."""
    text = _QUOTE_MARK.sub("", text)
    text = _STRONG.sub(lambda m: m.group(1) or m.group(2), text)
    text = _EM.sub(lambda m: m.group(1) or m.group(2), text)
    text = _CODE.sub(r"\1", text)
    return re.sub(r"\*\*|__", "", text).strip()


# --- sentences -----------------------------------------------------------------------------------------

# A sentence ends at . ! ? or … (not after "vs.", "e.g.", "i.e."), with any closing quote or
# bracket, before a space and a character that is not a lower-case letter; a line break ends one too.
_BOUNDARY = re.compile(r"(?<!\bvs\.)(?<!\be\.g\.)(?<!\bi\.e\.)(?<=[.!?…])([\"'”’)\]]*)[ \t]+(?=[^\sa-z])|[ \t]*\n\s*")


def sentences(text: str) -> list[str]:
    """The sentences of a text, stripped, in order."""
    out: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.start() + len(match.group(1) or "")
        piece = text[start:end].strip()
        if piece:
            out.append(piece)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def shorten(text: str, limit: int) -> str:
    """Whitespace collapsed and, when longer than ``limit``, cut at a word with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


# --- words and stems -----------------------------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9]+")
STEMMER = Stemmer.Stemmer("english")  # shared with the BM25 index, so both agree on every word


def words(text: str) -> str:
    """Text as its lower-case words and numbers, one space apart: emphasis and punctuation gone."""
    return " ".join(_WORD.findall(text.lower()))


def stem(word: str) -> str:
    """The English (Snowball) stem of one lower-case word: "meetings", "meeting" and "meet" agree."""
    return str(STEMMER.stemWord(word))


def stems(tokens: list[str]) -> list[str]:
    """The stems of many words at once."""
    return [str(s) for s in STEMMER.stemWords(tokens)]


_STOP_WORDS = """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing done down during each even every few for from
    further had has have having he her here hers him his how i if in into is it its itself just last
    least less like made make makes many may more most much must my no nor not now of off often on once
    one only or other others our ours out over own people per same she should so some someone still such
    than that the their theirs them then there these they thing things this those through to too under
    until up upon us use used uses very was way ways we well were what when where whether which while who
    whom why will with within without would yet you your yours two three four five first second third
    across around along among always never ever really actually instead rather almost already usually
    anyone everyone nobody something anything everything nothing whole kind lot lots get gets got
    keep keeps kept take takes taken come comes"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
_LETTERS = re.compile(r"[a-z]+")


def terms(text: str) -> dict[str, str]:
    """Content words of a text by stem, each with the first surface form seen (stop words dropped)."""
    out: dict[str, str] = {}
    for word in _LETTERS.findall(text.lower()):
        if word in STOP_WORDS or len(word) < 3:
            continue
        out.setdefault(stem(word), word)
    return out


# --- citations -----------------------------------------------------------------------------------------

_CITATION = re.compile(r"\[(?P<slug>[\w.-]+) §(?P<section>[^\[\]\n]+?)\]")


def replace_citations(markdown: str, render: Callable[[str, str], str | None]) -> str:
    """Every ``[slug §Section]`` marker rendered for a reader; a marker ``render`` does not know stays as it is."""

    def one(match: re.Match[str]) -> str:
        shown = render(match["slug"], match["section"])
        return match.group(0) if shown is None else shown

    return _CITATION.sub(one, markdown)
