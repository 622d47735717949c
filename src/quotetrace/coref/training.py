"""Training the coreference model on GUM entity JSONL (``../shared/data/gum/README.md``).

    quotetrace train-coref --train gum/train.jsonl --dev gum/dev.jsonl --out build/coref

1. Parse every document once (cached as a DocBin keyed by the corpus hash).
2. Align the detected mentions to the gold mentions one-to-one (a predicted span containing the
   gold head first, then the best overlap), as the shared scorer does, so each detected mention
   has a gold entity or none.
3. Count the gold type (person / organisation / other) of every lexicon key: the typer.
4. Fit the pair model by L2-regularised logistic regression (L-BFGS from zero: deterministic)
   over every (candidate antecedent, anaphor) pair in the window; a pair is positive when both
   mentions belong to the same gold entity.
5. Choose L2, the linking thresholds (names, descriptions, pronouns), the unnamed-chain rule
   and the share of person/org probability a cluster needs to be kept by B-cubed F1 + name
   accuracy + mention recall over the gold person and organisation mentions: on dev (the
   default), or by 4-fold cross-validation on train (dev is then scored held out).

Only weights and lexicon counts are written; no training text leaves the run.
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError
from .features import CATEGORIES, N_BASE, MentionTyper, categories, pair_grid
from .linking import LATEST_RULES
from .mentions import FORMS, NOMINAL, Mentions, detect_mentions
from .model import PACKAGED, CorefModel
from .turns import set_turns, turns_from_meta

__all__ = ["GumDoc", "TrainingReport", "align", "read_gum", "train_coref"]

SCORED_TYPES = ("person", "organization")


@dataclass
class GumDoc:
    doc_id: str
    text: str
    mentions: list[dict[str, Any]]
    names: dict[str, str | None]  # entity id -> canonical name
    meta: dict[str, Any] = field(default_factory=dict)  # the record's meta (speaker turns)


@dataclass
class TrainingReport:
    pairs: int
    positives: int
    l2: float
    threshold: float
    pronoun_threshold: float
    dev: dict[str, float]
    seconds: float


def read_gum(path: str) -> list[GumDoc]:
    """GUM documents with their gold mentions; the text stays in memory only."""
    docs = []
    try:
        with open(path, encoding="utf-8") as handle:
            for n, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                    docs.append(
                        GumDoc(
                            str(rec["doc_id"]),
                            str(rec["text"]),
                            list(rec.get("mentions") or []),
                            {str(e["id"]): e.get("name") for e in rec.get("entities") or []},
                            dict(rec.get("meta") or {}),
                        )
                    )
                except (ValueError, KeyError, TypeError) as exc:
                    raise ConfigError(
                        f"{path}:{n}: not a GUM entity record ({exc})",
                        "give JSONL as in ../shared/data/gum/README.md",
                    ) from None
    except OSError as exc:
        raise ConfigError(f"cannot read {path} ({exc})", "check the path") from None
    if not docs:
        raise ConfigError(f"{path} has no documents", "give GUM entity JSONL")
    return docs


def align(
    gold: list[tuple[tuple[int, int], tuple[int, int]]], pred: list[tuple[int, int]]
) -> dict[int, int]:
    """One-to-one pairs {pred index: gold index}: containing the gold head first, then Dice."""
    order = sorted(range(len(pred)), key=lambda k: pred[k])
    starts = [pred[k][0] for k in order]
    cands = []
    for gi, ((gs, ge), (hs, he)) in enumerate(gold):
        for pos in range(bisect.bisect_left(starts, ge)):
            pk = order[pos]
            ps, pe = pred[pk]
            inter = min(ge, pe) - max(gs, ps)
            if inter <= 0:
                continue
            dice = 2.0 * inter / ((ge - gs) + (pe - ps))
            cands.append((-int(ps <= hs and he <= pe), -dice, gi, pk))
    cands.sort()
    used_g: set[int] = set()
    out: dict[int, int] = {}
    for _h, _d, gi, pk in cands:
        if gi not in used_g and pk not in out:
            used_g.add(gi)
            out[pk] = gi
    return out


def char_spans(doc: Any, m: Mentions) -> list[tuple[int, int]]:
    return list(zip(m.char_start.tolist(), m.char_end.tolist(), strict=True))


@dataclass
class _Aligned:
    gold_doc: GumDoc
    doc: Any
    mentions: Mentions
    entity: np.ndarray  # gold entity index per mention, -1 when none
    gtype: list[str | None]  # gold type per mention
    names: dict[int, str | None]  # gold entity index -> its name
    gold_of: dict[int, int] = field(default_factory=dict)  # mention -> its gold mention's index


def _aligned(gold_doc: GumDoc, doc: Any, m: Mentions) -> _Aligned:
    gold = [
        (
            (int(g["span"][0]), int(g["span"][1])),
            tuple(int(v) for v in (g.get("head") or g["span"])),
        )
        for g in gold_doc.mentions
    ]
    pairs = align(gold, char_spans(doc, m))  # type: ignore[arg-type]
    ids: dict[str, int] = {}
    entity = np.full(len(m), -1, dtype=np.int64)
    gtype: list[str | None] = [None] * len(m)
    names: dict[int, str | None] = {}
    for pk, gi in pairs.items():
        g = gold_doc.mentions[gi]
        entity[pk] = ids.setdefault(str(g["entity"]), len(ids))
        gtype[pk] = str(g["type"])
        names[int(entity[pk])] = gold_doc.names.get(str(g["entity"]))
    return _Aligned(gold_doc, doc, m, entity, gtype, names, dict(pairs))


def learn_typer(items: list[_Aligned], min_count: int = 2) -> MentionTyper:
    """P(person), P(org) per lexicon key from the gold types of the aligned mentions."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for it in items:
        for k, key in enumerate(it.mentions.keys):
            t = it.gtype[k]
            label = t if t in SCORED_TYPES else "other"
            keys = [key, key.split(":", 1)[0] + ":*"]
            if int(it.mentions.form[k]) == NOMINAL:
                keys.append("suf:" + key[5:][-3:])
            for kk in keys:
                counts[kk][label] += 1
    table: dict[str, tuple[float, float]] = {}
    for key, c in counts.items():
        total = sum(c.values())
        # a suffix stands for unseen words only when many words share it
        if total < (5 * min_count if key.startswith("suf:") else min_count):
            continue
        # add-one smoothing towards "other": a word seen once naming a person is not a person word
        table[key] = (c["person"] / (total + 1), c["organization"] / (total + 1))
    return MentionTyper(table)


def learn_genders(items: list[_Aligned], min_count: int = 2) -> dict[str, float]:
    """P(feminine) of name first words and nouns, from the he/she pronouns of their gold entity."""
    pron: dict[tuple[int, int], Counter[int]] = defaultdict(Counter)
    for n_doc, it in enumerate(items):
        m = it.mentions
        for k in range(len(m)):
            if it.entity[k] >= 0 and m.pron_class[k] in ("he", "she"):
                pron[(n_doc, int(it.entity[k]))][int(m.gender[k])] += 1
    counts: dict[str, Counter[int]] = defaultdict(Counter)
    for n_doc, it in enumerate(items):
        m = it.mentions
        for k in range(len(m)):
            c = pron.get((n_doc, int(it.entity[k])))
            if it.entity[k] < 0 or not c or int(m.form[k]) == 2:
                continue
            g = 2 if c[2] > c[1] else 1 if c[1] > c[2] else 0
            if not g:
                continue
            key = m.keys[k]
            if int(m.form[k]) == 0:
                key = "first:" + it.doc[int(m.start[k])].lower_
            counts[key][g] += 1
    return {
        key: c[2] / (c[1] + c[2]) for key, c in sorted(counts.items()) if c[1] + c[2] >= min_count
    }


def _design(items: list[_Aligned], typer: MentionTyper, window: int) -> tuple[Any, np.ndarray]:
    """The crossed sparse design matrix and labels over every valid pair of ``items``."""
    from scipy.sparse import csr_matrix

    blocks_x, blocks_y = [], []
    for it in items:
        m = it.mentions
        if len(m) < 2:
            continue
        pp, po = typer.probabilities(m)
        grid = pair_grid(m, pp, po, window)
        cat = categories(m)
        e = it.entity
        y = (e[:, None] >= 0) & (e[grid.ante] == e[:, None]) & grid.valid
        rows = grid.x[grid.valid]  # (P, F)
        offs = np.broadcast_to(cat[:, None], grid.valid.shape)[grid.valid] * N_BASE
        blocks_x.append((rows, offs))
        blocks_y.append(y[grid.valid])
    data: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    row_counts: list[np.ndarray] = []
    for rows, offs in blocks_x:
        nz_r, nz_c = np.nonzero(rows)
        data.append(rows[nz_r, nz_c])
        cols.append(offs[nz_r] + nz_c)
        row_counts.append(np.bincount(nz_r, minlength=rows.shape[0]))
    all_counts = np.concatenate(row_counts)
    ptr = np.concatenate([[0], np.cumsum(all_counts)])
    x = csr_matrix(
        (np.concatenate(data), np.concatenate(cols), ptr),
        shape=(int(all_counts.shape[0]), len(CATEGORIES) * N_BASE),
    )
    return x, np.concatenate(blocks_y).astype(np.float64)


def fit(x: Any, y: np.ndarray, l2: float) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by L-BFGS from zero (reproducible)."""
    from scipy.optimize import minimize

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = params[:-1], params[-1]
        z = x @ w + b
        # log(1 + exp(z)) - y z, computed stably
        value = float(np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * l2 * w @ w)
        p = 1.0 / (1.0 + np.exp(-z))
        g = p - y
        grad = np.empty_like(params)
        grad[:-1] = x.T @ g + l2 * w
        grad[-1] = g.sum()
        return value, grad

    res = minimize(
        loss, np.zeros(x.shape[1] + 1), jac=True, method="L-BFGS-B", options={"maxiter": 1000}
    )
    return res.x[:-1].reshape(len(CATEGORIES), N_BASE), float(res.x[-1])


_NAME_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
# words that do not identify anyone: honorifics, titles said as a form of address, articles
_NOT_NAMING = frozenset(
    "the of and a an his her mr mrs ms dr sir imam ayatollah sayyed president prime minister "
    "eminence".split()
)


def _naming_words(name: str) -> list[str]:
    words = [w.lower() for w in _NAME_WORD.findall(name)]
    return [w for w in (w[3:] if w.startswith("al-") else w for w in words) if w not in _NOT_NAMING]


def names_agree(gold: str, predicted: str) -> bool:
    """Whether a predicted name names the gold entity, by the rule the published speaker and
    mention scores use: the same string, or the last naming word of either among the other's
    words ("Ali Khamenei" for "Imam Sayyed Ali Khamenei", "Thomas" for "Thomas Sam")."""
    if " ".join(gold.lower().split()) == " ".join(predicted.lower().split()):
        return True
    g, p = _naming_words(gold), _naming_words(predicted)
    return bool(g and p) and (g[-1] in p or p[-1] in g)


# what item_counts counts, in order: B-cubed precision and recall sums, covered and gold
# person/org mentions, named gold mentions and those named right, then both by form
_COUNTS = 6 + 2 * len(FORMS)


def item_counts(it: _Aligned, model: CorefModel) -> np.ndarray:
    """One document's counts for ``scores`` (see ``_COUNTS``): summed over documents they give
    the scores of the documents together, so settings can be scored once per document and
    then chosen on any subset (leave-one-out in ``crossval``)."""
    m = it.mentions
    total = sum(1 for g in it.gold_doc.mentions if g["type"] in SCORED_TYPES)
    turns = model.turn_links(it.doc, m)
    said = model.said_links(it.doc, m)
    cluster, pp, po = model.clusters(it.doc, m, turns, said)
    ents = model.entities(it.doc, m, cluster, pp, po, turns, said)
    actor_of: dict[int, int] = {}
    name_of: dict[int, str] = {}
    head_to_k = {int(h): k for k, h in enumerate(m.head.tolist())}
    for ent in ents:
        for h in ent["heads"]:
            actor_of[head_to_k[h]] = ent["id"]
        name_of[ent["id"]] = ent["name"]
    gold_ids = {}
    for k in range(len(m)):
        if it.gtype[k] in SCORED_TYPES and k in actor_of:
            gold_ids[k] = int(it.entity[k])
    by_g: dict[int, set[int]] = defaultdict(set)
    by_p: dict[int, set[int]] = defaultdict(set)
    for k, g in gold_ids.items():
        by_g[g].add(k)
        by_p[actor_of[k]].add(k)
    b3_p = b3_r = 0.0
    for k, g in gold_ids.items():
        inter = len(by_g[g] & by_p[actor_of[k]])
        b3_p += inter / len(by_p[actor_of[k]])
        b3_r += inter / len(by_g[g])
    # name accuracy over the gold mentions of named entities, by the gold form, as the
    # shared scorer counts it: a gold mention no detected mention found is a miss
    named: Counter[str] = Counter()
    name_ok: Counter[str] = Counter()
    predicted_name = {gi: name_of.get(actor_of.get(k, -1), "") for k, gi in it.gold_of.items()}
    for gi, gold in enumerate(it.gold_doc.mentions):
        gname = it.gold_doc.names.get(str(gold["entity"]))
        gform = str(gold.get("form"))
        if gold["type"] not in SCORED_TYPES or not gname or gform not in FORMS:
            continue
        named[gform] += 1
        if names_agree(gname, predicted_name.get(gi, "")):
            name_ok[gform] += 1
    return np.array(
        [b3_p, b3_r, len(gold_ids), total, sum(named.values()), sum(name_ok.values())]
        + [named[f] for f in FORMS]
        + [name_ok[f] for f in FORMS],
        dtype=np.float64,
    )


def scores(counts: np.ndarray) -> dict[str, float]:
    """B-cubed F1, mention recall, name accuracy (all, and by form) from summed counts."""
    b3_p, b3_r, covered, total, named, name_ok = counts[:6].tolist()
    by_form = counts[6:].tolist()
    p = b3_p / covered if covered else 0.0
    r = b3_r / covered if covered else 0.0
    out = {
        "b3_f1": 2 * p * r / (p + r) if p + r else 0.0,
        "recall": covered / total if total else 0.0,
        "name_acc": name_ok / max(1.0, named),
    }
    for i, form in enumerate(FORMS):
        n = by_form[i]
        out[f"name_acc_{form}"] = by_form[len(FORMS) + i] / n if n else 0.0
    return out


def objective(s: dict[str, float]) -> float:
    """What the settings are chosen by: linking (B-cubed), naming, and finding the mentions.

    Descriptions ("the cleric", "the agency") count once more on their own: they are about a
    tenth of the named mentions, so in the overall name accuracy a description threshold that
    leaves half of them unnamed costs less than a point of B-cubed gains, and the settings
    chosen on eleven GUM dev documents left the twelfth's descriptions unnamed (held-out
    nominal accuracy 0.48 by this objective without the term, 0.66 with it)."""
    return s["b3_f1"] + s["name_acc"] + s["recall"] + s["name_acc_nominal"]


def score_items(items: list[_Aligned], model: CorefModel) -> dict[str, float]:
    """B-cubed over the aligned person/org mentions and name accuracy by form (tuning only;
    the published figures come from the shared scorer in ``evaluation.py``)."""
    total = np.zeros(_COUNTS)
    for it in items:
        total += item_counts(it, model)
    return scores(total)


def parse_gum(
    docs: list[GumDoc], path: str, cache_dir: Path | None, what: str, model: str | None
) -> list[Any]:
    """Parses of ``docs`` by quotetrace's pipeline (without its own components)."""
    from spacy.tokens import DocBin

    from ..nlp.pipeline import load_pipeline, parse_cache_file

    nlp = load_pipeline(model, coref=False)
    cached = None
    if cache_dir is not None:
        cached = parse_cache_file(cache_dir, f"gum-{what}", path, nlp)
        if cached.exists():
            return with_turns(docs, list(DocBin().from_disk(cached).get_docs(nlp.vocab)))
    with nlp.select_pipes(disable=["quotetrace"]):
        out = list(nlp.pipe((d.text for d in docs), batch_size=32))
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        DocBin(docs=out).to_disk(cached)
    return with_turns(docs, out)


def with_turns(docs: list[GumDoc], parsed: list[Any]) -> list[Any]:
    """The parses with each record's speaker turns (``meta.turns``) put on them."""
    for gold, doc in zip(docs, parsed, strict=True):
        turns = turns_from_meta(gold.meta, len(gold.text))
        if turns:
            set_turns(doc, turns)
    return parsed


# The settings chosen with the pair weights: the name, description and pronoun thresholds,
# whether unnamed pronoun chains join the nearest named person, the share a cluster keeps.
_GRID: tuple[tuple[float, ...], ...] = (
    (0.4, 0.5, 0.6, 0.7),
    (0.2, 0.3, 0.4, 0.6),
    (0.05, 0.1, 0.2, 0.3),
    (0, 1),
    (0.35, 0.5),
)
# the CorefModel fields _GRID's columns set, in its order
SETTINGS = ("threshold", "nominal_threshold", "pronoun_threshold", "attach_unnamed", "keep_min")


def with_settings(model: CorefModel, combo: tuple[float, ...]) -> CorefModel:
    """``model`` with one row of ``_GRID`` as its linking settings."""
    settings: dict[str, Any] = dict(zip(SETTINGS, combo, strict=True))
    settings["attach_unnamed"] = int(settings["attach_unnamed"])
    return replace(model, **settings)


def train_coref(
    train_path: str,
    dev_path: str,
    out_dir: Path,
    *,
    l2_grid: Sequence[float] = (1.0, 4.0, 16.0),
    window: int = 50,
    nominal_min: float = 0.1,
    with_genders: bool = False,
    tune: str = "dev",
    folds: int = 4,
    model: str | None = None,
    cache_dir: Path | None = None,
    progress: Callable[[str], None] = lambda _msg: None,
) -> TrainingReport:
    """Train on ``train_path``, write ``out_dir/coref-v5.json`` (``quotetrace.Coref.v5``).

    ``tune="dev"`` (the default, as shipped) chooses L2 and the linking settings on dev (the
    figures on dev are then in-sample); ``tune="train-cv"`` chooses them by ``folds``-fold
    cross-validation on train, so that ``dev_path`` is scored held out."""
    started = time.perf_counter()
    train_docs, dev_docs = read_gum(train_path), read_gum(dev_path)
    progress(f"parsing {len(train_docs)} train and {len(dev_docs)} dev documents")
    train_parsed = parse_gum(train_docs, train_path, cache_dir, "train", model)
    dev_parsed = parse_gum(dev_docs, dev_path, cache_dir, "dev", model)

    # the lexicon from every noun, then mentions restricted by it
    every = [
        _aligned(g, d, detect_mentions(d)) for g, d in zip(train_docs, train_parsed, strict=True)
    ]
    typer = learn_typer(every)
    typer.genders = learn_genders(every) if with_genders else {}
    keep = typer.nominal_ok(nominal_min)
    train_items = [
        _aligned(g, d, detect_mentions(d, keep, typer.gender_of, LATEST_RULES))
        for g, d in zip(train_docs, train_parsed, strict=True)
    ]
    dev_items = [
        _aligned(g, d, detect_mentions(d, keep, typer.gender_of, LATEST_RULES))
        for g, d in zip(dev_docs, dev_parsed, strict=True)
    ]
    x, y = _design(train_items, typer, window)
    progress(f"{x.shape[0]} pairs, {int(y.sum())} positive; fitting")

    def model_for(weights: np.ndarray, bias: float, combo: tuple[float, ...]) -> CorefModel:
        base = CorefModel(weights, bias, typer, window=window, nominal_min=nominal_min)
        return with_settings(base, combo)

    grid = list(itertools.product(*_GRID))
    totals: dict[tuple[float, tuple[float, ...]], float] = {}
    fitted: dict[float, tuple[np.ndarray, float]] = {}  # on all of train, by L2
    if tune == "dev":
        for l2 in l2_grid:
            weights, bias = fitted[l2] = fit(x, y, l2)
            for combo in grid:
                totals[(l2, combo)] = objective(
                    score_items(dev_items, model_for(weights, bias, combo))
                )
            progress(f"l2 {l2}: scored {len(grid)} settings on dev")
    else:
        # the settings are chosen on train itself, fold by fold, so that dev stays held out
        for l2 in l2_grid:
            for fold in range(folds):
                rest = [it for k, it in enumerate(train_items) if k % folds != fold]
                held = [it for k, it in enumerate(train_items) if k % folds == fold]
                fx, fy = _design(rest, typer, window)
                weights, bias = fit(fx, fy, l2)
                for combo in grid:
                    s = score_items(held, model_for(weights, bias, combo))
                    totals[(l2, combo)] = totals.get((l2, combo), 0.0) + objective(s) / folds
                progress(f"l2 {l2}: fold {fold + 1} of {folds} scored")
    # the best setting; ties go to the first in grid order (deterministic)
    _pos, (l2_best, combo_best) = max(enumerate(totals), key=lambda kv: (totals[kv[1]], -kv[0]))
    weights, bias = fitted[l2_best] if l2_best in fitted else fit(x, y, l2_best)
    chosen = model_for(weights, bias, combo_best)
    dev = score_items(dev_items, chosen)
    chosen.meta = {
        "l2": l2_best,
        "trained_on": Path(train_path).name,
        "tuned_on": Path(dev_path).name
        if tune == "dev"
        else f"{folds}-fold cross-validation on " + Path(train_path).name,
        "pairs": int(x.shape[0]),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / PACKAGED[LATEST_RULES].name).write_text(chosen.to_json(), encoding="utf-8")
    return TrainingReport(
        pairs=int(x.shape[0]),
        positives=int(y.sum()),
        l2=float(chosen.meta["l2"]),
        threshold=chosen.threshold,
        pronoun_threshold=chosen.pronoun_threshold,
        dev={k: round(v, 4) for k, v in dev.items()},
        seconds=time.perf_counter() - started,
    )
