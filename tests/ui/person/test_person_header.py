"""The person header names the person and shows their safety alerts wherever they appear;
every list of people marks those with alerts."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from arrs_desktop.domain.models import CareHome, Episode, Person, Session, SessionEntry
from arrs_desktop.settings import Settings
from tests.ui_helpers import answer_dialog, loaded, make_window, rows, type_into

DOG = "Large dog at the address: ask for it to be shut away"


def _person(store, **extra) -> Person:
    return store.people.add(Person(name="Ann Archer", date_of_birth=date(1948, 5, 17),
                                   nhs_number="9434765919", **extra))


def test_the_header_names_the_person_wherever_they_appear(qtbot, store):
    ann = _person(store)
    window = make_window(qtbot, store)
    for section in (None, "goals", "sessions"):
        window.open_person(ann.id, section)
        header = window.person_view.header
        assert header.name_label.text() == "Ann Archer"
        assert "NHS number 943 476 5919" in header.details.text().replace("\u00a0", " ")
        assert "Born 17 May 1948" in header.details.text().replace("\u00a0", " ")


def test_safety_alerts_show_in_the_person_header(qtbot, store, db_path):
    ann = _person(store)
    window = make_window(qtbot, store, Settings(user_name="Wendy Link", role="splw"))
    window.open_person(ann.id)
    header = window.person_view.header
    assert header.alert_text == "" and not header.alerts.isVisible()
    failures: list = []

    def fill(dialog) -> None:
        assert dialog.objectName() == "safetyAlertsDialog"
        assert dialog.empty.isVisible()
        dialog.kind.setCurrentIndex(dialog.kind.findData("lone_worker"))
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # no detail yet
        error = dialog.form.fields["detail"][1]
        assert error.isVisible() and "is required" in error.text()
        assert rows(db_path, "SELECT count(*) FROM safety_alerts") == [(0,)]
        type_into(qtbot, dialog.detail, DOG)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.listing.count() == 1 and DOG in dialog.listing.item(0).text()
        dialog.kind.setCurrentIndex(dialog.kind.findData("hearing"))
        assert dialog.on_plan.isEnabled()
        dialog.on_plan.setChecked(True)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.listing.count() == 2
        dialog.reject()

    answer_dialog(qtbot, fill, failures)
    qtbot.mouseClick(header.findChild(QPushButton, "safetyAlertsButton"),
                     Qt.MouseButton.LeftButton)
    assert not failures, failures
    assert rows(db_path, "SELECT kind, detail, raised_by, show_on_plan, ended_on FROM"
                         " safety_alerts ORDER BY created_at") == [
        ("lone_worker", DOG, store.user, 0, None), ("hearing", "", store.user, 1, None)]
    assert header.alerts.isVisible()
    assert f"\u2691 Risk to a lone worker: {DOG}" in header.alert_text
    assert "\u2691 Hearing loss" in header.alert_text
    assert rows(db_path, "SELECT count(*) FROM audit_log WHERE table_name = 'safety_alerts'"
                ) == [(2,)]

    def end_one(dialog) -> None:
        dialog.listing.setCurrentRow(1)  # the hearing need
        qtbot.mouseClick(dialog.end_button, Qt.MouseButton.LeftButton)
        dialog.reject()

    answer_dialog(qtbot, end_one, failures)
    window.standards.alerts_action.trigger()
    assert not failures, failures
    assert rows(db_path, "SELECT kind FROM safety_alerts WHERE ended_on IS NULL") == [
        ("lone_worker",)]
    assert "Hearing loss" not in header.alert_text and DOG in header.alert_text


def test_people_with_alerts_are_marked_in_every_list(qtbot, store):
    today = date.today()
    home = store.care_homes.add(CareHome(name="Beech House"))
    ann = _person(store, care_home_id=home.id)
    bob = store.people.add(Person(name="Bob Baker", care_home_id=home.id))
    for person in (ann, bob):
        store.needs.set(person.id, {"loneliness"})
    episode = store.episodes.open(Episode(person_id=ann.id, role="splw",
                                          referral_date=today - timedelta(30),
                                          referral_source="gp", worker="Wendy Link"))
    store.sessions.log(SessionEntry(session=Session(
        person_id=ann.id, date=today - timedelta(20), role="splw", kind="assessment",
        mode="telephone", minutes=20, episode_id=episode.id,
        next_follow_up=today - timedelta(2))))
    store.alerts.add(ann.id, {"kind": "safeguarding", "detail": "", "raised_on":
                              (today - timedelta(30)).isoformat(), "raised_by": "Me"})
    window = make_window(qtbot, store)  # no user named: every list shows everyone

    model = window.caseload.model
    names = {model.person_id(r): model.data(model.index(r, 0)) for r in range(model.rowCount())}
    assert names == {ann.id: "\u2691 Ann Archer", bob.id: "Bob Baker"}
    row = next(r for r in range(model.rowCount()) if model.person_id(r) == ann.id)
    assert "Safeguarding concern" in model.data(model.index(row, 0),
                                                Qt.ItemDataRole.ToolTipRole)
    assert "safety alerts: Safeguarding concern" in model.data(
        model.index(row, 0), Qt.ItemDataRole.AccessibleTextRole)

    window.daily_work.go_to_view(window.views.indexOf(window.follow_ups))
    follow_ups = window.follow_ups
    loaded(qtbot, follow_ups)
    fm = follow_ups.model
    titles = [fm.data(fm.index(r, 2)) for r in range(fm.rowCount())]
    assert "\u2691 Ann Archer" in titles

    store.episodes.change_status(episode.id, "closed", on=today, closure_reason="goals_met")
    window.views.setCurrentWidget(window.triage)
    loaded(qtbot, window.triage)
    tm = window.triage.model
    tnames = [tm.data(tm.index(r, 0)) for r in range(tm.rowCount())]
    assert "Bob Baker" in tnames
    window.triage.model.set_include_recent(True)
    tnames = [tm.data(tm.index(r, 0)) for r in range(tm.rowCount())]
    assert "\u2691 Ann Archer" in tnames

    window.open_care_home(home.id)
    residents = window.care_homes.contact_form.residents
    texts = sorted(residents.item(i).text() for i in range(residents.count()))
    assert texts == ["Bob Baker", "\u2691 Ann Archer"]

    # An alert ended is no longer marked anywhere.
    (alert,) = store.alerts.for_person(ann.id)
    from arrs_desktop.app.operations.standards import end_alert

    window.context.run(end_alert, alert["id"], today)
    names = {model.person_id(r): model.data(model.index(r, 0)) for r in range(model.rowCount())}
    assert names[ann.id] == "Ann Archer"
