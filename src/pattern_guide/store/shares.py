"""Capabilities the server mints besides conversation ids: self-assessment owners and read-only share links.

An owner id names one person's self-assessments; a share token shows one plan or one reading,
read-only, to whoever has the link — distinct from the owner's own link, which can also write.
"""

from __future__ import annotations

import enum
from typing import NamedTuple

from pattern_guide.conversation.ids import mint_id, well_formed
from pattern_guide.store.base import Repository, now


class ShareKind(enum.StrEnum):
    """What a read-only link shows."""

    PLAN = "plan"  # a conversation's plan; target = the conversation id
    READING = "reading"  # an owner's self-assessments of one pattern; target = the owner id


class Share(NamedTuple):
    """A read-only link: what it shows."""

    token: str
    kind: ShareKind
    target: str
    pattern_slug: str | None


class ShareRepository(Repository):
    """Owners and share links; nothing is ever created under an id a client chose."""

    def new_owner(self) -> str:
        """Mint an owner id for a person's self-assessments."""
        owner = mint_id()
        with self._connect() as conn:
            conn.execute("INSERT INTO owners (id, created_at) VALUES (?, ?)", (owner, now()))
        return owner

    def is_owner(self, owner: object) -> bool:
        """Whether a client-sent owner id is one this server minted."""
        if not well_formed(owner):
            return False
        with self._connect() as conn:
            if conn.execute("SELECT 1 FROM owners WHERE id = ?", (owner,)).fetchone() is not None:
                return True
            # Owners from before owners had a table were minted too: their assessments name them.
            return conn.execute("SELECT 1 FROM assessments WHERE owner = ? LIMIT 1", (owner,)).fetchone() is not None

    def share(self, kind: ShareKind, target: str, pattern_slug: str | None = None) -> str:
        """A read-only link token for a plan or a reading (one per target: sharing twice gives the same link)."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT token FROM shares WHERE kind = ? AND target = ? AND COALESCE(pattern_slug, '') = ?",
                (kind.value, target, pattern_slug or ""),
            ).fetchone()
            if row is not None:
                return str(row[0])
            token = mint_id()
            conn.execute(
                "INSERT INTO shares (token, kind, target, pattern_slug, created_at) VALUES (?, ?, ?, ?, ?)",
                (token, kind.value, target, pattern_slug, now()),
            )
        return token

    def shared(self, token: object) -> Share | None:
        """What a share token shows, or None for a token this server did not mint."""
        if not well_formed(token):
            return None
        with self._connect() as conn:
            row = conn.execute(
                "SELECT token, kind, target, pattern_slug FROM shares WHERE token = ?", (token,)
            ).fetchone()
        return None if row is None else Share(row[0], ShareKind(row[1]), row[2], row[3])
