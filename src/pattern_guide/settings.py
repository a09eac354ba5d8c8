"""Settings: the one place that reads the environment.

Every variable is listed in the README's configuration table.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, Field, field_validator

from pattern_guide.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_LIBRARY = PROJECT_ROOT / "data" / "patterns"
DEFAULT_INDEX = PROJECT_ROOT / "data" / "index"
DEFAULT_STATE = PROJECT_ROOT / "data" / "state"
DEFAULT_DRAFTS = PROJECT_ROOT / "data" / "drafts"


def library_label(folder: str | Path) -> str:
    """How a person sees a library folder: "Starter library", "Commons library", "Your drafts"."""
    path = Path(folder)
    try:
        resolved = path.resolve()
        if resolved == DEFAULT_LIBRARY.resolve():
            return "Starter library"
        if resolved == DEFAULT_DRAFTS.resolve():
            return "Your drafts"
    except OSError:
        pass
    name = path.parent.name if path.name in ("patterns", "") and path.parent.name else path.name
    words = name.replace("_", " ").replace("-", " ").strip() or "library"
    return words[:1].upper() + words[1:]


class Settings(BaseModel):
    """Everything configurable, validated when built."""

    libraries: list[Path] = Field(default_factory=lambda: [DEFAULT_LIBRARY])
    drafts: Path | None = None  # where drafted patterns are saved, and loaded from as one more library
    index_dir: Path = DEFAULT_INDEX
    chroma_host: str | None = None
    chroma_port: int = 8000
    embedder: str = "minilm"
    embed_batch: int = 32
    embed_sections: str = "auto"  # which chunks get vectors: "situation", "all" or "auto" (see index.vectors)
    state_dir: Path = DEFAULT_STATE
    database_url: str | None = None  # PostgreSQL shared by several app servers; else SQLite in state_dir
    openai_api_key: str | None = None
    openai_base_url: str | None = None
    openai_model: str = "gpt-4o-mini"
    openai_timeout: float = 30.0  # per read from the server
    openai_deadline: float = 90.0  # for a whole reply, however the server trickles it
    context_window: int = 8192

    @field_validator("embedder")
    @classmethod
    def _known_embedder(cls, value: str) -> str:
        if value not in ("minilm", "minilm-numpy", "hashing"):
            raise ValueError(f"PATTERN_GUIDE_EMBEDDER must be 'minilm', 'minilm-numpy' or 'hashing', not '{value}'")
        return value

    @field_validator("embed_sections")
    @classmethod
    def _known_sections(cls, value: str) -> str:
        if value not in ("auto", "situation", "all"):
            raise ValueError(f"PATTERN_GUIDE_EMBED_SECTIONS must be 'auto', 'situation' or 'all', not '{value}'")
        return value

    @field_validator("embed_batch", "chroma_port", "context_window")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value <= 0:
            raise ValueError("must be a positive number")
        return value

    @property
    def catalogue(self) -> list[Path]:
        """The libraries to load: the configured ones, then the drafts folder once it exists."""
        folders = list(self.libraries)
        known = {p.resolve() for p in folders}
        if self.drafts is not None and self.drafts.is_dir() and self.drafts.resolve() not in known:
            folders.append(self.drafts)
        return folders

    @property
    def database(self) -> str | Path:
        """Where conversations, assessments and workshops are kept."""
        return self.database_url or self.state_dir / "conversations.sqlite3"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, /, **overrides: object) -> Settings:
        """Build settings from environment variables; explicit overrides win."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        if env.get("PATTERN_GUIDE_LIBRARY"):
            values["libraries"] = [Path(p) for p in env["PATTERN_GUIDE_LIBRARY"].split(":") if p]
        simple = {
            "PATTERN_GUIDE_INDEX": "index_dir",
            "CHROMA_HOST": "chroma_host",
            "CHROMA_PORT": "chroma_port",
            "PATTERN_GUIDE_EMBEDDER": "embedder",
            "PATTERN_GUIDE_EMBED_BATCH": "embed_batch",
            "PATTERN_GUIDE_EMBED_SECTIONS": "embed_sections",
            "PATTERN_GUIDE_STATE": "state_dir",
            "DATABASE_URL": "database_url",
            "OPENAI_API_KEY": "openai_api_key",
            "OPENAI_BASE_URL": "openai_base_url",
            "OPENAI_MODEL": "openai_model",
            "OPENAI_TIMEOUT": "openai_timeout",
            "OPENAI_DEADLINE": "openai_deadline",
            "PATTERN_GUIDE_CONTEXT_WINDOW": "context_window",
        }
        for var, field in simple.items():
            if env.get(var):
                values[field] = env[var]
        # Drafts go to data/drafts unless told otherwise; folders named on the command line stand alone.
        if env.get("PATTERN_GUIDE_DRAFTS"):
            values["drafts"] = Path(env["PATTERN_GUIDE_DRAFTS"])
        elif "libraries" not in overrides:
            values["drafts"] = DEFAULT_DRAFTS
        values.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls.model_validate(values)
        except Exception as exc:
            raise ConfigError(f"Invalid configuration: {exc}") from None
