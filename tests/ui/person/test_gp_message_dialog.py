"""Message to GP… on an episode: the letter previewed, saved as a PDF and copied as text,
each recorded as sent and listed on the episode; the code list imported from the window."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPushButton
from standards_journey import DOG, WHAT_MATTERS, install_team_check_in, link_worker_journey

from arrs_desktop.settings import Settings
from tests.ui_helpers import answer_dialog, make_window, rows

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="poppler-utils is installed by scripts/setup.sh")


def _episode_row(window):
    panel = window.needs_match.episodes_panel
    (row,) = panel.rows
    return row


@needs_poppler
def test_message_to_gp_saves_the_letter_copies_the_text_and_lists_it(qtbot, store, db_path,
                                                                     tmp_path):
    install_team_check_in()
    journey = link_worker_journey(store)
    window = make_window(qtbot, store, Settings(user_name="Wendy Link", role="splw",
                                                practice="Riverside PCN"))
    window.open_person(journey.person_id)
    row = _episode_row(window)
    assert not row.letters_label.isVisible()
    failures: list = []
    seen: dict = {}

    def fill(dialog) -> None:
        assert dialog.objectName() == "gpMessageDialog"
        assert dialog.occasion.currentData() == "closure"
        dialog.written_on.set_value(date(2026, 4, 21))
        dialog.refresh()
        html = dialog.preview.toPlainText()
        assert "Ann Archer" in html and WHAT_MATTERS in html and "871731000000106" in html
        dialog.occasion.setCurrentIndex(dialog.occasion.findData("first_contact"))
        dialog.written_on.set_value(date(2026, 1, 6))
        dialog.refresh()
        error = dialog.form.fields["occasion"][1]
        assert error.isVisible() and "no first contact yet" in error.text()
        assert not dialog.pdf_button.isEnabled()
        dialog.occasion.setCurrentIndex(dialog.occasion.findData("closure"))
        dialog.written_on.set_value(date(2026, 4, 21))
        dialog.refresh()
        assert dialog.pdf_button.isEnabled()
        seen["pdf"] = dialog.save_pdf(tmp_path / "letter.pdf")
        qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
        seen["text"] = dialog.text
        seen["done"] = dialog.done_label.text()
        dialog.accept()

    answer_dialog(qtbot, fill, failures)
    qtbot.mouseClick(row.findChild(QPushButton, "episodeGpMessage"), Qt.MouseButton.LeftButton)
    assert not failures, failures
    assert QGuiApplication.clipboard().text() == seen["text"]
    assert "paste it into the GP record" in seen["done"]
    # Saved and copied: the same letter, recorded once.
    assert rows(db_path, "SELECT occasion, written_on, written_by, consent, text FROM"
                         " gp_messages") == [("closure", "2026-04-21", "Wendy Link", 1,
                                              seen["text"])]
    pdf_text = " ".join(subprocess.run(["pdftotext", str(seen["pdf"]), "-"],
                                       capture_output=True, text=True, check=True
                                       ).stdout.split())
    for needle in ("Ann Archer", "943 476 5919", DOG, "Tuesday Lunch Club", "Calm",
                   "Riverside PCN", "Wendy Link"):
        assert needle in pdf_text, needle
    row = _episode_row(window)
    assert row.letters_label.isVisible()
    assert row.letters_label.text() == "Letters to the GP: closure 21 Apr 2026 by Wendy Link"


def test_without_consent_the_window_says_so_and_lists_the_letter_as_codes_only(
        qtbot, store, db_path):
    journey = link_worker_journey(store, consent=False)
    window = make_window(qtbot, store, Settings(user_name="Wendy Link", role="splw"))
    window.open_person(journey.person_id)
    failures: list = []

    def fill(dialog) -> None:
        assert "Share with GP is off" in dialog.consent_note.text()
        assert WHAT_MATTERS not in dialog.text and DOG not in dialog.text
        assert "871731000000106" in dialog.text
        qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
        dialog.accept()

    answer_dialog(qtbot, fill, failures)
    _episode_row(window).gp_message_button.click()
    assert not failures, failures
    assert rows(db_path, "SELECT consent FROM gp_messages") == [(0,)]
    assert "(codes and dates only)" in _episode_row(window).letters_label.text()


def test_the_code_list_import_shows_every_wrong_line_and_imports_nothing(qtbot, store,
                                                                        db_path, tmp_path):
    window = make_window(qtbot, store)
    bad = tmp_path / "pcn.csv"
    bad.write_text("role,event,sctid,term\n"
                   "cc,first_contact,871731000000107,Mistyped\n"
                   "hwbc,lunch,871711000000103,Unknown event\n", encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text("role,event,sctid,term\n"
                    "cc,first_contact,871731000000106,Referral to social prescribing service\n",
                    encoding="utf-8")
    failures: list = []

    def fill(dialog) -> None:
        assert dialog.table.rowCount() == 2  # the shipped codes
        dialog.read_csv(bad)
        problems = dialog.problems.toPlainText().splitlines()
        assert len(problems) == 2
        assert "pcn.csv, line 2" in problems[0] and "check digit" in problems[0]
        assert "pcn.csv, line 3" in problems[1]
        assert not dialog.import_button.isEnabled()
        assert "nothing can be imported" in dialog.status.text()
        dialog.read_csv(good)
        assert dialog.import_button.isEnabled() and not dialog.problems.isVisible()
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        assert dialog.table.rowCount() == 3
        dialog.reject()

    answer_dialog(qtbot, fill, failures)
    window.standards.code_list_action.trigger()
    assert not failures, failures
    assert rows(db_path, "SELECT role, event, sctid, shipped, source FROM code_list"
                         " ORDER BY shipped, role, event") == [
        ("cc", "first_contact", "871731000000106", 0, str(good)),
        ("splw", "declined", "871711000000103", 1, "ARRS Desktop"),
        ("splw", "first_contact", "871731000000106", 1, "ARRS Desktop")]


def test_an_imported_code_shows_on_the_episode_it_is_due_for(qtbot, store):
    from arrs_desktop.app.operations.standards import import_code_list
    from arrs_desktop.domain.models import Episode, Person
    from arrs_desktop.standards.codes import parse_code_list_csv

    person = store.people.add(Person(name="Cora Coord"))
    episode = store.episodes.open(Episode(person_id=person.id, role="cc",
                                          referral_date=date(2026, 2, 1), referral_source="gp"))
    store.episodes.change_status(episode.id, "active", on=date(2026, 2, 3))
    import_code_list(store, parse_code_list_csv(
        b"role,event,sctid,term\ncc,first_contact,871731000000106,A care coordination code\n",
        "pcn.csv"))
    window = make_window(qtbot, store)
    window.open_person(person.id)
    label = _episode_row(window).code_label
    assert label.isVisible() and "871731000000106" in label.text()
