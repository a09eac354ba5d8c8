"""`pattern-guide chat`: the guided conversation in the terminal."""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any

from pattern_guide.cli.common import library_args, settings_from

# Text from a model or a pattern file never drives the terminal: no escape sequences or control codes.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def cmd_chat(args: argparse.Namespace) -> int:
    from pattern_guide.assistant import build_engine
    from pattern_guide.conversation.state import GuideState
    from pattern_guide.library.contexts import normalise_context
    from pattern_guide.replies.request import ReplyRequest
    from pattern_guide.text import unescape

    engine = build_engine(settings_from(args))
    guide = engine.guide()
    guide.terminal = True  # help names the typed commands and `quit`
    context = normalise_context(args.context)
    state = guide.start(GuideState(context=context, context_detected=context is None))
    interactive = sys.stdin.isatty()

    def terminal(markdown: str) -> str:
        # Markdown escapes protect the web page; the terminal shows plain text ([slug §Section] citations as they are).
        return _CONTROL.sub("", unescape(markdown))

    def show(request: ReplyRequest) -> None:
        reply = guide.deliver(state, request)
        for piece in reply:
            sys.stdout.write(terminal(piece))
            sys.stdout.flush()
        note = reply.outcome.notice if reply.outcome else None
        sys.stdout.write(f"\n[{note}]\n\n" if note else "\n\n")

    sys.stdout.write(unescape(state.messages[-1].content) + "\n\n")
    while True:
        if interactive:
            sys.stdout.write("you> ")
            sys.stdout.flush()
        line = sys.stdin.readline()
        if not line:
            break
        if not line.strip():
            continue
        if not interactive:
            sys.stdout.write(f"you> {line.strip()}\n\n")
        state, turn = guide.handle(state, line.strip())
        for request in turn.requests:
            show(request)
        if turn.quit:
            break
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("chat", help="the guided conversation in the terminal (reads standard input when piped)")
    p.add_argument("--context", help="corporate, government, activist or tech (default: detected)")
    library_args(p)
    p.set_defaults(func=cmd_chat)
