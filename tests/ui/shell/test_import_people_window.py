"""File → Import people…: a GP system search comes in with a progress bar in the window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog

from arrs_desktop.domain.models import CaseloadFilter
from arrs_desktop.store import backup, open_store
from arrs_desktop.tools import importer
from tests.tools.test_import_gp_files import HEADER, nhs


@pytest.fixture
def window(demo_window):
    return demo_window


def _csv(tmp_path: Path, good: int, bad_lines: int = 0) -> Path:
    lines = [HEADER.rstrip("\n")]
    for i in range(good):
        lines.append(f"{nhs(i + 1)},Imported Person {i},03-Feb-1950,LS1 4AB,F")
    for i in range(bad_lines):
        lines.append(f"{nhs(good + i + 1)},Wrong Date {i},31/02/1950,LS1 4AB,F")
    path = tmp_path / "search.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run_from_menu(window, qtbot, monkeypatch, source: Path):
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(source), "CSV files (*.csv *.txt)"))
    assert window.file_actions.import_action in window.file_menu.actions()
    window.file_actions.import_action.trigger()
    dialog = window.file_actions.import_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: not dialog.running, timeout=60_000)
    qtbot.waitUntil(lambda: dialog.buttons.button(QDialogButtonBox.StandardButton.Close)
                    is not None, timeout=10_000)
    return dialog


def test_import_from_the_file_menu_saves_people_and_lists_each_refused_line(
        window, qtbot, monkeypatch, tmp_path, demo_db):
    before = window.store.people.count()
    shown_before = window.caseload.model.rowCount()
    dialog = _run_from_menu(window, qtbot, monkeypatch, _csv(tmp_path, good=12, bad_lines=2))

    assert "Imported 12 of 14 people" in dialog.status.text()
    assert not dialog.problems.isHidden()
    text = dialog.problems.toPlainText()
    assert text.count("line ") == 2 and "line 14:" in text and "line 15:" in text
    # Saved in the file, audited, and the caseload list redrawn from the bus.
    check = open_store(demo_db)
    try:
        assert check.people.count() == before + 12
        names = {p.name for p in check.caseload.page(CaseloadFilter(text="Imported Person"),
                                                      0, 50)}
        assert len(names) == 12
    finally:
        check.close()
    assert window.store.people.count() == before + 12
    qtbot.waitUntil(lambda: window.caseload.model.rowCount() == shown_before + 12,
                    timeout=5000)
    # A backup was made before anything was imported.
    assert "before-import" in {b.reason for b in backup.list_backups(demo_db)}
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Close),
                     Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_the_bar_moves_as_rows_are_saved(window, qtbot, monkeypatch, tmp_path):
    monkeypatch.setattr(importer, "PROGRESS_EVERY", 5)
    source = _csv(tmp_path, good=23)
    seen: list[tuple[int, int]] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(source), ""))
    window.file_actions.import_action.trigger()
    dialog = window.file_actions.import_dialog
    dialog.worker.progressed.connect(lambda done, total: seen.append((done, total)))
    qtbot.waitUntil(lambda: not dialog.running, timeout=60_000)
    qtbot.waitUntil(lambda: "Imported" in dialog.status.text(), timeout=10_000)
    assert [d for d, _ in seen] == [5, 10, 15, 20, 23]
    assert all(total == 23 for _, total in seen)
    assert dialog.bar.value() == dialog.bar.maximum()
    assert "Imported 23 of 23 people" in dialog.status.text()


def test_cancel_while_saving_imports_nothing(window, qtbot, monkeypatch, tmp_path, demo_db):
    monkeypatch.setattr(importer, "PROGRESS_EVERY", 5)
    before = window.store.people.count()
    source = _csv(tmp_path, good=40)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(source), ""))
    # The user presses Cancel as the first rows are saved (on the worker's own signal, so
    # the test does not race the worker).
    from arrs_desktop.ui.shell import import_people_worker as module

    started = module.ImportPeopleWorker.start

    def start_with_cancel(worker, *args):
        worker.progressed.connect(lambda *_: worker.cancel(),
                                  Qt.ConnectionType.DirectConnection)
        started(worker, *args)

    monkeypatch.setattr(module.ImportPeopleWorker, "start", start_with_cancel)
    window.file_actions.import_action.trigger()
    dialog = window.file_actions.import_dialog
    qtbot.waitUntil(lambda: not dialog.running, timeout=60_000)
    qtbot.waitUntil(lambda: "cancelled" in dialog.status.text(), timeout=10_000)
    assert "nothing was imported" in dialog.status.text()
    assert window.store.people.count() == before
    check = open_store(demo_db)
    try:
        assert check.people.count() == before
    finally:
        check.close()


def test_a_file_that_cannot_be_imported_says_why_and_touches_nothing(
        window, qtbot, monkeypatch, tmp_path, demo_db):
    before = window.store.people.count()
    backups_before = len(backup.list_backups(demo_db))
    source = tmp_path / "book.xlsx"
    source.write_bytes(b"PK\x03\x04\x14\x00\x06\x00")
    dialog = _run_from_menu(window, qtbot, monkeypatch, source)
    assert "spreadsheet" in dialog.status.text()
    assert dialog.problems.isHidden()
    assert window.store.people.count() == before
    assert len(backup.list_backups(demo_db)) == backups_before


def test_the_window_answers_while_a_large_file_is_imported(window, qtbot, monkeypatch,
                                                           tmp_path):
    """The import runs on a worker thread: the window's own thread keeps turning."""
    monkeypatch.setattr(importer, "PROGRESS_EVERY", 100)
    source = _csv(tmp_path, good=1500)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(source), ""))
    ticks = []
    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(5)
    window.file_actions.import_action.trigger()
    dialog = window.file_actions.import_dialog
    qtbot.waitUntil(lambda: not dialog.running, timeout=60_000)
    timer.stop()
    assert "Imported 1,500 of 1,500 people" in dialog.status.text()
    assert len(ticks) > 3
