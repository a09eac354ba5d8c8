"""The parsed-library cache: what each pattern file parsed to, by the sha256 of its bytes.

A second load of an unchanged library reads the files, hashes them and takes the parsed
pattern (or the file's error) and its hygiene findings from here instead of parsing
and scanning again. One JSON file per library folder; never pickle, since a cache file
must not be able to run anything. The file records a format number and a signature of
the parsing code, so a new version of the guide starts from an empty cache.

The cache only ever speeds a load up: a missing, corrupt, foreign or unwritable cache is
an empty one (one debug line), and an entry that no longer validates is parsed afresh.
"""

from __future__ import annotations

import base64
import datetime
import enum
import functools
import hashlib
import json
import logging
from pathlib import Path
from typing import Any, NamedTuple

import orjson
from pydantic import ValidationError

from pattern_guide.files import write_atomically
from pattern_guide.library.model import Pattern

FORMAT = 1
# The file is written again when at least one entry in this many was parsed or dropped this load.
REWRITE_SHARE = 100
log = logging.getLogger(__name__)

# Everything a file's parse result depends on besides its bytes.
_SOURCES = ("library/loader.py", "library/parser.py", "library/meta.py", "library/model.py", "library/hygiene.py",
            "library/cache.py", "text.py")  # fmt: skip
_TAG = "\x00"  # marks a JSON object standing for a YAML value JSON has no word for


class Parsed(NamedTuple):
    """What one file's bytes parse to: a pattern and its hygiene findings, or an error at a line."""

    pattern: Pattern | None
    findings: list[tuple[int, str]]
    error: tuple[int, str] | None = None


class Unencodable(ValueError):
    """A parsed value JSON cannot carry faithfully; the file is parsed on every load instead."""


@functools.cache
def signature() -> str:
    """Hash of the parsing code and the pydantic in use: a code change invalidates every cache."""
    import pydantic

    digest = hashlib.sha256(f"{FORMAT}:{pydantic.VERSION}".encode())
    root = Path(__file__).resolve().parents[1]  # the pattern_guide package
    for name in _SOURCES:
        digest.update(name.encode() + b"\0" + (root / name).read_bytes())
    return digest.hexdigest()


def _encode(value: Any, tagged: list[str]) -> Any:
    """A front-matter value as JSON; dates, bytes and non-text keys (YAML gives all three) are tagged."""
    if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**64:
        raise Unencodable("integer beyond 64 bits")  # orjson would read it back as a float
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, list | tuple):
        return [_encode(v, tagged) for v in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith(_TAG) for k in value):
            return {k: _encode(v, tagged) for k, v in value.items()}
        tagged.append("map")
        return {_TAG + "map": [[_encode(k, tagged), _encode(v, tagged)] for k, v in value.items()]}
    if isinstance(value, enum.Enum):
        return _encode(value.value, tagged)
    if isinstance(value, datetime.datetime):
        kind, text = "datetime", value.isoformat()
    elif isinstance(value, datetime.date):
        kind, text = "date", value.isoformat()
    elif isinstance(value, bytes):
        kind, text = "bytes", base64.b64encode(value).decode("ascii")
    else:
        raise Unencodable(type(value).__name__)
    tagged.append(kind)
    return {_TAG + kind: text}


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        ((key, item),) = value.items()
        if key == _TAG + "map":
            return {_hashable(_decode(k)): _decode(v) for k, v in item}
        if key == _TAG + "datetime":
            return datetime.datetime.fromisoformat(item)
        if key == _TAG + "date":
            return datetime.date.fromisoformat(item)
        if key == _TAG + "bytes":
            return base64.b64decode(item)
    return {k: _decode(v) for k, v in value.items()}


def _hashable(key: Any) -> Any:
    # YAML turns a sequence used as a key into a tuple.
    return tuple(_hashable(k) for k in key) if isinstance(key, list) else key


def _entry(parsed: Parsed) -> dict[str, Any]:
    if parsed.pattern is None:
        return {"error": list(parsed.error or (1, "")), "findings": []}
    rest = parsed.pattern.model_dump(mode="json", exclude={"meta", "path", "library"})
    tagged: list[str] = []
    meta = _encode(parsed.pattern.meta.model_dump(), tagged)
    # Most files hold no date: their front matter needs no walk on the way back.
    return {"meta": meta, "tagged": bool(tagged), "rest": rest, "findings": parsed.findings}


class LibraryCache:
    """The cached parses of one library folder; ``get`` and ``put`` by file bytes, ``save`` once at the end."""

    def __init__(self, folder: Path | None, library: Path) -> None:
        self.file = None if folder is None else folder / f"{_sha(str(library.resolve()).encode())[:24]}.json"
        self._old: dict[str, Any] = self._read()
        self._new: dict[str, Any] = {}
        self._parsed = 0  # files parsed this load
        self.hits = 0

    def _read(self) -> dict[str, Any]:
        if self.file is None:
            return {}
        try:
            data = _loads(self.file.read_bytes())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.debug("library cache %s unreadable, parsing afresh: %s", self.file, exc)
            return {}
        if not isinstance(data, dict) or data.get("signature") != signature() or data.get("format") != FORMAT:
            log.debug("library cache %s is from other code, parsing afresh", self.file)
            return {}
        entries = data.get("entries")
        return entries if isinstance(entries, dict) else {}

    def get(self, raw: bytes, path: str, library: str) -> Parsed | None:
        """The cached parse of these bytes as if read from ``path``, or None to parse them."""
        key = _sha(raw)
        entry = self._old.get(key)
        if entry is None:
            return None
        try:
            findings = [(int(line), str(message)) for line, message in entry["findings"]]
            if "error" in entry:
                line, message = entry["error"]
                parsed = Parsed(None, [], (int(line), str(message)))
            else:
                meta = _decode(entry["meta"]) if entry["tagged"] else entry["meta"]
                data = {**entry["rest"], "meta": meta, "path": path, "library": library}
                parsed = Parsed(Pattern.model_validate(data), findings)
        except (KeyError, TypeError, ValueError, ValidationError) as exc:
            log.debug("library cache entry for %s is damaged, parsing afresh: %s", path, exc)
            return None
        self._new[key] = entry
        self.hits += 1
        return parsed

    def put(self, raw: bytes, parsed: Parsed) -> None:
        """Remember what these bytes parsed to (a value JSON cannot carry is not remembered)."""
        if self.file is None:
            return
        try:
            self._new[_sha(raw)] = _entry(parsed)
            self._parsed += 1
        except Unencodable as exc:
            log.debug("%s holds a %s, which the library cache cannot keep", parsed.pattern and parsed.pattern.path, exc)

    def save(self) -> None:
        """Write the entries this load used (stale ones drop out) when enough changed; never raises.

        Writing is the whole file again (on the Commons library longer than parsing a hundred files), so a
        load that parsed or dropped a few entries in a hundred leaves the file as it is: those few files are
        parsed again on the next load, a few milliseconds each, until enough add up to a write."""
        if self.file is None:
            return
        stale = len(self._old.keys() - self._new.keys())
        if max(self._parsed, stale) * REWRITE_SHARE <= len(self._new) and self._old:
            return
        if not self._parsed and not stale:
            return
        data = {"format": FORMAT, "signature": signature(), "entries": self._new}
        try:
            write_atomically(  # one dumps and one write: json.dump writes in small pieces
                self.file, lambda out: out.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())
            )
        except (OSError, ValueError) as exc:
            log.debug("library cache %s not written: %s", self.file, exc)


def _loads(raw: bytes) -> Any:
    """The cache file's JSON: orjson reads the Commons library's 100 MB in half the time of json; json
    takes what orjson refuses (NaN, which YAML allows and json writes). An integer orjson would read back
    as a float is never written (:func:`_encode`)."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return json.loads(raw)


def _sha(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()
