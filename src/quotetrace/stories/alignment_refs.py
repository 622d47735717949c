"""The statements alignment works on: one per attribution, with its surface clues."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..models import Attribution, ProcessedArticle
from .actors import ActorKey
from .text import content_stems, name_keys, name_mentions, sentence_spans, word_tokens

__all__ = ["StatementRef", "statement_refs"]

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_PRONOUN_OR_ROLE = re.compile(r"^(?:he|she|they|it|we|i|you|the|a|an|his|her|its|their)\b", re.I)


@dataclass(frozen=True)
class StatementRef:
    """One attribution of one article, with what alignment needs to know about it."""

    doc_id: str
    outlet: str
    index: int
    attribution: Attribution
    text: str
    stems: tuple[str, ...]
    actor: ActorKey | None
    source_text: str = ""
    position: float = 0.0  # where the statement starts, as a share of the article
    names: frozenset[str] = field(default_factory=frozenset)
    numbers: frozenset[str] = field(default_factory=frozenset)
    words: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()  # its sentences, when it has more than one

    @property
    def content(self) -> tuple[int, int]:
        return self.attribution.content

    @property
    def quoted(self) -> bool:
        return self.attribution.kind != "indirect"

    @property
    def named_source(self) -> bool:
        """The article names the speaker right there ("Biden said"), not "he" or "the Leader".

        Two statements whose speakers are each named so, as two different people, are never
        one statement; a speaker the extractor reached through a pronoun or a description
        may be wrong, so it only weighs against.
        """
        source = self.source_text.strip()
        return bool(source) and not _PRONOUN_OR_ROLE.match(source) and bool(name_keys(source))


def _parts(text: str) -> tuple[str, ...]:
    spans = sentence_spans(text)
    if len(spans) < 2:
        return ()
    parts = tuple(text[s:e] for s, e in spans if len(word_tokens(text[s:e])) >= 4)
    return parts if len(parts) >= 2 else ()


def statement_refs(docs: Sequence[ProcessedArticle]) -> list[StatementRef]:
    refs = []
    for processed in docs:
        article = processed.article
        length = max(1, len(article.text))
        for i, att in enumerate(processed.attributions):
            text = processed.snippet(att.content)
            stems = tuple(content_stems(text))
            if not stems:
                continue
            actor = (article.doc_id, att.speaker) if att.speaker else None
            names = frozenset(key for name, _, _ in name_mentions(text) for key in name_keys(name))
            refs.append(
                StatementRef(
                    doc_id=article.doc_id,
                    outlet=article.outlet or article.doc_id,
                    index=i,
                    attribution=att,
                    text=text,
                    stems=stems,
                    actor=actor,
                    source_text=processed.snippet(att.source),
                    position=att.content[0] / length,
                    names=names,
                    numbers=frozenset(m.group().replace(",", "") for m in _NUMBER.finditer(text)),
                    words=tuple(t.lower for t in word_tokens(text)),
                    parts=_parts(text),
                )
            )
    return refs
