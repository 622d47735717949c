"""quotetrace as a spaCy pipeline component.

After ``pip install quotetrace``::

    nlp = spacy.load("en_core_web_sm")
    nlp.add_pipe("quotetrace")
    doc = nlp(text)
    doc._.attributions   # [{"kind", "content", "source", "cue", "speaker", "confidence"}, ...]
    doc.spans["quotetrace_content"]   # the same, as spans labelled with the speaker

Results are plain lists and dicts in ``Doc._`` (msgpack-serialisable, so they survive
``DocBin(store_user_data=True)`` and ``nlp.pipe(n_process=2)``) plus three span groups whose
i-th spans belong to the i-th attribution. The attribution model is a registered, versioned
function (``quotetrace.Attributor.v1``); a published version never changes behaviour.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

import numpy as np
from spacy.attrs import ORTH, SPACY
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import registry

from .actor_chains import with_coref_chains
from .doc_text import doc_text
from .extractor import Candidate, RuleAttributor
from .speakers import resolve_speakers
from .turn_statements import add_turn_statements

__all__ = [
    "CONTENT_KEY",
    "CUE_KEY",
    "SOURCE_KEY",
    "AttributionComponent",
    "Attributor",
    "install_extensions",
    "make_attribution_component",
    "make_rule_attributor",
    "make_sentence_hints",
]

CONTENT_KEY = "quotetrace_content"
SOURCE_KEY = "quotetrace_source"
CUE_KEY = "quotetrace_cue"


class Attributor(Protocol):
    """Finds attributions in a parsed doc: ``(attributions, actors)`` as plain dicts."""

    def __call__(self, doc: Doc) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]: ...


def install_extensions() -> None:
    """Register the ``Doc._`` attributes; called by the component, never at import."""
    for name in ("attributions", "actors"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


class AttributionComponent:
    def __init__(self, nlp: Language, name: str, attributor: Attributor) -> None:
        self.name = name
        self.attributor = attributor
        install_extensions()

    def __call__(self, doc: Doc) -> Doc:
        attributions, actors = self.attributor(doc)
        doc._.attributions = attributions
        doc._.actors = actors
        groups: dict[str, list[Span]] = {CONTENT_KEY: [], SOURCE_KEY: [], CUE_KEY: []}
        for att in attributions:
            label = att.get("speaker") or att["kind"]
            for key, field in ((CONTENT_KEY, "content"), (SOURCE_KEY, "source"), (CUE_KEY, "cue")):
                span = _char_span(doc, att.get(field), label)
                if span is not None:
                    groups[key].append(span)
        for key, spans in groups.items():
            doc.spans[key] = spans
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    def initialize(self, get_examples: Callable[[], Any] | None = None, nlp: Any = None) -> None:
        install_extensions()

    # The rule attributor has no weights: serialisation is a no-op that keeps the API whole,
    # so `nlp.to_disk` / `spacy.load(path)` round-trip a pipeline that contains it.
    def to_disk(self, path: Any, *, exclude: Iterable[str] = ()) -> None:
        return None

    def from_disk(self, path: Any, *, exclude: Iterable[str] = ()) -> AttributionComponent:
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return b""

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> AttributionComponent:
        return self


def _char_span(doc: Doc, value: Any, label: str) -> Span | None:
    if not value:
        return None
    span = doc.char_span(int(value[0]), int(value[1]), label=label, alignment_mode="expand")
    return span


def _speakers(
    doc: Doc, found: list[Candidate], text: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The candidates' speakers; with quotetrace_coref before it, every actor's whole chain;
    with speaker turns (an interview's ``meta.turns``), the answers as statements."""
    attributions, actors = resolve_speakers(doc, found, text)
    return add_turn_statements(doc, attributions, with_coref_chains(doc, actors), text)


@registry.misc("quotetrace.Attributor.v1")  # type: ignore[untyped-decorator]
def make_rule_attributor() -> Attributor:
    """Rules over the dependency parse and quote marks, with in-document speaker resolution."""
    rules = RuleAttributor()

    def attribute(doc: Doc) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        text = doc_text(doc)  # spaCy's doc.text joins Token objects on each access: once
        return _speakers(doc, rules(doc, text), text)

    return attribute


@registry.misc("quotetrace.Attributor.v2")  # type: ignore[untyped-decorator]
def make_learned_attributor(
    weights: str = "packaged", threshold: float | None = None
) -> Attributor:
    """Open-vocabulary rule candidates scored by a model trained on PolNeAR (``quotetrace train``).

    ``weights`` is ``"packaged"`` (the model shipped with quotetrace) or a path to a model file
    or directory; ``threshold`` overrides the model's tuned decision threshold.
    """
    from .learned import AttributionModel, LearnedAttributor

    learned = LearnedAttributor(AttributionModel.load(weights), threshold)

    def attribute(doc: Doc) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        text = doc_text(doc)  # spaCy's doc.text joins Token objects on each access: once
        return _speakers(doc, learned(doc, text), text)

    return attribute


@Language.factory(
    "quotetrace",
    assigns=["doc._.attributions", "doc._.actors", "doc.spans"],
    requires=["token.dep", "token.pos", "token.lemma", "doc.ents"],
    default_config={"attributor": {"@misc": "quotetrace.Attributor.v2"}},
)
def make_attribution_component(
    nlp: Language, name: str, attributor: Attributor
) -> AttributionComponent:
    return AttributionComponent(nlp, name, attributor)


# "SANTORRE, April 16 (HPA) - ", "LISVEK (Reuters) — ", "VELMORA, March 10 - ": a place in
# capitals, maybe a date and an agency, then a dash.
_DATELINE = re.compile(
    r"\s*[A-Z][A-Z'. -]{1,40}[A-Z](?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r"(?:\s*\([^)\n]{1,40}\))?\s*[-–—]+\s+"
)
# how far into the article a dateline is looked for: the first paragraphs of the first tokens
_DATELINE_TOKENS = 120
_DATELINE_PARAGRAPHS = 2
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def _find_dateline(doc: Doc) -> re.Match[str] | None:
    """The dateline at the start of the article or of one of its first paragraphs: crawled
    text often opens with the headline ("Dams Could Have Held: Agency Chief\n\nNAIROBI
    (Kestrel) – The head of ... said"), and a dateline the parser reads as the subject
    makes the agency the speaker."""
    head = "".join(t.text_with_ws for t in doc[:_DATELINE_TOKENS])
    starts = [0]
    for found in _PARAGRAPH_BREAK.finditer(head):
        if len(starts) > _DATELINE_PARAGRAPHS:
            break
        starts.append(found.end())
    for start in starts:
        dateline = _DATELINE.match(head, start)
        if dateline is not None:
            return dateline
    return None


class SentenceHints:
    """Marks sentence starts the parser would miss in crawled text.

    Three cases, all cheap to see on tokens: a paragraph break (a whitespace token holding
    "\\n\\n"), a full stop glued to the next sentence ("meeting.Imam", "Gaza.“Since"), and
    the end of a dateline ("SANTORRE, April 16 (HPA) - Renata Vosk urged ..."), which the
    parser would otherwise read as the subject. Sentence starts are only set where these are
    seen; the parser keeps deciding everywhere else.
    """

    def __call__(self, doc: Doc) -> Doc:
        dateline = _find_dateline(doc)
        if dateline is not None:
            after = doc.char_span(dateline.end(), dateline.end() + 1, alignment_mode="expand")
            if after is not None and after.start > 0:
                doc[after.start].is_sent_start = True
        if len(doc) < 2:
            return doc
        # Every token of every article passes here, before the parser: the tests are made
        # once per distinct word and handed to the tokens as arrays, and only the tokens they
        # pick are touched, in order (a later rule never sees an earlier one's mark).
        words, of = np.unique(doc.to_array(ORTH), return_inverse=True)
        strings = doc.vocab.strings
        texts = [strings[w] for w in words.tolist()]

        def test(rule: Callable[[str], bool]) -> np.ndarray:
            hits = np.array([rule(t) for t in texts], dtype=bool)
            return hits[of.reshape(-1)]  # type: ignore[no-any-return]

        spaced = doc.to_array(SPACY).astype(bool)
        line_break = test(lambda t: t.isspace() and "\n" in t)
        bare = ~spaced
        opening = test(lambda t: t in ("“", "‘"))
        stop = test(lambda t: t in (".", "!", "?"))
        starts = test(lambda t: t[:1].isupper()) | opening
        # the token before the full stop: not "U.S." and not a single letter
        word_before = ~test(str.isupper) & test(lambda t: len(t) > 1)
        prev = slice(0, -1)
        start = np.zeros(len(doc), dtype=bool)
        start[1:] = line_break[prev]
        keep = np.zeros(len(doc), dtype=bool)
        keep[1:] = ~start[1:] & opening[prev] & bare[prev]
        glued = np.zeros(len(doc), dtype=bool)
        glued[2:] = (stop & bare)[1:-1] & starts[2:] & word_before[:-2]
        start |= glued & ~keep
        for i in np.flatnonzero(start | keep).tolist():
            doc[i].is_sent_start = bool(start[i])
        return doc


@Language.factory("quotetrace_sentence_hints")
def make_sentence_hints(nlp: Language, name: str) -> SentenceHints:
    return SentenceHints()
