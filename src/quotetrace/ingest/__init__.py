"""Reading articles: crawl-layout text files, plain text, JSONL, directories."""

from .readers import (
    ReadReport,
    decode_bytes,
    iter_articles,
    iter_located_articles,
    parse_crawl_text,
    read_file,
)

__all__ = [
    "ReadReport",
    "decode_bytes",
    "iter_articles",
    "iter_located_articles",
    "parse_crawl_text",
    "read_file",
]
