"""The coreference component's CPU time as a share of the bare parse, in one run.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/coref_share.py [../shared/data/polnear/dev.jsonl]

Parses the texts with the spaCy model alone (the baseline of ``make bench``), then runs only
``quotetrace_coref`` over the same parsed docs, and prints both CPU times and their ratio.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/polnear/dev.jsonl")
    texts = [json.loads(line)["text"] for line in path.open(encoding="utf-8") if line.strip()]
    from quotetrace.coref.component import CorefComponent
    from quotetrace.coref.model import CorefModel
    from quotetrace.nlp.pipeline import load_bare_pipeline

    nlp = load_bare_pipeline()
    list(nlp.pipe(texts[:4]))  # warm up
    t0 = time.process_time()
    docs = list(nlp.pipe(texts, batch_size=32))
    parse = time.process_time() - t0
    coref = CorefComponent(nlp, "quotetrace_coref", CorefModel.load())
    t0 = time.process_time()
    for doc in docs:
        coref(doc)
    share = time.process_time() - t0
    words = sum(len(d) for d in docs)
    entities = sum(len(d._.coref_entities) for d in docs)
    print(f"## coref share\n\n{len(docs)} texts, {words} tokens, {entities} entities")
    print(f"bare parse CPU {parse:.2f} s; quotetrace_coref CPU {share:.3f} s; ")
    print(f"coref / bare parse = {share / parse:.3f}")


if __name__ == "__main__":
    main()
