# Everything a fresh machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED ?= ../shared
EXTRAS ?= dev,dask,train,crawl,semantic

.PHONY: install run services test fuzz eval train bench lint clean

install: $(STAMP)

# Re-install only when the project's metadata changes: `make install` twice is fast.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[$(EXTRAS)]"
	touch $(STAMP)

# The demo: who said what in the bundled articles, then the same in the store, grouped into
# stories and served on 127.0.0.1 (Ctrl-C stops the server).
run: install
	$(BIN)/quotetrace extract demo/articles demo/wire.jsonl
	mkdir -p build
	$(BIN)/quotetrace ingest demo/articles demo/wire.jsonl --db build/demo.db
	$(BIN)/quotetrace stories --db build/demo.db > /dev/null
	$(BIN)/quotetrace serve --db build/demo.db --host 127.0.0.1 --port 8000

# PostgreSQL and Chromium are started/installed when this machine allows it (root, apt);
# without them the postgres and browser tests skip with the reason.
services:
	bash .ci/services.sh || echo "services: not available here; postgres and browser tests will skip"

test: install services
	$(BIN)/python -m pytest -q

# The hostile corpus at full size (100k quote marks, 10k-deep HTML, a 50 MB JSONL line, a
# 1.2-million-character article) and the property tests with many more examples.
fuzz: install
	QUOTETRACE_FUZZ=1 $(BIN)/python -m pytest -q -m fuzz

# Attribution on PolNeAR dev (the shared scorer's table, then P/R by --min-confidence), then
# story clustering and statement alignment on the project's own multi-outlet fixtures, then on
# the real crossoutlet stories (leave-one-story-out and in-sample, semantic mode), then
# crossoutlet speaker names from extract and from a store's export, and coreference on GUM dev
# (in-sample, then leave-one-document-out).
eval: install
	mkdir -p build
	$(BIN)/quotetrace extract $(SHARED)/data/polnear/dev.jsonl --format jsonl --no-text -o build/polnear-dev.pred.jsonl
	$(BIN)/python $(SHARED)/eval/score.py $(SHARED)/data/polnear/dev.jsonl build/polnear-dev.pred.jsonl
	$(BIN)/python -m quotetrace.evaluation $(SHARED)/data/polnear/dev.jsonl build/polnear-dev.pred.jsonl --scorer $(SHARED)/eval/score.py
	$(BIN)/python -m quotetrace.stories.evaluation --extractor
	$(BIN)/python -m quotetrace.stories.crossoutlet --data $(SHARED)/data/crossoutlet --scorer $(SHARED)/eval/score_stories.py
	# Speakers on real cross-outlet reporting: the shared scorer's table (speaker name acc),
	# then speaker accuracy by --min-speaker-confidence.
	$(BIN)/quotetrace extract $(SHARED)/data/crossoutlet/gold.jsonl --format jsonl --no-text -o build/crossoutlet.pred.jsonl
	$(BIN)/python $(SHARED)/eval/score.py $(SHARED)/data/crossoutlet/gold.jsonl build/crossoutlet.pred.jsonl
	$(BIN)/python -m quotetrace.evaluation $(SHARED)/data/crossoutlet/gold.jsonl build/crossoutlet.pred.jsonl --scorer $(SHARED)/eval/score.py --speakers
	# The same after ingest into a store: speakers by their store-wide names.
	$(BIN)/python -m quotetrace.store.evaluation $(SHARED)/data/crossoutlet/gold.jsonl --scorer $(SHARED)/eval/score.py
	# Coreference of people and organisations on GUM dev (quotetrace_coref alone).
	$(BIN)/python -m quotetrace.coref.evaluation $(SHARED)/data/gum/dev.jsonl --out build/gum-dev.coref.jsonl --scorer $(SHARED)/eval/score_mentions.py
	# The same held out: each dev document predicted with the settings the other eleven choose.
	$(BIN)/python -m quotetrace.coref.crossval $(SHARED)/data/gum/dev.jsonl --out build/gum-dev.coref-cv.jsonl --cache build/train-cache --scorer $(SHARED)/eval/score_mentions.py

# Retrains the shipped models from the shared data: build/coref/coref-v5.json is byte for byte
# src/quotetrace/coref/weights/coref-v5.json; build/model/attributor-v2.* is close to but no
# longer byte for byte the shipped attribution model (README, "Retrain the model").
train: install
	$(BIN)/quotetrace train --train $(SHARED)/data/polnear/train.jsonl --dev $(SHARED)/data/polnear/dev.jsonl --out build/model --cache build/train-cache
	$(BIN)/quotetrace train-coref --train $(SHARED)/data/gum/train.jsonl --dev $(SHARED)/data/gum/dev.jsonl --out build/coref --cache build/train-cache

bench: install
	$(BIN)/python bench/run.py

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
