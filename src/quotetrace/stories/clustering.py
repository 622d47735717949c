"""Stories: reports of one event across outlets and days, found in about linear time.

Two articles belong to one story when they report the same event, whether one is a rewrite of
the other's wire copy or an independent report. Comparing every pair of articles is quadratic,
so candidates come from MinHash locality-sensitive hashing (datasketch) over two sets per
article, each catching one kind of sibling:

* ``words``: content-word stems and stem bigrams. Wire copy and its rewrites share most of
  them.
* ``names``: the names an article mentions, as keys ("khamenei", "sudani", "tehran"), plus its
  speakers. Independent reports of one meeting word it differently but name the same people
  and places.

The LSH tables are kept per week of the dateline and an article looks only in its own week and
the two next to it: a story spans days, not months, and the buckets stay small however large
the archive grows. Each candidate is then scored exactly (Jaccard of both sets, the gap between
the datelines, shared speakers); the article joins the story of its best link and, when it
links strongly to two stories, merges them (union-find). Articles are added one at a time, so
new articles join existing stories on ingest without re-clustering the archive.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from datasketch import MinHash, MinHashLSH
from numpy.typing import NDArray

from ..models import Article, ProcessedArticle
from .text import content_stems, name_keys, name_mentions

__all__ = [
    "ArticleFeatures",
    "ClusteringParams",
    "StoryIndex",
    "article_features",
    "assign_to_stories",
    "cluster_articles",
    "parse_day",
    "story_id_for",
]

NUM_PERM = 128
_UNDATED = -1


@dataclass(frozen=True)
class ClusteringParams:
    """Thresholds of the story linker; the defaults are tuned on tests/fixtures/stories.

    ``link`` is the score an article needs to join a story; ``merge`` the (higher) score that
    lets one article join two stories into one. ``max_gap_days`` bounds the dateline gap of two
    reports of one event; near-copies (``copy_words`` Jaccard) may be ``max_copy_gap_days``
    apart, as a wire story is often re-run days later.
    """

    link: float = 0.42
    merge: float = 0.6
    max_gap_days: int = 3
    max_copy_gap_days: int = 10
    copy_words: float = 0.5
    # LSH (bands, rows) over NUM_PERM=128 permutations. Names: two rows per band make a pair
    # with Jaccard 0.25 a candidate 98% of the time and one with 0.05 15% of the time -
    # independent reports share about a quarter of their names, unrelated ones almost none.
    # Words: three rows, as every article shares common words with thousands of others, and
    # two rows would make the candidates grow with the number of articles per week; copies
    # (Jaccard 0.4 and more) still collide 94% of the time, and are found by names too.
    words_bands: tuple[int, int] = (42, 3)
    names_bands: tuple[int, int] = (64, 2)


@dataclass(frozen=True)
class ArticleFeatures:
    """What the story linker knows about one article.

    ``words`` holds CRC-32 hashes of the content-word stems and stem bigrams, sorted and
    unique: a story index of 100,000 articles keeps them all in memory, and an array of
    integers is a tenth of the size of a set of strings.
    """

    doc_id: str
    day: int | None
    words: NDArray[np.uint32]
    names: frozenset[str]
    speakers: frozenset[str]
    statements: tuple[frozenset[str], ...] = ()


def parse_day(date: str | None) -> int | None:
    """The dateline as a day number (``date.toordinal``); None when absent or unreadable."""
    if not date:
        return None
    try:
        return dt.date.fromisoformat(date[:10]).toordinal()
    except ValueError:
        return None


def article_features(item: ProcessedArticle | Article) -> ArticleFeatures:
    """Words, names and speakers of an article (its attributions and actors when extracted)."""
    if isinstance(item, ProcessedArticle):
        article = item.article
        speakers = {a.speaker for a in item.attributions if a.speaker}
        actor_names = [a.name for a in item.actors]
        statements = tuple(
            frozenset(content_stems(item.snippet(a.content))) for a in item.attributions
        )
    else:
        article = item
        speakers, actor_names, statements = set(), [], ()
    text = article.text
    stems = content_stems(text)
    words = set(stems)
    words.update(f"{a}_{b}" for a, b in itertools.pairwise(stems))
    word_hashes = np.unique(
        np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint32)
    )
    names: set[str] = set()
    for name, _, _ in name_mentions(text):
        names.update(name_keys(name))
    for name in actor_names:
        names.update(name_keys(name))
    speaker_keys: set[str] = set()
    for name in speakers:
        speaker_keys.update(name_keys(name))
    names.update(speaker_keys)
    return ArticleFeatures(
        doc_id=article.doc_id,
        day=parse_day(article.date),
        words=word_hashes,
        names=frozenset(names),
        speakers=frozenset(speaker_keys),
        statements=tuple(st for st in statements if len(st) >= 2),
    )


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def _jaccard_hashes(a: NDArray[np.uint32], b: NDArray[np.uint32]) -> float:
    if not len(a) or not len(b):
        return 0.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter)


def _shared_statement(a: tuple[frozenset[str], ...], b: tuple[frozenset[str], ...]) -> float:
    """1 when the two articles report one statement in like words (most of the shorter one)."""
    best = 0.0
    for x in a:
        for y in b:
            shared = len(x & y)
            if shared >= 3:
                best = max(best, shared / min(len(x), len(y)))
    return min(1.0, best / 0.6)


def _already_hashed(value: int) -> int:
    return value


class _Minhasher:
    """MinHash signatures over CRC-32 hashes, sharing one set of permutations.

    Building the permutations is the slow part of a ``MinHash``, so every signature reuses
    the template's; the items arrive hashed already (``ArticleFeatures.words``).
    """

    def __init__(self) -> None:
        self._template = MinHash(num_perm=NUM_PERM, seed=7, hashfunc=_already_hashed)

    def __call__(self, hashes: Iterable[int]) -> MinHash:
        mh = MinHash(
            num_perm=NUM_PERM,
            seed=7,
            hashfunc=_already_hashed,
            permutations=self._template.permutations,
            scheme=self._template.scheme,
        )
        mh.update_batch(list(hashes))
        return mh


def _hash_strings(items: Iterable[str]) -> list[int]:
    return [zlib.crc32(s.encode("utf-8")) for s in items]


@dataclass
class _Partition:
    words: MinHashLSH
    names: MinHashLSH


@dataclass
class StoryIndex:
    """Articles seen so far, their stories, and the LSH tables to find a new article's siblings.

    Example::

        index = StoryIndex()
        assign_to_stories(first_batch, index)      # {"doc-1": "s3f9…", ...}
        assign_to_stories(second_batch, index)     # new articles join the stories above
        index.stories()                             # {"s3f9…": ["doc-1", "doc-7"], ...}

    ``streaming=True`` is for articles that arrive in dateline order (``cluster_articles``):
    an article only looks one week back, so the tables and features of older weeks are
    dropped as the dates move on, and memory stays bounded by three weeks of articles. An
    index that may still receive older articles keeps everything (the default).
    """

    params: ClusteringParams = field(default_factory=ClusteringParams)
    streaming: bool = False
    features: dict[str, ArticleFeatures] = field(default_factory=dict)
    _parent: dict[str, str] = field(default_factory=dict)
    _founder_day: dict[str, tuple[int, str]] = field(default_factory=dict)
    _known_ids: dict[str, str] = field(default_factory=dict)  # root -> story id given to add()
    _doc_of_story: dict[str, str] = field(default_factory=dict)  # given story id -> a doc
    _partitions: dict[int, _Partition] = field(default_factory=dict)
    _week_docs: dict[int, list[str]] = field(default_factory=dict)
    _newest_week: int | None = None
    _minhash: _Minhasher = field(default_factory=_Minhasher)

    def __len__(self) -> int:
        return len(self._parent)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._parent

    # -- union-find over doc ids; the root of a story is its founding article ----------------
    def _find(self, doc_id: str) -> str:
        root = doc_id
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[doc_id] != root:  # path compression
            self._parent[doc_id], doc_id = root, self._parent[doc_id]
        return root

    def _union(self, a: str, b: str) -> str:
        ra, rb = self._find(a), self._find(b)
        if ra == rb:
            return ra
        # The older story keeps its id, so ids stay stable as stories grow.
        if self._founder_day[rb] < self._founder_day[ra]:
            ra, rb = rb, ra
        self._parent[rb] = ra
        # A story id known from before (the store) survives a merge, the older one first.
        known = self._known_ids.get(ra) or self._known_ids.pop(rb, None)
        if known is not None:
            self._known_ids[ra] = known
            self._doc_of_story[known] = ra
        return ra

    def story_of(self, doc_id: str) -> str:
        root = self._find(doc_id)
        return self._known_ids.get(root) or story_id_for(root)

    def stories(self) -> dict[str, list[str]]:
        """Story id -> doc ids, in the order the articles were added."""
        out: dict[str, list[str]] = {}
        for doc_id in self._parent:
            out.setdefault(self.story_of(doc_id), []).append(doc_id)
        return out

    # -- linking --------------------------------------------------------------------------------
    def _partition(self, week: int) -> _Partition:
        part = self._partitions.get(week)
        if part is None:
            p = self.params
            part = _Partition(
                words=MinHashLSH(num_perm=NUM_PERM, params=p.words_bands),
                names=MinHashLSH(num_perm=NUM_PERM, params=p.names_bands),
            )
            self._partitions[week] = part
        return part

    def _weeks_to_search(self, day: int | None) -> list[int]:
        if day is None:
            return list(self._partitions)
        week = day // 7
        return [w for w in (week - 1, week, week + 1, _UNDATED) if w in self._partitions]

    def _drop_weeks_before(self, week: int) -> None:
        if self._newest_week is not None and week <= self._newest_week:
            return
        self._newest_week = week
        for old in [w for w in self._partitions if w != _UNDATED and w < week]:
            del self._partitions[old]
            for doc_id in self._week_docs.pop(old, []):
                self.features.pop(doc_id, None)

    def link_score(self, a: ArticleFeatures, b: ArticleFeatures) -> float:
        """How surely two articles report one event: 0 (no) to 1 (copies)."""
        p = self.params
        words = _jaccard_hashes(a.words, b.words)
        gap = abs(a.day - b.day) if a.day is not None and b.day is not None else 0
        if words >= p.copy_words:
            return 1.0 if gap <= p.max_copy_gap_days else 0.0
        if gap > p.max_gap_days:
            return 0.0
        names = _jaccard(a.names, b.names)
        score = 0.5 * min(1.0, words / 0.3) + 0.3 * min(1.0, names / 0.5)
        score += 0.2 * _shared_statement(a.statements, b.statements)
        return score * (1.0 - 0.1 * gap)

    def add(
        self, item: ProcessedArticle | Article | ArticleFeatures, story_id: str | None = None
    ) -> str:
        """Add one article and return its story id (a new one when it matches no story).

        ``story_id`` seeds the index with an article whose story is already known (read back
        from the store): it joins that story without being scored, and the id is kept.
        """
        feats = item if isinstance(item, ArticleFeatures) else article_features(item)
        doc_id = feats.doc_id
        if doc_id in self._parent:
            return self.story_of(doc_id)
        # An empty set has the empty signature, which every other empty set shares: it is
        # kept out of the tables, or articles without words would all be each other's
        # candidates.
        words_mh = self._minhash(feats.words.tolist()) if len(feats.words) else None
        names_mh = self._minhash(_hash_strings(feats.names)) if feats.names else None
        scored: list[tuple[float, str]] = []
        if story_id is None:
            candidates: set[str] = set()
            for week in self._weeks_to_search(feats.day):
                part = self._partitions[week]
                if words_mh is not None:
                    candidates.update(part.words.query(words_mh))
                if names_mh is not None:
                    candidates.update(part.names.query(names_mh))
            scored = sorted(
                ((self.link_score(feats, self.features[c]), c) for c in candidates),
                reverse=True,
            )
        self.features[doc_id] = feats
        self._parent[doc_id] = doc_id
        self._founder_day[doc_id] = (feats.day if feats.day is not None else 1 << 30, doc_id)
        if story_id is not None:
            sibling = self._doc_of_story.get(story_id)
            self._known_ids[doc_id] = story_id
            self._doc_of_story[story_id] = doc_id
            if sibling is not None:
                self._union(sibling, doc_id)
        p = self.params
        joined = False
        for score, other in scored:
            if score < p.link:
                break
            if not joined:
                self._union(other, doc_id)
                joined = True
            elif score >= p.merge:
                self._union(other, doc_id)
        week = feats.day // 7 if feats.day is not None else _UNDATED
        part = self._partition(week)
        self._week_docs.setdefault(week, []).append(doc_id)
        if self.streaming and feats.day is not None:
            self._drop_weeks_before(week - 1)
        if words_mh is not None:
            part.words.insert(doc_id, words_mh, check_duplication=False)
        if names_mh is not None:
            part.names.insert(doc_id, names_mh, check_duplication=False)
        return self.story_of(doc_id)


def story_id_for(founder_doc_id: str) -> str:
    """A story's id is derived from its first article, so it is stable across runs."""
    return "s-" + hashlib.sha1(founder_doc_id.encode("utf-8")).hexdigest()[:12]


def _order_key(item: ProcessedArticle | Article) -> tuple[str, str]:
    article = item.article if isinstance(item, ProcessedArticle) else item
    return (article.date or "9999", article.doc_id)


def assign_to_stories(
    new_articles: Iterable[ProcessedArticle | Article], index: StoryIndex
) -> dict[str, str]:
    """Add articles to an index (oldest first) and return doc id -> story id for each.

    Articles already in the index keep their story. Story ids of earlier articles may change
    only when a new article merges two stories; the older story's id survives.
    """
    items = sorted(new_articles, key=_order_key)
    doc_ids = []
    for item in items:
        index.add(item)
        doc_ids.append((item.article if isinstance(item, ProcessedArticle) else item).doc_id)
    # Read the ids at the end: a later article may have merged two earlier stories.
    return {doc_id: index.story_of(doc_id) for doc_id in doc_ids}


def cluster_articles(
    articles: Sequence[ProcessedArticle | Article], params: ClusteringParams | None = None
) -> dict[str, list[str]]:
    """Story id -> doc ids for a batch of articles (a fresh index)."""
    index = StoryIndex(params or ClusteringParams(), streaming=True)
    assign_to_stories(articles, index)  # in dateline order, so old weeks can be dropped
    return index.stories()
