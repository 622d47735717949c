"""The learned attribution model (``quotetrace.Attributor.v2``): rules propose, a model decides.

The rules of v1 know a list of cue words; news uses far more ("offered", "took heat for",
"dedicated to"). With ``open_vocabulary`` the rules propose a candidate at every verb whose
parse has the shape of a report, and a logistic model over parse features, trained on PolNeAR
(``quotetrace train``), gives each candidate a probability. That probability is the
attribution's ``confidence``; candidates under the tuned threshold are dropped.

The weights are a small JSON file shipped in the package (``weights/attributor-v2.json``):
feature name -> weight. Nothing is downloaded at run time.
"""

from __future__ import annotations

import gc
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from itertools import repeat
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from ..errors import ModelError
from .candidates import overlap_f1
from .cues import lexicon_class
from .extractor import Candidate, RuleAttributor, span_text
from .quote_marks import QuoteRegion, find_quote_regions
from .sequence import SequenceTagger
from .source_linker import SourceLinker

__all__ = [
    "FEATURE_VERSION",
    "AttributionModel",
    "LearnedAttributor",
    "candidate_features",
    "cue_offsets",
    "drop_overlaps",
    "keep_confident",
    "overlap_f1",
]

FEATURE_VERSION = 5
PACKAGED_WEIGHTS = "attributor-v2.json"
SEQUENCE_FILE = "attributor-v2.crf"
_OPENING_MARKS = "“‘\"'"
_PRONOUNS = frozenset("he she they it i we you who which that".split())


def _bucket(n: int) -> str:
    for limit in (2, 4, 8, 16, 32, 64):
        if n <= limit:
            return f"<={limit}"
    return ">64"


def _subject_kind(doc: Doc, cand: Candidate) -> str:
    if cand.source_head is None:
        return "none"
    subj = doc[cand.source_head]
    if subj.lower_ in _PRONOUNS:
        return "pron"
    return "propn" if subj.pos_ == "PROPN" else "noun"


def _source_path(doc: Doc, cand: Candidate) -> str:
    """How the source mention hangs on the cue: its subject, inherited, or found nearby."""
    if cand.source_head is None or cand.cue_head is None:
        return "none"
    subj, cue = doc[cand.source_head], doc[cand.cue_head]
    if subj.head.i == cue.i:
        return f"own:{subj.dep_}"
    if subj.dep_ in ("nsubj", "csubj") and subj.head.is_ancestor(cue):
        return "inherited"
    return f"other:{subj.dep_}"


def candidate_features(doc: Doc, cand: Candidate, text: str | None = None) -> list[str]:
    """The evidence a candidate's parse gives, as feature names (one-hot).

    ``text`` is ``doc.text``, when the caller has it already.
    """
    feats = [f"rule={cand.rule}", f"kind={cand.kind}"]
    subj_kind = _subject_kind(doc, cand)
    lex = lexicon_class(doc[cand.cue_head].lemma_.lower()) if cand.cue_head is not None else None
    feats.append(f"rule+subj={cand.rule}|{subj_kind}")
    if cand.cue_head is not None:
        cue = doc[cand.cue_head]
        lemma = cue.lemma_.lower()
        feats += [
            f"lemma={lemma}",
            f"lemma+rule={lemma}|{cand.rule}",
            f"lex={lex}",
            f"lex+rule={lex}|{cand.rule}",
            f"tag={cue.tag_}",
            f"dep={cue.dep_}",
            f"dep+rule={cue.dep_}|{cand.rule}",
            f"headpos={cue.head.pos_}",
        ]
        if any(c.dep_ == "neg" for c in cue.children):
            feats.append("negated")
        if any(c.dep_ == "aux" and c.tag_ == "MD" for c in cue.children):
            feats.append("modal")
        if cand.cue is not None and cand.cue[1] - cand.cue[0] > 1:
            feats.append("cue-multiword")
            # The word a multiword cue ends with: "complained about", "critical of", "call for".
            feats.append(f"cue-last={doc[cand.cue[1] - 1].lower_}|{cand.rule}")
        cue_at = cue.idx
        where = (
            "before"
            if cue_at < cand.content[0]
            else "after"
            if cue_at >= cand.content[1]
            else "inside"
        )
        feats += [
            f"cue-{where}",
            f"lemma+where={lemma}|{where}",
            f"lemma+subj={lemma}|{subj_kind}",
            f"lemma+kind={lemma}|{cand.kind}",
            f"lex+dep={lex}|{cue.dep_}",
        ]
    if cand.source_head is None:
        feats.append("subj=none")
    else:
        subj = doc[cand.source_head]
        low = subj.lower_
        if low in _PRONOUNS:
            subject = f"subj=pron:{low}"
        elif subj.pos_ == "PROPN":
            subject = f"subj=propn:{subj.ent_type_ or '-'}"
        else:
            # A common noun is known by its lemma ("poll", "officials"); that is what pairs.
            feats.append(f"subj=noun:{subj.ent_type_ or '-'}")
            subject = f"subjlemma={subj.lemma_.lower()}"
        feats.append(subject)
        if lex is not None:
            feats.append(f"subj+lex={subject}|{lex}")
        # How the source was found: the cue's own subject is safer than one inherited from a
        # governing verb, or a mention taken from inside the content.
        path = _source_path(doc, cand)
        feats += [f"srcpath={path}", f"srcpath+rule={path}|{cand.rule}"]
        if cand.content[0] <= subj.idx < cand.content[1]:
            feats.append(f"src-in-content|{cand.rule}")
    content = doc.char_span(cand.content[0], cand.content[1], alignment_mode="expand")
    if content is not None and len(content):
        root = content.root
        feats += [f"content-root={root.pos_}|{root.dep_}", f"content-root-tag={root.tag_}"]
        if any(t.dep_ in ("nsubj", "nsubjpass", "expl") for t in root.children):
            feats.append("content-has-subject")
        if lex is not None:
            feats.append(f"lex+root={lex}|{root.pos_}")
    chars = (
        span_text(doc, cand.content) if text is None else text[cand.content[0] : cand.content[1]]
    )
    words = chars.split()
    feats.append(f"len={_bucket(len(words))}")
    if words:
        feats.append("first=" + words[0].lower().strip(_OPENING_MARKS))
    if cand.pieces and len(cand.pieces) > 1:
        feats.append("pieces")
    return feats


@dataclass
class AttributionModel:
    """Weights of a logistic model over ``candidate_features``, and its decision threshold."""

    weights: dict[str, float]
    bias: float
    threshold: float
    meta: dict[str, Any] = field(default_factory=dict)
    # The token tagger trained with these weights (``attributor-v2.crf``), if there is one.
    sequence: SequenceTagger | None = None

    def probability(self, features: list[str]) -> float:
        z = self.bias + sum(map(self.weights.get, features, repeat(0.0)))
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def to_json(self) -> dict[str, Any]:
        data = {
            "format": "quotetrace.Attributor.v2",
            "feature_version": FEATURE_VERSION,
            "bias": self.bias,
            "threshold": self.threshold,
            "meta": self.meta,
            "weights": dict(sorted(self.weights.items())),
        }
        if self.sequence is not None:
            spec: dict[str, Any] = {
                "file": SEQUENCE_FILE,
                "threshold": self.sequence.threshold,
                "calibration": self.sequence.calibration,
            }
            if self.sequence.linker is not None:
                spec["linker"] = self.sequence.linker.to_json()
            data["sequence"] = spec
        return data

    def save(self, path: Path) -> None:
        """The weights to ``path``; a tagger goes beside it as ``attributor-v2.crf``."""
        path.write_text(json.dumps(self.to_json(), indent=0, ensure_ascii=False) + "\n")
        if self.sequence is not None:
            (path.parent / SEQUENCE_FILE).write_bytes(self.sequence.model)

    @classmethod
    def from_json(
        cls, data: dict[str, Any], where: str, read: Callable[[str], bytes] | None = None
    ) -> AttributionModel:
        """A model from its JSON; ``read`` gives the bytes of a file beside it (the tagger)."""
        if data.get("format") != "quotetrace.Attributor.v2":
            raise ModelError(f"{where} is not a quotetrace v2 model", "train one: quotetrace train")
        if data.get("feature_version") != FEATURE_VERSION:
            raise ModelError(
                f"{where} was trained on feature version {data.get('feature_version')}, "
                f"this quotetrace computes version {FEATURE_VERSION}",
                "retrain it with this version: quotetrace train",
            )
        sequence = None
        if data.get("sequence"):
            name = str(data["sequence"]["file"])
            if read is None:
                raise ModelError(f"{where} needs its tagger {name}", "keep the two files together")
            try:
                spec = data["sequence"]
                calibration = spec.get("calibration")
                linker = spec.get("linker")
                sequence = SequenceTagger(
                    read(name),
                    float(spec["threshold"]),
                    (float(calibration[0]), float(calibration[1])) if calibration else None,
                    SourceLinker.from_json(linker) if linker else None,
                )
            except OSError as exc:
                raise ModelError(
                    f"{where} needs its tagger {name}, which cannot be read ({exc})",
                    "keep attributor-v2.json and attributor-v2.crf together, or retrain",
                ) from None
        return cls(
            weights={str(k): float(v) for k, v in data["weights"].items()},
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
            meta=dict(data.get("meta", {})),
            sequence=sequence,
        )

    @classmethod
    def load(cls, path: str | Path | None = None) -> AttributionModel:
        """A model file, or the one shipped in the package when ``path`` is None."""
        if path is None or str(path) == "packaged":
            folder = resources.files("quotetrace.nlp") / "weights"
            data = json.loads((folder / PACKAGED_WEIGHTS).read_text(encoding="utf-8"))
            return cls.from_json(data, PACKAGED_WEIGHTS, lambda n: (folder / n).read_bytes())
        p = Path(path)
        if p.is_dir():
            p = p / PACKAGED_WEIGHTS
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ModelError(
                f"cannot read the model {p} ({exc})", "give a file made by quotetrace train"
            ) from None
        return cls.from_json(data, str(p), lambda n: (p.parent / n).read_bytes())


def _nested(a: Candidate, b: Candidate, doc_cue_at: dict[int, int]) -> bool:
    """One report inside the other ("attacks which he described as ..."): both stand."""
    for inner, outer in ((a, b), (b, a)):
        at = doc_cue_at.get(id(inner))
        if at is not None and outer.content[0] <= at < outer.content[1]:
            return True
    return False


def drop_overlaps(
    cands: list[Candidate], limit: float = 0.5, cue_at: dict[int, int] | None = None
) -> list[Candidate]:
    """Most confident first, a candidate whose content mostly repeats a kept one is dropped,
    unless one is nested in the other (``cue_at``: candidate id -> its cue's character offset)."""
    cue_at = cue_at or {}
    kept: list[Candidate] = []
    for cand in sorted(cands, key=lambda c: -c.confidence):
        if all(
            overlap_f1(cand.content, k.content) < limit or _nested(cand, k, cue_at) for k in kept
        ):
            kept.append(cand)
    kept.sort(key=lambda c: c.content)
    return kept


class LearnedAttributor:
    """Open-vocabulary rule candidates, scored and filtered by an ``AttributionModel``."""

    def __init__(self, model: AttributionModel, threshold: float | None = None) -> None:
        self.model = model
        self.threshold = model.threshold if threshold is None else threshold
        self.rules = RuleAttributor(open_vocabulary=True)

    def score(
        self, doc: Doc, text: str | None = None, regions: list[QuoteRegion] | None = None
    ) -> list[Candidate]:
        text = doc.text if text is None else text  # spaCy rebuilds it on every access
        cands = self.rules(doc, text, regions)
        for cand in cands:
            cand.confidence = self.model.probability(candidate_features(doc, cand, text))
        return cands

    def __call__(self, doc: Doc, text: str | None = None) -> list[Candidate]:
        """``text`` is ``doc.text``, when the caller has it already."""
        # Tens of thousands of short-lived feature lists per article trigger the cyclic
        # garbage collector again and again, for nothing: none of them forms a cycle.
        paused = gc.isenabled()
        gc.disable()
        try:
            return self._attribute(doc, doc.text if text is None else text)
        finally:
            if paused:
                gc.enable()

    def _attribute(self, doc: Doc, text: str) -> list[Candidate]:
        # The rules and the tagger read the same quotations: found once per article.
        regions = find_quote_regions(text)
        proposed = self.score(doc, text, regions)
        kept = keep_confident(doc, proposed, self.threshold)
        if self.model.sequence is not None:
            kept = self.model.sequence.add_reports(doc, kept, proposed, text=text, regions=regions)
        return kept


def keep_confident(doc: Doc, cands: list[Candidate], threshold: float) -> list[Candidate]:
    """The scored candidates at or above ``threshold``, one per statement (``drop_overlaps``)."""
    above = [c for c in cands if c.confidence >= threshold]
    return drop_overlaps(above, cue_at=cue_offsets(doc, above))


def cue_offsets(doc: Doc, cands: list[Candidate]) -> dict[int, int]:
    """Where the cues of relative-clause reports are: those may nest inside another report."""
    return {
        id(c): doc[c.cue_head].idx
        for c in cands
        if c.cue_head is not None and doc[c.cue_head].dep_ == "relcl"
    }
