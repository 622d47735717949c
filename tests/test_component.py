"""quotetrace as a spaCy component: entry point, results on the Doc, serialisation, processes."""

from __future__ import annotations

import importlib.metadata
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from quotetrace.settings import get_setting

pytestmark = pytest.mark.model

TEXTS = [
    "“The tunnel will be dug by Halvorn Rail,” President Ilse Korvanen said on Monday. "
    "Prime Minister Dario Mestrell said the accord was a fair deal for every family.",
    "According to Beatrix Hallam, the survey will start next month. "
    "She told reporters: “We are ready.”",
    "Renata Vosk accused the government of signing the accord without consulting the towns.",
]


def plain(value: Any) -> Any:
    """msgpack (DocBin) gives lists back as tuples: compare the data, not the container."""
    return json.loads(json.dumps(value))


def spans_of(doc: Any, key: str) -> list[tuple[int, int, str]]:
    return [(s.start_char, s.end_char, s.label_) for s in doc.spans[key]]


def test_entry_points_are_registered() -> None:
    factories = {
        ep.name: ep.value for ep in importlib.metadata.entry_points(group="spacy_factories")
    }
    assert factories["quotetrace"] == "quotetrace.nlp.component:make_attribution_component"
    misc = {ep.name for ep in importlib.metadata.entry_points(group="spacy_misc")}
    assert "quotetrace.Attributor.v1" in misc


def test_add_pipe_on_a_plain_model_via_entry_point() -> None:
    """In a fresh interpreter whose script never imports quotetrace, spaCy finds the factory
    through the ``spacy_factories`` entry point (spaCy imports the module on its own)."""
    script = f"""
import json, sys
import spacy
nlp = spacy.load({str(get_setting("model"))!r})
nlp.add_pipe("quotetrace")
doc = nlp({TEXTS[0]!r})
print(json.dumps({{
    "pipes": nlp.pipe_names,
    "attributions": doc._.attributions,
    "content": [[s.start_char, s.end_char, s.label_] for s in doc.spans["quotetrace_content"]],
}}))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["pipes"][-1] == "quotetrace"
    speakers = {a["speaker"] for a in out["attributions"]}
    assert {"Ilse Korvanen", "Dario Mestrell"} <= speakers
    assert len(out["content"]) == len(out["attributions"])
    quote = TEXTS[0].index("The tunnel")
    assert any(s <= quote < e for s, e, _ in out["content"]), out["content"]


def test_results_on_the_doc(nlp: Any) -> None:
    doc = nlp(TEXTS[0])
    atts = doc._.attributions
    assert atts, "no attributions"
    content = doc.spans["quotetrace_content"]
    assert len(content) == len(atts)
    for span, att in zip(content, atts, strict=True):
        start, end = att["content"]
        assert span.start_char <= start < end <= span.end_char
        assert span.label_ == (att["speaker"] or att["kind"])
    assert {a["speaker"] for a in atts} >= {"Ilse Korvanen", "Dario Mestrell"}
    assert isinstance(doc._.actors, list) and doc._.actors
    assert "quotetrace_source" in doc.spans and "quotetrace_cue" in doc.spans


def test_docbin_round_trip_keeps_results(nlp: Any) -> None:
    from spacy.tokens import DocBin

    docs = list(nlp.pipe(TEXTS))
    data = DocBin(docs=docs, store_user_data=True).to_bytes()
    back = list(DocBin(store_user_data=True).from_bytes(data).get_docs(nlp.vocab))
    assert len(back) == len(docs)
    for before, after in zip(docs, back, strict=True):
        assert after.text == before.text
        assert after._.attributions and plain(after._.attributions) == before._.attributions
        assert plain(after._.actors) == before._.actors
        for key in ("quotetrace_content", "quotetrace_source", "quotetrace_cue"):
            assert spans_of(after, key) == spans_of(before, key)


def test_two_processes_give_the_same_results(nlp: Any) -> None:
    one = [doc._.attributions for doc in nlp.pipe(TEXTS, n_process=1)]
    two = [doc._.attributions for doc in nlp.pipe(TEXTS, n_process=2, batch_size=1)]
    assert two == one
    assert all(one), one


def test_config_names_the_versioned_attributor(nlp: Any) -> None:
    config = nlp.config["components"]["quotetrace"]
    assert config["factory"] == "quotetrace"
    assert re.fullmatch(r"quotetrace\.Attributor\.v\d+", config["attributor"]["@misc"])
    assert config["attributor"]["@misc"] in nlp.config.to_str()


def test_v1_stays_available_by_name() -> None:
    """A published version never goes away: a pipeline can still ask for the v1 rules."""
    import spacy

    blank = spacy.blank("en")
    blank.add_pipe("quotetrace", config={"attributor": {"@misc": "quotetrace.Attributor.v1"}})
    assert '@misc = "quotetrace.Attributor.v1"' in blank.config.to_str()


def test_to_disk_and_load_round_trip(nlp: Any, tmp_path: Path) -> None:
    import spacy

    path = tmp_path / "pipeline"
    nlp.to_disk(path)
    loaded = spacy.load(path)
    assert loaded.pipe_names == nlp.pipe_names
    for text in TEXTS:
        assert loaded(text)._.attributions == nlp(text)._.attributions


ENGINE_DOC = Path(__file__).resolve().parent.parent / "docs" / "engine.md"


@pytest.mark.skipif(not ENGINE_DOC.exists(), reason="docs/engine.md not present")
def test_component_snippet_in_the_docs_runs_and_prints_what_it_says() -> None:
    """The "Use as a spaCy component" snippet, run as written; its printed output is pasted
    under it, so a rule change that alters it shows up here."""
    import contextlib
    import io
    import re

    section = ENGINE_DOC.read_text(encoding="utf-8").split("## Use as a spaCy component", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    shown = re.search(r"```text\n(.*?)```", section, re.DOTALL)
    assert code is not None and shown is not None
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code.group(1), str(ENGINE_DOC), "exec"), {})
    assert printed.getvalue() == shown.group(1)
