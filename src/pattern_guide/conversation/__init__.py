"""The conversation's serialisable state: what a reload or a restart must restore."""

from pattern_guide.conversation.state import Candidate, GuideState, Message, Role, Stage

__all__ = ["Candidate", "GuideState", "Message", "Role", "Stage"]
