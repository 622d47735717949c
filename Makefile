# Everything a fresh machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED ?= ../shared
EXTRAS ?= dev,dask,train,semantic

.PHONY: install run services test eval train bench lint clean

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

# Attribution on PolNeAR dev (the shared scorer's table, then P/R by --min-confidence), then
# story clustering and statement alignment on the project's own multi-outlet fixtures, then on
# the real crossoutlet stories (leave-one-story-out and in-sample, semantic mode).
eval: install
	mkdir -p build
	$(BIN)/quotetrace extract $(SHARED)/data/polnear/dev.jsonl --format jsonl --no-text -o build/polnear-dev.pred.jsonl
	$(BIN)/python $(SHARED)/eval/score.py $(SHARED)/data/polnear/dev.jsonl build/polnear-dev.pred.jsonl
	$(BIN)/python -m quotetrace.evaluation $(SHARED)/data/polnear/dev.jsonl build/polnear-dev.pred.jsonl --scorer $(SHARED)/eval/score.py
	$(BIN)/python -m quotetrace.stories.evaluation --extractor
	$(BIN)/python -m quotetrace.stories.crossoutlet --data $(SHARED)/data/crossoutlet --scorer $(SHARED)/eval/score_stories.py

# Reproduces the shipped model (src/quotetrace/nlp/weights/attributor-v2.json and .crf) from the
# shared data; cmp build/model/* against those files to check.
train: install
	$(BIN)/quotetrace train --train $(SHARED)/data/polnear/train.jsonl --dev $(SHARED)/data/polnear/dev.jsonl --out build/model --cache build/train-cache

bench: install
	$(BIN)/python bench/run.py

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
