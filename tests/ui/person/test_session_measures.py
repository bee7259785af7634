"""A PCN's own measure in the session form: its items and licence note shown, answers
checked against each item's scale, saved with the session and its definition's fingerprint."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from standards_journey import TEAM_CHECK_IN, install_team_check_in

from arrs_desktop.domain.models import Episode, Person
from arrs_desktop.settings import Settings
from tests.ui_helpers import make_window, rows, type_into


def test_a_pcn_measure_is_recorded_in_the_session_form_with_its_licence_note(qtbot, store,
                                                                            db_path):
    install_team_check_in()
    person = store.people.add(Person(name="Cal Measure", date_of_birth=date(1970, 1, 2)))
    store.episodes.open(Episode(person_id=person.id, role="splw", referral_source="gp",
                                referral_date=date(2026, 1, 5)))
    window = make_window(qtbot, store, Settings(user_name="Lee Link", role="splw"))
    window.open_person(person.id)
    window.daily_work.log_session_action.trigger()
    panel = window.sessions_panel
    (box,) = panel.measure_boxes
    assert box.title() == "Team check-in (optional)"
    box.setChecked(True)
    assert box.licence.isVisible()
    assert box.licence.text() == "Licence: Our own questions; no licence needed."
    type_into(qtbot, panel.minutes, "30")
    type_into(qtbot, box.edits["calm"], "9")  # the scale is 1 to 5
    type_into(qtbot, box.edits["tense"], "2")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    error = panel.errors.fields["TCI.calm"][1]
    assert error.isVisible() and "from 1 to 5" in error.text()
    assert rows(db_path, "SELECT count(*) FROM sessions") == [(0,)]
    type_into(qtbot, box.edits["calm"], "4")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert rows(db_path, "SELECT count(*) FROM sessions") == [(1,)]
    assert rows(db_path, "SELECT item_id, score, measure_code, fingerprint FROM measure_scores"
                         " ORDER BY item_id") == [
        ("calm", 4, "TCI", TEAM_CHECK_IN.fingerprint), ("tense", 2, "TCI",
                                                        TEAM_CHECK_IN.fingerprint)]
    assert not box.isChecked() and box.edits["calm"].text() == ""


def test_the_measures_are_charted_first_to_latest(qtbot, store):
    from standards_journey import link_worker_journey

    from tests.ui_helpers import answer_dialog

    install_team_check_in()
    journey = link_worker_journey(store)
    window = make_window(qtbot, store)
    window.open_person(journey.person_id, "sessions")
    panel = window.sessions_panel
    failures: list = []
    seen: dict = {}

    def fill(dialog) -> None:
        seen["measures"] = [dialog.measure.itemText(i) for i in range(dialog.measure.count())]
        dialog.measure.setCurrentIndex(dialog.measure.findData("TCI"))
        seen["summary"] = dialog.summary.text()
        seen["licence"] = dialog.licence.text()
        chart = dialog.chart_view.chart()
        seen["bars"] = [[s.at(i) for i in range(s.count())]
                        for s in chart.series()[0].barSets()]
        dialog.reject()

    answer_dialog(qtbot, fill, failures)
    qtbot.mouseClick(panel.measures_button, Qt.MouseButton.LeftButton)
    assert not failures, failures
    assert seen["measures"][1] == "Team check-in"
    assert seen["bars"] == [[2, 5, 3], [4, 2, 8]]  # first, latest: calm, tense, total
    assert "Tense: 5 on 12 Jan 2026 → 2 on 20 Apr 2026 (better)" in seen["summary"]
    assert "lower is better for: Tense" in seen["summary"]
    assert seen["licence"] == "Licence: Our own questions; no licence needed."
