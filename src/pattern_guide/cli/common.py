"""What every command shares: settings from the arguments, the library options, progress bars."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pattern_guide.settings import Settings


def progress_bar(label: str) -> Any:
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


def positive(text: str) -> int:
    """An argparse type: a whole number of 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def settings_from(args: argparse.Namespace) -> Settings:
    overrides: dict[str, object] = {}
    if getattr(args, "library", None):
        overrides["libraries"] = [Path(p) for p in args.library]
    if getattr(args, "index_dir", None):
        overrides["index_dir"] = Path(args.index_dir)
    return Settings.from_env(**overrides)


def library_args(p: argparse.ArgumentParser, index: bool = True) -> None:
    """--library (repeatable), --index-dir and --json, as every command that reads a library takes them."""
    p.add_argument(
        "--library",
        action="append",
        metavar="DIR",
        help="pattern library folder (repeatable; default data/patterns or $PATTERN_GUIDE_LIBRARY)",
    )
    if index:
        p.add_argument("--index-dir", metavar="DIR", help="index folder (default data/index or $PATTERN_GUIDE_INDEX)")
    p.add_argument("--json", action="store_true", help="print JSON")
