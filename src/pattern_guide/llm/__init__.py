"""Chat models: one interface for every way a reply is produced.

``interface`` is the protocol and the per-reply :class:`Reply` with its :class:`Outcome`, plus
the offline composer and a scripted fake; ``openai_model`` any OpenAI-compatible server;
``fallback`` the visible, stateless fallback to the offline draft; ``grounding`` the checks a
model's reply must pass (citations, anchors, quotations).
"""

from pattern_guide.llm.interface import ChatModel, OfflineComposer, Outcome, Reply, ScriptedChatModel, TextStream

__all__ = ["ChatModel", "OfflineComposer", "Outcome", "Reply", "ScriptedChatModel", "TextStream"]
