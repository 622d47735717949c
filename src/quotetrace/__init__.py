"""quotetrace: who said what in the news, and how each outlet told it.

    >>> from quotetrace import Article, extract_articles
    >>> [result] = extract_articles([Article("a1", "“We will rebuild,” the mayor said.")])
    >>> result.attributions[0].kind
    'direct'

Nothing happens at import: the spaCy model is loaded by ``load_pipeline`` (or the first call to
``extract_articles``), and the ``Doc._`` extensions are installed by the component.
"""

from .errors import QuotetraceError
from .ingest import iter_articles
from .models import Actor, Article, Attribution, ProcessedArticle
from .nlp.pipeline import extract_articles, load_pipeline

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "Article",
    "Attribution",
    "ProcessedArticle",
    "QuotetraceError",
    "__version__",
    "extract_articles",
    "iter_articles",
    "load_pipeline",
]
