"""Settings are data: each one documented, overridable from the environment, validated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quotetrace.cli import app
from quotetrace.errors import ConfigError
from quotetrace.settings import SETTINGS, documented_settings, get_setting

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
ENGINE_DOC = REPO / "docs" / "engine.md"
NAMES = sorted(SETTINGS)
# The settings of the attribution engine, which docs/engine.md (a README draft) documents.
ENGINE_SETTINGS = ["batch_size", "fast_ops", "max_file_bytes", "model", "n_process"]


def settings_section(path: Path) -> str | None:
    """The text of the ``Settings`` section (any heading level), or None."""
    if not path.exists():
        return None
    text = path.read_text(encoding="utf-8")
    match = re.search(r"^(#+)\s*Settings\b.*$", text, re.MULTILINE)
    if match is None:
        return None
    level = len(match.group(1))
    rest = text[match.end() :]
    end = re.search(rf"^#{{1,{level}}}\s", rest, re.MULTILINE)
    return rest[: end.start()] if end else rest


@pytest.mark.parametrize("name", NAMES)
def test_setting_is_documented_in_the_readme(name: str) -> None:
    section = settings_section(README)
    if section is None:
        pytest.skip("README.md has no Settings section yet (draft: docs/engine.md)")
    assert SETTINGS[name].env_var in section


@pytest.mark.parametrize("name", ENGINE_SETTINGS)
def test_setting_is_documented_in_the_engine_draft(name: str) -> None:
    section = settings_section(ENGINE_DOC)
    assert section is not None, "docs/engine.md lost its Settings section"
    assert SETTINGS[name].env_var in section
    assert repr(SETTINGS[name].default) in section or str(SETTINGS[name].default) in section


def test_every_setting_says_what_it_does() -> None:
    rows = documented_settings()
    assert [env for env, _, _ in rows] == [s.env_var for s in SETTINGS.values()]
    for env, default, help_text in rows:
        assert env.startswith("QUOTETRACE_") and env == env.upper()
        assert default and len(help_text) > 15, env


@pytest.mark.parametrize("name", NAMES)
def test_default_without_environment(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SETTINGS[name].env_var, raising=False)
    assert get_setting(name) == SETTINGS[name].default


@pytest.mark.parametrize(
    "name, raw, value",
    [
        ("batch_size", "7", 7),
        ("n_process", "2", 2),
        ("max_file_bytes", "1000", 1000),
        ("model", "en_core_web_md", "en_core_web_md"),
        ("fast_ops", "0", False),
        ("fast_ops", "false", False),
        ("fast_ops", "yes", True),
        ("fast_ops", "ON", True),
    ],
)
def test_environment_overrides(
    name: str, raw: str, value: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SETTINGS[name].env_var, raw)
    assert get_setting(name) == value


def test_empty_environment_value_means_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUOTETRACE_BATCH_SIZE", "")
    assert get_setting("batch_size") == SETTINGS["batch_size"].default


@pytest.mark.parametrize(
    "name, raw",
    [
        ("batch_size", "thirty-two"),
        ("n_process", "1.5"),
        ("max_file_bytes", "20MB"),
        ("fast_ops", "maybe"),
    ],
)
def test_bad_values_raise_config_error(
    name: str, raw: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = SETTINGS[name].env_var
    monkeypatch.setenv(env, raw)
    with pytest.raises(ConfigError) as info:
        get_setting(name)
    assert env in info.value.message and raw in info.value.message
    assert info.value.hint  # says what to write instead


def test_unknown_setting() -> None:
    with pytest.raises(ConfigError) as info:
        get_setting("no_such_setting")
    assert "batch_size" in info.value.hint


def test_cli_reports_a_bad_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad value is an ``Error:`` line and exit 1, not a traceback."""
    article = tmp_path / "a.txt"
    article.write_text("Ruth Ambler said the ferry would run twice a day.", "utf-8")
    monkeypatch.setenv("QUOTETRACE_MAX_FILE_BYTES", "twenty")
    result = CliRunner().invoke(app, ["extract", str(article)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: QUOTETRACE_MAX_FILE_BYTES='twenty'")
    assert "Traceback" not in result.output
