"""Hygiene of a pattern file's text: markup and wording the guide will not pass on as written.

Pattern files are untrusted text. The pages render them through the rendering policy
(``text.safe_markdown``), so none of this can run or load anything; these warnings tell the
library's editor what a reader will see instead (HTML shown as text, an image as its alt
text) and flag wording aimed at a language model, which would reach the model verbatim
inside the pattern passages it is given.

One scan per file, with compiled expressions over the whole text: the Commons library
(3,616 files) must load about as fast with it as without.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# Elements of HTML: "<IR>" (a framework's name) or "<name>" (a placeholder) are words, not tags.
# <script> is left to its own warning.
_ELEMENTS = frozenset(
    re.findall(
        r"\w+",
        """a abbr address area article aside audio b base bdi bdo big blockquote body br button canvas caption center
    cite code col colgroup data dd del details dfn dialog div dl dt em embed fieldset figcaption figure font footer
    form frame frameset h1 h2 h3 h4 h5 h6 head header hr html i iframe img input ins kbd label legend li link main
    map mark math meta meter nav noscript object ol optgroup option output p param picture pre progress q s samp
    section select small source span strike strong style sub summary sup svg table tbody td template
    textarea tfoot th thead time title tr track u ul var video wbr""",
    )
)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)(?:\s[^<>\n]*)?/?>|<!--")
_REMOTE_IMAGE = re.compile(r"!\[[^\]\n]*\]\(\s*<?\s*((?:https?:)?//[^\s)>]*|data:[^\s)>]*)", re.IGNORECASE)

# Each rule is a word to look for (cheap: str.find over the lower-cased text) and the expressions that
# must match around it: how far before the word one may start, how far after it may end. One
# case-insensitive expression over the 87 MB of Commons text took many seconds; this takes little.
_Near = tuple[int, int, re.Pattern[str]]
_SCRIPT: dict[str, list[_Near]] = {
    "script": [(6, 20, re.compile(r"<\s*script\b|\b(?:java|vb)script\s*:"))],
    "text/html": [(12, 10, re.compile(r"\bdata\s*:\s*text/html"))],
}
# Wording that only makes sense addressed to a language model (prose about models does not match).
_OVERRIDE = [
    (
        0,
        80,
        re.compile(
            r"\b(?:ignore|disregard|forget|override)\s+(?:(?:all|any|the|your|of)\s+)*(?:previous|prior|above|earlier|"
            r"preceding)\b(?:\s+(?:instructions?|prompts?|messages?|rules|directions|context|text)\b)?"
        ),
    )
]
_ROLE = r"(?m)^[ \t]*{}:\s*(?:you\b|ignore\b|disregard\b|from now on\b)"
_INSTRUCTION: dict[str, list[_Near]] = {
    **dict.fromkeys(("ignore", "disregard", "forget", "override"), _OVERRIDE),
    "prompt": [(8, 0, re.compile(r"\bsystem\s+prompt"))],  # "system" alone is everywhere in the Commons
    "system:": [(12, 40, re.compile(_ROLE.format("system")))],
    "assistant:": [(12, 40, re.compile(_ROLE.format("assistant")))],
    "you are now": [(0, 40, re.compile(
        r"\byou are now\s+(?:an?\s+)?(?:ai|assistant|chatbot|language\s+model|unrestricted|jailbroken|dan|"
        r"in\s+developer\s+mode)\b"
    ))],
    "instructions": [
        (12, 16, re.compile(r"\b(?:new|updated|real|hidden|secret)\s+instructions\s*:")),
        (30, 12, re.compile(r"\b(?:reveal|print|repeat|show)\s+(?:me\s+)?(?:your|the)\s+(?:hidden\s+)?instructions")),
    ],
    "the user": [(30, 8, re.compile(
        r"(?:\bdo\s+not|\bdon't|\bnever)\s+(?:tell|inform|(?:reveal|mention)(?:\s+this)?\s+to)\s+the\s+user"
    ))],
    "<|": [(0, 14, re.compile(r"<\|(?:im_start|im_end|system|user|assistant|endoftext)\|>"))],
    "inst]": [(2, 0, re.compile(r"\[/?inst\]"))],
    "sys>>": [(3, 0, re.compile(r"<</?sys>>"))],
}  # fmt: skip
_FENCED = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*\n.*?^[ \t]*\1", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)[^`\n](?:.*?[^`])??\1(?!`)")


class Finding(NamedTuple):
    """One kind of trouble in one file: the first line it is on and the message for the editor."""

    line: int
    message: str


def _blank_code(text: str) -> str:
    """Code blocks and spans blanked (same length, newlines kept): HTML inside code is an example, not markup."""

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    return _CODE_SPAN.sub(blank, _FENCED.sub(blank, text))


def _tags(text: str) -> list[re.Match[str]]:
    return [m for m in _TAG.finditer(text) if m.group(0) == "<!--" or m.group(2).lower() in _ELEMENTS]


def _matches(low: str, rules: dict[str, list[_Near]]) -> list[re.Match[str]]:
    """Where any rule matches the lower-cased text, in order (each place once)."""
    found: dict[int, re.Match[str]] = {}
    for word, near in rules.items():
        at = low.find(word)
        while at >= 0:
            for before, after, expression in near:
                match = expression.search(low, max(0, at - before), at + len(word) + after)
                if match and match.start() <= at:
                    found.setdefault(match.start(), match)
            at = low.find(word, at + 1)
    return [found[at] for at in sorted(found)]


def _more(count: int, what: str) -> str:
    return f" (and {count - 1} more {what})" if count > 1 else ""


def scan(text: str) -> list[Finding]:
    """Every kind of trouble in a pattern file's text, each once, at the first line it occurs on."""

    def line(position: int) -> int:
        return text.count("\n", 0, position) + 1

    found: list[Finding] = []
    tags = _tags(text)
    if tags and ("`" in text or "~~~" in text):
        tags = _tags(_blank_code(text))  # only now: blanking the code of every file would cost more than the scan
    if tags:
        first = tags[0].group(0)[:40]
        found.append(
            Finding(
                line(tags[0].start()),
                f"raw HTML {first}{_more(len(tags), 'tags')} — pages show HTML as plain text; write it as Markdown",
            )
        )
    low = text.lower()
    scripts = _matches(low, _SCRIPT)
    if scripts:
        first = scripts[0].group(0).strip()
        found.append(
            Finding(
                line(scripts[0].start()),
                f"script markup “{first}”{_more(len(scripts), 'like it')} — nothing in a pattern ever runs; remove it",
            )
        )
    images = list(_REMOTE_IMAGE.finditer(text))
    if images:
        url = images[0].group(1)[:60]
        found.append(
            Finding(
                line(images[0].start()),
                f"remote image {url}{_more(len(images), 'images')} — the guide never loads it and shows only "
                "its alt text; describe it in words instead",
            )
        )
    said = _matches(low, _INSTRUCTION)
    if said:
        phrase = " ".join(said[0].group(0).split())
        found.append(
            Finding(
                line(said[0].start()),
                f"text that reads like an instruction to a language model (“{phrase}”){_more(len(said), 'like it')} "
                "— a model given this pattern could be steered by it; reword it",
            )
        )
    return sorted(found)
