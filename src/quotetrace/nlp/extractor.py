"""Rules that find attributions in a parsed document.

Each rule reads the dependency parse around a cue and returns a ``Candidate``: token spans for
the content, the source mention and the cue. Quote marks are handled at the character level
(``quote_marks``), so a parse that splits a quotation in two still yields one statement.

The constructions covered, with the rule that handles each:

=====================================================  ============================
"X said (that) the US is ..."                          ``_clause_content``
"“A,” he said." / "Clause, he said."                    ``_clause_content`` / ``_parataxis``
"As the war goes on, X added, the reasons ..."          ``_parataxis``
"..., stressing that ..." / "... and urged ..."          subject inherited (``_subject_of``)
"hailed the stance", "urged X to Y", "called on X to"   ``_object_content``
"attacks which he described as a revenge"               ``_object_content`` (relative clause)
"expressed confidence that ..."                         ``_object_content`` (noun + clause)
"According to X, ..."                                   ``_according_to``
"He told reporters: “…”" and quotes the parse missed    ``_attach_quotes``
"“A,” he said. “B.”" and multi-paragraph quotes          ``_extend_quotes``
=====================================================  ============================

With ``open_vocabulary`` (the learned model's candidates) more shapes are proposed, each
under a rule name of its own: any verb with an object, passives, a listed verb with an
object instead of its clause ("listed-object"), phrase frames (``phrase_frames``: "critical
of", "X's call for", "In a poll, ...") and layout frames (``line_frames``).
"""

from __future__ import annotations

import bisect

from spacy.tokens import Doc, Span, Token

from .candidates import (
    SUBJECT_DEPS,
    Candidate,
    _cut_trailing_participle,
    _enough_content,
    _has_as_phrase,
    _infinitive,
    _inside,
    _is_infinitive,
    _medium_clause,
    _misattached_subject,
    _misparsed_role,
    _overlap,
    _that_clause,
    _widen_clause,
    dedupe,
    framed,
    noun_phrase,
    span_chars,
    span_text,
    subtree_bounds,
)
from .cue_tokens import ACCORDING, VERB_CUE, TokenKinds, cue_tokens, in_sentence, phrase_tokens
from .cues import (
    CUE_NOUNS_AFTER_EXPRESS,
    INTENTION_VERBS,
    MEDIUM_NOUNS,
    NEEDS_COMPLEMENT,
    OBJECT_SPEECH_VERBS,
    PARENTHETICAL,
    SPEECH_EVENT_NOUNS,
    SPEECH_VERBS,
    VIEW_VERBS,
    verb_confidence,
)
from .quote_marks import QUOTE_CHARS, QuoteRegion, find_quote_regions, kinds_of

__all__ = ["Candidate", "RuleAttributor", "span_text"]

CLAUSE_DEPS = frozenset({"ccomp"})
# Right-hand dependents that carry a speech act's content ("hailed [the stance]").
OBJECT_DEPS = frozenset({"dobj", "obj", "xcomp", "oprd", "attr", "acomp", "dative", "prep"})
INHERIT_DEPS = frozenset({"conj", "advcl", "xcomp"})
_VERBAL = ("VERB", "AUX")
# "Trump seems fixated on X", "it appears that ...": the writer's impression, nobody's report.
IMPRESSION_VERBS = frozenset({"seem", "appear"})


class RuleAttributor:
    """Finds attributions with rules over the parse; see the module docstring.

    With ``open_vocabulary`` every verb is tried as a cue, not only the listed ones: a learned
    model then decides which of these candidates are reports (``quotetrace.Attributor.v2``).
    """

    def __init__(self, open_vocabulary: bool = False) -> None:
        self.open_vocabulary = open_vocabulary

    def __call__(
        self, doc: Doc, text: str | None = None, regions: list[QuoteRegion] | None = None
    ) -> list[Candidate]:
        """``text`` is ``doc.text`` and ``regions`` its ``find_quote_regions``, when the caller
        has them already (spaCy rebuilds ``doc.text`` from every token on each access)."""
        text = doc.text if text is None else text
        regions = find_quote_regions(text) if regions is None else regions
        speech = [r for r in regions if r.is_speech]
        self._quoted = [(r.inner_start, r.inner_end) for r in speech]
        found: list[Candidate] = []
        cues = cue_tokens(doc, self.open_vocabulary)
        phrases = phrase_tokens(doc) if self.open_vocabulary else None
        for sent in doc.sents:
            found.extend(self._sentence(doc, sent, text, in_sentence(cues, sent.start, sent.end)))
            if phrases is not None:
                from .phrase_frames import phrase_candidates  # imports Candidate from here

                heads = in_sentence(phrases, sent.start, sent.end)
                found.extend(phrase_candidates(doc, sent, self._subject_of, heads))
        found = [c for c in found if not _cue_inside_quote(doc, c, speech)]
        found = [self._snap_to_quotes(c, speech, text) for c in found]
        found = self._extend_quotes(doc, text, found, speech)
        found = self._attach_quotes(doc, found, speech)
        if self.open_vocabulary:
            # After quote snapping: a speaker label is not part of the quotation it opens.
            from .line_frames import colon_block_candidates, line_frame_candidates

            found.extend(line_frame_candidates(doc, text))
            found.extend(colon_block_candidates(doc, text, self._subject_of))
        found = dedupe(found)
        pieces = [cand.pieces or [cand.content] for cand in found]
        piece_kinds = iter(kinds_of([p for ps in pieces for p in ps], regions, text))
        for cand, ps in zip(found, pieces, strict=True):
            kinds = {next(piece_kinds) for _ in ps}
            cand.kind = kinds.pop() if len(kinds) == 1 else "mixed"
        found.sort(key=lambda c: (c.content[0], c.content[1]))
        return found

    # ---------------------------------------------------------------- per sentence
    def _sentence(self, doc: Doc, sent: Span, text: str, cues: TokenKinds) -> list[Candidate]:
        out: list[Candidate] = []
        for i, kind in zip(*cues, strict=True):
            tok = doc[i]
            if kind == ACCORDING:
                cand = self._according_to(doc, sent, tok)
            elif kind == VERB_CUE:
                cand = self._verb_cue(doc, sent, tok, text)
            else:
                cand = self._noun_cue(doc, tok)
            if cand is not None and cand.content[1] > cand.content[0]:
                out.append(cand)
        return out

    def _verb_cue(self, doc: Doc, sent: Span, verb: Token, text: str) -> Candidate | None:
        if _misparsed_role(verb):
            return None
        lemma = verb.lemma_.lower()
        clause = next((c for c in verb.children if c.dep_ in CLAUSE_DEPS), None)
        if clause is None:
            clause = _medium_clause(verb)
        conf = verb_confidence(lemma, clause is not None)
        if conf is None:
            if lemma in OBJECT_SPEECH_VERBS:
                conf = 0.7
            elif lemma in INTENTION_VERBS:
                conf = INTENTION_VERBS[lemma]
            elif lemma in VIEW_VERBS:
                conf = 0.6
            elif self.open_vocabulary and verb.pos_ == "VERB":
                conf = 0.0
            else:
                return None
        if any(c.dep_ == "nsubjpass" for c in verb.children) or verb.dep_ == "auxpass":
            if self.open_vocabulary and verb.pos_ == "VERB":
                return _passive_cue(doc, verb, clause)
            return None  # "he was told", "it is said": the passive subject is not the speaker
        # Through a preposition only for a verb of saying or a reported clause: "by saying
        # that ..." is a report, "hailed X in supporting the people" an act of X's.
        subject = self._subject_of(
            verb, through_preposition=clause is not None or lemma in SPEECH_VERBS
        )
        if subject is not None and self._in_quote(subject) and not self._in_quote(verb):
            subject = self._frame_subject(doc, verb)
        if subject is None and clause is not None:
            subject = _inverted_subject(verb, clause) or _acl_owner(verb)
        elif subject is not None and subject.lower_ == "that" and verb.dep_ == "relcl":
            subject = _publisher(verb.head) or subject  # "X released an ad that urges ..."
        # "Asked whether ..., X said": X was asked; who asked is not in the text.
        sourceless = lemma in IMPRESSION_VERBS or (
            verb.tag_ == "VBN"
            and verb.dep_ == "advcl"
            and not any(c.dep_ == "aux" for c in verb.children)
        )
        if sourceless:
            subject = None
        cue = self._cue_span(verb)
        if clause is not None and not _inside(clause, verb):
            start, end = subtree_bounds(clause)
            end = _cut_trailing_participle(clause, start, end, any_verb=self.open_vocabulary)
            start, end = _widen_clause(verb, clause, start, end)
            content = span_chars(doc, start, end)
            rule = "clause"
            if end <= verb.i and subject is not None and subject.i > verb.i:
                rule = "clause-inverted"  # “...,” said X
        elif self._is_parenthetical(doc, verb, subject):
            content = self._parataxis(doc, sent, verb)
            rule = "parataxis"
            conf = min(conf, 0.85)
        elif (
            lemma in OBJECT_SPEECH_VERBS
            or lemma in ("express", "voice")
            or (self.open_vocabulary and conf == 0.0)
        ):
            content = self._object_content(doc, verb)
            rule = "object"
            if lemma in ("express", "voice"):
                conf = 0.8 if self._expresses_stance(verb) else 0.55
        elif lemma in INTENTION_VERBS and (xcomp := _infinitive(verb)) is not None:
            content = span_chars(doc, *subtree_bounds(xcomp))  # "wants to build a wall"
            rule = "intention"
            conf = INTENTION_VERBS[lemma]
        elif lemma in VIEW_VERBS and _has_as_phrase(verb):
            content = self._object_content(doc, verb)  # "critics see the plan as a giveaway"
            rule = "view"
            conf = 0.6
        elif self.open_vocabulary and verb.pos_ == "VERB":
            # A listed verb with an object instead of its clause: "noted the comments", "has
            # said the same thing", "wants a recount". The model weighs them apart.
            content = self._object_content(doc, verb)
            rule = "listed-object"
        else:
            return None
        if (
            self.open_vocabulary
            and rule in ("object", "listed-object")
            and content[1] <= content[0]
        ):
            # "cited the comments Trump had made", "questioned the health of the nominee": an
            # event noun or a bare object the rules pass over; the model tells them from "gave
            # a speech" and "asked the aide".
            rule = "event-object" if _has_event_object(verb) else "bare-object"
            listed = lemma in SPEECH_VERBS or lemma in OBJECT_SPEECH_VERBS
            # Not after a light verb: "made the remarks", "gave a speech" report nothing.
            if listed or rule == "bare-object":
                content = self._object_content(doc, verb, lenient=True)
        if content[1] <= content[0]:
            return None
        if not _enough_content(text, content):
            named = doc.char_span(*content, alignment_mode="expand")
            if not (
                self.open_vocabulary
                and rule in ("object", "listed-object")
                and named is not None
                and named.root.pos_ == "PROPN"
            ):
                return None
            # "backed Clinton", "attacked Machado": a name alone can be the stance's object;
            # a pronoun or a common noun alone ("asked him", "took offense") is not proposed.
            rule = "object-name"
        source = noun_phrase(subject) if subject is not None else None
        if subject is None:
            if rule != "clause" and not sourceless:
                return None  # "for accusing him of ...": an act mentioned, not a report
            conf *= 0.7
        return Candidate(
            content=content,
            source=source,
            cue=cue,
            rule=rule,
            confidence=conf,
            source_head=subject.i if subject is not None else None,
            cue_head=verb.i,
        )

    def _in_quote(self, tok: Token) -> bool:
        quoted = getattr(self, "_quoted", [])
        i = bisect.bisect_right(quoted, (tok.idx, 10**12)) - 1
        return i >= 0 and quoted[i][0] <= tok.idx < quoted[i][1]

    def _frame_subject(self, doc: Doc, verb: Token) -> Token | None:
        """The speaker named next to the verb, outside the quotation the parse took it from.

        “..., We will win,” Chief Jordan said: the parser may make "We" the subject.
        """
        for i in range(verb.i - 1, max(-1, verb.i - 8), -1):
            tok = doc[i]
            if tok.is_punct or self._in_quote(tok):
                break
            if tok.pos_ in ("PROPN", "NOUN", "PRON") and tok.dep_ not in ("compound", "poss"):
                return tok
        for i in range(verb.i + 1, min(len(doc), verb.i + 8)):
            tok = doc[i]
            if tok.pos_ in ("PROPN", "NOUN") and tok.dep_ not in ("compound", "poss"):
                return tok
            if tok.is_punct:
                break
        return None

    @staticmethod
    def _noun_cue(doc: Doc, noun: Token) -> Candidate | None:
        """ "Trump's claim that the election is rigged", "her promise to cut taxes"."""
        clause = _that_clause(noun)
        if clause is None:
            clause = next((c for c in noun.rights if c.dep_ == "acl" and _is_infinitive(c)), None)
        if clause is None:
            return None
        owner = next((c for c in noun.lefts if c.dep_ == "poss"), None)
        if owner is None:
            agent = next((c for c in noun.rights if c.dep_ == "prep" and c.lower_ == "by"), None)
            owner = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent else None
        if owner is None or (owner.pos_ == "PRON" and owner.lower_ in ("its",)):
            return None
        start, end = subtree_bounds(clause)
        return framed(span_chars(doc, start, end), owner, (noun.i, noun.i + 1), noun.i, "noun", 0.6)

    @staticmethod
    def _is_parenthetical(doc: Doc, verb: Token, subject: Token | None) -> bool:
        """A frame set off by commas after (part of) its content: "..., he said", "A, X added, B"."""
        if subject is None or verb.head.i == verb.i or verb.lemma_.lower() not in PARENTHETICAL:
            return False
        if verb.dep_ == "parataxis":
            return True
        if verb.dep_ != "ccomp" or verb.i < verb.head.i:
            return False
        before = min(subject.left_edge.i, verb.i) - 1
        return before >= 0 and doc[before].text in (",", "—", "–", "”", '"')

    @staticmethod
    def _expresses_stance(verb: Token) -> bool:
        return any(
            c.dep_ in ("dobj", "obj") and c.lemma_.lower() in CUE_NOUNS_AFTER_EXPRESS
            for c in verb.children
        )

    @staticmethod
    def _subject_of(verb: Token, through_preposition: bool = True) -> Token | None:
        """The verb's subject, or the one it shares ("..., stressing that", "and urged")."""
        tok = verb
        if (
            verb.dep_ == "advcl"
            and verb.tag_ == "VBG"
            and verb.head.dep_ == "ccomp"
            and verb.head.head.lemma_.lower() in SPEECH_VERBS
        ):
            # "X said the barriers had held, stressing that ...": X stresses, not the barriers.
            tok = verb.head.head
        for _ in range(5):
            # Two subjects are a misparse ("…, members with pensions, Ruiz said" hangs
            # "members" on "said" too): the one nearest the verb is its own.
            subjects = [c for c in tok.children if c.dep_ in SUBJECT_DEPS]
            if subjects:
                return min(subjects, key=lambda c: abs(c.i - tok.i))
            if tok.dep_ in INHERIT_DEPS and tok.head.i != tok.i:
                tok = tok.head
                continue
            # "began by saying that ...", "after claiming that ...": the gerund's speaker is
            # the subject of the verb the preposition hangs on.
            if (
                through_preposition
                and tok.dep_ == "pcomp"
                and tok.head.dep_ == "prep"
                and tok.head.head.pos_ in _VERBAL
            ):
                tok = tok.head.head
                continue
            # "voters are more likely to say that ...": the infinitive hangs on an adjective.
            if tok.dep_ == "acomp" and tok.head.pos_ in _VERBAL and tok is not verb:
                tok = tok.head
                continue
            # "X said the US is involved, stressing that ...": the participle hangs off the
            # reported clause, but its speaker is the one who said it.
            if tok.dep_ == "ccomp" and tok.head.lemma_.lower() in SPEECH_VERBS and tok is not verb:
                tok = tok.head
                continue
            return _misattached_subject(verb) if tok is verb else None
        return None

    @staticmethod
    def _cue_span(verb: Token) -> tuple[int, int]:
        """The verb with its particle and a medium ("called on", "said in a statement")."""
        start, end = verb.i, verb.i + 1
        for child in verb.children:
            if (child.dep_ == "prt" and child.i == end) or (
                child.dep_ == "prep"
                and child.lower_ == "on"
                and child.i == end
                and verb.lemma_.lower() == "call"
            ):
                end = child.i + 1
            elif child.dep_ == "prep" and child.lower_ == "in" and child.i == end:
                obj = next((g for g in child.children if g.dep_ == "pobj"), None)
                if obj is not None and obj.lemma_.lower() in MEDIUM_NOUNS:
                    end = obj.i + 1
        if verb.lemma_.lower() in ("express", "voice"):
            obj = next((c for c in verb.children if c.dep_ in ("dobj", "obj")), None)
            if (
                obj is not None
                and obj.lemma_.lower() in CUE_NOUNS_AFTER_EXPRESS
                and obj.i - verb.i <= 2
                and _that_clause(obj) is not None
            ):
                end = max(end, obj.i + 1)  # "expressed confidence" [that ...]
        return start, end

    def _object_content(self, doc: Doc, verb: Token, lenient: bool = False) -> tuple[int, int]:
        """Everything the speech act takes on its right: objects, infinitives, "as"/"of" phrases.

        In a relative clause ("attacks which he described as a revenge") the object is the
        relative pronoun, so the content is the predicate that follows it.
        """
        parts: list[tuple[int, int]] = []
        lemma = verb.lemma_.lower()
        express = lemma in ("express", "voice")
        if (
            not lenient
            and lemma in NEEDS_COMPLEMENT
            and not any(
                c.dep_ in ("xcomp", "ccomp", "oprd")
                or (c.dep_ == "prep" and c.lower_ in ("as", "on", "for"))
                for c in verb.rights
            )
        ):
            return (0, 0)  # "asked him", "called Machado": a person addressed, nothing reported
        if not lenient and _has_event_object(verb):
            return (0, 0)  # "made the remarks", "gave a speech": speech mentioned, none reported
        for child in verb.rights:
            if child.dep_ not in OBJECT_DEPS:
                continue
            if child.dep_ == "prep" and child.lower_ == "in":
                obj = next((g for g in child.children if g.dep_ == "pobj"), None)
                if obj is not None and obj.lemma_.lower() in MEDIUM_NOUNS:
                    continue
            if child.dep_ == "prep" and child.lower_ not in ("as", "of", "on", "for", "to"):
                continue
            if (
                child.dep_ == "prep"
                and child.lower_ == "on"
                and child.i == verb.i + 1
                and lemma == "call"
            ):
                parts.append((child.i + 1, child.right_edge.i + 1))  # "called on" is the cue
                continue
            if (
                express
                and child.dep_ in ("dobj", "obj")
                and child.lemma_.lower() in (CUE_NOUNS_AFTER_EXPRESS)
            ):
                clause = _that_clause(child)
                if clause is not None:
                    parts.append(subtree_bounds(clause))
                    continue
            parts.append(subtree_bounds(child))
        if not parts:
            return (0, 0)
        start = min(p[0] for p in parts)
        end = max(p[1] for p in parts)
        if self.open_vocabulary:
            end = _cut_aside(doc, start, end)
        return span_chars(doc, start, end)

    def _parataxis(self, doc: Doc, sent: Span, verb: Token) -> tuple[int, int]:
        """The clause a parenthetical or trailing "X said" frames: its head's whole span.

        Following the convention that content runs from its first to its last piece, a frame
        in the middle ("As the war goes on, X added, the reasons ...") lies inside the content.
        """
        head = verb.head
        if head.pos_ not in ("VERB", "AUX"):
            head = sent.root  # "The difference now, he told me, is that ...": the whole clause
        frame_start, frame_end = subtree_bounds(verb)
        start, end = subtree_bounds(head)
        start, end = max(start, sent.start), min(end, sent.end)
        # The parser may hang the content's opening clause on the frame ("As the talks move
        # on, the president added, the ministries will ..."): it is content, not frame.
        subject = next((c for c in verb.lefts if c.dep_ in SUBJECT_DEPS), None)
        if subject is not None:
            lead = next(
                (
                    c
                    for c in verb.lefts
                    if c.dep_ in ("advcl", "prep", "npadvmod")
                    and c.right_edge.i < subject.left_edge.i
                ),
                None,
            )
            if lead is not None and lead.left_edge.i <= start:
                start = max(sent.start, lead.left_edge.i)
                frame_start = subject.left_edge.i
        if frame_end >= end:
            end = frame_start
        elif frame_start <= start:
            start = frame_end
        return span_chars(doc, start, end)

    def _according_to(self, doc: Doc, sent: Span, according: Token) -> Candidate | None:
        to = next((c for c in according.children if c.lower_ == "to"), None)
        obj = None
        if to is not None:
            obj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if obj is None:
            obj = next((c for c in according.children if c.dep_ == "pobj"), None)
        if obj is None:
            return None
        frame_start, frame_end = subtree_bounds(according)
        # "According to X, Iran and Iraq can ..." is often parsed as X conjoined with Iran:
        # the frame ends with X's own noun phrase.
        frame_end = min(frame_end, max(noun_phrase(obj)[1], obj.i + 1))
        head = according.head
        while head.dep_ not in ("ROOT",) and head.pos_ not in ("VERB", "AUX") and head.head != head:
            head = head.head
        start, end = subtree_bounds(head)
        start, end = max(start, sent.start), min(end, sent.end)
        if frame_start <= start:
            start = frame_end
        elif all(t.is_punct or t.is_space for t in doc[frame_end:end]):
            end = frame_start  # "The mill will close, according to X."
        content = span_chars(doc, start, end)
        return Candidate(
            content=content,
            source=noun_phrase(obj),
            cue=(according.i, (to.i + 1) if to is not None else according.i + 1),
            rule="according-to",
            confidence=0.85,
            source_head=obj.i,
            cue_head=according.i,
        )

    # ---------------------------------------------------------------- quotations
    @staticmethod
    def _snap_to_quotes(cand: Candidate, speech: list[QuoteRegion], text: str) -> Candidate:
        """A content that is a quotation (marks and a trailing comma aside) is the quotation."""
        s, e = cand.content
        for region in speech:
            if region.start > e:
                break
            if region.end < s:
                continue
            covers = region.inner_start <= s + 1 and region.inner_end >= e - 2
            if covers or (
                s <= region.inner_start + 1
                and e >= region.inner_end - 1
                and not text[s : region.start].strip(" ,")
                and not text[region.end : e].strip(" ,.")
            ):
                cand.content = (region.inner_start, region.inner_end)
                cand.pieces = [cand.content]
                return cand
            # Content that starts or ends inside a quotation takes the whole quotation.
            if region.inner_start < s < region.inner_end:
                s = region.inner_start
            if region.inner_start < e < region.inner_end:
                e = region.inner_end
        cand.content = (s, e)
        return cand

    def _attach_quotes(
        self, doc: Doc, found: list[Candidate], speech: list[QuoteRegion]
    ) -> list[Candidate]:
        """Quotations no rule claimed, framed by a speech verb next to them.

        "He told reporters: “…”", "“…,” he said" across a sentence split, "said, “…”".
        """
        claimed = [c.content for c in found]
        starts = [t.idx for t in doc]
        out = list(found)
        for region in speech:
            if region.words < 3:
                continue
            if any(_overlap(region.inner_start, region.inner_end, s, e) > 0.5 for s, e in claimed):
                continue
            verb = self._frame_near(doc, starts, region)
            if verb is None:
                continue
            subject = self._subject_of(verb)
            if subject is not None and self._in_quote(subject) and not self._in_quote(verb):
                subject = self._frame_subject(doc, verb)  # “We will win,” the chief said
            if subject is None and (verb.idx >= region.end or verb.i == verb.sent.start):
                subject = _inverted_subject(verb, None)  # “...,” said X / Said X: “...”
            if subject is None:
                subject = _acl_owner(verb)  # X issued a statement calling the test “...”
            cand = Candidate(
                content=(region.inner_start, region.inner_end),
                source=noun_phrase(subject) if subject is not None else None,
                cue=self._cue_span(verb),
                rule="quote-frame",
                confidence=0.85 if subject is not None else 0.6,
                source_head=subject.i if subject is not None else None,
                cue_head=verb.i,
                pieces=[(region.inner_start, region.inner_end)],
            )
            out.append(cand)
            claimed.append(cand.content)
        return out

    @staticmethod
    def _frame_near(doc: Doc, starts: list[int], region: QuoteRegion) -> Token | None:
        """A speech verb within a few tokens before the opening or after the closing mark."""
        first = bisect.bisect_left(starts, region.start)
        last = bisect.bisect_left(starts, region.end)
        window = list(range(last, min(len(doc), last + 6))) + list(
            range(first - 1, max(-1, first - 10), -1)
        )
        for i in window:
            tok = doc[i]
            if tok.text in ("“", "”", '"') and i not in (first, last):
                break
            if tok.lemma_.lower() in SPEECH_VERBS and (
                tok.pos_ == "VERB" or tok.tag_.startswith("VB")
            ):
                if i >= last and tok.sent.start > last and doc[last].text not in (",",):
                    continue
                return tok
        return None

    @staticmethod
    def _extend_quotes(
        doc: Doc, text: str, found: list[Candidate], speech: list[QuoteRegion]
    ) -> list[Candidate]:
        """“A,” he said. “B.” — one statement; so is a quote reopened in the next paragraph.

        After a quoted statement, the quotations that follow with nothing but white space
        between them (once the frame's sentence is over) continue it, up to the paragraph's
        end or to a quotation some other frame claims.
        """
        owner = {c.content[0]: c for c in found}
        inner_starts = [r.inner_start for r in speech]
        for cand in found:
            if cand.cue is None:
                continue
            idx = bisect.bisect_left(inner_starts, cand.content[0])
            if idx >= len(speech) or speech[idx].inner_start != cand.content[0]:
                continue
            region = speech[idx]
            if region.inner_end != cand.content[1]:
                continue
            cue_sent = doc[cand.cue[0]].sent
            frame_end = doc[cand.cue[1] - 1].idx + len(doc[cand.cue[1] - 1].text)
            if cand.source is not None:
                last = doc[cand.source[1] - 1]
                frame_end = max(frame_end, last.idx + len(last.text))
            # The parser often hangs the next quotation's opening mark on this sentence.
            sent_end = cue_sent.end_char
            while sent_end > region.end and (
                text[sent_end - 1] in QUOTE_CHARS or text[sent_end - 1].isspace()
            ):
                sent_end -= 1
            cursors = [region.end, max(region.end, frame_end), max(region.end, sent_end)]
            end = cand.content[1]
            pieces = [cand.content]
            for nxt in speech[idx + 1 :]:
                gaps = [text[c : nxt.start] for c in cursors if c <= nxt.start]
                if not any(
                    not g.strip().strip(".,") and ("\n" not in g or region.continues) for g in gaps
                ):
                    break
                other = owner.get(nxt.inner_start)
                if other is not None and other is not cand:
                    break
                end, region = nxt.inner_end, nxt
                pieces.append((nxt.inner_start, nxt.inner_end))
                cursors = [nxt.end]
            # A quotation whose frame comes in its last paragraph began paragraphs earlier:
            # “A.  /  “B,” she said.
            start = cand.content[0]
            for prev in reversed(speech[:idx]):
                if not prev.continues or text[prev.end : speech[idx].start].strip():
                    break
                if owner.get(prev.inner_start) not in (None, cand):
                    break
                start, idx = prev.inner_start, idx - 1
                pieces.insert(0, (prev.inner_start, prev.inner_end))
            if end > cand.content[1] or start < cand.content[0]:
                cand.pieces = pieces
                cand.content = (start, end)
        return found


def _cue_inside_quote(doc: Doc, cand: Candidate, speech: list[QuoteRegion]) -> bool:
    """A report inside a quotation ("“I think we will win,” she said") belongs to the quote.

    The quoted speaker's own "I think" is part of what the outer speaker said; reporting it
    separately would split one statement in two.
    """
    if cand.cue_head is None or cand.rule == "according-to":
        return False
    at = doc[cand.cue_head].idx
    for region in speech:
        if region.start > at:
            return False
        if region.inner_start <= at < region.inner_end and region.words >= 4:
            return True
    return False


def _inverted_subject(verb: Token, clause: Token | None) -> Token | None:
    """The speaker after the verb that ends a report: "“...,” said Ana Ruiz", "..., read one".

    The parser often takes the name for an object (or worse) when the verb comes first.
    """
    if clause is not None and clause.i > verb.i:
        return None
    after = next((c for c in verb.rights), None)
    if (
        after is None
        or after.pos_ not in ("PROPN", "NOUN", "PRON", "NUM")
        or after.left_edge.i != verb.i + 1
        or after.dep_ not in ("dobj", "obj", "ccomp", "advmod", "npadvmod", "attr", "nummod")
        or verb.lemma_.lower() not in SPEECH_VERBS
        or verb.lemma_.lower() in NEEDS_COMPLEMENT  # "“...,” X told Fox News": the addressee
    ):
        return None
    return after


def _acl_owner(verb: Token) -> Token | None:
    """Who speaks in a participle hung on a noun ("issued a statement saying that ...").

    A statement someone issues or writes in is theirs: the speaker is the subject of that
    verb. Elsewhere ("polls showing that ...", "voters saying that ...") the noun speaks.
    """
    if verb.dep_ != "acl" or verb.tag_ != "VBG":
        return None
    noun = verb.head
    owner = noun
    while owner.dep_ in ("dobj", "obj", "pobj", "prep") and owner.pos_ not in _VERBAL:
        owner = owner.head
    if owner is not noun and owner.pos_ in _VERBAL:
        return next((c for c in owner.children if c.dep_ in SUBJECT_DEPS), None)
    return noun if noun.pos_ in ("NOUN", "PROPN", "PRON") else None


def _publisher(noun: Token) -> Token | None:
    """The subject of the verb ``noun`` is the direct object of: "[X] issued a statement"."""
    if noun.dep_ not in ("dobj", "obj") or noun.head.pos_ not in _VERBAL:
        return None
    return next((c for c in noun.head.children if c.dep_ in SUBJECT_DEPS), None)


def _passive_cue(doc: Doc, verb: Token, clause: Token | None) -> Candidate | None:
    """A passive report: "the plan was endorsed by the union", "it is expected that ...".

    The by-agent, when there is one, is the source; without one the source is unnamed. The
    content is the reported clause when there is one, else the passive subject (what was
    endorsed, reported, rated). Only proposed in open-vocabulary mode: the model decides.
    """
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    by_obj = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent else None
    if clause is not None and not _inside(clause, verb):
        start, end = subtree_bounds(clause)
        end = _cut_trailing_participle(clause, start, end)
        rule = "passive-clause"
    else:
        subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if subject is None or subject.lower_ in ("it", "which", "that", "who"):
            return None
        start, end = subtree_bounds(subject)
        rule = "passive-agent" if by_obj is not None else "passive"
    content = span_chars(doc, start, end)
    if content[1] <= content[0]:
        return None
    cue_end = verb.i + 1
    if agent is not None and agent.i == cue_end:
        cue_end = agent.i + 1  # "endorsed by"
    return Candidate(
        content=content,
        source=noun_phrase(by_obj) if by_obj is not None else None,
        cue=(verb.i, cue_end),
        rule=rule,
        confidence=0.0,
        source_head=by_obj.i if by_obj is not None else None,
        cue_head=verb.i,
    )


def _cut_aside(doc: Doc, start: int, end: int) -> int:
    """End an object before a comma and "which"/"who": "the 1994 crime bill, which prompted
    ..." tells about the bill; it is the writer's aside, not part of what was reported."""
    for i in range(start + 1, end - 1):
        nxt = doc[i + 1]
        if (
            doc[i].text == ","
            and nxt.lower_ in ("which", "who", "whom", "whose")
            and nxt.head.dep_ == "relcl"
        ):
            return i
    return end


def _has_event_object(verb: Token) -> bool:
    """ "made the remarks", "gave a speech": the object is a speech event, not its content."""
    return any(
        c.dep_ in ("dobj", "obj") and c.lemma_.lower() in SPEECH_EVENT_NOUNS for c in verb.rights
    )
