"""Reports framed by a phrase rather than a verb with an object, proposed for the learned model.

News reports stances with a preposition as often as with a clause:

* a verb whose only complement is a prepositional phrase: "the union complained about the
  schedule", "she bristled at the question" (``prep-object``);
* a copula with a stance adjective or noun: "the mayor has been critical of the plan", "he
  is a staunch opponent of the tax" (``copula-prep``);
* a noun owned by its speaker: "the council's call for a recount", "his comments on the
  flood" (``noun-prep``);
* a noun given by its speaker: "the plan drew criticism from the union" (``noun-from``);
* "In a poll, ..." and "In his eyes, ..." opening a sentence (``in-frame``);
* "As the mayor put it, ..." (``as-frame``).

These exist only in open-vocabulary mode, with a rule name of their own: the learned model
decides which of them are reports. The cue's head is the word that carries the stance
("critical", "call"), so the model's lemma features see it rather than "be" or "about".
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Span, Token

from .candidates import Candidate, framed, noun_phrase, span_chars, subtree_bounds
from .cue_tokens import COPULA, PHRASE_VERB, TokenKinds, in_sentence, phrase_tokens
from .cues import MEDIUM_NOUNS, OBJECT_SPEECH_VERBS, SPEECH_VERBS

__all__ = ["phrase_candidates"]

# Prepositions that introduce what a stance is about ("complained about", "bristled at").
# "as", "of", "on", "for" and "to" are the object rule's already.
VERB_PREPS = frozenset("about against at over with into toward towards behind".split())
SPEECH_PREPS = frozenset("on of for to".split())
# After a stance adjective or noun: "critical of", "opposed to", "skeptical about".
COPULA_PREPS = frozenset("of about against with to toward towards over on for".split())
NOUN_PREPS = frozenset("for about on of with to against over toward towards".split())
# A verb with one of these already has content the other rules read.
_OBJECT_LIKE = frozenset({"dobj", "obj", "xcomp", "ccomp", "oprd", "attr", "acomp", "dative"})

SubjectOf = Callable[[Token], Token | None]


def _prep_object(prep: Token) -> Token | None:
    return next((g for g in prep.children if g.dep_ in ("pobj", "pcomp")), None)


def _candidate(
    doc: Doc,
    content_head: Token,
    source: Token | None,
    cue: tuple[int, int],
    cue_head: int,
    rule: str,
) -> Candidate | None:
    content = span_chars(doc, *subtree_bounds(content_head))
    if content[1] <= content[0] or source is None:
        return None
    return framed(content, source, cue, cue_head, rule)


def _prep_object_cue(doc: Doc, verb: Token, subject_of: SubjectOf) -> Candidate | None:
    """ "complained about the schedule": a verb whose only complement is such a phrase."""
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return None
    rights = list(verb.rights)
    rule = "prep-object"
    if any(c.dep_ in _OBJECT_LIKE for c in rights):
        # "asked the aide about the audit", "took offense at the remark": after an object,
        # only an "about"-like phrase, under a name of its own.
        if not any(c.dep_ == "prep" and c.lower_ in ("about", "at", "over") for c in rights):
            return None
        rule = "prep-after-object"
    preps = VERB_PREPS
    lemma = verb.lemma_.lower()
    if lemma in SPEECH_VERBS and lemma not in OBJECT_SPEECH_VERBS:
        # "commented on the collapse": a speech verb without a clause has no object rule.
        preps = VERB_PREPS | SPEECH_PREPS
    prep = next((c for c in rights if c.dep_ == "prep" and c.lower_ in preps), None)
    obj = _prep_object(prep) if prep is not None else None
    if prep is None or obj is None:
        return None
    if rule == "prep-after-object" and prep.lower_ not in ("about", "at", "over"):
        return None
    return _candidate(doc, obj, subject_of(verb), (verb.i, prep.i + 1), verb.i, rule)


def _copula_cue(doc: Doc, copula: Token, subject_of: SubjectOf) -> Candidate | None:
    """ "has been critical of the plan", "is a staunch opponent of the tax", "is against it"."""
    for child in copula.rights:
        if child.dep_ in ("acomp", "attr"):
            prep = next(
                (g for g in child.rights if g.dep_ == "prep" and g.lower_ in COPULA_PREPS), None
            )
            stance = child
        elif child.dep_ == "prep" and child.lower_ == "against":
            prep, stance = child, child
        else:
            continue
        obj = _prep_object(prep) if prep is not None else None
        if prep is None or obj is None:
            continue
        return _candidate(
            doc, obj, subject_of(copula), (copula.i, prep.i + 1), stance.i, "copula-prep"
        )
    return None


def _noun_prep_cue(doc: Doc, noun: Token) -> Candidate | None:
    """ "the council's call for a recount", "his comments on the flood"."""
    owner = next((c for c in noun.lefts if c.dep_ == "poss"), None)
    if owner is None:
        return None
    prep = next((c for c in noun.rights if c.dep_ == "prep" and c.lower_ in NOUN_PREPS), None)
    obj = _prep_object(prep) if prep is not None else None
    if prep is None or obj is None:
        return None
    return _candidate(doc, obj, owner, (noun.i, prep.i + 1), noun.i, "noun-prep")


def _noun_from_cue(doc: Doc, noun: Token, subject_of: SubjectOf) -> Candidate | None:
    """ "The plan drew sharp criticism from the union": the union's stance is on the plan.

    The content is what received the criticism, praise or endorsement (the verb's subject);
    the source is who gave it.
    """
    if noun.dep_ not in ("dobj", "obj") or noun.head.pos_ != "VERB":
        return None
    # The parse hangs "from" on the noun or on the verb after it.
    later = [c for c in noun.head.rights if c.i > noun.i]
    prep = next(
        (c for c in [*noun.rights, *later] if c.dep_ == "prep" and c.lower_ == "from"), None
    )
    giver = _prep_object(prep) if prep is not None else None
    if prep is None or giver is None or giver.pos_ not in ("NOUN", "PROPN"):
        return None
    receiver = subject_of(noun.head)
    if receiver is None:
        return None
    content = span_chars(doc, *noun_phrase(receiver))
    if content[1] <= content[0]:
        return None
    return Candidate(
        content=content,
        source=noun_phrase(giver),
        cue=(noun.head.i, prep.i + 1),
        rule="noun-from",
        confidence=0.0,
        source_head=giver.i,
        cue_head=noun.i,
    )


def _as_frame(doc: Doc, sent: Span, verb: Token, subject_of: SubjectOf) -> Candidate | None:
    """ "As the mayor put it, the bridge is a lifeline" / "The span, as Obi noted, is old".

    The frame's head clause is the content: without the frame when the frame opens or
    closes it, whole when the frame sits inside it.
    """
    head = verb.head
    if (
        verb.dep_ != "advcl"
        or head.i == verb.i
        or head.pos_ not in ("VERB", "AUX")
        or not any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.lefts)
        or any(c.dep_ in ("ccomp", "xcomp") for c in verb.children)
        or any(c.dep_ in ("dobj", "obj") and c.lower_ != "it" for c in verb.children)
    ):
        return None
    subject = subject_of(verb)
    if subject is None:
        return None
    frame_start, frame_end = subtree_bounds(verb)
    start, end = subtree_bounds(head)
    start, end = max(start, sent.start), min(end, sent.end)
    if frame_start <= start:
        start = frame_end
    elif frame_end >= end or all(t.is_punct or t.is_space for t in doc[frame_end:end]):
        end = frame_start
    content = span_chars(doc, start, end)
    if content[1] <= content[0]:
        return None
    return framed(content, subject, (verb.i, verb.i + 1), verb.i, "as-frame")


def _in_frame(doc: Doc, sent: Span, subject_of: SubjectOf) -> Candidate | None:
    """ "In a new poll, the mayor leads by six points", "In his eyes, the plan is dead".

    A sentence that opens with "in" and a noun, then a comma: the rest of the sentence may be
    what the poll found or what he thinks. The source is the noun's owner ("his"), the
    speaker of a medium ("In a statement, the board said ...") or the noun itself.
    """
    prep = sent[0]
    if prep.lower_ != "in" or prep.dep_ != "prep" or prep.head.i <= prep.i:
        return None
    obj = _prep_object(prep)
    frame_end = prep.right_edge.i + 1
    if (
        obj is None
        or obj.pos_ != "NOUN"
        or frame_end >= sent.end
        or doc[frame_end].text != ","
        or prep.head.i < frame_end
    ):
        return None
    head = prep.head
    owner = next((c for c in obj.lefts if c.dep_ == "poss"), None)
    if owner is not None:
        source: Token | None = owner
    elif obj.lemma_.lower() in MEDIUM_NOUNS:
        source = subject_of(head) if head.pos_ in ("VERB", "AUX") else None
    else:
        source = obj
    end = min(head.right_edge.i + 1, sent.end)
    while end > frame_end + 1 and (
        doc[end - 1].is_space or (doc[end - 1].is_punct and doc[end - 1].text not in "”\"’'")
    ):
        end -= 1
    content = span_chars(doc, frame_end + 1, end)
    if content[1] <= content[0] or source is None:
        return None
    return framed(content, source, (prep.i, prep.i + 1), obj.i, "in-frame")


def phrase_candidates(
    doc: Doc, sent: Span, subject_of: SubjectOf, heads: TokenKinds | None = None
) -> list[Candidate]:
    """The phrase-framed candidates of one sentence (``subject_of`` finds a verb's speaker).

    ``heads`` are the sentence's part of ``phrase_tokens(doc)``, when the caller has them."""
    found: list[Candidate] = []
    frame = _in_frame(doc, sent, subject_of)
    if frame is not None:
        found.append(frame)
    if heads is None:
        heads = in_sentence(phrase_tokens(doc), sent.start, sent.end)
    for i, kind in zip(*heads, strict=True):
        tok = doc[i]
        cand: Candidate | None = None
        if kind == COPULA:
            cand = _copula_cue(doc, tok, subject_of)
        elif kind == PHRASE_VERB:
            cand = _prep_object_cue(doc, tok, subject_of)
            framed = _as_frame(doc, sent, tok, subject_of)
            if framed is not None:
                found.append(framed)
        else:
            cand = _noun_prep_cue(doc, tok)
            given = _noun_from_cue(doc, tok, subject_of)
            if given is not None:
                found.append(given)
        if cand is not None:
            found.append(cand)
    return found
