"""The phrases people use for each request, as regular expressions over lower-case text.

Data, not logic: ``intents`` decides in which order and at which stage they count. Each
request is recognised near the start of a message or as the whole of it, so that a note that
happens to say "we'd go back to weekly check-ins" stays a note.
"""

from __future__ import annotations

import re

# A polite or hedged lead-in before the request itself ("ok so can we ...", "sorry, ...").
LEAD = (
    r"^(?:(?:ok(?:ay)?|okie|so|um+|hmm+|hm|right|alright|sorry|wait|hang on|hold on|one sec|oops|great|cool|thanks|yeah|yes|fine|actually"
    r"|please|pls|oh|noted)[,.!]?\s+){0,3}"
)
ASK = r"(?:(?:can|could|may|shall)\s+(?:we|i|you)\s+(?:please\s+)?|let'?s\s+|i'?d\s+(?:like|love)\s+to\s+|i\s+want\s+to\s+|i'?d\s+rather\s+|please\s+|just\s+)?"


def start(body: str) -> re.Pattern[str]:
    """A request at the start of the message (after a lead-in and an optional "can we" / "let's")."""
    return re.compile(LEAD + ASK + r"(?:" + body + r")", re.IGNORECASE)


def anywhere(body: str) -> re.Pattern[str]:
    return re.compile(body, re.IGNORECASE)


def clause(body: str) -> re.Pattern[str]:
    """A request that is the whole of one clause, with a lead-in and a polite tail ("ok so let's move on please")."""
    return re.compile(CLAUSE_LEAD + r"(?:" + body + r")" + CLAUSE_TAIL, re.IGNORECASE)


# Where a command phrase ends: the end of its clause, or a word that only carries it on ("carry on to step 2").
_ENDS = r"(?=\s*(?:[,.;:!?—–]|$|please\b|pls\b|then\b|now\b|to (?:the|step)\b|and\b|onto\b|on to\b))"
CLAUSE_LEAD = (
    r"^(?:(?:and|so|ok(?:ay)?|right|then|now|please|pls|just|alright|honestly|tbh|sorry|meh|nah|no thanks|hmm+|m+h+m+|um+|but|yeah|yes|yep"
    r"|sure|great|cool|fine|good|lovely|brilliant|perfect|nice)\s+)*"
    r"(?:(?:can|could|shall|may) (?:we|i|you|u) (?:please |just )?|let'?s (?:just )?|i'?d (?:like to|rather) |i think we can |we'?ll |i'?ll |we can "
    r"|we (?:might as well|may as well) |we'?d |we would |i'?m going to |we'?re going to |time to |(?:i'?m |we'?re )?(?:happy|ready|good) to |please |just )?"
)
CLAUSE_TAIL = (
    r"(?:\s+(?:please|pls|plz|then|now|thanks|thank you|ta|shall we|mate|for now|for us|here|too|i think|tbh|honestly|lol"
    r"|x|cheers|if that'?s ok|if you don'?t mind))*$"
)


MORE = [
    anywhere(
        r"\b(any|some|a few|a couple|got|have you got|show me)\b.{0,25}\b(more|others?|other (options|patterns|ones|suggestions)|different ones|else)\b"
    ),
    anywhere(
        r"\bwhat else\b|\bother (options|patterns|suggestions|ones)\b|\bmore options\b|\bnext few\b|\bbeyond these\b"
        r"|\b(see|show)\b.{0,20}\b(more|others|different)\b|\bnext (three|3|few|ones)\b|\bother ideas\b|\b(any )?alternatives\b"
        r"|^more( please| pls)?[ .!?]*$|\banother (batch|set|few)\b|\bwiden the net\b|\bfurther (alternatives|options|down)\b"
        r"|\banything else\b|\bare there (any )?(more|others)\b|\b(different|other|new) (ones|options|patterns|suggestions|ideas)\b"
        r"|\bnext (page|batch|set|lot)\b|^any more\b|\bmore like (these|this|that)\b"
        r"|\b(anything|any|something|others?|ones?) (besides|other than|apart from|aside from|beyond) (these|those|them|this lot)\b"
    ),
]
NONE_FIT = [
    anywhere(r"\bnone of (these|those|them|the \w+)\b|\bnot (really )?(it|what i was after|us|right)\b(?! at all)"),
    anywhere(r"\b(don'?t|do not) see us\b|\b(all|these) (feel|seem|look) .{0,12}\boff\b|\bnone (fit|match|land)"),
    anywhere(
        r"\bno cigar\b|\bneither (of|one)\b|\bnothing (here )?fits\b|\bdon'?t think any of them\b|\bnone .{0,20}\bare\b"
    ),
    anywhere(
        r"^(nope|no|meh|nah)[,.!]* (none|not)\b|\bthat'?s not it\b|\bnone of them\b|\bmiss(es)? the point\b"
        r"|\bcan'?t see any of (these|them|those)\b|\bwrong end of the stick\b|\bnot the first, not the second\b"
        r"|\b(don'?t|do not) (really |quite )?(speak to|fit|match|help with|address|get at)\b|\bnothing (here )?(matches|fits|works)\b"
        r"|\bnot feeling any\b|\bany of (these|them|those) (helping|fit|work)"
    ),
    anywhere(
        r"\b(don'?t|do not|doesn'?t) (really |quite )?(fit|match|suit|apply to)\b|\bnot quite (it|right|us)\b"
        r"|\b(doesn'?t|don'?t) (sound|look|feel) like us\b|\b(these are|they'?re|all) (all )?(a bit |pretty |quite )?(wrong|off)\b"
        r"|\bnothing (here )?(jumps|stands) out\b|^none( of them| really| at all)?[ .!]*$|\bnot (these|those|them)\b|^neither\b"
        r"|\bno good\b|\b(don'?t|do not) like (any|these|those|them)\b|\b(they'?re|these are|those are) not (for us|us|right)\b"
        r"|^(no|nope|nah)?,? ?not really[ .!]*$|\b(aren'?t|are not) (quite |really )?(right|it|us)\b"
        r"|\b(don'?t|do not) think (any|either|one) of (these|those|them)\b|\b(don'?t|do not) think (these|those|they)('re| are)\b"
        r"|\b(don'?t|do not) think (that|this)('s| is) (quite |really )?(us|it|right)\b"
        r"|\bnot (convinced|sold) (by|on) (any|these|those|them)\b|\b(these|they|those|all|that'?s|nah|no)\b[^.]{0,12}\bwrong (direction|track)\b"
        r"|\b(these|they|those)('re| are) (all )?(about|for) something else\b"
        r"|\bnot (really |quite |exactly )?what (i|we)('m| am|'re| are| was| were)? ?(after|looking for|dealing with|facing"
        r"|going through|need|had in mind)\b|\b(don'?t|do not|can'?t|cannot) (recogni[sz]e|see) (us|ourselves)\b.{0,20}\b(any|these|those)\b"
    ),
]
NEXT = [
    start(r"(go on|carry on|keep going|move on|moving on|onwards?|continue|proceed|lead the way)\b" + _ENDS),
    start(r"next(?:\s+(?:one|step|bit|please|pls))?\s*[.!?]*$"),
    anywhere(r"\b(next bit|moving on|carry on|keep going)\b" + _ENDS + r"|\band then\s*\??$|\bcontinue[ .!]*$"),
    start(r"(show me|give me|take me to|on to|onto)\s+(the\s+)?(first|next|following)\s+step\b"),
    anywhere(
        r"\bwhat'?s (next|after this)\b|\bwhat comes (next|after)\b|\bnext step\b" + _ENDS + r"|\bfollowing step\b"
    ),
    anywhere(r"\b(ready when you are|i'?m ready|ready for step|let'?s (start|begin|do it|go)\b|sounds good,? let'?s)"),
    anywhere(
        r"^(ok|okay|yes|yep|yeah|sure|alright|fine|cool|got it|good|great|done|perfect|makes sense)\b[ ,.!]*(let'?s go|got it|next|onwards?|keep going|carry on|go on|move on|lead the way)?[ .!]*$"
    ),
    anywhere(r"\bdone with this( one| step)?\b|\bthat'?s clear( enough)?,? (carry|go|move) on\b|\blet'?s go\b[ .!]*$"),
    anywhere(
        r"\b(proceed|advance|press on|crack on|go ahead|forwards?|onward|nxt|up next|hit me with the next)\b[ .!]*$"
        r"|\b(walk|take) me through (it|this|them|the steps)\b|\bshall we (begin|start)\b|\blet'?s (begin|start)\b"
    ),
    anywhere(
        r"\bwhat'?s (step (1|one)|the (one|step) after|up next)\b|\band after that\??$|\bon to the (next|final|last)( one)?\b"
        + _ENDS
    ),
    anywhere(
        r"\b(show|tell|give|take|see|go|move|get|jump|onto|on to|what'?s|what is|ready for)\b.{0,25}\bthe next (step|one|bit|part)\b"
    ),
    anywhere(r"\b(nothing to add|no notes)\b|\bnext one( please| pls)?\b|\bkeep it moving\b|\bonto the next\b"),
    anywhere(r"^(ok|okay|right|alright|cool)?,?\s*go[ .!]*$|\bnxt\b|\bwhat'?s after (it|that|this)\b"),
]
# Short acknowledgements said before moving on ("ok", "makes sense", "got it, thanks", "we've covered that").
ACK = re.compile(
    r"^(?:(?:i think )?we'?ve got (?:this|that)(?: one)? covered[ !.]*|(?:ok(?:ay)?|okey dokey|k|right(?:o|y ?ho)?|alright|cool|great|lovely|nice(?: one)?|sweet|fine(?: by me)?|good"
    r"|perfect|brilliant|grand|super|excellent|sure(?: thing)?|yes|yep|yeah|yup|ya|aye|mm+|mhm|hmm+|ta|thanks|thank you"
    r"|cheers|got it|gotcha|understood|noted|makes sense(?: to me)?|fair enough|all clear|clear|i see|i follow|i get it"
    r"|done|agreed|that works(?: for (?:us|me))?|sounds (?:good|great|fine|right)(?: to me)?|that'?s (?:clear|fine|helpful"
    r"|great|good|useful)(?: enough)?|i'?m (?:good|happy|fine|with you)(?: with (?:that|this))?|(?:all )?good(?: here)?"
    r"|we'?ve (?:got|covered|done) (?:that|this)(?: one)?|nothing (?:more |else )?(?:to add|from me)(?: here)?|no more to say(?: on (?:that|this)(?: one)?)?"
    r"|that'?s (?:that|us|it for (?:that|this) (?:one|step))|please|pls|m+h+m+|👍|y|(?:i'?m |we'?re )?ready"
    r"|(?:this|that|it)(?: \w+)? (?:works|is fine|is good|makes sense|fits|is clear|is us|sounds (?:good|right|fine))(?: for (?:us|me))?"
    r"|(?:that |this |it )?looks (?:good|great|right|fine)(?: to me)?)[ !.]*)+$",
    re.IGNORECASE,
)
# Moving on, said as the whole of a clause ("then what?", "let's keep moving", "what's after that").
MOVE = clause(
    r"go on|carry on|keep going|keep moving|keep it moving|keep (?:em|'em|them) coming|move (?:on|along|forward|ahead)"
    r"|moving (?:on|along|forward)|onwards?(?: and upwards)?|forwards?|continue|proceed|lead on|lead the way|go ahead"
    r"|press on|crack on|push on|get (?:going|started|cracking|on with it)|begin|go|next|nxt|next (?:one|step|bit|part|thing)"
    r"|(?:on to |onto |see |have |show me |give me )?the next(?: one| step| bit| part| thing)?|what'?s next(?: on the list| up)?"
    r"|whats next|what next|what now|now what|then what|and then|what then|(?:and )?(?:what'?s )?(?:the )?(?:step|one|bit) after"
    r"(?: (?:this|that|it))?(?: one)?|(?:and )?after (?:that|this|it)(?: one)?|what'?s after(?: (?:that|this|it))?(?: one)?"
    r"|what comes (?:next|after(?: (?:that|this|it))?)|what'?s (?:coming )?up(?: next)?|what'?s coming(?: up)?(?: next)?"
    r"|what(?:'?s| is) (?:the )?(?:first|next|following|coming) (?:step|one|bit|part|thing)"
    r"|(?:show|give|take|walk|talk|run) (?:me|us) (?:to |through )?(?:the )?(?:first |next |following )?(?:steps?|ones?|it|this|them)"
    r"|(?:show|give|take|walk|talk|run) (?:me|us) (?:to |through )?step \w+|(?:move|go) (?:on )?to step \w+"
    r"|(?:see|have|hear|do|read|get to|start) the (?:first |next |following )?(?:steps?|one|bit|part)"
    r"|moving swiftly on|move swiftly on|(?:on|off|here|away) we go|dive in|jump in|get stuck in|get into it|and now"
    r"|(?:where|how) do (?:we|i) (?:start|begin)|where to (?:start|begin)|where (?:do we go|now) from here"
    r"|what (?:should|shall|do|can) (?:we|i) do next|start with (?:step \w+|the first(?: step| one)?)"
    r"|go for it|hit me|bring it on|fire away|let'?s roll|let'?s have it|gimme (?:the )?next(?: one)?|what'?s the next one"
    r"|what else(?: is there| do we do)?|start|get started|start the steps|do (?:this|it|that)|what'?s after step \w+|and\??"
    r"|next (?:sign|question)|(?:get|go|dive|jump) (?:into|to|on to|onto) the steps|(?:look|have a look|take a look) at the steps"
    r"|no thanks|(?:start|kick) (?:us|me|it|things) off|get (?:us|me) (?:started|going)|(?:the )?first step"
    r"|what happens (?:next|now|after(?: (?:this|that|it))?)"
    r"|that'?s (?:all|it)(?: i have| from me| i'?ve got)?(?: for (?:this|that)(?: one| step)?| on (?:this|that)(?: one| step)?| here)"
    r"|on ?to (?:the )?(?:next|following|final|last|first)(?: one| step| bit)?|on ?to step \w+"
    r"|(?:what'?s |go to |to )?step (?:\d|one|two|three|four|five)|what do (?:we|i) do (?:first|next|now|after (?:this|that))"
    r"|(?:move|moving|go|carry|jump) on(?:to| to| with)? (?:the )?(?:next|following)(?: one| step| bit| sign| question)?"
    r"|(?:go|move|jump) to the (?:next|following)(?: one| step| bit| sign| question)?"
    r"|(?:show|tell) (?:me|us) how(?: to (?:do|start) (?:it|this|that)| (?:we|i) (?:would |could |'d )?do (?:it|this|that))?"
    r"|what are the steps|what do (?:we|i) do(?!\s+here)|what'?s first|what comes first|(?:walk|take|talk) (?:me|us) through how [\w' ]+"
)
# Leaving this step or sign out, said as the whole of a clause ("doesn't apply to us", "give this one a miss").
_THIS = r"(?:this|that|it)(?: one| step| bit| part| question| sign)?"
PASS = clause(
    (
        r"skip(?:ping)?(?: (?:past|over) THIS| ahead| THIS)?|pass(?: on THIS)?|leave THIS(?: out| aside| blank| empty| unanswered| for later)?"
        r"|(?:THIS )?(?:does ?n'?t|does not|won'?t) (?:really )?(?:apply|fit|matter|suit us)(?: (?:to|for) (?:us|me|our \w+|an? [\w' -]{1,30}))?(?: here)?"
        r"|(?:THIS ?)?(?:is ?n'?t|is not|'s not|s not|isnt|not really|not) (?:really )?(?:applicable|relevant|needed|for us|our thing"
        r"|(?:a thing|one|something) (?:for us|we need))(?: (?:to|for) (?:us|me))?(?: here| right now| at the moment)?"
        r"|irrelevant(?: (?:to|for) us)?|n/?a(?: (?:to|for) us)?|not applicable"
        r"|(?:we|i) (?:do ?n'?t|do not|won'?t) need THIS|no need(?: for THIS)?"
        r"|(?:we|i) (?:can|could) (?:leave|drop|skip|ignore|lose) THIS|(?:can|could) we not do THIS"
        r"|not (?:this|that) one|(?:let'?s )?not bother(?: with THIS)?|give THIS a miss"
        r"|sit THIS out|ignore THIS|jump (?:ahead|over THIS)|move past THIS|bypass THIS|drop THIS|park THIS"
        r"|(?:we |i )?can'?t do THIS(?: (?:right )?now| yet)?|(?:we'?ve |we have )?no use for THIS"
        r"|(?:come back to|do|revisit) (?:this|that)(?: one| step| bit)? later|(?:i'?d |we'?d )?(?:rather|prefer) not(?: to)?(?: do THIS)?"
        r"|(?:i'?ve got |i have |we'?ve got |we have )?nothing (?:for|on) THIS|(?:we )?(?:do ?n'?t|do not) need (?:it|THIS)"
        r"|(?:THIS )?(?:does ?n'?t|does not) make sense (?:for|to) us|(?:we|i) (?:do ?n'?t|do not) want to do THIS"
        r"|let'?s not|(?:save|keep) THIS for later|(?:we'?ll |let'?s |i'?ll )?come back to (?:this|that|it)(?: one| step)?"
        r"|move on without THIS|not possible (?:for us|here)|ask me later|(?:skip|pass) for now|omit THIS|not doing THIS"
        r"|(?:we|i) (?:do ?n'?t|do not) want to answer THIS|idk|(?:let'?s )?not do THIS"
        r"|(?:i )?(?:do ?n'?t|do not) think (?:this|that|it)(?: one| step)? (?:really )?(?:applies|fits|matters|is relevant)"
        r"(?: (?:to|for) (?:us|me|our \w+))?(?: here)?|(?:we'?re|i'?m|we are|i am) not (?:going to|gonna) do THIS"
        r"|(?:we|i) won'?t (?:be doing|do) THIS|(?:we'?ve |we have |there'?s )?no (?:need|use) for THIS"
        r"|(?:THIS ?)?(?:is ?n'?t|is not|'s not|s not) (?:really )?(?:us|something (?:we|i) (?:need|do|want))(?: to do)?"
        r"|(?:it'?s|that'?s|this is) not (?:really )?(?:something|anything) (?:we|i) (?:need|do|want)"
    ).replace("THIS", _THIS)
)
# At a step, saying the group has it already ("we already do this", "we've got that covered already").
ALREADY = clause(
    r"(?:we|i) already (?:do|have|run|use) (?:this|that|it)(?: one| step)?"
    r"|(?:we|i) (?:do|have|run|use) (?:this|that|it)(?: one)? already"
    r"|(?:we'?ve|we have) already (?:got|done|covered) (?:this|that|it)(?: one| step)?"
    r"|(?:we'?ve|we have) (?:got|done) (?:this|that|it)(?: one| step)?(?: covered)? already"
    r"|(?:this|that|it)(?:'s| is) already (?:in place|done|covered|sorted)(?: for us)?"
)
# Going back, said as the whole of a clause ("back please", "one back").
BACK_CLAUSE = clause(
    r"back|go back|back up|previous|prev|previous one|one back|back one|undo|rewind|return|last one again"
)
BACK = [
    start(
        r"(go|going|come)\s+back\b|back\s+up\b|rewind\b|undo\b|return to\b|previous\b|step back\b|back one\b|back to the\b"
    ),
    anywhere(r"\b(the )?(step|sign|one) before (this|that)\b|\bprevious (one|step|sign|question)\b|\btake me back\b"),
    anywhere(r"\b(can|could) (we|i) go back\b|\bgo back one\b|\bgo back to\b|\bback to the (previous|last|list)\b"),
    anywhere(
        r"^(er|um|uh|oh)?,?\s*(back|prev|previous)[ .!]*$|\bscroll back\b|\brevisit\b|\b(the )?(shortlist|list) again\b"
        r"|\banother look at the (step|one|sign)\b|\bthe (step|one|sign) we just did\b|\b(earlier|last) step again\b"
    ),
    anywhere(r"\bchange my (answer|rating|note)\b|\bredo the last (one|question|sign|step)\b"),
    anywhere(
        r"\b(redo|change|fix|correct|undo|revise|amend|edit) (my|the|that) (last|previous) (answer|one|rating|question|step|note|sign)\b"
        r"|\bmissed the (last|previous) (one|step|bit|sign|question)\b|\b(see|show me|have) the (step|sign|one|question|bit) before\b"
        r"|\bmistake (on|in) the (last|previous)\b|\bcan i change (that|my (answer|note|rating))\b|\bscroll up\b|\bback to step \w+\b|\bchange what i (said|wrote|put)\b|^(the )?(one|step) before( please| pls)?[ .!?]*$"
        r"|\b(one|a) step back\b|\bback an?( step| bit| one)\b|\bstep \w+ again\b|\b(see|look at|revisit) (the )?(previous|last|earlier) (step|one|sign|question) again\b"
        r"|\b(go|return|get|take me) (back )?to the (earlier|previous|prior) (step|one|sign|question|bit)\b"
        r"|\b(wrong|mistaken|incorrect) (answer|rating) (to|for|on) the (one|question|sign|step) before\b"
        r"|\b(answered|rated|got) the (one|question|sign) before (wrong|incorrectly)\b"
    ),
]
# "skip" as a request: said of this step, or alone ("skip it", "skip — no idea"), not "skip the agenda".
_SKIP = r"skip(?:ping)?(?=\s+(?:this|that|it|ahead|past|over|step|one|question|sign|please|pls|now|for now|for us|for me|here)\b|\s*[,.;:!?—–)]|\s*$)"
SKIP = [
    start(
        _SKIP
        + r"|pass(?=\s*(?:[,.;:!?]|$|on (?:this|that)|please|for now))|jump over\b|leave (this|that)( one| step)? out\b|move past\b"
        + r"|skip (?:the|this|that) (?:[\w'-]+ ){0,3}(?:stuff|bit|part|step|section|question|thing|business)\b(?!\s+and\b)"
    ),
    anywhere(r"\b" + _SKIP + r"|\bpass on (this|that)\b|\bleave this step out\b|\bjump over\b|\bmove past it\b"),
    anywhere(r"\bnot relevant\b.{0,12}\bskip\b|\brather not do this step\b"),
    anywhere(
        r"\bleave (that|it|this)( one)? (blank|unanswered|empty)\b|\bbypass\b|\bno need for this( step)?\b|\bbeyond us\b"
    ),
    anywhere(r"\b(do|manage|cope) without this( step)?\b|\bskip to the (one|next|step) after\b|\bskip to the next\b"),
]
PLAN = [
    anywhere(
        r"\b(show|give|send|get|have|see)\b( me| us)?\b.{0,15}\b(the|my|our|an?)\s+(action\s+)?(plan|summary|write-?up|recap)\b"
    ),
    anywhere(r"\bwhat does (my|the|our) plan look like\b|\bwrap (it|this|things) up\b|\bwrap up\b|\bsummari[sz]e\b"),
    anywhere(r"\bpull everything together\b|\bbundle it\b|\bput it all together\b|\bfinish here\b.{0,30}\bsummary\b"),
    anywhere(r"^(the )?(plan|summary)( please| pls)?[ .!]*$|\bjust give me the (summary|plan)\b"),
    anywhere(
        r"\bcut to the plan\b|\bas a (doc|document|checklist|to-?do list|list)\b|\bwrite (it|this) up\b|\bto-?do list\b"
    ),
    anywhere(
        r"\bcompile\b.{0,30}\bplan\b|\bfast forward to the end\b|\bthe write ?up\b|\bplan look like\b|\bgive me the whole thing\b"
    ),
    anywhere(r"\bplan( please| pls| now)?[ .!]*$|\b(the )?final summary\b|\bshow me the summary\b"),
    # "give me the takeaways", "email me all this", "can I see what we've got", "list the actions"
    anywhere(
        r"\b(show|give|send|get|have|see|want|make|list|write up|email|e-mail|print|download|export|grab|copy|compile|produce"
        r"|generate|put together|pull together|bundle up|write|create|build|draw up|prepare|draft)\b( (me|us))?\b.{0,20}?\b(the |my |our |a |an |some |all |those )?"
        r"(plan|action plan|summary|write-?up|recap|takeaways?|key points|action (points|items|list)|actions|next steps|to-?dos?"
        r"|checklist|one-?pager|hand-?out|cheat ?sheet|tl;? ?dr|short version|gist|what (we|i)'?ve (got|done|covered|agreed)"
        r"|what we (have|did|covered|agreed|discussed))\b"
    ),
    anywhere(
        r"\b(print|download|export|email|e-mail|send)( (me|us))? (it|this|that|everything|the lot|it all|all (of )?(this|that|it))\b"
        r"|\b(have|get|put|see|want|need)\b.{0,20}\b(written (down|up)|in writing|on paper)\b"
        r"|\bwrite (it|this|that|everything|it all|all (of )?(this|that)|what we (have|'ve got|agreed|did|covered)|them) (down|up)\b"
        r"|\bwrite up what\b|\bput (everything|it all|all (of )?(this|that)) (into|in|together)\b|\b(list|set) of (next )?(steps|actions)\b"
    ),
    anywhere(
        r"\b(jump|skip|go|get|cut|fast[- ]?forward|head|take me|move|race|zoom)( straight| right| ahead)? to (the|my|our) (end|plan|summary"
        r"|finish|final \w+|write-?up|action plan|takeaways|bottom line|outcome)\b|\bwhat'?s (the|my|our) plan\??$"
        r"|\bwhere'?s (my|the|our) (plan|summary)\b|\b(sum|wrap|round) (it|this|that|things|everything|it all) up\b|\bsum up\b"
        r"|^(a |the )?(recap|tl;? ?dr|takeaways|summary)( please| pls| now)?[ .!?]*$|\bthe final (thing|version|plan|document|doc|output|write-?up)\b"
        r"|\b(something|a doc(ument)?|a page|a list)( that)? (i|we) can (share|print|take|hand out|send|show|forward|bring|circulate)\b"
        r"|\bwhat'?s the (action plan|upshot|bottom line)\b|\bupshot\b|\bwhere we'?ve (ended up|got to|landed)\b"
        r"|\bmake (this|it|all (of )?this|everything) into an? (plan|list|doc|document|checklist)\b"
        r"|\b(everything|it all|all of it) (together|in one place)\b|\bwhat did we (come up with|decide|agree|end up with)\b"
        r"|\bi (need|want|'d like) (the|my|a copy of the|our) (plan|summary|write-?up)\b"
        r"|\bwhat are (my|our|the) (next steps|actions|action points|takeaways)\b|\bready for (the|my) (plan|summary|write-?up)\b"
        r"|(?<!to )(?<!in )(?<!into )(?<!add )\b(the|my|our) (plan|summary|write-?up|action plan)( now| please| then| pls)?[ .!?]*$"
        r"|\b(my|the|our) plan look\b|\bthe output\b|\bplan time\b"
        r"|^(so |ok |and )?what (have|'ve) (we|i) got( so far)?\??$"
    ),
]
VITALITY = [
    anywhere(r"\b(health|vitality) check\b|\bhow (alive|healthy)\b|\bsigns of (life|decay)\b|\bthriving or dying\b"),
    anywhere(
        r"\bcheck(ing)? (whether|if) we'?ve (already )?got\b|\bcheck how (healthy|alive|well)\b|\bassess how (this|it) is going\b"
    ),
    anywhere(r"\bvitality\b|\bhow (it|this) is going in our\b"),
    anywhere(
        r"\bcheck (if|whether) (it'?s|it is|we'?re|we are) (actually |still |really )?(healthy|alive|working)\b|\bassess(ment)?\b"
        r"|\b(check|test|see|find out) (if|whether|how) (ours|our \w+|they|it) (is|are|'re|'s) (actually |still |really )?(healthy|alive|working|thriving)\b"
        r"|\b(check|see|look at|tell me|find out) how (it'?s|it is|we'?re|we are|things are) doing\b"
    ),
    anywhere(r"\bgenerative or extractive\b|\brate (them|it|this|us) with me\b|\bhow (it'?s|it is) going\b"),
    anywhere(r"\bthriving\b|\blast legs\b|\bscore how (well|healthy)\b|\bquiz\b|\bhow well (it'?s|it is) working\b"),
    anywhere(
        r"\bhow (well )?are we doing (on|with|at) (this|it)\b|\b(run|do|take|start) the (check|quiz|assessment|test)\b"
        r"|\b(rate|score|grade|mark|assess) us\b|\b(see|check|test) (if|whether) we'?re (already )?doing (this|it) (well|right)\b"
        r"|\b(see|check|find out) (if|whether) we(?:'ve| have)? (already )?(do|have|got|show) (this|it|the signs)\b|\bcheck (our|the) health\b|\btest us\b"
        r"|\bsee how (well )?we'?re doing\b|\bhow (well|much) do we (already )?(do|have|live|practi[sc]e)\b|\bare we (any )?good at (this|it)\b"
        r"|\b(show|go through|see|check) (me )?the signs\b"
    ),
]

# At the matches, more of the situation rather than a pick: "actually it's more that ...", "the real problem is ...".
MORE_SITUATION = re.compile(
    r"^(?:(?:oh|actually|also|and|but|well|sorry|hmm+|(?:the )?thing is)[,]?\s+)*(?:it'?s (?:more|really|actually|mainly|mostly) (?:that|about|the)"
    r"|it'?s not (?:really |so much |just |only )?(?:about|that(?! one| pattern| list))"
    r"|the (?:real |actual |main |bigger |underlying )?(?:problem|issue|thing|pain) is|i should (?:add|say|mention)|to add"
    r"|what i mean is|i forgot to (?:say|mention)|(?:it|this) (?:also|mainly) happens)\b"
)
# A request that opens with what to do: "tell me a joke", "write a poem", "recommend a film".
ASKS = re.compile(
    LEAD
    + r"(?:tell|write|give|show|make|translate|recommend|suggest|sing|play|find|draw|fix|explain|help|book|order|calculate"
    r"|convert|define|summari[sz]e|list|name|spell|say|compose|create|generate|plan|code|debug|search|google|check)\b"
)
# A list of things, the way a step is answered: "the parents, the head and the two churches".
LISTS = re.compile(r"^[^?]*?[\w')]+,\s+[^,?]+(?:,\s+[^,?]+)*,?\s+(?:and|or|plus)\s+[^?]+$")
# A request for something else altogether, which no sign or step is answered by ("write a haiku about kanban").
ELSEWHERE = re.compile(
    LEAD + r"(?:tell me a|write (?:me )?an? |compose|sing|draw|translate|recommend|calculate|convert|google)\b"
)
# A message describing what the person's group does or would do, not asking for another world's version.
DESCRIBES = re.compile(
    r"\b(we'?d|we would|we'?ll|we will|we'?re going to|we'?re gonna|we always|we usually|we already)\b"
)

# A question about the guide's own words, not an aside: "how would I even measure that?", "why do you need to know?"
REFERS = re.compile(
    r"\b(?:that|this|these|those)\s*[?.!]*$|\bwhy (?:do|did|would) you (?:need|want) to know\b|\bwhy (?:do|did) you ask\b"
    r"|\b(?:does|would|why does|why would) (?:it|that|this) matter\b|\bwhat do you mean\b|\bby (?:that|this)\b"
)
QUESTION_START = re.compile(
    r"^(?:(?:ok|so|and|but|hmm|sorry|wait|also|actually|random q but)[,]?\s+)*"
    r"(what|why|how|which|who|whom|when|where|is|are|does|do|did|would|should|will|can|could|any tips|isn'?t|won'?t)\b",
    re.IGNORECASE,
)
# How a note begins: the person describing what they would do ("we'd ...", "every january we ...").
NOTE_START = re.compile(
    r"^(?:(?:honestly|so|ok|yeah|for us|i think)[,]?\s+)*(we'?d|we would|we could|we'?ll|we will|we'?re going to|every|each|a |an |our |"
    r"i'?d (get|ask|start|put|make|set|run|take|pull|book|send|write|keep|use|add|share|print|pin|post|draw|hold|have"
    r"|look|check|count|list|map|collect|gather|sit|talk|email|invite|bring|block|cap|cut|split|schedule|review|track)\b"
    r"|the (?:[\w']+ ){1,3}(would|will|could|can|should|might|goes|go|dies|stays|gets)\b|[a-z]+ and [a-z]+ (could|would))",
    re.IGNORECASE,
)
