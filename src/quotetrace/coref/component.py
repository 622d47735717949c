"""Coreference of people and organisations as a spaCy component of its own.

After ``pip install quotetrace``::

    nlp = spacy.load("en_core_web_sm")
    nlp.add_pipe("quotetrace_coref")
    doc = nlp(text)
    doc._.coref_entities   # [{"id", "name", "label", "named", "mentions", "tokens", "heads",
                           #   "forms"}, ...] sorted by first mention
    entity_at(doc, 12)     # the entity whose mention is headed by (or contains) token 12

The model is a registered, versioned function (``quotetrace.Coref.v5``; ``v1`` to ``v4`` as
first published); its weights ship in the
package and travel with the pipeline (``nlp.to_disk`` / ``spacy.load`` / ``to_bytes``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry

from .model import CorefModel

__all__ = ["CorefComponent", "entity_at", "install_coref_extension", "make_coref_component"]

_WEIGHTS_FILE = "coref.json"


def install_coref_extension() -> None:
    if not Doc.has_extension("coref_entities"):
        Doc.set_extension("coref_entities", default=None)


def entity_at(doc: Doc, token_index: int) -> dict[str, Any] | None:
    """The entity with a mention headed by that token, else the one with the smallest mention
    containing it, else ``None`` (also when the component has not run)."""
    entities = doc._.coref_entities if Doc.has_extension("coref_entities") else None
    if not entities:
        return None
    best: tuple[int, dict[str, Any]] | None = None
    for ent in entities:
        if token_index in ent["heads"]:
            return dict(ent)
        for start, end in ent["tokens"]:
            if start <= token_index < end and (best is None or end - start < best[0]):
                best = (end - start, ent)
    return dict(best[1]) if best is not None else None


class CorefComponent:
    def __init__(self, nlp: Language, name: str, model: CorefModel) -> None:
        self.name = name
        self.model = model
        install_coref_extension()

    def __call__(self, doc: Doc) -> Doc:
        doc._.coref_entities = self.model.resolve(doc)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    def initialize(self, get_examples: Callable[[], Any] | None = None, nlp: Any = None) -> None:
        install_coref_extension()

    # The weights travel with the pipeline, so a saved pipeline loads the model it was saved with.
    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return self.model.to_json().encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> CorefComponent:
        self.model = CorefModel.from_dict(json.loads(data.decode("utf-8")))
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / _WEIGHTS_FILE).write_text(self.model.to_json(), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> CorefComponent:
        self.model = CorefModel.load(Path(path) / _WEIGHTS_FILE)
        return self


@registry.misc("quotetrace.Coref.v1")  # type: ignore[untyped-decorator]
def make_coref_model(weights: str = "packaged") -> CorefModel:
    """Mention-ranking coreference trained on GUM, as first published (``coref-v1.json``).

    ``weights`` is ``"packaged"`` (shipped with quotetrace) or the path of a weights file or of
    the directory ``train-coref`` wrote.
    """
    return CorefModel.load(weights, version=1)


@registry.misc("quotetrace.Coref.v2")  # type: ignore[untyped-decorator]
def make_coref_model_v2(weights: str = "packaged") -> CorefModel:
    """v1's pair model with speaker turns (``doc._.turns``), deterministic sieves before the
    pair scores (appositions, the same name or description again, a title's holder),
    first-name clashes and a threshold of its own for descriptions (``coref-v2.json``)."""
    return CorefModel.load(weights, version=2)


@registry.misc("quotetrace.Coref.v3")  # type: ignore[untyped-decorator]
def make_coref_model_v3(weights: str = "packaged") -> CorefModel:
    """v2 with one more sieve before the pair scores: a person called by a first name alone
    is the one person of the article with that first name (``coref-v3.json``)."""
    return CorefModel.load(weights, version=3)


@registry.misc("quotetrace.Coref.v4")  # type: ignore[untyped-decorator]
def make_coref_model_v4(weights: str = "packaged") -> CorefModel:
    """v3 whose full names have first names even where the recogniser left them unlabelled
    ("I'm Isabel Ruiz"), with weights whose settings were chosen by the published name rule
    (``coref-v4.json``)."""
    return CorefModel.load(weights, version=4)


@registry.misc("quotetrace.Coref.v5")  # type: ignore[untyped-decorator]
def make_coref_model_v5(weights: str = "packaged") -> CorefModel:
    """v4 that names a person after the name the article says most often, whether or not the
    recogniser labelled it ("Byron", said seven times unlabelled, over "Edleston", labelled
    once, after one wrong link), a title alone ("the Secretary") not counting
    (``coref-v5.json``)."""
    return CorefModel.load(weights, version=5)


@Language.factory(
    "quotetrace_coref",
    assigns=["doc._.coref_entities"],
    requires=["token.dep", "token.pos", "token.lemma", "token.tag", "doc.ents"],
    default_config={"model": {"@misc": "quotetrace.Coref.v5"}},
)
def make_coref_component(nlp: Language, name: str, model: CorefModel) -> CorefComponent:
    return CorefComponent(nlp, name, model)
