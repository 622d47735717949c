"""The record types that flow through quotetrace: an article in, attributions out.

Offsets are Python ``str`` character offsets into ``Article.text``, end-exclusive, exactly as
in the shared interchange format (``FORMAT.md``), so a record can be written as JSONL and read
back by any tool that speaks that format.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["Actor", "Article", "Attribution", "CharSpan", "Kind", "ProcessedArticle"]

Kind = Literal["direct", "indirect", "mixed"]
CharSpan = tuple[int, int]


@dataclass(frozen=True)
class Article:
    """One news report as read from a file or a JSONL record.

    ``meta`` keeps every key the input carried (``split``, ``title``, ...) so nothing is lost on
    the way through; ``date`` and ``outlet`` are lifted out because every later stage needs them.
    """

    doc_id: str
    text: str
    date: str | None = None
    outlet: str | None = None
    title: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def output_meta(self) -> dict[str, Any]:
        meta = dict(self.meta)
        if self.date is not None:
            meta["date"] = self.date
        if self.outlet is not None:
            meta["outlet"] = self.outlet
        if self.title is not None:
            meta["title"] = self.title
        return meta


@dataclass(frozen=True)
class Attribution:
    """Who said what: one statement with its frame.

    ``content`` is the reported material (inside the quote marks for a direct quote), ``source``
    the mention the text uses at this point ("he", "The Iraqi prime minister"), ``cue`` the
    attributing word or phrase, ``speaker`` the canonical actor the source resolves to.
    """

    kind: Kind
    content: CharSpan
    source: CharSpan | None
    cue: CharSpan | None
    speaker: str | None
    confidence: float
    actor_id: int | None = None
    rule: str | None = None  # the construction that found it ("clause", "according-to", ...)
    # How far the speaker is to be trusted (0 when there is none); rises with precision.
    speaker_confidence: float | None = None
    via: str | None = None  # the document a statement came through ("statement", "report")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "content": list(self.content),
            "source": list(self.source) if self.source else None,
            "cue": list(self.cue) if self.cue else None,
            "speaker": self.speaker,
            "confidence": round(self.confidence, 3),
        }
        if self.actor_id is not None:
            out["actor_id"] = self.actor_id
        if self.rule is not None:
            out["rule"] = self.rule
        if self.speaker_confidence is not None:
            out["speaker_confidence"] = round(self.speaker_confidence, 3)
        if self.via is not None:
            out["via"] = self.via
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Attribution:
        def span(v: Any) -> CharSpan | None:
            return (int(v[0]), int(v[1])) if v else None

        content = span(data["content"])
        assert content is not None
        return cls(
            kind=data["kind"],
            content=content,
            source=span(data.get("source")),
            cue=span(data.get("cue")),
            speaker=data.get("speaker"),
            confidence=float(data.get("confidence", 1.0)),
            actor_id=data.get("actor_id"),
            rule=data.get("rule"),
            speaker_confidence=(
                float(data["speaker_confidence"])
                if data.get("speaker_confidence") is not None
                else None
            ),
            via=data.get("via"),
        )


@dataclass(frozen=True)
class Actor:
    """A person or organisation inside one document, with every mention that names it."""

    actor_id: int
    name: str
    label: str
    mentions: tuple[CharSpan, ...]
    members: tuple[int, ...] = ()  # a group's actors ("Ana Ruiz and Tom Lee"): their ids
    # the further mentions coreference found (pronouns, descriptions); kept apart from the
    # ones the speaker rules read, which alone link actors across the store
    chain: tuple[CharSpan, ...] = ()

    @staticmethod
    def split_chain(
        mentions: Iterable[Sequence[int]], chain: Iterable[Sequence[int]] | None
    ) -> tuple[tuple[CharSpan, ...], tuple[CharSpan, ...]]:
        """(the rules' mentions, the chain) from a JSON actor, whose ``mentions`` hold both:
        the chain's spans are taken out of ``mentions`` (lists or tuples, as JSON or msgpack
        gave them)."""
        added = tuple((int(m[0]), int(m[1])) for m in chain or ())
        out = set(added)
        own = tuple(m for m in ((int(m[0]), int(m[1])) for m in mentions) if m not in out)
        return own, added

    def to_json(self) -> dict[str, Any]:
        every = sorted(set(self.mentions) | set(self.chain)) if self.chain else self.mentions
        out: dict[str, Any] = {
            "id": self.actor_id,
            "name": self.name,
            "label": self.label,
            "mentions": [list(m) for m in every],
        }
        if self.members:
            out["members"] = list(self.members)
        if self.chain:
            out["chain"] = [list(m) for m in self.chain]
        return out


@dataclass(frozen=True)
class ProcessedArticle:
    """An article with what the extractor found in it."""

    article: Article
    attributions: tuple[Attribution, ...]
    actors: tuple[Actor, ...] = ()

    def to_json(self, *, include_text: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {"doc_id": self.article.doc_id}
        if include_text:
            out["text"] = self.article.text
        out["meta"] = self.article.output_meta()
        out["attributions"] = [a.to_json() for a in self.attributions]
        out["actors"] = [a.to_json() for a in self.actors]
        return out

    def snippet(self, span: CharSpan | None) -> str:
        if span is None:
            return ""
        return self.article.text[span[0] : span[1]]
