"""Stage 1 — the library: pattern files in, validated :class:`Pattern` objects and a list of problems out.

``meta`` is the front matter of both format generations, ``parser`` splits the body into
sections and the parts the guide walks (steps, per-context paragraphs, signs), ``loader``
reads folders of files (a broken file is reported as ``file:line: message`` while the rest
load), ``contexts`` holds the four contexts and the lens, ``graph`` the relationships.
"""

from pattern_guide.library.contexts import CONTEXTS, lens, normalise_context
from pattern_guide.library.loader import Library, Problem, load_file, load_libraries, parse_pattern
from pattern_guide.library.model import Passage, Pattern, Section, Step

__all__ = [
    "CONTEXTS",
    "Library",
    "Passage",
    "Pattern",
    "Problem",
    "Section",
    "Step",
    "lens",
    "load_file",
    "load_libraries",
    "normalise_context",
    "parse_pattern",
]
