"""A link-worker episode from referral to closure, done in the real window as a worker
would, then the letters, codes and dataset a PCN would send: from the window and from
`arrs`, read back as a GP and a commissioner would."""

from __future__ import annotations

import csv
import shutil
import subprocess
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from standards_journey import install_team_check_in

from arrs_desktop.cli import main
from arrs_desktop.domain.models import Person
from arrs_desktop.settings import Settings
from tests.ui_helpers import answer_dialog, make_window, rows, type_into

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="poppler-utils is installed by scripts/setup.sh")
WHAT_MATTERS = "Getting back to the allotment"
DOG = "Large dog: ask for it to be shut away"


def _pdf_text(path) -> str:
    return " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())


def _log_session(qtbot, window, day: str, kind: str, minutes: str, ons4=None, tci=None):
    window.daily_work.log_session_action.trigger()
    panel = window.sessions_panel
    type_into(qtbot, panel.date, day)
    panel.kind.setCurrentIndex(panel.kind.findData(kind))
    type_into(qtbot, panel.minutes, minutes)
    if ons4:
        panel.ons4_box.setChecked(True)
        for item, value in zip(("life_satisfaction", "worthwhile", "happy", "anxious"), ons4,
                               strict=True):
            type_into(qtbot, panel.ons4[item], str(value))
    if tci:
        (box,) = panel.measure_boxes
        box.setChecked(True)
        for item, value in tci.items():
            type_into(qtbot, box.edits[item], str(value))
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert panel.saved_label.text().startswith("✔"), panel.general_error.text()


@needs_poppler
def test_a_link_worker_episode_from_referral_to_closure_gives_what_a_pcn_sends(
        qtbot, store, db_path, tmp_path):
    install_team_check_in()
    ann = store.people.add(Person(name="Ann Archer", date_of_birth=date(1948, 5, 17),
                                  nhs_number="9434765919", address="12 Mill Lane",
                                  postcode="LS1 4AP", gender="female",
                                  gp_practice="Riverside Surgery", what_matters=WHAT_MATTERS))
    store.needs.set(ann.id, {"loneliness"})
    window = make_window(qtbot, store, Settings(user_name="Wendy Link", role="splw",
                                                practice="Riverside PCN",
                                                practice_phone="0113 496 0001"))
    window.open_person(ann.id)
    failures: list = []

    # 1. The referral in, to the standard's model, with a safety alert.
    def refer(dialog) -> None:
        type_into(qtbot, dialog.referral_date, "05/01/2026")
        type_into(qtbot, dialog.referrer_name, "Dr Asha Patel")
        type_into(qtbot, dialog.referrer_role, "GP")
        type_into(qtbot, dialog.referrer_organisation, "Riverside Surgery")
        type_into(qtbot, dialog.referrer_phone, "0113 496 0000")
        type_into(qtbot, dialog.what_matters, WHAT_MATTERS)
        dialog.alert_kinds[0].setCurrentIndex(dialog.alert_kinds[0].findData("lone_worker"))
        type_into(qtbot, dialog.alert_details[0], DOG)
        dialog.share_yes.setChecked(True)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        if dialog.isVisible():
            failures.append(AssertionError(dialog.general_error.text()))
            dialog.reject()

    answer_dialog(qtbot, refer, failures)
    qtbot.mouseClick(window.findChild(QPushButton, "allocateButton_splw"),
                     Qt.MouseButton.LeftButton)
    assert not failures, failures
    assert DOG in window.person_view.header.alert_text

    # 2. Three contacts logged in the session form, with ONS4 and the PCN's own measure.
    _log_session(qtbot, window, "12/01/2026", "assessment", "60", ons4=(3, 4, 2, 8),
                 tci={"calm": 2, "tense": 5})
    _log_session(qtbot, window, "09/02/2026", "review", "45")
    _log_session(qtbot, window, "20/04/2026", "discharge", "30", ons4=(7, 7, 6, 4),
                 tci={"calm": 4, "tense": 2})

    # 3. Closed from the episode.
    window.open_person(ann.id)
    row = window.needs_match.episodes_panel.rows[0]

    def close(dialog) -> None:
        dialog.reason.setCurrentIndex(dialog.reason.findData("goals_met"))
        type_into(qtbot, dialog.day, "20/04/2026")
        dialog.findChild(QPushButton, "confirmCloseButton").click()

    answer_dialog(qtbot, close, failures)
    row.buttons["closed"].click()
    assert not failures, failures
    assert rows(db_path, "SELECT status, first_contact_date, closure_date FROM episodes") == [
        ("closed", "2026-01-12", "2026-04-20")]

    # 4. The message back to the GP at closure: the PDF letter and the text.
    letter = tmp_path / "closure-letter.pdf"
    seen: dict = {}

    def message(dialog) -> None:
        assert dialog.occasion.currentData() == "closure"
        dialog.written_on.set_value(date(2026, 4, 21))
        dialog.refresh()
        seen["pdf"] = dialog.save_pdf(letter)
        qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
        dialog.accept()

    answer_dialog(qtbot, message, failures)
    window.needs_match.episodes_panel.rows[0].gp_message_button.click()
    assert not failures, failures
    text = QApplication.clipboard().text()
    pdf = _pdf_text(seen["pdf"])
    for needle in ("Ann Archer", "17 May 1948", "943 476 5919", WHAT_MATTERS, DOG,
                   "Dr Asha Patel", "Lonely or isolated", "871731000000106",
                   "Referral to social prescribing service", "12 Jan 2026", "Life satisfaction",
                   "Calm", "Wendy Link", "Social Prescribing Link Worker", "Riverside PCN"):
        assert needle in pdf, needle
        assert needle in text, needle
    listed = window.needs_match.episodes_panel.rows[0].letters_label.text()
    assert listed == "Letters to the GP: closure 21 Apr 2026 by Wendy Link"

    # 5. The minimum dataset from the export dialog.
    reports = window.reports
    window.views.setCurrentWidget(reports)
    reports.period_kind.setCurrentIndex(reports.period_kind.findData("custom"))
    reports.date_from.setDate(date(2026, 1, 1))
    reports.date_to.setDate(date(2026, 4, 30))

    def export(dialog) -> None:
        dialog.what.setCurrentIndex(dialog.what.findData("dataset"))
        dialog.folder.setText(str(tmp_path / "window-dataset"))
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    answer_dialog(qtbot, export, failures)
    with qtbot.waitSignal(reports.export_finished, timeout=30000) as blocker:
        reports.ask_export()
    assert not failures, failures
    outcomes = next(f for f in blocker.args[0] if f.name.startswith("msd_outcomes"))
    table = list(csv.reader(outcomes.open(encoding="utf-8-sig")))
    header, (values,) = table[0], table[1:]
    assert values[header.index("ONS4 life satisfaction first")] == "3"
    assert values[header.index("ONS4 life satisfaction latest")] == "7"
    assert values[header.index("TCI total latest")] == "8"
    window.close()
    store.close()

    # 6. The same from `arrs`: the text letter, the codes, the dataset.
    out = tmp_path / "letter.txt"
    episode_id = rows(db_path, "SELECT id FROM episodes")[0][0]
    assert main(["gp-message", "--db", str(db_path), "--episode", episode_id, "--out",
                 str(out), "--on", "2026-04-21", "--worker", "Wendy Link"]) == 0
    cli_text = out.read_text(encoding="utf-8")
    assert "871731000000106" in cli_text and DOG in cli_text and WHAT_MATTERS in cli_text
    assert main(["export", "--db", str(db_path), "--out", str(tmp_path / "cli-dataset"),
                 "--dataset", "--from", "2026-01-01", "--to", "2026-04-30"]) == 0
    assert (tmp_path / "cli-dataset" / "minimum-dataset-2026-01-01-2026-04-30.xlsx").exists()
    assert [r[0] for r in rows(db_path, "SELECT occasion FROM gp_messages")] == [
        "closure", "closure"]
