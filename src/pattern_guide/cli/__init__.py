"""The `pattern-guide` command line: reads arguments, calls the core, prints. One module per family of commands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from pattern_guide.cli import chat, evaluate, garden, library
from pattern_guide.errors import PatternGuideError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pattern-guide", description="A conversational guide to organisational patterns."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for family in (library, chat, evaluate, garden):
        family.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except PatternGuideError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted — run the same command again to resume", file=sys.stderr)
        return 130
