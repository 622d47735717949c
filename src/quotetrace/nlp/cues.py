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
    "MEDIUM_NOUNS",
    "OBJECT_SPEECH_VERBS",
    "SPEECH_VERBS",
    "verb_confidence",
]

# Verbs of saying: they report speech with a clause, a quote, or an object.
SPEECH_VERBS: dict[str, float] = {
    lemma: 0.9
    for lemma in (
        "say tell add write ask note report announce tweet argue explain declare acknowledge "
        "claim respond reply state insist warn promise predict reveal recall conclude admit "
        "assert stress emphasize emphasise affirm confirm deny contend maintain observe remark "
        "comment mention indicate allege charge complain concede caution proclaim vow pledge "
        "boast joke quip muse recount testify post inform reiterate repeat elaborate "
        "estimate forecast counter retort declare predict speculate suggest propose "
        "recommend demand threaten announce disclose advise urge describe call continue agree "
        "disagree assure answer blog brief contest dispute exclaim hint imply lament "
        "point underline underscore highlight signal shout yell whisper wonder question "
        "criticize criticise condemn denounce accuse blame praise hail applaud welcome "
        "thank congratulate endorse reject dismiss slam blast attack defend refute rebut "
        "recommend request order instruct invite encourage appeal plead implore beg express "
        "voice cite quote reaffirm convey acknowledge predict guarantee swear"
    ).split()
}
SPEECH_VERBS.update({"say": 0.95, "tell": 0.9, "add": 0.85, "continue": 0.5, "call": 0.75})

# Verbs of holding a view or of evidence: cues only with a clause of their own ("X believes that").
BELIEF_VERBS: dict[str, float] = {
    lemma: 0.6
    for lemma in (
        "think believe feel hope fear expect know doubt worry show find suggest indicate "
        "reckon suspect assume guess understand realize realise recognize recognise "
        "consider imagine insist acknowledge learn hear read see prove demonstrate conclude "
        "determine estimate project forecast figure anticipate predict"
    ).split()
}
BELIEF_VERBS.update({"see": 0.35, "know": 0.45, "hear": 0.45, "read": 0.4, "find": 0.55})

# Speech acts whose content is an object, an infinitive or a predicate, not a clause:
# "hailed the stance", "urged the world to act", "called it a disaster", "accused X of Y".
OBJECT_SPEECH_VERBS = frozenset(
    (
        "urge advise hail praise lament accuse warn call describe criticize criticise condemn "
        "denounce blame applaud welcome thank congratulate endorse reject dismiss slam blast "
        "promise vow pledge threaten demand request order instruct invite encourage appeal "
        "plead implore beg express voice propose recommend deny confirm announce reveal "
        "question defend refute rebut attack label dub brand characterize characterise "
        "reaffirm convey ask predict stress emphasize emphasise explain cite mention note "
        "highlight underline underscore discuss reiterate repeat support oppose back promote "
        "acknowledge admit detail outline recall reference invoke echo mock tout champion "
        "advocate decry lambast fault question applaud commend salute"
    ).split()
)

# Nouns that turn "express(ed)" into a report: "expressed confidence that ...".
CUE_NOUNS_AFTER_EXPRESS = frozenset(
    "confidence hope concern belief doubt fear regret satisfaction support determination "
    "optimism readiness willingness opposition dismay worry frustration disappointment "
    "gratitude appreciation condolences solidarity surprise anger outrage".split()
)

# "in a statement", "in an interview": part of the cue, not a place.
MEDIUM_NOUNS = frozenset(
    "statement interview speech tweet post letter remarks address briefing op-ed oped "
    "editorial column report message video podcast conference release testimony memo "
    "email essay article filing press".split()
)

# Words that start "according to"-like source phrases.
ACCORDING_HEADS = frozenset({"according"})

# Honorifics and titles that do not belong in a canonical name ("His Eminence Imam Sayyed Ali
# Khamenei" -> "Ali Khamenei"). Lower-case, without the full stop.
HONORIFICS = frozenset(
    (
        "his her their eminence excellency majesty highness holiness imam sayyed sayyid seyed "
        "seyyed sayed ayatollah grand sheikh shaikh mr mrs ms miss mx dr prof professor sir "
        "dame lord lady rev reverend president vice prime minister sen senator rep representative "
        "gov governor gen general col colonel capt captain lt lieutenant sgt king queen prince "
        "princess pope leader chancellor secretary mayor judge justice chief deputy "
        "ambassador spokesman spokeswoman spokesperson commander minister premier emir "
        "crown ceo chairman chairwoman chair director foreign defense defence interior "
        "supreme speaker former late the a an"
    ).split()
)


def verb_confidence(lemma: str, has_clause: bool) -> float | None:
    """How sure a verb makes an attribution; None when it is no cue at all."""
    if lemma in SPEECH_VERBS:
        return SPEECH_VERBS[lemma]
    if has_clause and lemma in BELIEF_VERBS:
        return BELIEF_VERBS[lemma]
    return None
