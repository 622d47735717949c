"""Web archives: how fast a WARC is read, and where the time of a WARC ingest goes.

A WARC is generated from fictional news (``bench/generate.py``) the way a crawl stores it:
for every article page a request, the response and a metadata record, and after every tenth
page a 404, a redirect and a PDF. Then, in this process, in CPU time (best of ``--repeats``):

* **read**: every record of a larger ``.warc.gz`` through FastWARC, as ``quotetrace batch`` plans
  (headers only) and as ``ingest`` reads (the HTML body of each page decoded too), in records
  per CPU second; when warcio is installed, the same header scan through warcio, as the
  baseline of the library comparison in ``docs/warc.md``;
* **shares**: of a whole WARC → statements run, the share of the record read, of the HTML
  extraction (trafilatura and htmldate, ``article_from_html``) and of the parse (spaCy and
  quotetrace's components, ``extract_articles``).

    python bench/warc_bench.py                    # Markdown section on stdout
    python bench/warc_bench.py --pages 400 --json build/bench/warc.json
"""

from __future__ import annotations

import os

# One BLAS thread, decided before numpy loads: the parse is measured as quotetrace runs it.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import html
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "src"))

from generate import generate_records  # noqa: E402

from quotetrace.ingest.warc import (  # noqa: E402
    WarcCounts,
    iter_warc_articles,
    iter_warc_candidates,
    iter_warc_pages,
)
from quotetrace.ingest.warc_writer import WarcFileWriter  # noqa: E402

# What surrounds an article on a news site, so trafilatura has boilerplate to strip: a
# script bundle, a menu of sections, teasers of other stories, a cookie banner, a footer.
_SCRIPT = (
    "<script>" + "window.dataLayer.push({event: 'view', section: 'news'});" * 300 + "</script>"
)
_MENU = "<nav><ul>" + "".join(f"<li><a href='/s/{n}'>Section {n}</a></li>" for n in range(120))
_MENU += "</ul></nav>"
_TEASERS = (
    "<aside><h2>Most read</h2>"
    + "".join(
        f"<div class='teaser'><a href='/t/{n}'>Council votes on plan number {n}</a>"
        "<p>The vote was close, and the debate ran long into the evening.</p></div>"
        for n in range(25)
    )
    + "</aside>"
)
_CHROME_END = (
    "<div class='cookies'>We use cookies to improve your experience. Accept all</div>"
    "<footer>" + "".join(f"<a href='/f/{n}'>Footer link {n}</a> " for n in range(40)) + "</footer>"
)


def page(record: dict[str, Any]) -> bytes:
    meta = record["meta"]
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in record["text"].split("\n\n"))
    title = html.escape(meta["title"])
    return (
        f"<!doctype html><html><head><title>{title}</title>"
        f'<meta property="og:site_name" content="{html.escape(meta["outlet"])}">'
        f'<meta property="article:published_time" content="{meta["date"]}">{_SCRIPT}</head>'
        f"<body>{_MENU}<main><article><h1>{title}</h1>{paragraphs}</article>{_TEASERS}</main>"
        f"{_CHROME_END}</body></html>"
    ).encode()


def write_warc(path: Path, pages: int) -> int:
    """The generated crawl; returns the number of records."""
    records = 0
    with WarcFileWriter(path) as warc:
        for n, record in enumerate(generate_records(pages, seed=7, sentences=12)):
            url = f"https://news.example/{record['doc_id']}"
            warc.write_request(url)
            warc.write_response(url, page(record))
            warc.write_record(
                "metadata", url, b"fetchTimeMs: 12\r\n", content_type="application/warc-fields"
            )
            records += 3
            if n % 10 == 9:
                warc.write_response(f"{url}/gone", b"", status=404, reason="Not Found")
                warc.write_response(
                    f"{url}/old", b"", status=302, reason="Found", headers=[("Location", url)]
                )
                warc.write_response(
                    f"{url}.pdf",
                    b"%PDF-1.4\n%%EOF\n",
                    headers=[("Content-Type", "application/pdf")],
                )
                records += 3
    return records


def best_cpu(run: Callable[[], object], repeats: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeats):
        started = time.process_time()
        result = run()
        best = min(best, time.process_time() - started)
    return best, result


def fastwarc_scan(path: Path) -> int:
    from fastwarc.warc import ArchiveIterator

    n = 0
    for record in ArchiveIterator(str(path), parse_http=True):
        record.headers.get("WARC-Target-URI")
        record.http_content_type  # noqa: B018  (parsing the HTTP headers is what is timed)
        record.stream_pos  # noqa: B018
        n += 1
    return n


def warcio_scan(path: Path) -> int:
    from warcio.archiveiterator import ArchiveIterator

    n = 0
    with path.open("rb") as handle:
        records = ArchiveIterator(handle)
        for record in records:
            record.rec_headers.get_header("WARC-Target-URI")
            if record.http_headers is not None:
                record.http_headers.get_header("Content-Type")
            records.get_record_offset()
            n += 1
    return n


def measure(pages: int, read_pages: int, repeats: int) -> dict[str, Any]:
    from quotetrace.nlp.pipeline import extract_articles, load_pipeline

    with tempfile.TemporaryDirectory() as tmp:
        # Read rates on a larger WARC (reading is fast: a small one would time mostly noise),
        # the stage shares on the pages the parse can get through in a few seconds.
        big = Path(tmp) / "big.warc.gz"
        big_records = write_warc(big, read_pages)
        path = Path(tmp) / "crawl.warc.gz"
        records = write_warc(path, pages)
        size = big.stat().st_size

        def scan() -> int:
            counts = WarcCounts()
            for _ in iter_warc_candidates(big, counts=counts):
                pass
            return counts.records

        def read_bodies() -> int:
            counts = WarcCounts()
            for _ in iter_warc_pages(big, counts=counts):
                pass
            return counts.records

        def read_small() -> int:
            return sum(1 for _ in iter_warc_pages(path))

        def read_articles() -> list[Any]:
            return list(iter_warc_articles(path))

        raw_cpu, raw = best_cpu(lambda: fastwarc_scan(big), repeats)
        scan_cpu, scanned = best_cpu(scan, repeats)
        bodies_cpu, read = best_cpu(read_bodies, repeats)
        pages_cpu, _ = best_cpu(read_small, repeats)
        articles_cpu, articles = best_cpu(read_articles, repeats)
        assert (
            raw == scanned == read == big_records
            and isinstance(articles, list)
            and len(articles) == pages
        )
        nlp = load_pipeline()
        list(extract_articles(articles[:5], nlp))  # warm up
        parse_cpu, _ = best_cpu(lambda: list(extract_articles(articles, nlp)), max(1, repeats - 1))
        result: dict[str, Any] = {
            "pages": pages,
            "records": records,
            "read_pages": read_pages,
            "read_records": big_records,
            "file_bytes": size,
            "page_bytes": len(page(generate_records(1, seed=7, sentences=12)[0])),
            "fastwarc_scan_records_per_cpu_s": big_records / raw_cpu,
            "scan_records_per_cpu_s": big_records / scan_cpu,
            "read_records_per_cpu_s": big_records / bodies_cpu,
            "cpu_seconds": {
                "read": pages_cpu,
                "html_extraction": articles_cpu - pages_cpu,
                "parse": parse_cpu,
            },
        }
        try:
            import warcio  # noqa: F401
        except ImportError:
            result["warcio_scan_records_per_cpu_s"] = None
        else:
            warcio_cpu, counted = best_cpu(lambda: warcio_scan(big), repeats)
            assert counted == big_records
            result["warcio_scan_records_per_cpu_s"] = big_records / warcio_cpu
    return result


def markdown(r: dict[str, Any]) -> str:
    cpu = r["cpu_seconds"]
    total = sum(cpu.values())
    lines = [
        "## Web archives: WARC read rate and where a WARC ingest spends its time",
        "",
        "Generated `.warc.gz` crawls: per article page a request, the response and a metadata "
        f"record, per ten pages a 404, a redirect and a PDF; pages of about "
        f"{r['page_bytes'] / 1e3:.0f} kB with a news site's menus, scripts and teasers. CPU "
        "time, best of the repeats, one process. Read rates on "
        f"{r['read_pages']:,} pages ({r['read_records']:,} records, "
        f"{r['file_bytes'] / 1e6:.1f} MB):",
        "",
        "| read | records/CPU-s | vs warcio header scan |",
        "| --- | ---: | ---: |",
    ]
    base = r["warcio_scan_records_per_cpu_s"]

    def ratio(rate: float) -> str:
        return f"**{rate / base:.1f}x**" if base else "(warcio not installed)"

    raw = r["fastwarc_scan_records_per_cpu_s"]
    lines.append(f"| FastWARC alone, headers only | {raw:,.0f} | {ratio(raw)} |")
    lines.append(
        f"| quotetrace's plan scan (FastWARC + record triage, `batch`) "
        f"| {r['scan_records_per_cpu_s']:,.0f} "
        f"| {ratio(r['scan_records_per_cpu_s'])} |"
    )
    lines.append(
        f"| quotetrace's read, HTML bodies decoded (`ingest`) "
        f"| {r['read_records_per_cpu_s']:,.0f} "
        f"| {ratio(r['read_records_per_cpu_s'])} |"
    )
    if base:
        lines.append(f"| warcio alone, headers only (baseline) | {base:,.0f} | 1.0x |")
    lines += [
        "",
        f"Where the CPU of WARC → statements goes, on {r['pages']} pages "
        f"({r['records']:,} records):",
        "",
        "| stage of WARC → statements | CPU s | share |",
        "| --- | ---: | ---: |",
        f"| reading the records (FastWARC, body decoding) | {cpu['read']:.2f} "
        f"| {cpu['read'] / total:.1%} |",
        f"| HTML extraction (trafilatura, htmldate) | {cpu['html_extraction']:.2f} "
        f"| **{cpu['html_extraction'] / total:.1%}** |",
        f"| parse and attribution (spaCy + quotetrace) | {cpu['parse']:.2f} "
        f"| **{cpu['parse'] / total:.1%}** |",
        "",
        f"HTML extraction costs {cpu['html_extraction'] / cpu['parse']:.2f}x the parse's CPU; "
        f"reading the WARC {cpu['read'] / cpu['parse']:.3f}x.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200, help="pages for the stage shares")
    parser.add_argument("--read-pages", type=int, default=3000, help="pages for the read rates")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    results = measure(args.pages, args.read_pages, args.repeats)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    sys.stdout.write(markdown(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
