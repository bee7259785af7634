"""One version, written once: the package, its installed metadata, both commands, Help > About."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel

from arrs_desktop import __version__, cli
from arrs_desktop.domain.matching import load_rules
from arrs_desktop.settings import Settings
from arrs_desktop.ui.shell import app

ROOT = Path(__file__).resolve().parents[2]


def test_version_is_written_once_and_the_installed_metadata_agrees():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and "version" in project["dynamic"]
    dynamic = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert dynamic["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "arrs_desktop.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+(\.dev\d+|rc\d+)?", __version__)
    assert importlib.metadata.version("arrs-desktop") == __version__


@pytest.mark.parametrize(("main", "name"), [(cli.main, "arrs"), (app.main, "arrs-desktop")])
def test_both_commands_say_their_version(main, name, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"{name} {__version__}\n"


def test_help_about_shows_the_version(qtbot, demo_store):
    window = app.create_window(demo_store, Settings(user_name="Test Worker"), load_rules(None))
    qtbot.addWidget(window)
    window.show()
    seen = []

    def read_and_close():
        dialog = QApplication.activeModalWidget()
        seen.extend(label.text() for label in dialog.findChildren(QLabel))
        dialog.reject()

    QTimer.singleShot(0, read_and_close)
    window.daily_work.about_action.trigger()
    assert any(f"ARRS Desktop {__version__}" in text for text in seen), seen


def test_changelog_has_this_version_and_every_migration():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    base = re.match(r"\d+\.\d+\.\d+", __version__).group(0)
    heading = f"## Unreleased ({base})" if ".dev" in __version__ else f"## {__version__}"
    assert heading in text
    schema = (ROOT / "arrs_desktop" / "store" / "schema.py").read_text(encoding="utf-8")
    numbers = re.findall(r'@migrations\(name="(\d{4})_', schema)
    assert numbers, "no migrations found in the schema module"
    listed = set(re.findall(r"^- (\d{4}) ", text, re.MULTILINE))
    missing = [n for n in numbers if n not in listed]
    assert not missing, f"CHANGELOG.md does not list migration(s) {missing} under a version"
