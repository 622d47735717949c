"""Story clustering at 10,000 and 100,000 synthetic articles: does the cost grow linearly?

Run: ``python bench/stories_bench.py [--sizes 10000 100000] [--json out.json]``.

The articles are synthetic and fictional: pseudo-words and pseudo-names made of syllables,
grouped into stories the way news is - many single reports, and stories told by two to six
outlets over up to three days, some as wire copy with a few words changed and sentences
dropped, some as independent reports that share the names and a part of the words. All
sizes spread over the same two years, so the larger corpus is ten times as dense per day
(the harder case for the per-week LSH tables).

Times are CPU seconds of this process (``time.process_time``): the machine is shared, and
wall-clock time there measures the neighbours as much as the code; wall time is reported too.
For each size: the time to compute the articles' features (words, names), the time to add
them to the story index (LSH query, scoring, union-find), their sum, the pairwise F1 of the
stories found against the generated ones, and the ratio of each time to the smallest size's
(the baseline measured in the same run). Near-linear growth means a ratio close to the size
ratio (10); the target is below 15.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import sys
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from quotetrace.models import Article
from quotetrace.stories.clustering import ClusteringParams, StoryIndex, article_features

SYLLABLES = (
    "ka lo mi ren tas vo dri nel sor pau zen qui bar tel mon ux fra gil hos wen yar cle dun pri "
    "sal ter bo nik ast ul mar fe gor lin tra ves cor ip dal en"
).split()
DAYS = 730
START = dt.date(2022, 1, 1)
ZIPF = [1 / (rank + 1) for rank in range(40)]


@dataclass(frozen=True)
class Corpus:
    articles: list[Article]
    gold: dict[str, int]


def _pseudo(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables))


def _lexicon(rng: random.Random, size: int, syllables: tuple[int, int]) -> list[str]:
    out: set[str] = set()
    while len(out) < size:
        out.add(_pseudo(rng, rng.randint(*syllables)))
    return sorted(out)


class Generator:
    """Fictional stories over a fixed pseudo-vocabulary, reproducible from the seed."""

    def __init__(self, seed: int = 11) -> None:
        self.rng = random.Random(seed)
        self.words = _lexicon(self.rng, 30_000, (2, 4))
        self.common = self.words[:300]  # every article uses some of these
        self.people = [w.title() for w in _lexicon(self.rng, 20_000, (2, 3))]
        self.places = [w.title() for w in _lexicon(self.rng, 3_000, (2, 3))]
        self.outlets = [f"{w.title()} News" for w in _lexicon(self.rng, 50, (2, 2))]

    def _sentence(self, topic: list[str], names: list[str], share: float) -> str:
        rng = self.rng
        # Within a story, word use is Zipfian: a few words ("dam", "river") recur in every
        # report, most appear once.
        words = [
            rng.choices(topic, weights=ZIPF)[0] if rng.random() < share else rng.choice(self.common)
            for _ in range(rng.randint(12, 20))
        ]
        words.insert(rng.randrange(len(words)), rng.choice(names))
        if rng.random() < 0.5:
            words.append(f"{rng.choice(names)} said")
        # News sentences open with an article or a name far more often than with a random
        # capitalised word (which the name finder would take for a name).
        return "The " + " ".join(words) + "."

    def story(self, story_id: int, size: int, n: int) -> list[tuple[Article, int]]:
        rng = self.rng
        topic = rng.sample(self.words, 40)
        names = [
            f"{rng.choice(self.people)} {rng.choice(self.people)}" for _ in range(rng.randint(2, 4))
        ]
        names += rng.sample(self.places, rng.randint(1, 2))
        base = [self._sentence(topic, names, 0.45) for _ in range(rng.randint(6, 9))]
        day = rng.randrange(DAYS)
        out = []
        for member in range(size):
            if member == 0 or rng.random() < 0.5:
                # wire copy: a few words changed, a sentence or two dropped
                sentences = [s for s in base if rng.random() > 0.15] or base[:1]
                text = " ".join(
                    " ".join(
                        w if rng.random() > 0.08 else rng.choice(self.common) for w in s.split()
                    )
                    for s in sentences
                )
            else:
                # an independent report: the same names and topic, other sentences
                text = " ".join(
                    self._sentence(topic, names, 0.35) for _ in range(rng.randint(5, 8))
                )
            date = day + rng.randint(0, 2)
            doc = Article(
                doc_id=f"syn-{n + member}",
                text=text,
                date=(START + dt.timedelta(days=date)).isoformat(),
                outlet=rng.choice(self.outlets),
            )
            out.append((doc, story_id))
        return out

    def corpus(self, size: int) -> Corpus:
        articles: list[Article] = []
        gold: dict[str, int] = {}
        story = 0
        while len(articles) < size:
            k = 1 if self.rng.random() < 0.4 else self.rng.randint(2, 6)
            k = min(k, size - len(articles))
            for article, sid in self.story(story, k, len(articles)):
                articles.append(article)
                gold[article.doc_id] = sid
            story += 1
        self.rng.shuffle(articles)
        return Corpus(articles, gold)


def _pairs(sizes: Any) -> int:
    return sum(c * (c - 1) // 2 for c in sizes)


def pairwise_f1(gold: dict[str, int], predicted: dict[str, str]) -> dict[str, float]:
    """Pairwise P/R/F1 from the contingency table (linear, not over all pairs)."""
    both = Counter((gold[d], predicted[d]) for d in gold)
    tp = _pairs(both.values())
    gold_pairs = _pairs(Counter(gold.values()).values())
    pred_pairs = _pairs(Counter(predicted.values()).values())
    p = tp / pred_pairs if pred_pairs else 1.0
    r = tp / gold_pairs if gold_pairs else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def run(size: int) -> dict[str, Any]:
    corpus = Generator().corpus(size)
    ordered = sorted(corpus.articles, key=lambda a: (a.date or "", a.doc_id))
    wall = time.perf_counter()
    began = time.process_time()
    features = [article_features(a) for a in ordered]
    featured = time.process_time()
    index = StoryIndex(ClusteringParams(), streaming=True)
    for f in features:
        index.add(f)
    done = time.process_time()
    wall = time.perf_counter() - wall
    predicted = {doc: story for story, docs in index.stories().items() for doc in docs}
    return {
        "articles": size,
        "gold_stories": len(set(corpus.gold.values())),
        "stories_found": len(set(predicted.values())),
        "features_s": featured - began,
        "index_s": done - featured,
        "total_s": done - began,
        "wall_s": wall,
        "articles_per_s": size / (done - began),
        **{f"pairwise_{k}": v for k, v in pairwise_f1(corpus.gold, predicted).items()},
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def alignment_share(fixtures: str = "tests/fixtures/stories/articles") -> dict[str, Any]:
    """CPU seconds to extract the fixture articles (spaCy) against the CPU seconds to cluster,
    align and compare them (``build_story_reports``), in the mode the machine has."""
    from pathlib import Path

    from quotetrace.ingest import iter_articles
    from quotetrace.nlp.pipeline import extract_articles, load_pipeline
    from quotetrace.stories.encoder import encoder_mode, load_encoder
    from quotetrace.stories.service import build_story_reports

    articles = list(iter_articles([str(p) for p in sorted(Path(fixtures).glob("*.txt"))]))
    nlp = load_pipeline(None)
    list(extract_articles(articles[:2], nlp))  # warm the pipeline
    start = time.process_time()
    processed = list(extract_articles(articles, nlp))
    extract_s = time.process_time() - start
    load_encoder()  # loaded once per process, like the model
    start = time.process_time()
    build_story_reports(processed)
    stories_s = time.process_time() - start
    return {
        "articles": len(articles),
        "mode": encoder_mode(),
        "extract_cpu_s": extract_s,
        "stories_cpu_s": stories_s,
        "share_of_extraction": stories_s / extract_s,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument("--max-ratio", type=float, default=15.0)
    parser.add_argument(
        "--alignment-share", action="store_true", help="only: alignment CPU against extraction"
    )
    args = parser.parse_args(argv)
    if args.alignment_share:
        share = alignment_share()
        print(
            f"{share['articles']} fixture articles: extraction {share['extract_cpu_s']:.2f} CPU s, "
            f"stories (cluster + {share['mode']} alignment + differences) "
            f"{share['stories_cpu_s']:.2f} CPU s = {share['share_of_extraction']:.0%} of extraction"
        )
        print(json.dumps(share))
        return 0
    results = [run(n) for n in args.sizes]
    base = results[0]
    for r in results:
        r["time_ratio"] = r["total_s"] / base["total_s"]
        r["size_ratio"] = r["articles"] / base["articles"]
    print(
        "| articles | features s | index s | total CPU s | wall s | articles/s | ratio (time / size) "
        "| pairwise P | R | F1 | max RSS MB |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['articles']:,} | {r['features_s']:.1f} | {r['index_s']:.1f} | "
            f"{r['total_s']:.1f} | {r['wall_s']:.1f} | {r['articles_per_s']:.0f} | "
            f"{r['time_ratio']:.2f} / {r['size_ratio']:.0f} | {r['pairwise_precision']:.3f} | "
            f"{r['pairwise_recall']:.3f} | {r['pairwise_f1']:.3f} | {r['max_rss_mb']:.0f} |"
        )
    summary = {"results": results, "max_time_ratio": args.max_ratio}
    print(json.dumps(summary))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(summary, fh, indent=2)
    if results[1:] and results[-1]["time_ratio"] >= args.max_ratio:
        print(f"time ratio {results[-1]['time_ratio']:.2f} >= {args.max_ratio}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
