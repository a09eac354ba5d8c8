"""The `pattern-guide` command line: reads arguments, calls the core, prints."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pattern_guide.errors import PatternGuideError
from pattern_guide.settings import Settings


def _progress_bar(label: str) -> Any:
    """A tqdm progress callback on stderr, quiet when stderr is not a terminal."""
    from tqdm import tqdm

    bar: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if "bar" not in bar:
            bar["bar"] = tqdm(
                total=total,
                desc=label,
                unit="chunk" if "mbed" in label else "pattern",
                file=sys.stderr,
                disable=None,
                dynamic_ncols=True,
            )
        b = bar["bar"]
        if b.total != total:
            b.reset(total=total)
        b.n = done
        b.refresh()
        if done >= total:
            b.close()

    return update


def _positive(text: str) -> int:
    """An argparse type: a whole number of 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _settings(args: argparse.Namespace) -> Settings:
    overrides: dict[str, object] = {}
    if getattr(args, "library", None):
        overrides["libraries"] = [Path(p) for p in args.library]
    if getattr(args, "index_dir", None):
        overrides["index_dir"] = Path(args.index_dir)
    return Settings.from_env(**overrides)


def cmd_validate(args: argparse.Namespace) -> int:
    from pattern_guide.assistant import build_engine

    library = build_engine(_settings(args)).library
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

    engine = build_engine(_settings(args))
    quiet = args.json
    report = engine.index(
        progress=None if quiet else _progress_bar("Embedding"),
        chunk_progress=None if quiet else _progress_bar("Chunking"),
    )
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

    engine = build_engine(_settings(args))
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
        pattern = build_engine(_settings(args)).library.get(args.slug)
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

    library = load_libraries(_settings(args).libraries)
    html = cards_html([library.get(slug) for slug in args.slugs], args.context, title=args.title)
    if args.output in (None, "-"):
        sys.stdout.write(html)
    else:
        Path(args.output).write_text(html, encoding="utf-8")
        print(f"{len(args.slugs)} card(s) written to {args.output} — open it in a browser and print", file=sys.stderr)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from pattern_guide.assistant import build_engine
    from pattern_guide.evaluation import evaluate, format_table, read_cases
    from pattern_guide.evaluation.understanding import (
        ContextCase,
        IntentCase,
        SignCase,
        evaluate_contexts,
        evaluate_intents,
        evaluate_signs,
        read_rows,
    )

    engine = build_engine(_settings(args))
    files = [Path(f) for f in args.file] or _default_eval_sets()
    out: dict[str, object] = {}
    for path in files:
        rows = read_rows(path)
        first = rows[0] if rows else {}
        if "intent" in first:
            intents = evaluate_intents(engine.guide(), [IntentCase.model_validate(r) for r in rows])
            out[path.name] = {"intents": intents.model_dump(), "accuracy": round(intents.rate, 4)}
            text = f"intents: {intents.right}/{intents.cases} = {intents.rate:.3f}\n" + "\n".join(
                f"  {label:<10} {right}/{total}" for label, (right, total) in intents.per_label.items()
            )
            text += "".join(f"\n  wrong: {w}" for w in intents.wrong[: args.show])
        elif "expected" in first or "off_topic" in first:
            report = evaluate(engine.retriever, read_cases(path))
            out[path.name] = report.model_dump()
            text = format_table(report)
        elif "sign" in first:
            signs = evaluate_signs(lambda t: _first_sign(engine, t), [SignCase.model_validate(r) for r in rows])
            out[path.name] = {"signs": signs.model_dump(), "named_first": round(signs.rate, 4)}
            text = f"signs: expected sign named first {signs.right}/{signs.cases} = {signs.rate:.3f}" + "".join(
                f"\n  {label:<10} {right}/{total}" for label, (right, total) in signs.per_label.items()
            )
            text += "".join(f"\n  wrong: {w}" for w in signs.wrong[: args.show])
        else:
            contexts = evaluate_contexts([ContextCase.model_validate(r) for r in rows])
            out[path.name] = contexts.model_dump()
            n = max(contexts.cases, 1)
            text = (
                f"context: right {contexts.right}/{contexts.cases} ({contexts.right / n:.3f}), "
                f"wrong {contexts.wrong} ({contexts.wrong / n:.3f}), undetected {contexts.undetected} "
                f"({contexts.undetected / n:.3f})"
            )
            text += "".join(f"\n  wrong: {w}" for w in contexts.wrong_cases[: args.show])
        if not args.json:
            print(f"== {path}\n{text}\n")
    if args.json:
        print(json.dumps(out, indent=2))
    return 0


def _first_sign(engine: Any, text: str) -> tuple[str, str] | None:
    """The sign the guide would name first for a situation: the best echo among its top three matches."""
    result = engine.match(text, top=3)
    echoes = sorted((e for m in result.matches for e in m.signs), key=lambda e: -float(e["score"]))
    return (str(echoes[0]["slug"]), str(echoes[0]["title"])) if echoes else None


def _default_eval_sets() -> list[Path]:
    """Every set in tests/eval, each tuning part beside its held-out part."""
    folder = Path(__file__).resolve().parents[2] / "tests" / "eval"
    names = [
        "situations.jsonl",
        "heldout.jsonl",
        "intents.jsonl",
        "intents_more.jsonl",
        "intents_heldout.jsonl",
        "contexts.jsonl",
        "contexts_heldout.jsonl",
        "signs.jsonl",
        "signs_heldout.jsonl",
    ]
    return [folder / name for name in names if (folder / name).is_file()]


def cmd_chat(args: argparse.Namespace) -> int:
    from pattern_guide.assistant import build_engine
    from pattern_guide.conversation.state import GuideState
    from pattern_guide.library.contexts import normalise_context
    from pattern_guide.replies.request import ReplyRequest
    from pattern_guide.text import unescape

    engine = build_engine(_settings(args))
    guide = engine.guide()
    context = normalise_context(args.context)
    state = guide.start(GuideState(context=context, context_detected=context is None))
    interactive = sys.stdin.isatty()

    def terminal(markdown: str) -> str:
        # Markdown escapes protect the web page; the terminal shows plain text ([slug §Section] citations as they are).
        return unescape(markdown)

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pattern-guide", description="A conversational guide to organisational patterns."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def libs(p: argparse.ArgumentParser, index: bool = True) -> None:
        p.add_argument(
            "--library",
            action="append",
            metavar="DIR",
            help="pattern library folder (repeatable; default data/patterns or $PATTERN_GUIDE_LIBRARY)",
        )
        if index:
            p.add_argument(
                "--index-dir", metavar="DIR", help="index folder (default data/index or $PATTERN_GUIDE_INDEX)"
            )
        p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("validate", help="load every pattern file and report problems as file:line: message")
    libs(p, index=False)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("index", help="build or refresh the search index (embeds only what changed)")
    libs(p)
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("match", help="find the patterns that fit a situation")
    p.add_argument("text", nargs="?", help="the situation, in your own words")
    p.add_argument(
        "--batch", metavar="FILE.jsonl", help="one JSON object per line with 'text' (and optional 'context')"
    )
    p.add_argument("--context", help="corporate, government, activist or tech (default: detected)")
    p.add_argument("--top", type=_positive, default=3, help="how many patterns (default 3)")
    libs(p)
    p.set_defaults(func=cmd_match)

    p = sub.add_parser("show", help="show a parsed pattern: steps, per-context paragraphs, vitality signs")
    p.add_argument("slug", nargs="?", help="the pattern's slug")
    p.add_argument("--file", help="parse this file instead of looking up a slug")
    p.add_argument("--context", help="show the pattern through this context's lens")
    libs(p, index=False)
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("cards", help="printable pattern cards as one HTML page (two cards per A4 sheet)")
    p.add_argument("slugs", nargs="+", metavar="SLUG", help="the patterns to print")
    p.add_argument("--context", help="name each pattern as it is called in this context")
    p.add_argument("--title", help="a workshop title printed on every card")
    p.add_argument("-o", "--output", metavar="FILE", help="write to this file (default: standard output)")
    libs(p, index=False)
    p.set_defaults(func=cmd_cards)

    p = sub.add_parser("chat", help="the guided conversation in the terminal (reads standard input when piped)")
    p.add_argument("--context", help="corporate, government, activist or tech (default: detected)")
    libs(p)
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser(
        "eval", help="retrieval hit@1/3/5 and MRR (hybrid, lexical, vector), intent accuracy, context detection"
    )
    p.add_argument(
        "file",
        nargs="*",
        help="JSONL sets: situations ('expected'), intents ('intent') or contexts ('context'); default: tests/eval",
    )
    p.add_argument("--show", type=int, default=0, metavar="N", help="list up to N misread lines per set")
    libs(p)
    p.set_defaults(func=cmd_eval)
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


if __name__ == "__main__":
    sys.exit(main())
