"""Replies: what the guide says, composed offline from the pattern text, and what a model is asked.

``tasks`` is the closed set of replies (each with its composer and prompt file), ``request``
what a model receives, ``composer`` the offline drafts, ``prompts`` the prompt files
(sandboxed Jinja), ``budget`` token counting and fitting a prompt into a context window.
"""

from pattern_guide.replies.request import ReplyRequest
from pattern_guide.replies.tasks import ReplyTask

__all__ = ["ReplyRequest", "ReplyTask"]
