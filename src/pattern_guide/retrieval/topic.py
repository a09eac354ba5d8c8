"""Is a message about how a group organises at all? Decided in code, before any model is called.

A message is on-topic as far as it resembles a pattern passage or one of the
ON_TOPIC_EXAMPLES (short, concrete complaints like "our store managers can't approve a $50
refund" are closer to the examples than to any passage). It is off-topic when that
resemblance is below OFF_TOPIC_FLOOR, or when it is more like one of the OFF_TOPIC_EXAMPLES
kinds of request. Calibrated on the two eval sets (tests/eval/situations.jsonl, then
checked on heldout.jsonl, written apart from it): no on-topic situation is redirected and
every off-topic line is; `pattern-guide eval` reports both counts.
"""

from __future__ import annotations

import functools

from pattern_guide.index.embedder import Vectors
from pattern_guide.retrieval.retriever import Retriever

OFF_TOPIC_FLOOR = 0.25
ASIDE_MARGIN = 0.05  # mid-walk, an aside must be clearly nearer an off-topic request than to the library
ON_TOPIC_EXAMPLES = (
    "A problem with how my team at work is organised.",
    "Our organisation keeps struggling with the way we make decisions and share the work.",
    "My staff, managers or colleagues are frustrated with how things get done here.",
    "Our volunteers, members or campaign group are burning out or falling out.",
    "Our department, council or agency is stuck in slow processes and approvals.",
    "Our developers and engineering teams have too much work in progress and nothing gets delivered.",
    "People in our group do not trust each other, avoid conflict or blame each other.",
    "Our meetings, planning and handovers are not working.",
    "What should I do next, this week or on Monday, to put this into practice with my group?",
    "Two departments do not understand each other, and requests bounce back and forth between them.",
    "We disagree about how to roll out a big change: all at once, or a small trial first.",
    "Nobody in our group agrees any more on what we are for.",
)
OFF_TOPIC_EXAMPLES = (
    "Write a poem or a song about something.",
    "Write a birthday card message or a greeting for someone.",
    "Tell me a joke.",
    "How do I write this code in a programming language? Fix my bug, write a SQL query or a script.",
    "How do I do this in Python, JavaScript or Java?",
    "Write a function that sorts an array.",
    "Why does my program throw this error? Explain this code.",
    "Give me a recipe; how do I cook this dish?",
    "What's the weather forecast for tomorrow?",
    "Who won the match? Sports scores and results.",
    "A general knowledge trivia question: what is the capital of a country?",
    "Translate this sentence for me into French, Spanish or German.",
    "Help me with my maths homework: solve this equation.",
    "Work out a sum for me: a percentage of a number, a unit conversion, how many days until a date.",
    "Explain a data structure or an algorithm: reverse a linked list, a binary search, recursion.",
    "Recommend a book, film, series or game for me.",
    "My computer, phone or wifi is not working; technical support for my device.",
    "Hi, how are you? Just chatting.",
    "What time does the shop or the pool open, and where can I buy one?",
    "Nutrition facts and health questions about food.",
    "Suggest a name for my pet or my baby.",
    "Write a speech, a letter or a toast for a wedding, a birthday or a leaving do.",
    "Household tips: how do I clean a stain, fix a tap or look after my garden?",
    "Web design: how do I style or centre an element with CSS or HTML?",
    "Music and film trivia: who sang this song, who was in that film?",
    "Plan my holiday or my travel budget; my personal money.",
    "Exercise and fitness: how should I train, stretch or warm up for a run?",
    "Git and version control: how do I resolve a merge conflict or undo a commit?",
)


class TopicCheck:
    """Compares a message with the library's passages and with on- and off-topic examples."""

    def __init__(self, retriever: Retriever) -> None:
        self.retriever = retriever

    @functools.cached_property
    def _examples(self) -> tuple[Vectors, Vectors] | None:
        """The on- and off-topic examples embedded once; None when the retriever has no embedder."""
        embedder = getattr(self.retriever.vector, "embedder", None)
        if embedder is None or not hasattr(self.retriever.vector, "query_vector"):
            return None
        return embedder.embed(list(ON_TOPIC_EXAMPLES)), embedder.embed(list(OFF_TOPIC_EXAMPLES))

    def is_off_topic(self, text: str, aside: bool = False) -> bool:
        """Off-topic: nearer a kind of off-topic request than to the library, or like nothing in it.

        ``aside=True`` drops the second test, for messages in the middle of a walk: a short
        concrete note ("Tues and Thurs mornings, no meetings") resembles little, yet belongs.
        """
        vector = self.retriever.vector.query(text, 1)
        on_topic = vector[0][1] if vector else 0.0
        examples = self._examples
        if examples is not None:
            query = self.retriever.vector.query_vector(text)  # type: ignore[attr-defined]
            on_examples, off_examples = examples
            on_topic = max(on_topic, float((on_examples @ query).max()))
            if float((off_examples @ query).max()) > on_topic + (ASIDE_MARGIN if aside else 0.0):
                return True
        return not aside and on_topic < OFF_TOPIC_FLOOR
