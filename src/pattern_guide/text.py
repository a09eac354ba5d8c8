"""The one text toolkit: escaping, the rendering policy for pattern Markdown, sentences, words, stems.

Every page, export and reply uses these, so there is one answer to "is this text safe to
render?" and one idea of what a sentence or a word is.

- :func:`escape` — a person's (or any untrusted) text made inert for Markdown;
  :func:`unescape` undoes it for a terminal.
- :func:`safe_markdown` — the rendering policy for untrusted Markdown (a model's reply, a
  pattern file): formatting kept; no raw HTML, no images, no links except into the app.
- :func:`plain` — Markdown emphasis, code marks and blockquote markers dropped.
- :func:`sentences`, :func:`shorten`, :func:`words`, :func:`stem`, :func:`terms`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from urllib.parse import quote, urlsplit

import Stemmer

# --- escaping ------------------------------------------------------------------------------------------

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_BLOCK_START = re.compile(r"^([#+\-=])")
_ORDERED = re.compile(r"^(\d+)([.)])")
# A word joiner (invisible) after "https:", "www" or "@": GFM's literal autolinks are found in the
# text *after* escapes are decoded, so a backslash does not stop them; the joiner does.
JOINER = "\u2060"
_BARE_SCHEME = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*\\?:)(?=(?:\\?/){2})")
_BARE_WWW = re.compile(r"(?i)\b(www)(?=\\?\.)")
_BARE_EMAIL = re.compile(r"(?<=[\w.+\-])(\\?@)(?=[\w\-])")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]<>()#+!|~:.=\-])")
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))


def escape(text: str) -> str:
    """Untrusted text made inert for Markdown: HTML as entities, markup characters backslash-escaped.

    No link, image, HTML tag, heading, list or code block can be smuggled in; GFM's bare
    "https://…", "www.…" and e-mail autolinks are broken too (:func:`break_autolinks`).
    """
    lines: list[str] = []
    for raw in text.strip().splitlines():
        line = raw.strip()  # leading spaces would make an indented code block
        line = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        line = _INLINE_SPECIAL.sub(r"\\\1", line)
        line = break_autolinks(line)
        line = _BLOCK_START.sub(r"\\\1", line)
        line = _ORDERED.sub(r"\1\\\2", line)
        lines.append(line)
    return "\n".join(lines)


def unescape(markdown: str) -> str:
    """Markdown produced with :func:`escape` back to the characters a terminal should print."""
    text = _ESCAPED.sub(r"\1", markdown.replace(JOINER, ""))
    for entity, char in _ENTITIES:
        text = text.replace(entity, char)
    return text


def break_autolinks(text: str) -> str:
    """Bare URLs and e-mail addresses kept as text: GFM would otherwise make them links."""
    text = _BARE_SCHEME.sub(lambda m: m.group(1) + JOINER, text)
    text = _BARE_WWW.sub(lambda m: m.group(1) + JOINER, text)
    return _BARE_EMAIL.sub(lambda m: m.group(1) + JOINER, text)


def safe_markdown(text: str | None, app_base: str | None = None) -> str:
    """The rendering policy for untrusted Markdown (a model's reply, a pattern file): safe to render.

    Formatting stays. Raw HTML and ``<…>`` autolinks are shown as text. Images become
    "[image: alt]" — nothing is fetched. A link into the app (``/…``, ``?…``, ``#…``, or an
    absolute URL on ``app_base``) stays a link; an http(s) link elsewhere becomes its text
    and its host, "text (example.com)"; any other scheme (javascript:, data:, file:…) keeps
    only its text. Reference definitions (``[x]: url``) and bare URLs never become links.
    """
    return _Policy(app_base).render(text or "")


# Our own links are written with private-use characters while the text is sealed, then made real.
_OPEN, _MID, _CLOSE = "\ue000", "\ue001", "\ue002"
_OURS = re.compile("[\ue000-\ue002]")
_OUR_LINK = re.compile("\ue001(\\d+)\ue002")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_UNSEEN = re.compile(r"[\x00-\x20\x7f]")  # browsers drop tabs and newlines inside URLs: "java\tscript:"
_PUNCT_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# Deeper nesting than this is left to the seal: its brackets stay text.
_MAX_NESTING = 8


def _pairs(text: str) -> dict[int, int]:
    """Each "[" and "(" mapped to the bracket closing it (escapes skipped; a blank line closes nothing)."""
    pairs: dict[int, int] = {}
    stacks: dict[str, list[int]] = {"]": [], ")": []}
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 1
        elif char in "[(":
            stacks["]" if char == "[" else ")"].append(i)
        elif char in stacks and stacks[char]:
            pairs[stacks[char].pop()] = i
        elif char == "\n" and text.startswith("\n", i + 1):
            stacks["]"].clear()
            stacks[")"].clear()
        i += 1
    return pairs


def _seal(text: str) -> str:
    """No image ("!["), inline link ("](") or reference definition ("]:") left but our own links."""
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            out.append(text[i : i + 2])
            i += 2
            continue
        if char == "!" and text.startswith("[", i + 1):
            out.append("!\\[")
            i += 2
            continue
        out.append("\\]" if char == "]" and text[i + 1 : i + 2] in ("(", ":") else char)
        i += 1
    return "".join(out)


class _Policy:
    """One pass of :func:`safe_markdown` over one text: images out, links judged, the rest sealed."""

    def __init__(self, app_base: str | None) -> None:
        base = urlsplit(app_base) if app_base else None
        self.base = (base.scheme.lower(), base.netloc.lower()) if base and base.netloc else None
        self.links: list[str] = []

    def render(self, text: str) -> str:
        text = _OURS.sub("", text.strip()).replace("<", "&lt;")  # no raw HTML, no <…> autolinks
        text = break_autolinks(_seal(self.inline(text, False)))
        text = _OUR_LINK.sub(lambda m: "](" + self.links[int(m.group(1))] + ")", text)
        return text.replace(_OPEN, "[")

    def inline(self, text: str, in_link: bool, depth: int = 0) -> str:
        if depth > _MAX_NESTING:
            return text
        pairs = _pairs(text)
        out: list[str] = []
        i, n = 0, len(text)
        while i < n:
            char = text[i]
            if char == "\\":
                out.append(text[i : i + 2])
                i += 2
                continue
            image = char == "!" and text.startswith("[", i + 1)
            start = i + 1 if image else i
            close = pairs.get(start) if image or char == "[" else None
            if close is None:
                out.append(char)
                i += 1
                continue
            inner, after, target = text[start + 1 : close], close + 1, None
            if text.startswith("(", after) and (end := pairs.get(after)) is not None:
                target, after = text[after + 1 : end], end + 1
            elif image and text.startswith("[", after) and (end := pairs.get(after)) is not None:
                after = end + 1  # ![alt][ref]
            if image:
                alt = self.inline(inner, True, depth + 1).strip()
                out.append(f"\\[image: {alt}\\]" if alt else "\\[image\\]")
            elif target is not None:
                out.append(self.link(self.inline(inner, True, depth + 1), target, in_link))
            else:
                out.append("[" + self.inline(inner, in_link, depth + 1) + "]")
                after = close + 1
            i = after
        return "".join(out)

    def link(self, label: str, target: str, in_link: bool) -> str:
        """A link into the app stays one; an http(s) link elsewhere is its text and host; others their text."""
        url = _destination(target)
        scheme = _SCHEME.match(url)
        if scheme and scheme.group(1).lower() in ("http", "https") or url.startswith(("//", "/\\", "\\")):
            parts = urlsplit(url if scheme else "https:" + url.replace("\\", "/"))
            if self.base and (parts.scheme.lower(), parts.netloc.lower()) == self.base and not in_link:
                return self.ours(label, parts._replace(scheme="", netloc="").geturl() or "/")
            host = escape(parts.hostname or "")
            if not label.strip() or label.strip() == target.strip():
                return host or label
            return f"{label} ({host})" if host else label
        if not scheme and url.startswith(("/", "?", "#")) and not in_link:
            return self.ours(label, url)
        return label

    def ours(self, label: str, url: str) -> str:
        self.links.append(quote(url, safe="/?=&#%:@!$*+,;-._~'"))
        return f"{_OPEN}{label}{_MID}{len(self.links) - 1}{_CLOSE}"


def _destination(target: str) -> str:
    """The URL a browser would follow for a Markdown link target: entities and escapes decoded, title dropped."""
    url = html.unescape(target.strip())
    url = url[1:].split(">", 1)[0] if url.startswith("<") else (url.split() or [""])[0]
    return _UNSEEN.sub("", _PUNCT_ESCAPE.sub(r"\1", url))


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
_BOUNDARY = re.compile(r"(?<!\bvs\.)(?<!\be\.g\.)(?<!\bi\.e\.)(?<=[.!?…])([\"'”’)\]]*)[ \t]+(?=[^\sa-z])|\n\s*")


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
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.") + "…"  # "purpose.…" would read as four dots


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
