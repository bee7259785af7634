"""Saving a care plan: where it goes, what it is called, what happens after or on failure."""

from __future__ import annotations

import errno
import os
import stat
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from arrs_desktop.cli import main
from tests.db_helpers import sql_rows
from tests.ui_helpers import make_context


@pytest.fixture
def window(demo_window):
    return demo_window


@pytest.fixture
def opened(monkeypatch):
    """Record the files the app asks the desktop to open (nothing is really opened)."""
    from PySide6.QtGui import QDesktopServices

    urls = []
    monkeypatch.setattr(QDesktopServices, "openUrl",
                        staticmethod(lambda url: urls.append(url) or True))
    return urls


def _answer_save_dialog(monkeypatch, answer):
    asked = []

    def fake(parent, caption, directory, filters, *args, **kwargs):
        asked.append((caption, directory, filters))
        return (str(answer) if answer else "", filters)

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
    return asked


def _saved_box(window):
    boxes = [b for b in window.findChildren(QMessageBox, "carePlanSaved") if b.isVisible()]
    return boxes[0] if boxes else None


def test_save_dialog_starts_in_documents_with_a_name_that_names_nobody(
        qtbot, window, monkeypatch, isolated_home, opened):
    asked = _answer_save_dialog(monkeypatch, None)
    person_id = window.caseload.select_first()
    name = window.store.people.get(person_id).name
    qtbot.mouseClick(window.person_view.header.plan_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1
    suggested = asked[0][1]
    assert suggested == str(isolated_home / "documents" / f"care-plan-{date.today()}.pdf")
    for part in name.split():
        assert part.lower() not in os.path.basename(suggested).lower()
    assert not list((isolated_home / "documents").iterdir())  # cancelled: nothing written


def test_the_suggested_name_is_never_one_already_there(qtbot, window, monkeypatch,
                                                       isolated_home):
    documents = isolated_home / "documents"
    documents.mkdir(parents=True)
    (documents / f"care-plan-{date.today()}.pdf").write_bytes(b"someone else's plan")
    asked = _answer_save_dialog(monkeypatch, None)
    window.caseload.select_first()
    window.print_care_plan()
    assert asked[0][1] == str(documents / f"care-plan-{date.today()}-2.pdf")


def test_after_saving_the_window_offers_to_open_the_plan(qtbot, window, monkeypatch, tmp_path,
                                                         opened):
    target = tmp_path / "plan.pdf"
    _answer_save_dialog(monkeypatch, target)
    window.caseload.select_first()
    qtbot.mouseClick(window.person_view.header.plan_button, Qt.MouseButton.LeftButton)
    assert target.read_bytes().startswith(b"%PDF-")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    qtbot.waitUntil(lambda: _saved_box(window) is not None)
    box = _saved_box(window)
    assert str(target) in box.text()
    assert box.textFormat() == Qt.TextFormat.PlainText
    open_button = next(b for b in box.buttons() if b.text().replace("&", "") == "Open it")
    qtbot.mouseClick(open_button, Qt.MouseButton.LeftButton)
    assert [u.toLocalFile() for u in opened] == [str(target)]
    assert str(target) in window.statusBar().currentMessage()


def test_closing_the_offer_opens_nothing(qtbot, window, monkeypatch, tmp_path, opened):
    _answer_save_dialog(monkeypatch, tmp_path / "plan.pdf")
    window.caseload.select_first()
    window.print_care_plan()
    qtbot.waitUntil(lambda: _saved_box(window) is not None)
    box = _saved_box(window)
    box.button(QMessageBox.StandardButton.Close).click()
    qtbot.waitUntil(lambda: _saved_box(window) is None)
    assert opened == []


def test_a_failed_save_says_why_and_keeps_the_old_file(qtbot, window, monkeypatch, tmp_path,
                                                       opened):
    from arrs_desktop import private_files

    target = tmp_path / "plan.pdf"
    target.write_bytes(b"%PDF- the old plan")
    _answer_save_dialog(monkeypatch, target)
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(
        lambda parent, title, text, *a, **k: warnings.append((title, text))))

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(private_files.os, "fsync", full)
    window.caseload.select_first()
    window.print_care_plan()
    assert len(warnings) == 1
    title, text = warnings[0]
    assert title == "Care plan not saved"
    assert "the disk is full" in text and str(target) in text
    assert target.read_bytes() == b"%PDF- the old plan"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".pdf")
                  or p.name.startswith(".plan")) == ["plan.pdf"]
    assert _saved_box(window) is None and opened == []
    assert "saved" not in window.statusBar().currentMessage().lower()


# -- arrs plan ---------------------------------------------------------------------------------

def _first_person(demo_store):
    return sql_rows(demo_store, "SELECT id, name FROM people ORDER BY name LIMIT 1")[0]


def test_arrs_plan_without_out_saves_into_documents_under_a_neutral_name(
        qapp, demo_store, demo_db, isolated_home, capsys):
    person = _first_person(demo_store)
    assert main(["plan", "--db", str(demo_db), "--person", person["id"]]) == 0
    first = isolated_home / "documents" / f"care-plan-{date.today()}.pdf"
    assert capsys.readouterr().out.splitlines()[0] == f"Wrote {first}"
    assert first.read_bytes().startswith(b"%PDF-")
    assert main(["plan", "--db", str(demo_db), "--person", person["id"]]) == 0
    second = first.with_name(f"care-plan-{date.today()}-2.pdf")
    assert capsys.readouterr().out.splitlines()[0] == f"Wrote {second}"
    assert first.read_bytes().startswith(b"%PDF-")  # the first plan is not overwritten


def test_arrs_plan_into_a_folder_picks_the_neutral_name(qapp, demo_store, demo_db, tmp_path,
                                                        capsys):
    person = _first_person(demo_store)
    assert main(["plan", "--db", str(demo_db), "--person", person["id"],
                 "--out", str(tmp_path)]) == 0
    written = tmp_path / f"care-plan-{date.today()}.pdf"
    assert written.read_bytes().startswith(b"%PDF-")
    assert capsys.readouterr().out.splitlines()[0] == f"Wrote {written}"
    assert person["name"].split()[0] not in written.name


def test_an_export_from_the_window_that_cannot_be_written_says_why(qtbot, demo_store, tmp_path):
    from arrs_desktop.ui.team.reports.reports_view import ReportsView

    view = ReportsView(make_context(demo_store))
    qtbot.addWidget(view)
    view.show()
    view.wait_for_idle()
    (tmp_path / "out").write_text("a file where the folder should be")
    view.export_to(tmp_path / "out", "csv")
    qtbot.waitUntil(lambda: view.export_button.isEnabled(), timeout=20000)
    view.wait_for_idle()
    text = view.status.text()
    assert text.startswith("Not exported: could not write ")
    assert "in the way" in text and "Nothing was written" in text


def test_the_save_dialog_never_writes_over_the_caseload(qtbot, window, monkeypatch, opened):
    db = window.store.path
    before = os.stat(db)  # looked at, never opened: the window's connection holds it
    _answer_save_dialog(monkeypatch, db)
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(
        lambda parent, title, text, *a, **k: warnings.append((title, text))))
    window.caseload.select_first()
    window.print_care_plan()
    assert len(warnings) == 1 and "caseload file itself" in warnings[0][1]
    after = os.stat(db)
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == \
        (before.st_ino, before.st_size, before.st_mtime_ns)
    assert window.store.people.count() == 60 and opened == []
