"""The package is laid out as the pipeline: each stage imports only the stages below it, and nothing cycles."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "pattern_guide"

BASE = {"errors", "text", "files"}
# Which stage may import which. A stage not listed here is a finding: add it with its place in the pipeline.
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "text": set(),
    "files": set(),
    "settings": {"errors"},
    "library": BASE,
    "index": BASE | {"library"},
    "retrieval": BASE | {"library", "index"},
    "vitality": BASE | {"library"},
    "drafting": BASE | {"library"},
    "conversation": BASE | {"library", "vitality", "drafting"},
    "workshop": BASE | {"library", "vitality"},
    "export": BASE | {"library", "vitality", "conversation", "workshop"},
    "replies": BASE | {"library", "vitality", "conversation", "export", "drafting"},
    "llm": BASE | {"settings", "library", "conversation", "replies"},
    "understanding": BASE | {"library", "index", "retrieval", "conversation"},
    "guide": BASE | {"library", "retrieval", "vitality", "conversation", "replies", "llm", "understanding", "drafting"},
    "store": BASE | {"conversation", "vitality", "workshop"},
    "evaluation": BASE | {"library", "retrieval", "vitality", "conversation", "guide"},
    "garden": BASE | {"library", "index"},
    "assistant": BASE | {"settings", "library", "index", "retrieval", "llm", "guide", "understanding"},
    "cli": BASE | {"settings", "library", "conversation", "export", "replies", "assistant", "evaluation", "garden"},
}


def _module(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every pattern_guide module a file imports, wherever the import is (functions and TYPE_CHECKING too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("pattern_guide"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                is_module = (SRC.parent / Path(*candidate.split("."))).with_suffix(".py").is_file()
                found.add(candidate if is_module else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("pattern_guide")}
    return found


def _stage(module: str) -> str:
    return module.split(".")[1] if "." in module else "pattern_guide"


GRAPH = {_module(p): _imports(p) for p in SRC.rglob("*.py")}


def test_every_stage_imports_only_the_stages_below_it() -> None:
    wrong = []
    for module, imported in GRAPH.items():
        stage = _stage(module)
        if stage in ("ui", "pattern_guide"):
            continue  # the UI may use every stage; the package's own __init__ imports nothing
        assert stage in ALLOWED, f"{module}: a new stage — give it its place in ALLOWED"
        wrong += [f"{module} -> {other}" for other in imported if _stage(other) not in ALLOWED[stage] | {stage}]
    assert wrong == []


def test_the_allowed_layers_form_no_cycle() -> None:
    order: list[str] = []
    pending = dict(ALLOWED)
    while pending:
        ready = [s for s, below in pending.items() if below <= set(order)]
        assert ready, f"the layering has a cycle among {sorted(pending)}"
        order += sorted(ready)
        for stage in ready:
            del pending[stage]


def test_no_module_import_cycle() -> None:
    """Module by module, type-only and function-level imports included."""
    modules = {m: {i for i in imported if i in GRAPH and i != m} for m, imported in GRAPH.items()}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for other in sorted(modules[module]):
            if state.get(other) == 1:
                cycles.append([*path[path.index(other) :], other] if other in path else [module, other])
            elif other not in state:
                visit(other, [*path, other])
        state[module] = 2

    for module in sorted(modules):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_a_handful_of_modules_at_the_top() -> None:
    top = sorted(p.stem for p in SRC.glob("*.py") if p.stem != "__init__")
    assert top == ["assistant", "errors", "files", "settings", "text"]


def test_every_package_is_installed() -> None:
    """pyproject lists the packages (so that prompts/ can be mapped in); none may be forgotten."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    found = {_module(p) for p in SRC.rglob("__init__.py")} | {"pattern_guide.prompts"}
    assert set(config["packages"]) == found
    assert config["package-dir"]["pattern_guide.prompts"] == "prompts"
