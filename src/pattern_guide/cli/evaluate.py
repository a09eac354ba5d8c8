"""`pattern-guide eval`: retrieval, intent, context and sign figures from the evaluation sets."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from pattern_guide.cli.common import library_args, settings_from


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

    engine = build_engine(settings_from(args))
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
    folder = Path(__file__).resolve().parents[3] / "tests" / "eval"
    names = [
        "situations.jsonl",
        "situations_more.jsonl",
        "heldout.jsonl",
        "intents.jsonl",
        "intents_more.jsonl",
        "intents_fresh.jsonl",
        "intents_fresh2.jsonl",
        "intents_heldout.jsonl",
        "contexts.jsonl",
        "contexts_heldout.jsonl",
        "signs.jsonl",
        "signs_heldout.jsonl",
    ]
    return [folder / name for name in names if (folder / name).is_file()]


def register(sub: Any) -> None:
    p = sub.add_parser(
        "eval", help="retrieval hit@1/3/5 and MRR (hybrid, lexical, vector), intent accuracy, context detection"
    )
    p.add_argument(
        "file",
        nargs="*",
        help="JSONL sets: situations ('expected'), intents ('intent') or contexts ('context'); default: tests/eval",
    )
    p.add_argument("--show", type=int, default=0, metavar="N", help="list up to N misread lines per set")
    library_args(p)
    p.set_defaults(func=cmd_eval)
