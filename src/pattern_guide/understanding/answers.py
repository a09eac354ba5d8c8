"""Answers to what the guide asks: yes, partly or no to a sign, no answer at all, and yes or no to an offer.

The phrases are data, as in ``lexicon``; :func:`rating` reads a sign's answer in the words people use
("mostly, yes", "sort of", "hardly", "we used to, not any more").
"""

from __future__ import annotations

import re
from typing import Literal

from pattern_guide.understanding.lexicon import anywhere, start

Rating = Literal["yes", "partly", "no"]

# At the vitality check: not answering this sign ("no idea", "can't say", "I'd rather not answer").
NO_ANSWER = [
    anywhere(
        r"\b(no|not) (even |really |quite |entirely |too )?(idea|sure|comment)\b|\bdon'?t know\b|\bdunno\b|\bcan'?t (say|tell|judge|answer)\b|\btoo new\b"
    ),
    anywhere(r"\brather not (answer|say)\b|\bnext question\b|\bpass\b|\bno view\b|\bhard to say\b|\bnot my area\b"),
    anywhere(
        r"\bno (real )?(clue|opinion|view)\b|\bhaven'?t (got )?(a|any) (clue|idea)\b|\bcouldn'?t (say|tell)\b|\bbeats me\b"
        r"|\bnot (for me|my place) to (say|judge)\b|\bnot the (right )?person to ask\b|\b(unsure|who knows|not certain)\b"
        r"|\b(need|have|got) to (check|ask)( with| around)?\b|\bask (someone else|the others)\b|\bcan'?t (really )?(answer|comment)\b"
        r"|\b(hard|difficult|too early|too soon) to (tell|say|judge|know)\b|\bnot in a position to\b|\bno way (to|of) (know|tell)"
        r"|\b(don'?t|do not) have (enough|the) (info|information|data|knowledge|insight)\b|\bnot sure how to (rate|answer)\b"
        r"|\b(prefer|rather) not to (answer|say|comment)\b|\bcan'?t really (say|tell|judge)\b"
        r"|\b(can'?t|don'?t|do not) remember\b|\bhave to think about (it|that)\b|\bno answer\b"
        r"|\b(don'?t|do not) feel (able|qualified|comfortable)\b|\boutside my (area|knowledge|remit)\b|\bnot (really )?involved\b"
        r"|\bnot something i (know|can say|can answer)\b|\b(don'?t|do not) want to (say|answer)\b"
        r"|\b(can|could|may) (i|we) (not|skip) answer(ing)?\b|\bnot answer (this|that|it)\b"
    ),
]
# The answer words a slip of the keyboard is read as in a short answer ("defintely", "somtimes"); "really"
# is here so that "not really" stays itself rather than turning into "not rarely".
ANSWER_WORDS = tuple(
    "definitely absolutely certainly totally sometimes occasionally partly partially somewhat mostly largely"  # noqa: SIM905
    " rarely hardly barely never always usually kinda sorta really".split()
)
# Vitality answers. Partly wins when said; otherwise the first answer word decides, and a "yes" and
# a "no" set against each other ("on good weeks yes, on bad weeks not at all") make a partly.
PARTLY = anywhere(
    r"\b(partly|partially|sort of|sorta|kind of|kinda|somewhat|in places|half|patchy|some of the time|sometimes|a bit"
    r"|depends|ish|work in progress|halfway|in theory|with some people|getting there|mixed|more or less|so-so"
    r"|here and there|occasionally|on and off|on good weeks|to some extent|up to a point|only some|fizzled|only|some do"
    r"|a touch|less than|now and then|on a good|not always|not consistently|hit and miss|in patches|some teams|yes and no"
    r"|a little|a little bit|partway|part of the time|for some|in some (teams|places|areas)|var(ies|y|iable)|inconsistent(ly)?|uneven"
    r"|to (a|some) (degree|extent)|in part|some of (us|them|the \w+)|some people|less so|not as much"
    r"|fits and starts|off and on|stop-start|sporadic(ally)?|intermittent(ly)?|patchily)\b"
)
NO = anywhere(
    r"\b(no|nope|nah|not (really|rly|realy)|(mostly|largely|generally) not|not in the (slightest|least)|hardly|barely|rarely|never|not at all|not yet|we don'?t|don'?t|doesn'?t|i wish"
    r"|sadly not|thankfully not|no way|not in any|not that|opposite|nobody|none|definitely not|not us|not true"
    r"|not the case|haha no|not remotely|fell apart|wouldn'?t say so|defo not|not one bit|negative|not a chance|nowhere near|not even (close|nearly|remotely)|not (so|that|very) much|not much|not often"
    r"|far from it|not (at the moment|right now|currently|at present|these days|lately)"
    r"|(absolutely|certainly|of course|totally|really|god|hell|heck) (not|no)|not any ?more|no longer)\b"
)
YES = anywhere(
    r"\b(yes|yeah|yep|yup|ya|absolutely|definitely|totally|for sure|certainly|of course|indeed|very much|100%"
    r"|we do|we have|in place|exactly us|that'?s us|spot on|correct|true|pretty solidly|solidly|confident we do"
    r"|sadly yes|unfortunately yes|always|constantly|all the time|happens|it does|they do|it is|it'?s fine|that one'?s fine"
    r"|stuck|good at|afraid so|ye|defo|defin?itely|yes indeed|most of them|we really do|i think so|i'?d say so|i guess so"
    r"|i believe so|seems so|very much so)\b|100%"
)

# What qualifies an answer said before it: "mostly, apart from the monthly one", "yeah, tho the new hires don't".
CAVEAT = re.compile(r"\b(?:but|except|though|tho|although|apart from|aside from|other than|save for)\b")
# A plain no said first ("no, not really, ...", "not rly tbh, ..."): what follows tells how things go, and its
# fillers ("they just sort of happen", "it's a bit dead") are no partly; "no, only sometimes" still is.
PLAIN_NO = re.compile(
    r"^(?:no|nope|nah|not (?:really|rly|realy)|not at all|never)\b(?:[ ,]+(?:no|not (?:really|rly)|not at all|never|tbh"
    r"|honestly|sadly|i'?m afraid))*\s*[,.!—–]+\s*(?=\S)"
)
FILLER = re.compile(r"\b(?:sort of|sorta|kind of|kinda|a bit|a little)\b(?=\s+(?!bit\b)[a-z])")
# A yes said first and plainly ("yes, though it took two years"), which a caveat only qualifies if it takes something back.
TAKES_BACK = re.compile(r"n'?t\b|\bnot\b|\b(less|fewer|slipp\w*|fad\w*|dropp\w*|declin\w*|wobbl\w*)\b")
FIRM_YES = re.compile(r"^(?:oh )?(yes|yeah|yep|yup|absolutely|definitely|totally|for sure|certainly)\b")
# How sure a yes is before its caveat: "largely yes, though ...", "mostly — a couple still skip it" is a yes.
MOSTLY = anywhere(
    r"\b(mostly|largely|broadly|generally|on the whole|by and large|pretty much|overall|in the main"
    r"|most (weeks|days|months|of the time|times))\b"
)

# After the guide names a sign of decay: go straight to what to do about it, or check the rest.
REPLANT = anywhere(
    r"\b(replant|the move|what (to|can we|should we) do about it|fix (it|this|that)|go straight|straight to|show me how"
    r"|what do we do|how do we (fix|revive|restart|rescue)|yes,? (please|show me)|let'?s do that)\b"
)
CHECK = anywhere(r"\b(check|the rest|other signs|how (healthy|alive)|quiz|assess)\b")
# Drafting a pattern of one's own: asking for it (or saying yes once offered), and ending the interview early.
DRAFT = [
    anywhere(
        r"\b(write|draft|make|create|start|capture|put)\b.{0,30}\b(own|new)\b.{0,20}\bpattern\b|\b(our|my) own pattern\b|\bnew pattern\b"
    ),
    anywhere(
        r"\bwrite (it|this|that|ours|one) (down|up)\b|\blet'?s (write|draft) (it|one|ours)\b|\bdraft (it|one|ours)\b"
    ),
]
ACCEPT = start(
    r"(yes|yeah|yep|yup|ya|sure|ok(ay)?|alright|please|go on|go ahead|let'?s (do|try) (it|that)|why not|sounds good|good idea|definitely|absolutely|i'?d like that|do it)\b"
)
DECLINE = start(r"(no|nope|nah|not now|no thanks|maybe later|not really|rather not|i'?ll pass|skip (it|that))\b")
SAVE = [
    anywhere(
        r"^(ok(ay)?,? |right,? )?(that'?s|that is|it'?s) (enough|plenty|all|it)( for now| for today)?[ ,.!]*(please )?(save (it|this|that)|write it up)?( now| please)?[ .!]*$"
    ),
    anywhere(
        r"\bsave (it|this|that|now|the draft|what we have|what you have)( now| please)?[ .!]*$|^(please )?save[ .!]*$|\bjust save\b"
    ),
    anywhere(
        r"^(ok(ay)?,? )?(i'?m |we'?re )?(all )?(done|finished)( now| for now| here)?[ .!]*$|\b(enough|no more) questions\b|\bstop (asking|the questions)\b"
    ),
]


def rating(said: str, plain_statement: bool) -> Rating | None:
    """Yes, partly or no, in the words people use ("mostly, yes", "sort of", "hardly")."""
    plain_no = PLAIN_NO.match(said)
    if plain_no and not CAVEAT.search(said) and not PARTLY.search(FILLER.sub(" ", said[plain_no.end() :])):
        return "no"  # "no, not really, they just sort of happen": a no, then how things go
    first = re.split(r"[.;:!?—–]|\s-\s", said, maxsplit=1)[0]
    if PARTLY.search(first) and not re.search(r"\bmostly\b", first):
        return "partly"
    head = CAVEAT.split(re.split(r"[.;:!?—–]|\s-\s", said, maxsplit=1)[0], maxsplit=1)[0]
    lead = head.split(",", 1)[0]
    if len(lead.split()) <= 3 and MOSTLY.search(lead):
        head = lead  # "mostly, the ones on the front desk less so": the answer, then its exception
    if MOSTLY.search(head) and not NO.search(head) and not PARTLY.search(head) and not re.search(r"\bnot\b", head):
        return "yes"  # "largely yes, though the outcome bits are thin"
    if re.search(r"\bused to\b", said) and NO.search(said):
        return "no"  # "we used to, but not any more"
    caveat = CAVEAT.search(said)
    if caveat and len(said.split()) >= 6:
        rest = said[caveat.end() :]
        if FIRM_YES.match(said) and not (NO.search(rest) or PARTLY.search(rest) or TAKES_BACK.search(rest)):
            return "yes"  # "yes, though it took us two years to get there": a caveat that takes nothing back
        return "partly"  # "they hold for the devs but support …"
    yes, no = YES.search(said), NO.search(said)
    if yes and no:
        clauses = re.split(r",|\bbut\b", said)
        mixed = len(clauses) > 1 and any(YES.search(c) for c in clauses) and any(NO.search(c) for c in clauses)
        if (
            mixed
            and not re.search(r"\b(definitely|sadly|thankfully|honestly) not\b", said)
            and yes.start() < no.start()
        ):
            return "partly"
        return "yes" if yes.start() < no.start() else "no"
    if no:
        return "no"
    if yes:
        return "yes"
    if PARTLY.search(said) or re.search(r"\b(but|except|only|though|although)\b", said):
        return "partly"  # "it exists for the day team but nights …"
    if plain_statement and not said.endswith("?") and len(said.split()) >= 3 and not re.search(r"\bnot\b", said):
        return "yes"
    return None


def rated_first(said: str) -> bool:
    """Whether a message opens with a yes or a partly ("largely yes, but the new staff don't know about it")."""
    head = CAVEAT.split(re.split(r"[.;:!?—–,]|\s-\s", said, maxsplit=1)[0], maxsplit=1)[0]
    if any(p.search(head) for p in NO_ANSWER):
        return False
    return bool(YES.search(head) or PARTLY.search(head) or MOSTLY.search(head))


def rates(said: str) -> bool:
    """Whether a message carries an answer to the sign (yes, no, partly), not just "I don't know"."""
    if any(p.search(said) for p in NO_ANSWER):
        return False
    return bool(YES.search(said) or NO.search(said) or PARTLY.search(said))
