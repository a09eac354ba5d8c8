"""Files the guide writes for itself: whole or not at all, and keyed JSON lines.

Every index, cache and draft file is written to a temporary file beside it and renamed into place, so a
reader (a running app, a second tab, the next run after a crash) sees the old file or the new one, never
half of one; and since the rename makes a new file, a handle opened on the old one goes on reading it.

The caches are keyed JSON lines: a header line saying what wrote them, then ``<key>\\t<json>`` per entry. A
run that changes a few entries copies the others as bytes, unread, and a damaged line costs only its entry.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, BinaryIO


def write_atomically(path: Path, write: Callable[[BinaryIO], object], durable: bool = False) -> None:
    """Write ``path`` through a temporary file beside it and a rename; ``durable`` waits for the disk too."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
            if durable:
                out.flush()
                os.fsync(out.fileno())
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def header_line(fields: dict[str, Any]) -> bytes:
    """The first line of a keyed-lines file: what wrote it, which a reader must match exactly."""
    return json.dumps(fields, sort_keys=True).encode("utf-8") + b"\n"


def keyed_line(key: str, value: Any) -> bytes:
    """One entry: its key (no tab, no line break), a tab, its value as compact JSON."""
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return key.encode("utf-8") + b"\t" + body.encode("utf-8") + b"\n"


def line_value(line: bytes) -> Any:
    """The value of an entry line (ValueError when it is damaged)."""
    return json.loads(line.partition(b"\t")[2])


def read_keyed_lines(path: Path, header: bytes) -> dict[str, bytes] | None:
    """Every whole entry line by its key, unread; None when the file is missing or its header is not
    ``header`` (another format, other code). A later line with the same key wins."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    first, _, body = data.partition(b"\n")
    if first + b"\n" != header:
        return None
    out: dict[str, bytes] = {}
    for line in body.splitlines(keepends=True):
        key, tab, _ = line.partition(b"\t")
        if tab and line.endswith(b"\n"):
            out[key.decode("utf-8", "replace")] = line
    return out


def has_header(path: Path, header: bytes) -> bool:
    """Whether the file starts with this header line (read without reading the rest)."""
    try:
        with path.open("rb") as fh:
            return fh.readline() == header
    except OSError:
        return False


def write_keyed_lines(path: Path, header: bytes, lines: Iterable[bytes]) -> None:
    """The whole file: the header, then the entry lines, atomically."""

    def write(out: BinaryIO) -> None:
        out.write(header)
        out.writelines(lines)

    write_atomically(path, write)


def append_keyed_lines(path: Path, header: bytes, lines: Iterable[bytes]) -> None:
    """Entries added at the end of an existing file with this header (a new file otherwise); a line a
    crash left without its end is closed first, so it spoils only itself."""
    if not has_header(path, header):
        write_keyed_lines(path, header, lines)
        return
    with path.open("r+b") as out:
        out.seek(0, os.SEEK_END)
        if out.tell() > 0:
            out.seek(-1, os.SEEK_END)
            if out.read(1) != b"\n":
                out.write(b"\n")
        out.writelines(lines)
