"""The shape of the code: a pure core, thin shells, documented commands."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pattern_guide.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "pattern_guide"


def test_streamlit_only_in_ui() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in SRC.rglob("*.py")
        if "ui" not in path.relative_to(SRC).parts[:1]
        and re.search(r"^\s*(import streamlit|from streamlit)", path.read_text(encoding="utf-8"), re.MULTILINE)
    ]
    assert offenders == []


def test_only_settings_reads_the_environment() -> None:
    readers = [
        path.name
        for path in SRC.rglob("*.py")
        if re.search(r"os\.environ(?!\.setdefault)|os\.getenv", path.read_text(encoding="utf-8"))
    ]
    assert readers == ["settings.py"]


def test_app_py_is_a_thin_shell() -> None:
    assert len((ROOT / "app.py").read_text(encoding="utf-8").splitlines()) <= 10


def test_modules_stay_readable() -> None:
    long = {p.name: n for p in SRC.rglob("*.py") if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}


def test_every_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    helps = {a.dest: a.help for a in subparsers._choices_actions}  # type: ignore[attr-defined]
    assert set(helps) >= {"validate", "index", "match", "show", "eval"}
    assert all(h and len(h) > 10 for h in helps.values()), helps
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in helps:
        assert f"pattern-guide {command}" in readme, command
        with pytest.raises(SystemExit) as exit_info:
            main([command, "--help"])
        assert exit_info.value.code == 0
        assert "usage: pattern-guide" in capsys.readouterr().out


def test_every_setting_is_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    variables = set(re.findall(r'"([A-Z][A-Z_]+)"', (SRC / "settings.py").read_text(encoding="utf-8")))
    variables.add("PATTERN_GUIDE_LIBRARY")
    missing = [v for v in sorted(variables) if f"`{v}`" not in readme]
    assert missing == []
