"""Errors a person can act on.

The hierarchy::

    PatternGuideError
    ├── ConfigError          a setting is missing or wrong (names the variable)
    ├── LibraryError         no pattern library could be read at all
    ├── PatternFileError     one pattern file is unusable (carries file and line)
    ├── IndexMissingError    the index has not been built (names the command)
    ├── EmbeddingModelError  the packaged embedding model cannot be found
    ├── UnknownPatternError  a slug that no loaded library has
    ├── InputError           a value a person gave is not one the guide knows (names the ones it does)
    ├── StoreError           the conversation database cannot be opened, read or written
    │   ├── StoreConflictError  a write broke a uniqueness rule (e.g. a join code already taken)
    │   └── StoreBusyError   the database stayed busy past its bound; nothing was half-written
    ├── WorkshopError        a workshop refuses: closed, full, the person was removed, or too many wrong codes
    ├── PromptError          a prompt file is missing or needs a variable it was not given
    ├── ExportError          an export cannot be made on this machine (names what to install)
    └── ModelUnavailableError  the model server failed; the fallback finishes the reply

The CLI turns these into a clean message and exit code; the UI into ``st.error``.
"""

from __future__ import annotations


class PatternGuideError(Exception):
    """Base class for every error the project raises on purpose."""


class ConfigError(PatternGuideError):
    """A setting is missing or has a value that cannot work."""


class LibraryError(PatternGuideError):
    """A pattern library as a whole cannot be read."""


class PatternFileError(PatternGuideError):
    """One pattern file cannot be used; says where and why."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")
        self.file = file
        self.line = line
        self.message = message


class IndexMissingError(PatternGuideError):
    """The index was asked for before it was built."""


class EmbeddingModelError(PatternGuideError):
    """The packaged sentence-embedding model is not installed or is damaged."""


class UnknownPatternError(PatternGuideError):
    """No loaded library holds a pattern with this slug."""


class InputError(PatternGuideError, ValueError):
    """A value a person gave (a context, a reply task, a list of patterns) is not one the guide can use."""


class StoreError(PatternGuideError):
    """The conversation database cannot be opened, read or written."""


class StoreConflictError(StoreError):
    """A write broke a uniqueness rule of the database."""


class StoreBusyError(StoreError):
    """The database stayed busy (other writers, or no free connection) for longer than the store waits."""


class WorkshopError(PatternGuideError):
    """A workshop refuses what was asked: it is closed or full, the participant was removed, or the
    browser typed too many wrong codes (``wait_s`` then says how long to wait)."""

    def __init__(self, message: str, wait_s: float = 0.0) -> None:
        super().__init__(message)
        self.wait_s = wait_s


class PromptError(PatternGuideError):
    """A prompt file is missing, broken, or was rendered without the variables it needs."""


class ExportError(PatternGuideError):
    """An export (a PDF) cannot be made on this machine; the message names what to install."""


class ModelUnavailableError(PatternGuideError):
    """The model server could not produce a complete reply; the message says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
