"""Commands on the library and its index: validate, index, match, show, cards."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pattern_guide.cli.common import library_args, positive, progress_bar, settings_from
from pattern_guide.errors import PatternGuideError


def cmd_validate(args: argparse.Namespace) -> int:
    from pattern_guide.assistant import build_engine

    library = build_engine(settings_from(args)).library
    if args.json:
        print(
            json.dumps(
                {
                    "files": library.files,
                    "loaded": len(library.patterns),
                    "errors": [p.model_dump(include={"file", "line", "message"}) for p in library.errors],
                    "warnings": [p.model_dump(include={"file", "line", "message"}) for p in library.warnings],
                },
                indent=2,
            )
        )
    else:
        for problem in library.problems:
            print(f"{problem}" if problem.severity == "error" else f"{problem} (warning)")
        print(
            f"{library.files} files, {len(library.patterns)} patterns loaded, "
            f"{len(library.errors)} errors, {len(library.warnings)} warnings",
            file=sys.stderr,
        )
    return 1 if library.errors else 0


def cmd_index(args: argparse.Namespace) -> int:
    from pattern_guide.assistant import build_engine

    engine = build_engine(settings_from(args))
    # Progress goes to stderr in every mode (with --json too: stdout keeps only the report).
    report = engine.index(progress=progress_bar("Embedding"), chunk_progress=progress_bar("Chunking"))
    if args.json:
        print(report.model_dump_json())
    else:
        print(
            f"{report.patterns} patterns, {report.chunks} chunks: embedded {report.embedded}, "
            f"deleted {report.deleted} in {report.seconds:.1f} s"
        )
    return 0


def _print_match(result: Any) -> None:
    ctx = result.context.name or "none detected"
    print(f"Tension: {result.tension or '—'}   (context: {ctx})")
    for n, m in enumerate(result.matches, start=1):
        label = f" — in your world: {m.context_label}" if m.context_label else ""
        print(f"\n{n}. {m.title} [{m.slug}]{label}\n   tension: {m.tension or '—'}   score {m.score:.4f}")
        for passage in m.why:
            print(f"   > {passage.text}  ({passage.section})")


def cmd_match(args: argparse.Namespace) -> int:
    from pattern_guide.assistant import build_engine
    from pattern_guide.library.contexts import normalise_context

    engine = build_engine(settings_from(args))
    context = normalise_context(args.context)
    if args.batch:
        with open(args.batch, encoding="utf-8") as fh:
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                    text = item["text"]
                except (json.JSONDecodeError, KeyError, TypeError):
                    raise PatternGuideError(
                        f"{args.batch}:{number}: expected a JSON object with a 'text' field"
                    ) from None
                result = engine.match(text, normalise_context(item.get("context")) or context, args.top)
                print(result.model_dump_json(exclude={"best_similarity"}) if args.json else "")
                if not args.json:
                    _print_match(result)
        return 0
    if not args.text:
        raise PatternGuideError("Give a situation to match, or --batch FILE.jsonl")
    result = engine.match(args.text, context, args.top)
    if args.json:
        print(result.model_dump_json(indent=2, exclude={"best_similarity"}))
    else:
        _print_match(result)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from pattern_guide.assistant import build_engine
    from pattern_guide.export.pattern import pattern_json, pattern_text
    from pattern_guide.library.contexts import normalise_context
    from pattern_guide.library.loader import load_file

    context = normalise_context(args.context)
    if args.file:
        pattern = load_file(Path(args.file))
    elif args.slug:
        pattern = build_engine(settings_from(args)).library.get(args.slug)
    else:
        raise PatternGuideError("Name a pattern: `pattern-guide show SLUG` or `--file PATH`")
    if args.json:
        print(json.dumps(pattern_json(pattern, context), indent=2, ensure_ascii=False))
    else:
        print(pattern_text(pattern, context))
    return 0


def cmd_cards(args: argparse.Namespace) -> int:
    from pattern_guide.export.cards import cards_html
    from pattern_guide.library.loader import load_libraries

    library = load_libraries(settings_from(args).libraries)
    html = cards_html([library.get(slug) for slug in args.slugs], args.context, title=args.title)
    to_file = args.output not in (None, "-")
    if args.pdf or (to_file and args.output.lower().endswith(".pdf")):
        from pattern_guide.export.pdf import pdf_bytes

        data = pdf_bytes(html)
        if not to_file:
            sys.stdout.buffer.write(data)
            return 0
        Path(args.output).write_bytes(data)
        print(f"{len(args.slugs)} card(s) written to {args.output} — ready to print", file=sys.stderr)
    elif not to_file:
        sys.stdout.write(html)
    else:
        Path(args.output).write_text(html, encoding="utf-8")
        print(f"{len(args.slugs)} card(s) written to {args.output} — open it in a browser and print", file=sys.stderr)
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("validate", help="load every pattern file and report problems as file:line: message")
    library_args(p, index=False)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("index", help="build or refresh the search index (embeds only what changed)")
    library_args(p)
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("match", help="find the patterns that fit a situation")
    p.add_argument("text", nargs="?", help="the situation, in your own words")
    p.add_argument(
        "--batch", metavar="FILE.jsonl", help="one JSON object per line with 'text' (and optional 'context')"
    )
    p.add_argument("--context", help="corporate, government, activist or tech (default: detected)")
    p.add_argument("--top", type=positive, default=3, help="how many patterns (default 3)")
    library_args(p)
    p.set_defaults(func=cmd_match)

    p = sub.add_parser("show", help="show a parsed pattern: steps, per-context paragraphs, vitality signs")
    p.add_argument("slug", nargs="?", help="the pattern's slug")
    p.add_argument("--file", help="parse this file instead of looking up a slug")
    p.add_argument("--context", help="show the pattern through this context's lens")
    library_args(p, index=False)
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("cards", help="printable pattern cards as one HTML page or PDF (two cards per A4 sheet)")
    p.add_argument("slugs", nargs="+", metavar="SLUG", help="the patterns to print")
    p.add_argument("--context", help="name each pattern as it is called in this context")
    p.add_argument("--title", help="a workshop title printed on every card")
    p.add_argument("-o", "--output", metavar="FILE", help="write to this file (default: standard output)")
    p.add_argument("--pdf", action="store_true", help="write a PDF instead of HTML (implied by -o FILE.pdf)")
    library_args(p, index=False)
    p.set_defaults(func=cmd_cards)
