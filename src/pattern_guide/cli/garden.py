"""`pattern-guide garden`: infer links, entities and communities; `--write` puts them in the files.

The garden reads the pattern vectors the index already holds. A pattern the index lacks is an
error that says to run `pattern-guide index` first: indexing is a separate, resumable step, and
the garden never embeds anything itself. A pattern changed since the last index is compared as it
was indexed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from pattern_guide.cli.common import library_args, progress_bar, settings_from


def cmd_garden(args: argparse.Namespace) -> int:
    from pattern_guide.assistant import build_engine
    from pattern_guide.garden import GardenReport, grow, index_vectors, recall_report, write

    started = time.perf_counter()
    engine = build_engine(settings_from(args))
    library = engine.library
    vectors = index_vectors(engine.vector_index, engine.settings.index_dir, sorted(library.patterns))
    quiet = args.json
    garden = grow(library, vectors, progress=None if quiet else progress_bar("Reading patterns"))
    written = write(library, garden, None if quiet else progress_bar("Writing files")) if args.write else None
    report = GardenReport(
        patterns=len(garden.blocks),
        links=garden.links,
        entities=garden.entities,
        communities=len(garden.communities),
        seconds=round(time.perf_counter() - started, 2),
        written=written,
    )
    if args.eval:
        report.recall_at_5, report.baseline_recall_at_5, report.judged = recall_report(library, garden, vectors)
    if args.json:
        print(json.dumps(report.model_dump(exclude_none=True)))
        return 0
    print(
        f"{report.patterns} patterns: {report.links} inferred links, {report.entities} entities, "
        f"{report.communities} communities in {report.seconds:.1f} s"
    )
    for community in garden.communities[:10]:
        print(f"  {community.label} — {len(community.members)} patterns")
    if args.eval:
        print(
            f"Curated relationships recovered in the first 5 (over {report.judged} patterns): inferred links "
            f"{report.recall_at_5:.3f}, nearest neighbours {report.baseline_recall_at_5:.3f}"
        )
    if written is not None:
        print(f"{written} file(s) updated (only their graph_garden block)")
    else:
        print("Nothing written — add --write to put the garden into the pattern files", file=sys.stderr)
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser(
        "garden", help="infer links, entities and communities between patterns (the machine-written graph)"
    )
    p.add_argument("--write", action="store_true", help="update each file's graph_garden block (nothing else)")
    p.add_argument("--eval", action="store_true", help="also report how many curated relationships the links recover")
    library_args(p)
    p.set_defaults(func=cmd_garden)
