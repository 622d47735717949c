"""The README's notebook example runs as written (a doctest of its ```python block)."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"

pytestmark = pytest.mark.model


def notebook_example() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Web archives and notebooks", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 1, "the README's notebook section has one ```python block"
    return blocks[0]


def test_the_readme_notebook_example_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, nlp: object
) -> None:
    pytest.importorskip("pandas")
    import quotetrace.notebook as notebook

    # The session's pipeline (same model), so the example does not load a second one.
    monkeypatch.setattr(notebook, "_pipeline", lambda model=None: nlp)
    monkeypatch.chdir(tmp_path)
    test = doctest.DocTestParser().get_doctest(notebook_example(), {}, "README", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted >= 8 and result.failed == 0
    assert (tmp_path / "notebook.db").exists()
