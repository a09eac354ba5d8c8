"""The rendering policy for untrusted Markdown (text.safe_markdown) and the escaper, judged by a real renderer.

Each case is rendered by markdown-it (CommonMark with GFM tables and strikethrough, plus
a check for GFM's literal autolinks, which markdown-it leaves to its `linkify` option) and
the HTML is searched for what a browser would fetch or follow.
"""

from __future__ import annotations

import html as entities
import re

import pytest
from markdown_it import MarkdownIt

from pattern_guide.text import JOINER, escape, replace_citations, safe_markdown, unescape

RENDER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# GFM's literal autolinks, as remark-gfm finds them in the text (after escapes are decoded).
GFM_AUTOLINK = re.compile(r"(?i)(?:^|[\s(*_~])(?:https?://|www\.)[-\w]|[\w.+-]@[-\w]+\.[-\w]")


def html(markdown: str) -> str:
    return RENDER.render(markdown)


def hrefs(markdown: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)"', html(markdown))


def visible(markdown: str) -> str:
    """The text a reader sees: the rendered HTML without tags, entities decoded."""
    return entities.unescape(re.sub(r"<[^>]+>", "", html(markdown))).strip()


def autolinked(markdown: str) -> bool:
    return bool(GFM_AUTOLINK.search(visible(markdown)))


LEAK = "http://127.0.0.1:9/leak?q=situation"
IMAGES = [
    f"![x]({LEAK})",
    f"![x](<{LEAK}>)",
    f'![x]({LEAK} "title")',
    f"![x][r]\n\n[r]: {LEAK}",
    f"![x]\n\n[x]: {LEAK}",
    f"[![badge]({LEAK})](https://example.com)",
    f"!![x]({LEAK})",
    f"\\\\![x]({LEAK})",
    f"*![x]({LEAK})*",
    f"# ![x]({LEAK})",
    f"| a |\n|---|\n| ![x]({LEAK}) |",
    "![x](HTTP://127.0.0.1:9/leak)",
    f"![x]({LEAK.replace(':', '&#58;', 1)})",
    f"<img src={LEAK}>",
    f'<img src="{LEAK}" onerror="alert(1)">',
    f"[^1]\n\n[^1]: ![x]({LEAK})",
    f"![x](  \n{LEAK}\n)",
]


@pytest.mark.parametrize("markdown", IMAGES)
def test_no_image_survives(markdown: str) -> None:
    out = safe_markdown(markdown)
    assert "<img" not in html(out), (markdown, out, html(out))
    assert not hrefs(out)
    assert not autolinked(out), visible(out)


def test_an_image_becomes_its_alt_text() -> None:
    assert visible(safe_markdown(f"See ![the chart]({LEAK}) here")) == "See [image: the chart] here"
    assert visible(safe_markdown(f"![]({LEAK})")) == "[image]"
    assert visible(safe_markdown(f"[![badge]({LEAK})](https://example.com/x)")) == "[image: badge] (example.com)"


@pytest.mark.parametrize(
    ("markdown", "shown"),
    [
        ("[the guide](https://example.com/a/b?c=d)", "the guide (example.com)"),
        ("[x](http://WWW.Example.org)", "x (www.example.org)"),
        ("[x](//evil.example/p)", "x (evil.example)"),
        ("[x](/\\evil.example/p)", "x (evil.example)"),
        ("[x](<https://example.com/a b>)", "x (example.com)"),
        ("[x](https&#58;//example.com)", "x (example.com)"),
        ("[https://example.com/p](https://example.com/p)", "example.com"),
        ("[js](javascript:alert(1))", "js"),
        ("[js](JavaScript&colon;alert(1))", "js"),
        ("[js](java\tscript:alert(1))", "js"),
        ("[js](java\\script:alert(1))", "js"),
        ("[d](data:text/html;base64,PHNjcmlwdD4=)", "d"),
        ("[f](file:///etc/passwd)", "f"),
        ("[m](mailto:someone@example.com)", "m"),
        ("[v](vbscript:msgbox)", "v"),
        ("[r](relative/page.html)", "r"),
    ],
)
def test_links_elsewhere_are_text_with_their_host(markdown: str, shown: str) -> None:
    out = safe_markdown(markdown)
    assert not hrefs(out), (out, html(out))
    assert visible(out).replace(JOINER, "") == shown
    assert not autolinked(out)


@pytest.mark.parametrize(
    ("markdown", "href"),
    [
        ("[Meeting Diet · Steps](/library?pattern=meeting-diet)", "/library?pattern=meeting-diet"),
        ("[assess](?p=sustainable-pace&me=x)", "?p=sustainable-pace&amp;me=x"),
        ("[top](#steps)", "#steps"),
        ('[t](/library "title")', "/library"),
        ("[odd](/a(b)c)", "/a%28b%29c"),
    ],
)
def test_links_into_the_app_stay_links(markdown: str, href: str) -> None:
    assert hrefs(safe_markdown(markdown)) == [href]


def test_an_absolute_link_to_the_app_itself_stays_a_link() -> None:
    base = "http://127.0.0.1:8501/"
    assert hrefs(safe_markdown("[lib](http://127.0.0.1:8501/library?pattern=x)", app_base=base)) == [
        "/library?pattern=x"
    ]
    assert not hrefs(safe_markdown("[lib](http://127.0.0.1:9/library)", app_base=base))


@pytest.mark.parametrize(
    "markdown",
    [
        "[t][r]\n\n[r]: http://example.com/e",
        "[r]\n\n[r]: http://example.com/e",
        "[r]\n\n[r]:http://example.com/e",
        "[r]\n\n[r]: <http://example.com/e>",
        "> [r]: http://example.com/q\n\n[r]",
        "- [r]: http://example.com/l\n\n[r]",
        "[r][]\n\n[r\n]: http://example.com/e",
        "footnote[^1]\n\n[^1]: http://example.com/f",
    ],
)
def test_reference_definitions_never_revive_a_link(markdown: str) -> None:
    out = safe_markdown(markdown)
    assert not hrefs(out), (out, html(out))
    assert not autolinked(out), visible(out)


@pytest.mark.parametrize(
    "markdown",
    [
        "<http://example.com/a>",
        "https://example.com/b bare",
        "HTTPS://EXAMPLE.COM/x",
        "(https://example.com/p).",
        "www.example.com/c",
        "https\\://example.com/g",
        "www\\.example.com",
        "mail me a@example.com",
        "a\\@example.com",
        "ftp://example.com/f",
    ],
)
def test_bare_urls_and_addresses_stay_text(markdown: str) -> None:
    out = safe_markdown(markdown)
    assert not hrefs(out)
    assert not autolinked(out), visible(out)
    assert visible(out).replace(JOINER, "").replace("\\", "") == markdown.replace("\\", "")


@pytest.mark.parametrize(
    "markdown",
    [
        "<script>alert(1)</script>",
        "<a href='http://example.com'>a</a>",
        "<iframe src=http://example.com></iframe>",
        "<!-- hidden --> text",
        "<style>body{background:url(http://example.com)}</style>",
    ],
)
def test_html_is_shown_as_text(markdown: str) -> None:
    out = safe_markdown(markdown)
    rendered = html(out)
    assert not re.search(r"<(?!/?p>)[a-z!]", rendered), rendered  # only the paragraph is a tag
    assert visible(out).replace(JOINER, "") == markdown


def test_formatting_and_escaped_text_pass_through() -> None:
    markdown = "## Step 1\n\n**Bold**, *it*, `code` and a list:\n\n- one\n- two\n\n> quoted"
    assert safe_markdown(markdown) == markdown
    typed = escape("a [link](http://x.example) <b> and ![i](http://y.example)")
    assert safe_markdown(typed) == typed
    assert not hrefs(typed) and "<img" not in html(typed)


def test_a_half_streamed_image_or_link_is_never_one() -> None:
    reply = f"Here is a chart ![x]({LEAK}) and [a link](https://example.com/a) for you."
    for end in range(len(reply) + 1):
        out = safe_markdown(reply[:end])
        assert "<img" not in html(out), reply[:end]
        assert not hrefs(out), reply[:end]
        assert not autolinked(out), reply[:end]


def test_citations_still_become_links_through_the_policy() -> None:
    reply = "Audit them [meeting-diet §Section 4: Implementation]. ![x](http://127.0.0.1:9/leak)"
    cited = replace_citations(reply, lambda slug, section: f"[Meeting Diet · {section}](/library?pattern={slug})")
    out = safe_markdown(cited)
    assert hrefs(out) == ["/library?pattern=meeting-diet"]
    assert "[image: x]" in visible(out)


def test_unbalanced_brackets_stay_cheap() -> None:
    import time

    text = "[" * 20_000 + "](" * 5_000
    start = time.perf_counter()
    out = safe_markdown(text)
    assert time.perf_counter() - start < 2
    assert not hrefs(out)


def test_escape_breaks_autolinks_and_unescape_restores_the_text() -> None:
    typed = "see https://example.com/x, www.example.org or me@example.com"
    out = escape(typed)
    assert not hrefs(out) and not autolinked(out)
    assert unescape(out) == typed
