"""Saving the conversation's draft: written offline, polished by a model when one is configured, indexed.

The offline file is always the one kept unless a model's polish keeps its structure exactly (the
same front matter, headings, steps and signs): a rewrite that fails that check is dropped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

from pattern_guide.conversation.state import GuideState, Stage
from pattern_guide.drafting.store import front_matter, same_structure, save_draft, saved_slugs
from pattern_guide.drafting.writer import write_draft
from pattern_guide.errors import ModelUnavailableError, PatternFileError
from pattern_guide.library.loader import Library
from pattern_guide.llm.interface import ChatModel, OfflineComposer
from pattern_guide.replies.request import ReplyRequest
from pattern_guide.replies.tasks import ReplyTask
from pattern_guide.retrieval.retriever import Retriever
from pattern_guide.vitality.signs import signs

Reload = Callable[[], tuple[Library, Retriever]]


def polish(text: str, model: ChatModel, state: GuideState) -> str | None:
    """A model's polish of the draft's prose, or None when it failed or changed the structure."""
    if isinstance(model, OfflineComposer):
        return None
    head, body = front_matter(text)
    request = ReplyRequest(task=ReplyTask.DRAFT_POLISH, draft=body, user_text=state.situation, context=state.context)
    try:
        reply = model.reply(request).complete()
    except ModelUnavailableError:
        return None
    if reply.outcome is not None and reply.outcome.fell_back:
        return None
    candidate = head + reply.text.strip() + "\n"
    return candidate if candidate != text and same_structure(text, candidate) else None


class DraftDesk:
    """Where drafts are saved, and how the library and its index take a new one in."""

    def __init__(self, folder: Path, reload: Reload | None = None) -> None:
        self.folder = folder
        self.reload = reload

    def save(self, state: GuideState, library: Library, model: ChatModel) -> tuple[Library, Retriever] | None:
        """Write, maybe polish, and save the state's draft; the reloaded library and retriever, if any."""
        draft = state.draft
        if draft is None:
            return None
        taken = set(library.patterns) | saved_slugs(self.folder)
        domains = Counter(
            library.patterns[s].meta.ontology.domain for s in draft.offered if s in library.patterns
        ).most_common(1)
        written = write_draft(draft, state.situation, taken, state.context, domains[0][0] if domains else None)
        polished = polish(written.text, model, state)
        text = polished or written.text
        try:
            path = save_draft(self.folder, written.slug, text)
        except PatternFileError as exc:
            draft.problem = str(exc)
            return None
        except OSError as exc:
            where = exc.filename or self.folder
            reason = (exc.strerror or str(exc)).lower()
            draft.problem = f"{reason} at {where} — check that PATTERN_GUIDE_DRAFTS is a folder you can write to"
            return None
        draft.slug, draft.path, draft.text = written.slug, str(path), text
        draft.polished, draft.problem = polished is not None, None
        state.stage = Stage.PLAN
        if self.reload is None:
            return None
        library_now, retriever = self.reload()
        pattern = library_now.patterns.get(written.slug)
        if pattern is not None:
            state.pattern, state.step, state.notes, state.skipped = written.slug, 0, {}, []
            state.vitality, state.vitality_index = signs(pattern), 0
        return library_now, retriever
