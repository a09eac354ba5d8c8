"""Ids and keys the server mints: 128 random bits, written as 32 lowercase hex digits.

An id in a URL is a capability: whoever holds it reads and writes what it names. So ids are
never taken from a client — a URL's id is only *looked up*, and only when it has the minted
shape (or the 12-digit shape that earlier versions minted, so old bookmarks keep working).
"""

from __future__ import annotations

import re
import secrets

ID_BYTES = 16  # 128 bits
_MINTED = re.compile(r"[0-9a-f]{32}")
_EARLIER = re.compile(r"[0-9a-f]{12}")  # what versions before the capability links minted


def mint_id() -> str:
    """A fresh id: 32 lowercase hex digits from the operating system's random source."""
    return secrets.token_hex(ID_BYTES)


def well_formed(text: object) -> bool:
    """Whether a client-sent value has the shape of an id this server minted (now or before)."""
    return isinstance(text, str) and bool(_MINTED.fullmatch(text) or _EARLIER.fullmatch(text))
