"""The words that attribute speech, and how sure each one is.

Lemmas, grouped by how they carry their content. The confidence of a verb says how often, in
news, the verb with a clause really reports what someone said or holds (``said`` nearly always;
``think`` or ``show`` often, but less reliably).
"""

from __future__ import annotations

__all__ = [
    "ACCORDING_HEADS",
    "BELIEF_VERBS",
    "CUE_NOUNS_AFTER_EXPRESS",
    "HONORIFICS",
    "INTENTION_VERBS",
    "MEDIUM_NOUNS",
    "NEEDS_COMPLEMENT",
    "OBJECT_SPEECH_VERBS",
    "PARENTHETICAL",
    "REASON_MARKS",
    "SPEECH_EVENT_NOUNS",
    "SPEECH_VERBS",
    "STANCE_NOUNS",
    "VIEW_VERBS",
    "lexicon_class",
    "verb_confidence",
]

# Verbs of saying: they report speech with a clause, a quote, or an object.
SPEECH_VERBS: dict[str, float] = {
    lemma: 0.9
    for lemma in [
        "say",
        "tell",
        "add",
        "write",
        "ask",
        "note",
        "report",
        "announce",
        "tweet",
        "argue",
        "explain",
        "declare",
        "acknowledge",
        "claim",
        "respond",
        "reply",
        "state",
        "insist",
        "warn",
        "promise",
        "predict",
        "reveal",
        "recall",
        "conclude",
        "admit",
        "assert",
        "stress",
        "emphasize",
        "emphasise",
        "affirm",
        "confirm",
        "deny",
        "contend",
        "maintain",
        "observe",
        "remark",
        "comment",
        "mention",
        "indicate",
        "allege",
        "charge",
        "complain",
        "concede",
        "caution",
        "proclaim",
        "vow",
        "pledge",
        "boast",
        "joke",
        "quip",
        "muse",
        "recount",
        "testify",
        "post",
        "inform",
        "reiterate",
        "repeat",
        "elaborate",
        "estimate",
        "forecast",
        "counter",
        "retort",
        "declare",
        "predict",
        "speculate",
        "suggest",
        "propose",
        "recommend",
        "demand",
        "threaten",
        "announce",
        "disclose",
        "advise",
        "urge",
        "describe",
        "call",
        "continue",
        "agree",
        "disagree",
        "assure",
        "answer",
        "blog",
        "brief",
        "contest",
        "dispute",
        "exclaim",
        "hint",
        "imply",
        "lament",
        "point",
        "underline",
        "underscore",
        "highlight",
        "signal",
        "shout",
        "yell",
        "whisper",
        "wonder",
        "question",
        "criticize",
        "criticise",
        "condemn",
        "denounce",
        "accuse",
        "blame",
        "praise",
        "hail",
        "applaud",
        "welcome",
        "thank",
        "congratulate",
        "endorse",
        "reject",
        "dismiss",
        "slam",
        "blast",
        "attack",
        "defend",
        "refute",
        "rebut",
        "recommend",
        "request",
        "order",
        "instruct",
        "invite",
        "encourage",
        "appeal",
        "plead",
        "implore",
        "beg",
        "express",
        "voice",
        "cite",
        "quote",
        "reaffirm",
        "convey",
        "acknowledge",
        "predict",
        "guarantee",
        "swear",
    ]
}
SPEECH_VERBS.update({"say": 0.95, "tell": 0.9, "add": 0.85, "continue": 0.5, "call": 0.75})

# Verbs of holding a view or of evidence: cues only with a clause of their own ("X believes that").
BELIEF_VERBS: dict[str, float] = {
    lemma: 0.6
    for lemma in [
        "think",
        "believe",
        "feel",
        "hope",
        "fear",
        "expect",
        "know",
        "doubt",
        "worry",
        "show",
        "find",
        "suggest",
        "indicate",
        "reckon",
        "suspect",
        "assume",
        "guess",
        "understand",
        "realize",
        "realise",
        "recognize",
        "recognise",
        "consider",
        "imagine",
        "insist",
        "acknowledge",
        "learn",
        "hear",
        "read",
        "see",
        "prove",
        "demonstrate",
        "conclude",
        "determine",
        "estimate",
        "project",
        "forecast",
        "figure",
        "anticipate",
        "predict",
    ]
}
BELIEF_VERBS.update({"see": 0.35, "know": 0.45, "hear": 0.45, "read": 0.4, "find": 0.55})

# Speech acts whose content is an object, an infinitive or a predicate, not a clause:
# "hailed the stance", "urged the world to act", "called it a disaster", "accused X of Y".
OBJECT_SPEECH_VERBS = frozenset(
    [
        "urge",
        "advise",
        "hail",
        "praise",
        "lament",
        "accuse",
        "warn",
        "call",
        "describe",
        "criticize",
        "criticise",
        "condemn",
        "denounce",
        "blame",
        "applaud",
        "welcome",
        "thank",
        "congratulate",
        "endorse",
        "reject",
        "dismiss",
        "slam",
        "blast",
        "promise",
        "vow",
        "pledge",
        "threaten",
        "demand",
        "request",
        "order",
        "instruct",
        "invite",
        "encourage",
        "appeal",
        "plead",
        "implore",
        "beg",
        "express",
        "voice",
        "propose",
        "recommend",
        "deny",
        "confirm",
        "announce",
        "reveal",
        "question",
        "defend",
        "refute",
        "rebut",
        "attack",
        "label",
        "dub",
        "brand",
        "characterize",
        "characterise",
        "reaffirm",
        "convey",
        "ask",
        "predict",
        "stress",
        "emphasize",
        "emphasise",
        "explain",
        "cite",
        "mention",
        "note",
        "highlight",
        "underline",
        "underscore",
        "discuss",
        "reiterate",
        "repeat",
        "support",
        "oppose",
        "back",
        "promote",
        "acknowledge",
        "admit",
        "detail",
        "outline",
        "recall",
        "reference",
        "invoke",
        "echo",
        "mock",
        "tout",
        "champion",
        "advocate",
        "decry",
        "lambast",
        "fault",
        "question",
        "applaud",
        "commend",
        "salute",
    ]
)

# Nouns that turn "express(ed)" into a report: "expressed confidence that ...".
CUE_NOUNS_AFTER_EXPRESS = frozenset(
    [
        "confidence",
        "hope",
        "concern",
        "belief",
        "doubt",
        "fear",
        "regret",
        "satisfaction",
        "support",
        "determination",
        "optimism",
        "readiness",
        "willingness",
        "opposition",
        "dismay",
        "worry",
        "frustration",
        "disappointment",
        "gratitude",
        "appreciation",
        "condolences",
        "solidarity",
        "surprise",
        "anger",
        "outrage",
    ]
)

# "in a statement", "in an interview": part of the cue, not a place.
MEDIUM_NOUNS = frozenset(
    [
        "statement",
        "interview",
        "speech",
        "tweet",
        "post",
        "letter",
        "remarks",
        "address",
        "briefing",
        "op-ed",
        "oped",
        "editorial",
        "column",
        "report",
        "message",
        "video",
        "podcast",
        "conference",
        "release",
        "testimony",
        "memo",
        "email",
        "essay",
        "article",
        "filing",
        "press",
    ]
)

# Words that start "according to"-like source phrases.
ACCORDING_HEADS = frozenset({"according"})

# Honorifics and titles that do not belong in a canonical name ("His Eminence Imam Sayyed Ali
# Khamenei" -> "Ali Khamenei"). Lower-case, without the full stop.
HONORIFICS = frozenset(
    [
        "his",
        "her",
        "their",
        "eminence",
        "excellency",
        "majesty",
        "highness",
        "holiness",
        "imam",
        "sayyed",
        "sayyid",
        "seyed",
        "seyyed",
        "sayed",
        "ayatollah",
        "grand",
        "sheikh",
        "shaikh",
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "professor",
        "sir",
        "dame",
        "lord",
        "lady",
        "rev",
        "reverend",
        "president",
        "vice",
        "prime",
        "minister",
        "sen",
        "senator",
        "rep",
        "representative",
        "gov",
        "governor",
        "gen",
        "general",
        "col",
        "colonel",
        "capt",
        "captain",
        "lt",
        "lieutenant",
        "sgt",
        "king",
        "queen",
        "prince",
        "princess",
        "pope",
        "leader",
        "chancellor",
        "secretary",
        "mayor",
        "judge",
        "justice",
        "chief",
        "deputy",
        "ambassador",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "commander",
        "minister",
        "premier",
        "emir",
        "crown",
        "ceo",
        "chairman",
        "chairwoman",
        "chair",
        "director",
        "foreign",
        "defense",
        "defence",
        "interior",
        "supreme",
        "speaker",
        "former",
        "late",
        "the",
        "a",
        "an",
    ]
)


# Intentions and stances reported with an infinitive: "wants to build", "refused to testify".
INTENTION_VERBS: dict[str, float] = {
    lemma: 0.55
    for lemma in (
        "agree aim decline hope intend offer plan pledge promise propose push refuse seek threaten "
        "try urge vote vow want"
    ).split()
}
INTENTION_VERBS.update({"vote": 0.45, "try": 0.4, "push": 0.45})
# Objects that name an act of speaking rather than what was said.
SPEECH_EVENT_NOUNS = frozenset(
    "address appearance briefing call comment comments interview remark remarks speech statement "
    "trip visit".split()
)
# Nouns that report a statement or stance: "his claim that ...", "her promise to ...".
STANCE_NOUNS = frozenset(
    "accusation admission allegation announcement argument assertion assurance belief boast call "
    "charge claim comment complaint concern contention conviction criticism decision demand "
    "denial fear hope insistence plan pledge position prediction promise proposal remark "
    "statement suggestion suspicion threat view vow warning".split()
)
# Verbs of regard with an "as" predicate: "see X as Y", "view X as Y", "regard X as Y".
VIEW_VERBS = frozenset("cast frame paint portray regard see treat view".split())
REASON_MARKS = frozenset("although as because since though while".split())
# Speech acts that say nothing without a complement: "asked him [to leave]", "called it [a scam]".
NEEDS_COMPLEMENT = frozenset("ask call inform invite question tell thank".split())
# Verbs that frame a clause from the side, set off by commas.
PARENTHETICAL = frozenset(
    "acknowledge add admit announce argue ask assert believe caution claim complain concede "
    "conclude confirm contend continue declare emphasise emphasize explain insist maintain note "
    "observe predict recall reckon reply report respond say state stress suggest tell think warn "
    "write".split()
)


def verb_confidence(lemma: str, has_clause: bool) -> float | None:
    """How sure a verb makes an attribution; None when it is no cue at all."""
    if lemma in SPEECH_VERBS:
        return SPEECH_VERBS[lemma]
    if has_clause and lemma in BELIEF_VERBS:
        return BELIEF_VERBS[lemma]
    return None


def lexicon_class(lemma: str) -> str:
    """Which of the lists above a lemma is on: what a learned model may generalise over."""
    if lemma in SPEECH_VERBS:
        return "speech"
    if lemma in OBJECT_SPEECH_VERBS:
        return "speech-act"
    if lemma in BELIEF_VERBS:
        return "belief"
    if lemma in INTENTION_VERBS:
        return "intention"
    if lemma in VIEW_VERBS:
        return "view"
    return "none"
