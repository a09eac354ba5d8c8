"""Asides to a stage's business: starting again, leaving, and asking how the guide itself works.

Data, as in ``lexicon``: the phrases for each, as regular expressions over lower-case text. ``intents``
reads them at every stage, before the stage's own requests, and only in short messages, so that a note
that says "we'd start again in january" stays a note.
"""

from __future__ import annotations

from pattern_guide.understanding.lexicon import anywhere

RESTART = [
    anywhere(
        r"\bstart (over|again|afresh|fresh|from scratch)\b|\bbegin (again|from scratch)\b|\bfrom the top\b|\bfrom scratch\b"
    ),
    anywhere(
        r"\b(totally|completely|entirely)? ?(different|another|new|separate) (problem|situation|team|issue|challenge|topic)\b.{0,40}\b(work on|describe|look at|start|go)\b"
        r"|\b(look at|work on|talk about|describe|move on to|tackle)\b.{0,15}\b(different|another|new|separate) (problem|situation|team|issue|challenge|topic)\b"
    ),
    anywhere(r"\b(do|start|try|begin) (a |another )?(new|fresh) (one|session|conversation|chat)\b"),
    anywhere(r"^(reset|restart)\b|\bnew situation\b|\bscrap this\b|\bforget all that\b|\bwrong problem\b"),
    anywhere(
        r"\bscrap (this|that|it|all that)\b|\bwipe the slate\b|\breset\b|\bclear everything\b|\bgo again\b|\bstart from zero\b|\bthe wrong (team|group|problem)\b"
    ),
    anywhere(
        r"\b(totally|completely) different (group|team|organisation|organization)\b|\bnew (organisation|organization|problem)\b"
    ),
    # "I want to wipe this and talk about something else entirely"
    anywhere(
        r"\bwipe (this|it|that|everything|all (of )?this)\b|\b(talk about|look at|work on) something (else|different)\b"
    ),
]
QUIT = [
    anywhere(
        r"\b(bye|goodbye|gotta (run|go)|got to go|have to go|need to (stop|go)(?=\s*(?:[,.;:!?]|$|now|soon|sorry|bye))|log off|log out|signing off|good ?night)\b"
    ),
    anywhere(
        r"\b(that(?:'?s| is) all|i(?:'?m| am) done) for (today|now)\b|\bcome back to this later\b|\bleaving it for now\b|\bnot now\b"
    ),
    anywhere(r"^(quit|exit|stop)[ .!]*$|\bstop here\b"),
    anywhere(
        r"\bnot today\b|\bcome back (another day|tomorrow|later)\b|\bthat(?:'?s| is) everything\b|\bgotta dash\b|\bi(?:'?m| am) off\b"
    ),
    anywhere(r"\bclosing the tab\b|\bcya\b|\bsee (you|ya)\b|\btalk later\b|\bthat(?:'?s| is) it for (now|today)\b"),
    anywhere(r"\bthat(?:'?s| is) me for (today|now)\b|\bcheers,? (bye|then)\b"),
    anywhere(
        r"\b(i|we)('ve| have| need| must|'ve got| got)? to (head off|leave|dash|shoot|be off|head)\b|\bthat(?:'?s| is) me (done|finished)\b"
        r"|\bcome back to (it|this|all this) (next week|tomorrow|on \w+day|another (day|time)|some other time)\b"
        r"|\b(enough|that'?ll do) for (today|now|one day)\b|\bstop here for (now|today)\b|\bttyl\b"
        r"|\b(i(?:'?m| am) |we'?re )?(done|finished) for (today|now|the day|tonight)\b|\bend (the |this )?(session|chat|conversation)\b"
        r"|\bthat(?:'?s| is) all i (need|needed|wanted)\b|^(quit|exit|stop|end)( please| now| thanks)?[ .!]*$"
        r"|\b(i'?ll|let'?s|i(?:'?m| am) going to|i will|we'?ll) (stop|leave it|call it) (there|here|now)\b|\benough for (me )?(today|now|tonight)\b"
        r"|\bleave it here\b|\bthat(?:'?s| is) all( for now| for today| from me)?[ ,.!]*(thanks|thank you|cheers)?[ .!]*$|\bi(?:'?m| am) finished[ .!]*$"
        r"|^close( this| it)?[ .!]*$|\b(let'?s )?end (it )?(here|there|now)\b|\bend of (the )?session\b|\bno more for (today|now)\b"
        r"|\bgtg\b|\blaters\b|\b(i'?m|we'?re) (all )?done[ .!]*$|\bi(?:'?m| am) (leaving|heading off|off now)\b|\bspeak soon\b|\bcatch you later\b|\b(finish|continue|pick up|carry on with) (this|it)( up)? (another time|later|tomorrow"
        r"|next week|some other time)\b"
        r"|\bleave it (there|at that)\b|\bcall(ing)? it a day\b|\bpick (this|it) up (later|another time|tomorrow)\b"
        r"|\bleave it (for|till|until) (today|now|later|tomorrow|another (day|time))\b"
        r"|(\bi'?ll|\bi will|\bwe'?ll|(^|[,.;—–] ?)will) (come|be) back( to (it|this))?( later| tomorrow| another (day|time)| soon)?[ .!]*$"
        r"|(^(ok(ay)?,? |right,? |so )?|\b(i'?m|we'?re|i am|we are) )(going to|gonna) stop (here|there)\b"
        r"|\bstop (here|there) for (now|today|tonight|the day)\b"
    ),
]
HELP = [
    anywhere(
        r"\bhow does this (work|thing work)\b|\bhow do i use this\b|\bnot sure how this works\b|\bwhat can i (actually |even )?(say|do|type)\b"
    ),
    anywhere(
        r"\bwhat am i (supposed|meant) to\b|\bwhat are my options\b|\bwhat (sort|kind) of answer\b|\bhelp( me)?[ .!?]*$"
    ),
    anywhere(r"^what is this\??$|\bwhat can you (help|do)\b|\b(type|say|write) the (number|name)\b|\bwhich words\b"),
    anywhere(
        r"\bhow does the \w+ work\b|\bam i (rating|supposed|meant|answering)\b|\bconfused\b|\bi'?m lost\b|\bthis tool\b|\bnew to this\b"
    ),
    anywhere(r"\bis there a scale\b|\bwhat do (these|the) (buttons|answers) mean\b"),
    anywhere(r"^commands\??$|\blist of commands\b|\bwhat (commands|words) (can|do)\b"),
    anywhere(
        r"\bhow do i (pick|choose|select|answer|reply|rate|respond|navigate|use)\b|\bwhat do you (want|need) (from me|me to)\b"
        r"|\bwhat are my (choices|options)\b|\b(don'?t|do not) understand what (you want|to do|i'?m meant)\b|\bhow does this (part|bit|step thing) work\b"
        r"|\bexplain how (to use|this works)\b|\bwhat happens if i (type|say|write)\b|^what do i do here\b"
        r"|\b(not sure|unsure|no idea) what (to|i should|i'?m meant to|i'?m supposed to) (say|type|write|do|answer)\b"
        r"|\bwhat can i ask\b|\bhow do i (do|answer) this\b|\bwhat you (need|want) from me\b"
        r"|\b(don'?t|do not) (get|understand) (the question|what you'?re asking|what you mean|what to do)\b|^\?+$|^(huh|eh)\?*$"
        r"|\bwhat (should|do|can) i (say|type|write|answer)\b|\bhow am i (meant|supposed) to\b"
        r"|\bwhat (do|should|can|am) i (supposed to |meant to )?do with (these|this|them|those|the (list|options|matches))\b"
    ),
    # "not sure what you're asking me for", "what happens after I pick?"
    anywhere(
        r"\b(not sure|unsure|no idea) what you'?re (asking|after|looking for)\b|\bwhat (are|do) you (asking|want)( me)? for\b"
        r"|\bwhat happens (after|when|once|if) i (pick|choose|select|answer|rate|reply|type|say)\b"
    ),
]
# Asking how to work the guide itself, even as a question: "how do I skip a step?"
TOOL_HELP = anywhere(
    r"\bhow (do|can|should) i (skip|move on|go back|go on|change|undo|finish|quit|stop|get to|get the plan|see the plan"
    r"|pick|choose|answer|reply|rate)\b|^(so |ok |sorry,? |um,? )?how does (this|all this|this thing|this tool) (all )?work\??$"
    r"|\bhow does this (part|bit|step thing|tool|app|guide) work\b|\bhelp (page|menu|section)\b|\bhelp me (use|with) this (tool|thing|app)\b"
    r"|\bwhat are the options\b|^(so |ok |sorry,? |um,? )?(do|should|can|must) i (just )?(answer|reply|respond|rate)\b"
)
HELP.append(TOOL_HELP)
