"""What every command shares: settings from the arguments, the library options, progress bars."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from pattern_guide.settings import Settings

LINE_EVERY_S = 10.0  # how often a log (not a terminal) gets a progress line


def progress_bar(label: str, stream: Any = None, every: float = LINE_EVERY_S) -> Any:
    """A progress callback on stderr: a tqdm bar on a terminal, else a line every few seconds.

    The line says done/total, the rate and the time left, so a log file or CI shows indexing move.
    """
    out = stream or sys.stderr
    unit = "chunks" if "mbed" in label else "patterns"
    if not (hasattr(out, "isatty") and out.isatty()):
        return _progress_lines(label, unit, out, every)
    from tqdm import tqdm

    bar: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if "bar" not in bar:
            bar["bar"] = tqdm(total=total, desc=label, unit=unit[:-1], file=out, dynamic_ncols=True)
        b = bar["bar"]
        if b.total != total:
            b.reset(total=total)
        b.n = done
        b.refresh()
        if done >= total:
            b.close()

    return update


def _progress_lines(label: str, unit: str, out: Any, every: float) -> Any:
    started = time.monotonic()
    last = {"at": started, "done": -1}

    def update(done: int, total: int) -> None:
        now = time.monotonic()
        finished = done >= total
        if done == last["done"] or not (finished or now - last["at"] >= every):
            return
        last["at"], last["done"] = now, done
        spent = now - started
        rate = done / spent if spent > 0 else 0.0
        line = f"{label}: {done:,}/{total:,} {unit}"
        if finished:
            line += f" — done in {_duration(spent)}"
        elif rate > 0:
            line += f" ({rate:,.1f}/s, about {_duration((total - done) / rate)} left)"
        print(line, file=out, flush=True)

    return update


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


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
