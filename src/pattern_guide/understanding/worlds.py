"""Asking for another world's version of the guidance, in plain words.

"How would a union do this?", "and for a council?", "what if we were a software company?": the phrases
that put a world where a request for it goes, and :func:`world_asked`, which finds the world they name
("a software company" is tech, "the civil service" government) and not one that only sits inside a phrase
("the council meeting"), nor a note that tells what the group itself would do.
"""

from __future__ import annotations

import re

from pattern_guide.retrieval.context import context_scores, named_context
from pattern_guide.understanding.lexicon import DESCRIBES, LEAD, anywhere

# "How would this look in a council?", "for a movement instead?", "the product team version".
CONTEXT = [
    anywhere(
        r"\bhow would (this|that|it|a|an|the)\b.{0,50}\b(look|work|go|show up|be done|do this|do it|play out|apply)\b"
    ),
    anywhere(
        r"\bwhat (would|does|do)\b.{0,40}\blook like (for|in|at|within|inside|as)\b|\b(what|how) about (in |for |at )?(a |an |the )?\w"
    ),
    anywhere(
        r"\b(redo|translate|switch|show|give|rewrite|reframe)\b.{0,40}\b(for|to|in)\b.{0,40}\b(us|version|framing|setting|context|team|company|council|service|movement|group|union|startup|agency|authority)\b"
    ),
    anywhere(
        r"\b(version|framing|lens)\b|\bfor (a|an|the) \w+( \w+)? instead\b|\bin (a|an) \w+( \w+)? (setting|context)\b"
    ),
    anywhere(r"\b(what are|what'?s) (these|this|it) called in\b|\bshow these for\b"),
    anywhere(r"\bin terms of\b|\b(reword|rephrase|put) (it|this|that)\b|\b(flavour|flavor|angle|speak|terms)\b"),
    anywhere(
        r"\bas it would be in\b|\bhow does it go for us\b|\bwhat would (you call|these be called|this step mean)\b|\bcall these\b"
        r"|\bwhat (would|do|does|might) (these|this|they|it|that)( one| step| sign)? (go by|be known as|be named)\b"
    ),
    anywhere(r"^(for|in|at) (a|an|my|our) [\w' -]{2,30}\?$|\bwork in (a|an) \w+"),
]
CONTEXT += [
    anywhere(
        r"\bequivalent\b|\bpoint of view\b|\bperspective\b|\bviewpoint\b|\bstandpoint\b|\btake on (this|it|that)\b"
        r"|\b(adapt|tailor|translate|apply|convert|turn)\b (it|this|that|these|them|the \w+)( one| step| plan| sign| bit)? (to|for|into)\b"
        r"|\bwhat would (this|it|that|these)( step| sign| plan| one)? (be|mean|look like|become)( (for|to) (us|me|them)| there| then)?\s*\??$"
    ),
]
# Another world named where a request puts it: after a preposition, at the end of its phrase ("for a council?",
# "in the civil service", "at a startup"), not inside it ("in the council meeting"); ``intents`` checks the phrase.
_PHRASE = r"((?:[\w'&/-]+\s+){0,3}?[\w'&/-]+)"
_PHRASE_END = (
    r"(?=\s*(?:[?.!,;:—–)]|\s-\s|$|\s(?:though|instead|please|pls|then|too|now|again|really|perhaps|maybe|lol|setting"
    r"|context|world|version|way|how|what|not|rather|and|actually|tbh|instead)\b))"
)
WORLD_AFTER = re.compile(
    r"\b(?:for|in|at|within|inside|across|of|about|like|to)\s+(?:(?:a|an|the|my|one|some|another|other|someone in"
    r"|somewhere like|people in)\s+)?" + _PHRASE + _PHRASE_END
)
# ... as the one doing it: "how would a union do this?", "how do startups handle it", "the way a charity would".
WORLD_DOING = re.compile(
    r"\b(?:(?:how|what)(?:'?d| would| might| could)\s+(?:(?:a|an|some|any|most|other|the)\s+)?"  # "the" only as a supposition
    r"|(?:how|what)(?: do| does| did| can| will| should)\s+(?:(?:a|an|some|any|most|other)\s+)?"
    r"|(?:how|way)\s+(?:(?:a|an|some|any|most|other)\s+)?)"
    + _PHRASE
    + r"\s+(?:(?:would|might|could|will|do|does|'d|usually|normally"
    r"|typically|actually|generally|tend to|tends to)\s+)*(?:do|handle|run|approach|call|make|manage|tackle|use|treat|say"
    r"|see|think of|deal with|go about|phrase|frame|adapt|implement|organi[sz]e|put|set up|word|name|ask|look at|play|try)\b"
)
# "how would a software team know ...": after "how would a", up to four words that start with the world's name.
WORLD_WHO = re.compile(
    r"\b(?:how|what|where|when|why)(?:'?d| would| might| could| will| do| does| can| should)\s+(?:a|an)\s+"
    r"((?:[\w'&/-]+\s+){0,3}[\w'&/-]+)"
)
# ... as a supposition: "what if we were a housing co-op?", "picture an insurance firm", "say we were a food bank".
WORLD_SUPPOSED = re.compile(
    r"\b(?:what if|imagine|suppose|supposing|pretend|picture|say|if|think of (?:it|this|us) as|treat (?:it|this|us) as"
    r"|as if|as though)\s+(?:(?:we|i|it|this|you|they)(?:'re|'m| were| was"
    r"| are| am| is| worked| work| ran| run)\s+(?:(?:in|at|for|with)\s+)?)?(?:a|an|the)\s+" + _PHRASE + _PHRASE_END
)
# ... as a style: "the corporate way", "the union style".
WORLD_WAY = re.compile(r"\bthe ((?:[\w'-]+ )?[\w'-]+) (?:way|style|take|spin|slant|equivalent|version|framing)\b")
# ... as who they are, said briefly: "we're actually a charity", "this is for my council".
WORLD_SELF = re.compile(
    LEAD
    + r"(?:(?:but|actually|oh|sorry|wait|no)[,]?\s+)*(?:i'?m|we'?re|i am|we are|this is|it'?s|its)(?: actually| really"
    r"| in fact| more| not)?\s+(?:(?:in|at|from|with|for|part of|working (?:in|at|for))\s+)?(?:(?:a|an|the|my|our)\s+)?"
    + _PHRASE
    + _PHRASE_END
)
# Words after the world's name that only say it is an organisation ("a software company", "a trade union branch").
ORG_NOUN = re.compile(
    r"\s+(?:teams?|groups?|org|organi[sz]ations?|setting|context|world|sector|environment|unit|office|project|side|version"
    r"|space|type|kind|ones?|people|folk|lot|crowd|workplace|place|compan(?:y|ies)|firms?|business|branch|shop|body|outfit"
    r"|associations?|network)$"  # only "a volunteer network": "Mutual Aid Networks" is a pattern's name
)
# An elliptic request that only names the world: "and for a council?", "same idea but for a hospital please".
ELLIPSIS = re.compile(
    r"^(?:(?:ok(?:ay)?|hmm+|right|so|and|but|or|now|then|same(?: \w+)?(?: but)?|what about|how about|maybe|perhaps"
    r"|and what about|what'?s it like)[,]?\s+)*(?:for|in|at|as|like|within|inside)\b"
)
# The guidance a request is about, and a message that asks rather than tells.
GUIDANCE = re.compile(
    r"\b(this|it|that|these|them|those|here|the (steps?|plan|signs?|pattern|idea|list|question|ones?|bit|thing))\b"
)
REQUEST_START = re.compile(
    LEAD
    + r"(?:how'?d|how|what'?s|whats|what|could|can|would|will|show|give|make|do|redo|explain|tell|write|rewrite|frame"
    r"|reframe|run|walk|put|adapt|translate|describe|same|and|now|what about|how about|try|let'?s|i'?d like|please|pls)\b"
)


def world_asked(said: str, rating: bool = False) -> str | None:
    """The world a message asks the guidance for, or None when it names none or only describes the group.

    ``rating``: the message answers a sign ("we're a charity, so no"), so only a plain request counts."""
    if DESCRIBES.search(said) and "?" not in said:
        return None  # "as a union we'd put it to the branch first" tells what they would do
    if not any(context_scores(said).values()):
        unjoined = re.sub(r"(?<=[a-z])-(?=[a-z]{3,})", " ", said)
        if unjoined == said or not any(context_scores(unjoined).values()):
            return None
        said = unjoined  # "the big-company version": a world's name joined to the word it qualifies
    if any(p.search(said) for p in CONTEXT):
        return named_context(said)
    if rating or re.match(r"^(?:the |that )?(?:one|ones|pattern)\b", said):
        return None  # "the one for the council" picks a pattern
    short = len(said.split()) <= 10
    found_in = [*WORLD_DOING.finditer(said), *WORLD_SUPPOSED.finditer(said), *WORLD_WAY.finditer(said)]
    found_in += list(WORLD_SELF.finditer(said)) if short else []  # "we're actually a charity"
    for found in found_in:
        world = _world_named(found.group(1))
        if world:
            return world
    for found in WORLD_WHO.finditer(said):
        words = found.group(1).split()
        for n in range(1, len(words) + 1):
            if world := _world_named(" ".join(words[:n])):
                return world
    elliptic = len(said.split()) <= 9 and ELLIPSIS.match(said) is not None
    asks = "?" in said or REQUEST_START.match(said) is not None
    if elliptic or (asks and GUIDANCE.search(said)):
        for found in WORLD_AFTER.finditer(said):
            world = _world_named(found.group(1))
            if world:
                return world
    return None


def _world_named(phrase: str) -> str | None:
    """The world a phrase ends on ("a software company": tech, "the civil service": government), not one inside it
    ("the council meeting"); nouns that only say it is an organisation are set aside first."""
    if re.search(r"\b(the|a|an|our|my|their|your|of|is|are|it|this|that)\b", phrase):
        return None  # "about half the branches": a phrase about something else, not a world's name
    tails = [phrase]
    while (shorter := ORG_NOUN.sub("", tails[-1])) != tails[-1]:
        tails.append(shorter)
    found = None
    for longer, tail in zip([None, *tails], tails, strict=False):
        words = tail.split()
        if longer is not None and _one_name(words[-1], longer.split()[-1]):
            break  # "a residents' association": the noun is part of the name
        ends = named_context(words[-1]) or (len(words) >= 2 and _one_name(words[-2], words[-1]))
        if ends and (world := named_context(tail)):
            found = world  # the shortest that names a world: "a software company" is tech
    return found


def _one_name(first: str, second: str) -> bool:
    """Whether two words are one name of a world ("civil service", "food bank"), more than each word says."""

    def weight(text: str) -> int:
        return sum(context_scores(text).values())

    return weight(f"{first} {second}") > weight(first) + weight(second)
