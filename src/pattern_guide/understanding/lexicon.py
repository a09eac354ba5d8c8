"""The phrases people use for each request, as regular expressions over lower-case text.

Data, not logic: ``intents`` decides in which order and at which stage they count. Each
request is recognised near the start of a message or as the whole of it, so that a note that
happens to say "we'd go back to weekly check-ins" stays a note.
"""

from __future__ import annotations

import re

# A polite or hedged lead-in before the request itself ("ok so can we ...", "sorry, ...").
LEAD = (
    r"^(?:(?:ok(?:ay)?|okie|so|um+|hmm+|hm|right|alright|sorry|wait|hang on|great|cool|thanks|yeah|yes|fine|actually"
    r"|please|pls|oh|noted)[,.!]?\s+){0,3}"
)
ASK = r"(?:(?:can|could|may|shall)\s+(?:we|i|you)\s+(?:please\s+)?|let'?s\s+|i'?d\s+(?:like|love)\s+to\s+|i\s+want\s+to\s+|i'?d\s+rather\s+|please\s+|just\s+)?"


def _start(body: str) -> re.Pattern[str]:
    """A request at the start of the message (after a lead-in and an optional "can we" / "let's")."""
    return re.compile(LEAD + ASK + r"(?:" + body + r")", re.IGNORECASE)


def _anywhere(body: str) -> re.Pattern[str]:
    return re.compile(body, re.IGNORECASE)


MORE = [
    _anywhere(
        r"\b(any|some|a few|a couple|got|have you got|show me)\b.{0,25}\b(more|others?|other (options|patterns|ones|suggestions)|different ones|else)\b"
    ),
    _anywhere(
        r"\bwhat else\b|\bother (options|patterns|suggestions|ones)\b|\bmore options\b|\bnext few\b|\bbeyond these\b"
    ),
    _anywhere(r"\b(see|show)\b.{0,20}\b(more|others|different)\b"),
    _anywhere(
        r"^more( please| pls)?[ .!?]*$|\banother (batch|set|few)\b|\bwiden the net\b|\bfurther (alternatives|options|down)\b"
    ),
    _anywhere(r"\bnext (three|3|few|ones)\b|\bother ideas\b|\b(any )?alternatives\b|\banything else\b"),
]
NONE_FIT = [
    _anywhere(r"\bnone of (these|those|them|the \w+)\b|\bnot (really )?(it|what i was after|us|right)\b(?! at all)"),
    _anywhere(r"\b(don'?t|do not) see us\b|\b(all|these) (feel|seem|look) .{0,12}\boff\b|\bnone (fit|match|land)"),
    _anywhere(
        r"\bno cigar\b|\bneither (of|one)\b|\bnothing (here )?fits\b|\bdon'?t think any of them\b|\bnone .{0,20}\bare\b"
    ),
    _anywhere(r"^(nope|no|meh|nah)[,.!]* (none|not)\b|\bthat'?s not it\b|\bnone of them\b"),
    _anywhere(r"\bmiss(es)? the point\b|\bcan'?t see any of (these|them|those)\b|\bwrong end of the stick\b"),
    _anywhere(
        r"\b(don'?t|do not) (speak to|fit|match|help with)\b|\bnothing (here )?(matches|fits|works)\b|\bnot feeling any\b"
    ),
    _anywhere(r"\bnot the first, not the second\b|\bany of (these|them|those) (helping|fit|work)"),
]
# Drafting a pattern of one's own: asking for it (or saying yes once offered), and ending the interview early.
DRAFT = [
    _anywhere(
        r"\b(write|draft|make|create|start|capture|put)\b.{0,30}\b(own|new)\b.{0,20}\bpattern\b|\b(our|my) own pattern\b|\bnew pattern\b"
    ),
    _anywhere(
        r"\bwrite (it|this|that|ours|one) (down|up)\b|\blet'?s (write|draft) (it|one|ours)\b|\bdraft (it|one|ours)\b"
    ),
]
ACCEPT = _start(
    r"(yes|yeah|yep|yup|ya|sure|ok(ay)?|alright|please|go on|go ahead|let'?s (do|try) (it|that)|why not|sounds good|good idea|definitely|absolutely|i'?d like that|do it)\b"
)
DECLINE = _start(r"(no|nope|nah|not now|no thanks|maybe later|not really|rather not|i'?ll pass|skip (it|that))\b")
SAVE = [
    _anywhere(
        r"^(ok(ay)?,? |right,? )?(that'?s|that is|it'?s) (enough|plenty|all|it)( for now| for today)?[ ,.!]*(please )?(save (it|this|that)|write it up)?( now| please)?[ .!]*$"
    ),
    _anywhere(
        r"\bsave (it|this|that|now|the draft|what we have|what you have)( now| please)?[ .!]*$|^(please )?save[ .!]*$|\bjust save\b"
    ),
    _anywhere(
        r"^(ok(ay)?,? )?(i'?m |we'?re )?(all )?(done|finished)( now| for now| here)?[ .!]*$|\b(enough|no more) questions\b|\bstop (asking|the questions)\b"
    ),
]
NEXT = [
    _start(r"(go on|carry on|keep going|move on|moving on|onwards?|continue|proceed|lead the way)\b"),
    _start(r"next(?:\s+(?:one|step|bit|please|pls))?\s*[.!?]*$"),
    _anywhere(r"\b(next bit|moving on|carry on|keep going)\b|\band then\s*\??$|\bcontinue[ .!]*$"),
    _start(r"(show me|give me|take me to|on to|onto)\s+(the\s+)?(first|next|following)\s+step\b"),
    _anywhere(r"\bwhat'?s (next|after this)\b|\bwhat comes (next|after)\b|\bnext step\b|\bfollowing step\b"),
    _anywhere(r"\b(ready when you are|i'?m ready|ready for step|let'?s (start|begin|do it|go)\b|sounds good,? let'?s)"),
    _anywhere(
        r"^(ok|okay|yes|yep|yeah|sure|alright|fine|cool|got it|good|great|done|perfect|makes sense)\b[ ,.!]*(let'?s go|got it|next|onwards?|keep going|carry on|go on|move on|lead the way)?[ .!]*$"
    ),
    _anywhere(r"\bdone with this( one| step)?\b|\bthat'?s clear( enough)?,? (carry|go|move) on\b|\blet'?s go\b[ .!]*$"),
    _anywhere(
        r"\b(proceed|advance|press on|crack on|go ahead|forwards?|onward|nxt|up next|hit me with the next)\b[ .!]*$"
    ),
    _anywhere(
        r"\b(walk|take) me through (it|this|them|the steps)\b|\bshall we (begin|start)\b|\blet'?s (begin|start)\b"
    ),
    _anywhere(
        r"\bwhat'?s (step (1|one)|the (one|step) after|up next)\b|\band after that\??$|\bon to the (next|final|last)( one)?\b"
    ),
    _anywhere(r"\b(nothing to add|no notes)\b|\bnext one( please| pls)?\b|\bkeep it moving\b|\bonto the next\b"),
    _anywhere(r"^(ok|okay|right|alright|cool)?,?\s*go[ .!]*$|\bnxt\b|\bwhat'?s after (it|that|this)\b"),
]
BACK = [
    _start(
        r"(go|going|come)\s+back\b|back\s+up\b|rewind\b|undo\b|return to\b|previous\b|step back\b|back one\b|back to the\b"
    ),
    _anywhere(r"\b(the )?(step|sign|one) before (this|that)\b|\bprevious (one|step|sign|question)\b|\btake me back\b"),
    _anywhere(r"\b(can|could) (we|i) go back\b|\bgo back one\b|\bgo back to\b|\bback to the (previous|last|list)\b"),
    _anywhere(
        r"^(er|um|uh|oh)?,?\s*(back|prev|previous)[ .!]*$|\bscroll back\b|\brevisit\b|\b(the )?(shortlist|list) again\b"
    ),
    _anywhere(
        r"\banother look at the (step|one|sign)\b|\bthe (step|one|sign) we just did\b|\b(earlier|last) step again\b"
    ),
    _anywhere(r"\bchange my (answer|rating|note)\b|\bredo the last (one|question|sign|step)\b"),
]
SKIP = [
    _start(r"skip\b|pass\b|jump over\b|leave (this|that)( one| step)? out\b|move past\b"),
    _anywhere(
        r"\bskip( (this|that)( one| step| sign| question)?| it| ahead)?\b(?! to)|\bpass on (this|that)\b|\bleave this step out\b|\bjump over\b|\bmove past it\b"
    ),
    _anywhere(r"\bnot relevant\b.{0,12}\bskip\b|\brather not do this step\b"),
    _anywhere(
        r"\bleave (that|it|this)( one)? (blank|unanswered|empty)\b|\bbypass\b|\bno need for this( step)?\b|\bbeyond us\b"
    ),
    _anywhere(r"\b(do|manage|cope) without this( step)?\b|\bskip to the (one|next|step) after\b|\bskip to the next\b"),
]
# At the vitality check: not answering this sign ("no idea", "can't say", "I'd rather not answer").
NO_ANSWER = [
    _anywhere(
        r"\b(no|not) (idea|sure|comment)\b|\bdon'?t know\b|\bdunno\b|\bcan'?t (say|tell|judge|answer)\b|\btoo new\b"
    ),
    _anywhere(r"\brather not (answer|say)\b|\bnext question\b|\bpass\b|\bno view\b|\bhard to say\b|\bnot my area\b"),
]
PLAN = [
    _anywhere(
        r"\b(show|give|send|get|have|see)\b( me| us)?\b.{0,15}\b(the|my|our|an?)\s+(action\s+)?(plan|summary|write-?up|recap)\b"
    ),
    _anywhere(r"\bwhat does (my|the|our) plan look like\b|\bwrap (it|this|things) up\b|\bwrap up\b|\bsummari[sz]e\b"),
    _anywhere(r"\bpull everything together\b|\bbundle it\b|\bput it all together\b|\bfinish here\b.{0,30}\bsummary\b"),
    _anywhere(r"^(the )?(plan|summary)( please| pls)?[ .!]*$|\bjust give me the (summary|plan)\b"),
    _anywhere(
        r"\bcut to the plan\b|\bas a (doc|document|checklist|to-?do list|list)\b|\bwrite (it|this) up\b|\bto-?do list\b"
    ),
    _anywhere(
        r"\bcompile\b.{0,30}\bplan\b|\bfast forward to the end\b|\bthe write ?up\b|\bplan look like\b|\bgive me the whole thing\b"
    ),
    _anywhere(r"\bplan( please| pls| now)?[ .!]*$|\b(the )?final summary\b|\bshow me the summary\b"),
]
VITALITY = [
    _anywhere(r"\b(health|vitality) check\b|\bhow (alive|healthy)\b|\bsigns of (life|decay)\b|\bthriving or dying\b"),
    _anywhere(
        r"\bcheck(ing)? (whether|if) we'?ve (already )?got\b|\bcheck how (healthy|alive|well)\b|\bassess how (this|it) is going\b"
    ),
    _anywhere(r"\bvitality\b|\bhow (it|this) is going in our\b"),
    _anywhere(
        r"\bcheck (if|whether) (it'?s|it is|we'?re|we are) (actually )?(healthy|alive|working)\b|\bassess(ment)?\b"
    ),
    _anywhere(r"\bgenerative or extractive\b|\brate (them|it|this|us) with me\b|\bhow (it'?s|it is) going\b"),
    _anywhere(r"\bthriving\b|\blast legs\b|\bscore how (well|healthy)\b|\bquiz\b|\bhow well (it'?s|it is) working\b"),
]
RESTART = [
    _anywhere(
        r"\bstart (over|again|afresh|fresh|from scratch)\b|\bbegin (again|from scratch)\b|\bfrom the top\b|\bfrom scratch\b"
    ),
    _anywhere(
        r"\b(totally|completely|entirely)? ?(different|another|new) (problem|situation|team)\b.{0,40}\b(work on|describe|look at|start|go)\b"
    ),
    _anywhere(r"^(reset|restart)\b|\bnew situation\b|\bscrap this\b|\bforget all that\b|\bwrong problem\b"),
    _anywhere(
        r"\bwipe the slate\b|\breset\b|\bclear everything\b|\bgo again\b|\bstart from zero\b|\bthe wrong (team|group|problem)\b"
    ),
    _anywhere(
        r"\b(totally|completely) different (group|team|organisation|organization)\b|\bnew (organisation|organization|problem)\b"
    ),
]
QUIT = [
    _anywhere(r"\b(bye|goodbye|gotta (run|go)|got to go|have to go|need to (stop|go)|log off|signing off)\b"),
    _anywhere(
        r"\b(that'?s all|i'?m done) for (today|now)\b|\bcome back to this later\b|\bleaving it for now\b|\bnot now\b"
    ),
    _anywhere(r"^(quit|exit|stop)[ .!]*$|\bstop here\b"),
    _anywhere(
        r"\bnot today\b|\bcome back (another day|tomorrow|later)\b|\bthat'?s everything\b|\bgotta dash\b|\bi'?m off\b"
    ),
    _anywhere(r"\bclosing the tab\b|\bcya\b|\bsee (you|ya)\b|\btalk later\b|\bthat'?s it for (now|today)\b"),
    _anywhere(r"\bthat'?s me for (today|now)\b|\bcheers,? (bye|then)\b"),
]
HELP = [
    _anywhere(
        r"\bhow does this (work|thing work)\b|\bhow do i use this\b|\bnot sure how this works\b|\bwhat can i (say|do|type)\b"
    ),
    _anywhere(
        r"\bwhat am i (supposed|meant) to\b|\bwhat are my options\b|\bwhat (sort|kind) of answer\b|\bhelp( me)?[ .!?]*$"
    ),
    _anywhere(r"^what is this\??$|\bwhat can you (help|do)\b|\b(type|say|write) the (number|name)\b|\bwhich words\b"),
    _anywhere(
        r"\bhow does the \w+ work\b|\bam i (rating|supposed|meant|answering)\b|\bconfused\b|\bi'?m lost\b|\bthis tool\b|\bnew to this\b"
    ),
    _anywhere(r"\bis there a scale\b|\bwhat do (these|the) (buttons|answers) mean\b"),
    _anywhere(r"^commands\??$|\blist of commands\b|\bwhat (commands|words) (can|do)\b"),
]
# "How would this look in a council?", "for a movement instead?", "the product team version".
CONTEXT = [
    _anywhere(
        r"\bhow would (this|that|it|a|an|the)\b.{0,50}\b(look|work|go|show up|be done|do this|do it|play out|apply)\b"
    ),
    _anywhere(r"\bwhat (would|does|do)\b.{0,40}\blook like (for|in)\b|\bwhat about (in |for )?(a |an |the )?\w"),
    _anywhere(
        r"\b(redo|translate|switch|show|give|rewrite|reframe)\b.{0,40}\b(for|to|in)\b.{0,40}\b(us|version|framing|setting|context|team|company|council|service|movement|group|union|startup|agency|authority)\b"
    ),
    _anywhere(
        r"\b(version|framing|lens)\b|\bfor (a|an|the) \w+( \w+)? instead\b|\bin (a|an) \w+( \w+)? (setting|context)\b"
    ),
    _anywhere(r"\b(what are|what'?s) (these|this|it) called in\b|\bshow these for\b"),
    _anywhere(r"\bin terms of\b|\b(reword|rephrase|put) (it|this|that)\b|\b(flavour|flavor|angle|speak|terms)\b"),
    _anywhere(
        r"\bas it would be in\b|\bhow does it go for us\b|\bwhat would (you call|these be called|this step mean)\b|\bcall these\b"
    ),
    _anywhere(r"^(for|in|at) (a|an|my|our) [\w' -]{2,30}\?$|\bwork in (a|an) \w+"),
]
# A change of pattern in the middle of the walk: a cue, then another pattern's name.
SWITCH = _anywhere(
    r"\b(instead|rather than|fits (us )?better|better (fit|place to start)|switch|swap|go with|let'?s do|can we do|look at"
    r"|jump to|go through|closer to|i'?d like|what we need is|rather do|change of plan"
    r"|jump over to|more like us|more of an?|need the|need .{0,20} more than|would be a better|the same way|move to|try)\b"
)
QUESTION_START = re.compile(
    r"^(?:(?:ok|so|and|but|hmm|sorry|wait|also|actually|random q but)[,]?\s+)*"
    r"(what|why|how|which|who|whom|when|where|is|are|does|do|did|would|should|will|can|could|any tips|isn'?t|won'?t)\b",
    re.IGNORECASE,
)
# Vitality answers. Partly wins when said; otherwise the first answer word decides, and a "yes" and
# a "no" set against each other ("on good weeks yes, on bad weeks not at all") make a partly.
PARTLY = _anywhere(
    r"\b(partly|partially|sort of|sorta|kind of|kinda|somewhat|in places|half|patchy|some of the time|sometimes|a bit"
    r"|depends|ish|work in progress|halfway|in theory|with some people|getting there|mixed|more or less|so-so"
    r"|here and there|occasionally|on and off|on good weeks|to some extent|up to a point|only some|fizzled|only|some do"
    r"|a touch|less than|now and then|on a good|not always|not consistently|hit and miss|in patches|some teams)\b"
)
NO = _anywhere(
    r"\b(no|nope|nah|not really|hardly|barely|rarely|never|not at all|not yet|we don'?t|don'?t|doesn'?t|i wish"
    r"|sadly not|thankfully not|no way|not in any|not that|opposite|nobody|none|definitely not|not us|not true"
    r"|not the case|haha no|not remotely|fell apart|wouldn'?t say so|defo not|not one bit|negative|not a chance|nowhere near)\b"
)
YES = _anywhere(
    r"\b(yes|yeah|yep|yup|ya|absolutely|definitely|totally|for sure|certainly|of course|indeed|very much|100%"
    r"|we do|we have|in place|exactly us|that'?s us|spot on|correct|true|pretty solidly|solidly|confident we do"
    r"|sadly yes|unfortunately yes|always|constantly|all the time|happens|it does|they do|it is|it'?s fine|that one'?s fine"
    r"|stuck|good at|afraid so|ye|defo|defin?itely|yes indeed|most of them|we really do)\b|100%"
)

# Words that say nothing about which pattern a person means.
GENERIC = frozenset(
    "one thing pattern idea option approach sound sounds like think want look seems feel bit really probably lol tbh please pls right use try fit fits need good better start work team group people time let ones choose pick top bottom middle last list first second third".split()  # noqa: SIM905 - one word list, read as a sentence
)

# How a note begins: the person describing what they would do ("we'd ...", "every january we ...").
NOTE_START = re.compile(
    r"^(?:(?:honestly|so|ok|yeah|for us|i think)[,]?\s+)*(we'?d|we would|we could|we'?ll|we will|we'?re going to|every|each|a |an |our |"
    r"i'?d (get|ask|start|put|make|set|run|take|pull|book|send)|the \w+ (would|goes|dies|stays|gets)|[a-z]+ and [a-z]+ (could|would))",
    re.IGNORECASE,
)

# After the guide names a sign of decay: go straight to what to do about it, or check the rest.
REPLANT = _anywhere(
    r"\b(replant|the move|what (to|can we|should we) do about it|fix (it|this|that)|go straight|straight to|show me how"
    r"|what do we do|how do we (fix|revive|restart|rescue)|yes,? (please|show me)|let'?s do that)\b"
)
CHECK = _anywhere(r"\b(check|the rest|other signs|how (healthy|alive)|quiz|assess)\b")
