"""Prompts are files: ``prompts/<name>.md``, Jinja2, rendered in a sandbox, loaded by name.

The ``prompts/`` folder at the top of the project is installed as the package resource
``pattern_guide.prompts`` (pyproject maps it), so the prompts are found the same way from a
checkout, an editable install and a wheel.

File convention:

- The text before a line that is exactly ``---user---`` is the **system** message; the text
  after it is the **user** message. A file without that line is all system text.
- Files whose name starts with ``_`` are partials for ``{% include %}``, not prompts.
- Every variable a prompt uses is *required*, except one the prompt tests with
  ``is defined`` (``{% if step_number is defined %}``): those are optional, for the
  task-specific ``ReplyRequest.variables``. Rendering with a required variable missing
  raises :class:`PromptError` listing what the prompt requires and what was given.
- Text that comes from pattern files or from the person goes into a delimited DATA block
  through the ``data_block(name, text)`` global (or the ``data`` filter for a single line).
  Inside it, anything that looks like one of the delimiters in :data:`DATA_BLOCKS`
  (``</person_message>``, ``< / PERSON-MESSAGE >``, ``＜pattern_sections＞`` ...) is
  neutralised, so data can never close its block and pose as instructions.
"""

from __future__ import annotations

import importlib.resources
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.meta import find_referenced_templates, find_undeclared_variables
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel

from pattern_guide.conversation.state import Message, Role
from pattern_guide.errors import PromptError
from pattern_guide.library.model import Passage
from pattern_guide.replies.request import ReplyRequest


def _packaged_prompts() -> Path:
    """The folder of the installed ``pattern_guide.prompts`` package."""
    return Path(str(importlib.resources.files("pattern_guide.prompts")))


PROMPTS_DIR = _packaged_prompts()
USER_MARKER = "---user---"
# Every delimiter a prompt may wrap data in; the escaper neutralises all of them in all data.
DATA_BLOCKS = ("pattern_sections", "person_message", "draft", "conversation")

_MARKER_LINE = re.compile(rf"^{re.escape(USER_MARKER)}[ \t]*\r?$\n?", re.MULTILINE)
# An opening bracket (ASCII or a look-alike), an optional slash, then a delimiter name written with
# any mix of case, spaces, hyphens or underscores: the ways a model might still read it as a tag.
_DELIMITER = re.compile(
    r"[<＜‹〈⟨«]\s*/?\s*(?=(?:" + "|".join(name.replace("_", r"[\s_-]*") for name in DATA_BLOCKS) + r")\b)",
    re.IGNORECASE,
)


class RenderedPrompt(BaseModel):
    """A rendered prompt: the system message and the user message."""

    name: str
    system: str
    user: str

    def messages(self) -> list[dict[str, str]]:
        """The prompt as chat messages for an OpenAI-compatible API."""
        result = [{"role": "system", "content": self.system}]
        if self.user:
            result.append({"role": "user", "content": self.user})
        return result


def neutralise(text: str) -> str:
    """Make every delimiter-like tag inside data harmless (``</draft>`` becomes ``[/draft>``)."""
    text = _DELIMITER.sub(lambda m: "[" + ("/" if "/" in m.group(0) else ""), text)
    # Nor may data forge the line that splits system from user text.
    return text.replace(USER_MARKER, "- - -user- - -")


def data_block(name: str, text: object) -> str:
    """Wrap data in ``<name>`` … ``</name>`` with any delimiter inside it neutralised."""
    if name not in DATA_BLOCKS:
        raise PromptError(f"'{name}' is not a data block; use one of: {', '.join(DATA_BLOCKS)}")
    body = neutralise("" if text is None else str(text)).strip("\n")
    return f"<{name}>\n{body}\n</{name}>"


def format_sections(sections: Iterable[Passage]) -> str:
    """The given sections as plain text, each headed by its exact citation."""
    parts = [f"{neutralise(s.citation)}\n{neutralise(s.text.strip())}" for s in sections]
    return "\n\n".join(parts) if parts else "(no sections were given for this turn)"


def format_history(history: Iterable[Message]) -> str:
    """The conversation so far as ``person:`` / ``guide:`` lines."""
    speaker = {Role.USER: "person", Role.ASSISTANT: "guide"}
    lines = [f"{speaker[m.role]}: {neutralise(m.content.strip())}" for m in history]
    return "\n\n".join(lines) if lines else "(this is the start of the conversation)"


def request_variables(request: ReplyRequest) -> dict[str, Any]:
    """The variables every prompt can use, from a ReplyRequest (task-specific ones first, so core ones win)."""
    return {
        **request.variables,
        "draft": request.draft,
        "user_text": request.user_text,
        "context": request.context,
        "sections": list(request.sections),
        "history": list(request.history),
    }


class PromptLibrary:
    """The prompts in one directory, loaded by name and rendered in a sandbox."""

    def __init__(self, directory: Path = PROMPTS_DIR) -> None:
        self.directory = Path(directory)
        if not self.directory.is_dir():
            raise PromptError(f"No prompts directory at {self.directory} — it ships with the project as prompts/")
        self.env = SandboxedEnvironment(
            loader=jinja2.FileSystemLoader(str(self.directory)),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=False,
        )
        self.env.globals["data_block"] = data_block
        self.env.filters["data"] = lambda value: neutralise("" if value is None else str(value))
        self.env.filters["format_sections"] = format_sections
        self.env.filters["format_history"] = format_history

    def path(self, name: str) -> Path:
        """Where the prompt called ``name`` lives."""
        return self.directory / f"{name}.md"

    def names(self) -> list[str]:
        """Every prompt in the directory (partials excluded), sorted."""
        return sorted(p.stem for p in self.directory.glob("*.md") if not p.name.startswith("_"))

    def required(self, name: str) -> list[str]:
        """The variables a prompt (and the partials it includes) cannot render without."""
        return sorted(self._variables(f"{name}.md", seen=set())[0])

    def optional(self, name: str) -> list[str]:
        """The variables a prompt uses only when defined."""
        return sorted(self._variables(f"{name}.md", seen=set())[1])

    def render(self, name: str, **variables: Any) -> RenderedPrompt:
        """Render ``prompts/<name>.md`` with the variables; see the module docstring for the file convention."""
        required = self.required(name)
        missing = [v for v in required if v not in variables]
        if missing:
            raise PromptError(self._variables_message(name, required, variables, f"missing: {', '.join(missing)}"))
        try:
            text = self.env.get_template(f"{name}.md").render(**variables)
        except jinja2.UndefinedError as exc:
            raise PromptError(self._variables_message(name, required, variables, str(exc))) from None
        except jinja2.TemplateError as exc:
            raise PromptError(f"{self.path(name)}: the prompt cannot be rendered: {exc}") from None
        system, user = split_prompt(text)
        return RenderedPrompt(name=name, system=system, user=user)

    def render_request(self, request: ReplyRequest, name: str | None = None, **overrides: Any) -> RenderedPrompt:
        """Render the request's prompt (or the one called ``name``); overrides replace its variables."""
        prompt = name or request.prompt
        if prompt is None:
            raise PromptError(f"The '{request.task}' reply is fixed text; it has no prompt to render")
        return self.render(prompt, **{**request_variables(request), **overrides})

    def _source(self, template: str) -> str:
        path = self.directory / template
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise PromptError(f"No prompt file at {path} — prompts live in {self.directory}/<name>.md") from None

    def _variables(self, template: str, seen: set[str]) -> tuple[set[str], set[str]]:
        """(required, optional) variables of a template and, recursively, of what it includes."""
        seen.add(template)
        try:
            ast = self.env.parse(self._source(template))
        except jinja2.TemplateSyntaxError as exc:
            raise PromptError(f"{self.directory / template}:{exc.lineno}: {exc.message}") from None
        used = find_undeclared_variables(ast) - set(self.env.globals)
        optional = {
            t.node.name
            for t in ast.find_all(nodes.Test)
            if t.name in ("defined", "undefined") and isinstance(t.node, nodes.Name)
        }
        required, maybe = used - optional, used & optional
        for included in find_referenced_templates(ast):
            if included is None:
                raise PromptError(f"{self.directory / template}: includes must name a file literally")
            if included not in seen:
                more_required, more_optional = self._variables(included, seen)
                required |= more_required
                maybe |= more_optional
        return required - maybe, maybe

    def _variables_message(self, name: str, required: Sequence[str], given: Mapping[str, Any], problem: str) -> str:
        return (
            f"Prompt '{name}' ({self.path(name)}) cannot be rendered — {problem}. "
            f"It requires: {', '.join(required) or '(nothing)'}; "
            f"given: {', '.join(sorted(given)) or '(nothing)'}."
        )


def split_prompt(text: str) -> tuple[str, str]:
    """Split rendered text at the ``---user---`` line into (system, user)."""
    parts = _MARKER_LINE.split(text, maxsplit=1)
    system = parts[0].strip()
    user = parts[1].strip() if len(parts) > 1 else ""
    return system, user


@lru_cache(maxsize=4)
def prompt_library(directory: Path = PROMPTS_DIR) -> PromptLibrary:
    """The prompt library for a directory, built once."""
    return PromptLibrary(directory)


def render_prompt(name: str, **variables: Any) -> RenderedPrompt:
    """Render ``prompts/<name>.md`` from the project's prompts directory."""
    return prompt_library().render(name, **variables)
