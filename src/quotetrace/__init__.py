"""quotetrace: who said what in the news, and how each outlet told it.

    >>> from quotetrace import Article, extract_articles
    >>> [result] = extract_articles([Article("a1", "“We will rebuild,” the mayor said.")])
    >>> result.attributions[0].kind
    'direct'

For a quick look in a notebook, ``quotetrace.extract("...")`` gives the same as a table
(``.to_pandas()``). Nothing happens at import: the spaCy model is loaded by ``load_pipeline`` (or the first call to
``extract_articles``), and the ``Doc._`` extensions are installed by the component.
"""

from .errors import QuotetraceError
from .ingest import iter_articles
from .models import Actor, Article, Attribution, ProcessedArticle
from .nlp.pipeline import extract_articles, load_pipeline
from .notebook import Extraction, extract

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "Article",
    "Attribution",
    "Extraction",
    "ProcessedArticle",
    "QuotetraceError",
    "__version__",
    "extract",
    "extract_articles",
    "iter_articles",
    "load_pipeline",
]
