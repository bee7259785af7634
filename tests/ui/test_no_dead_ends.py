"""No dead ends: every message that says what to do has the way to do it."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from arrs_desktop.domain.models import (
    CareHome,
    CareHomeContact,
    Episode,
    Goal,
    Person,
    Session,
    SessionEntry,
)
from arrs_desktop.settings import Settings
from arrs_desktop.store import open_store
from arrs_desktop.store.backup import list_backups
from tests.ui_helpers import answer_dialog, count, make_context, make_window, type_into

TODAY = date.today()


def _menu_texts(window) -> list[str]:
    return [a.text().replace("&", "") for a in window.file_menu.actions() if a.text()]


def test_the_duplicate_warning_opens_the_record_already_on_the_log(qtbot, store, db_path):
    existing = store.people.add(Person(name="Abena Hussain", date_of_birth=date(1943, 5, 16)))
    window = make_window(qtbot, store, Settings(user_name="Lee Link", role="splw"))
    failures: list = []

    def fill(dialog) -> None:
        type_into(qtbot, dialog.name, "Abena Hussain")
        type_into(qtbot, dialog.dob, "16/05/1943")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible()  # refused: the warning is up
        assert dialog.open_existing.isVisible()
        assert dialog.open_existing.text() == "Open Abena Hussain's record"
        qtbot.mouseClick(dialog.open_existing, Qt.MouseButton.LeftButton)

    answer_dialog(qtbot, fill, failures)
    window.new_person()
    assert not failures
    assert count(db_path, "people") == 1  # no second record
    assert window.person_view.person_id == existing.id


def test_the_same_nhs_number_offers_that_record_too(qtbot, store):
    from arrs_desktop.ui.person.person_dialog import PersonDialog

    existing = store.people.add(Person(name="Mei Öztürk", nhs_number="9434765919"))
    dialog = PersonDialog(make_context(store))
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog.name, "Mei Oz")
    type_into(qtbot, dialog.nhs, "943 476 5919")
    dialog.save()
    assert "already on the log for Mei Öztürk" in dialog.form.fields["nhs_number"][1].text()
    assert dialog.nhs_existing.isVisible()
    dialog.nhs_existing.click()
    assert dialog.opened_existing and dialog.saved.id == existing.id


def test_export_with_no_folder_says_so_and_stays_open(qtbot, store, tmp_path):
    window = make_window(qtbot, store, Settings(user_name="Lee Link", role="splw"))
    out = tmp_path / "exports"
    failures: list = []
    seen: dict = {}

    def fill(dialog) -> None:
        dialog.folder.clear()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        error = dialog.form.fields["folder"][1]
        seen["open"] = dialog.isVisible()
        seen["error"] = error.text() if error.isVisible() else ""
        dialog.folder.setText(str(out))
        seen["cleared"] = not error.isVisible()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    answer_dialog(qtbot, fill, failures)
    assert "Export…" in _menu_texts(window)
    window.file_actions.export_action.trigger()
    assert not failures
    assert seen == {"open": True, "error": "A folder is needed: choose where the files go",
                    "cleared": True}
    assert window.views.currentWidget() is window.reports
    window.reports.wait_for_idle()
    qtbot.waitUntil(lambda: out.is_dir() and any(out.iterdir()), timeout=30000)
    # The folder is remembered for next time.
    from arrs_desktop.ui.team.reports.export_dialog import ExportDialog

    again = ExportDialog(window)
    qtbot.addWidget(again)
    assert again.folder.text() == str(out)


@pytest.fixture
def due(store):
    """A follow-up due today and a goal whose target date has passed."""
    seen = store.people.add(Person(name="Fern Follow"))
    store.episodes.open(Episode(person_id=seen.id, role="splw", worker="Lee Link",
                               referral_source="gp", referral_date=TODAY - timedelta(30)))
    store.sessions.log(SessionEntry(Session(
        person_id=seen.id, date=TODAY - timedelta(14), role="splw", kind="assessment",
        mode="telephone", minutes=30, next_follow_up=TODAY - timedelta(1))))
    goal_person = store.people.add(Person(name="Gil Goal"))
    store.episodes.open(Episode(person_id=goal_person.id, role="hwbc", worker="Lee Link",
                               referral_source="gp", referral_date=TODAY - timedelta(60)))
    store.goals.add(Goal(person_id=goal_person.id, title="Walk daily", owner_role="hwbc",
                        baseline=2, target_date=TODAY - timedelta(2),
                        set_date=TODAY - timedelta(40)))
    return {"seen": seen, "goal": goal_person}


def test_a_follow_up_opens_on_sessions_with_the_cursor_in_date(qtbot, store, due):
    window = make_window(qtbot, store, Settings(user_name="Lee Link", role="splw"))
    window.daily_work.go_to_view(2)  # Alt+3
    view = window.follow_ups
    qtbot.waitUntil(lambda: not view.loading and view.model.rowCount() >= 2, timeout=30000)
    for kind, person, tab in (("session", due["seen"], window.sessions_panel),
                              ("goal", due["goal"], window.goals_panel)):
        window.daily_work.go_to_view(2)
        row = next(r for r in range(view.model.rowCount()) if view.model.item(r).kind == kind)
        view.table.setFocus()
        view.table.setCurrentIndex(view.model.index(row, 0))
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
        assert window.views.currentWidget() is window.person_view
        assert window.person_view.person_id == person.id
        assert window.person_view.tabs.currentWidget() is tab
    window.daily_work.go_to_view(2)
    row = next(r for r in range(view.model.rowCount()) if view.model.item(r).kind == "session")
    view.table.setCurrentIndex(view.model.index(row, 0))
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    qtbot.wait(10)
    assert QApplication.focusWidget() is window.sessions_panel.date


def test_put_on_hold_and_close_come_first_for_someone_being_worked_with(qtbot, store):
    person = store.people.add(Person(name="Hal Hold"))
    store.needs.set(person.id, {"loneliness"})
    window = make_window(qtbot, store, Settings(user_name="Lee Link", role="splw"))
    window.open_person(person.id)
    panel = window.needs_match
    column = panel.match_panel.parentWidget().layout()
    assert column.itemAt(0).widget() is panel.match_panel  # not allocated: the match first
    episode = store.episodes.open(Episode(person_id=person.id, role="splw", worker="Lee Link",
                                         referral_source="gp", referral_date=TODAY))
    store.episodes.change_status(episode.id, "active", on=TODAY)
    window.open_person(person.id)
    panel.set_person(person.id)
    assert column.itemAt(0).widget() is panel.episodes_panel
    row = panel.episodes_panel.rows[0]
    hold = row.buttons["on_hold"]
    assert hold.isVisible() and "Close…" in [b.text() for b in row.buttons.values()]
    top = hold.mapTo(panel, hold.rect().topLeft()).y()
    assert top < panel.match_panel.mapTo(panel, panel.match_panel.rect().topLeft()).y()


def test_care_homes_put_every_overdue_home_first(qtbot, store):
    mine = store.care_homes.add(CareHome(name="Ash Lodge", lead_worker="Lee Link"))
    theirs = store.care_homes.add(CareHome(name="Willow Court", lead_worker="Kim Other"))
    for home, last in ((mine, 2), (theirs, 20)):
        day = TODAY - timedelta(days=last)
        store.care_homes.log_contact(CareHomeContact(
            care_home_id=home.id, date=day, kind="weekly_check_in",
            next_due=day + timedelta(days=7)))
    window = make_window(qtbot, store, Settings(user_name="Lee Link", role="cc"))
    window.daily_work.go_to_view(3)
    view = window.care_homes
    names = [view.model.home(r).name for r in range(view.model.rowCount())]
    assert names == ["Willow Court", "Ash Lodge"]
    assert view.table.hasFocus() and view.home_id == theirs.id


def test_file_menu_backs_up_now(qtbot, store, db_path):
    window = make_window(qtbot, store, Settings(user_name="Lee Link", role="splw"))
    assert {"Open caseload…", "Export…", "Back up now"} <= set(_menu_texts(window))
    before = len(list_backups(db_path))
    window.file_actions.backup_action.trigger()
    window.file_actions.wait_for_backup()
    qtbot.waitUntil(lambda: window.file_actions.backup_action.isEnabled(), timeout=10000)
    assert len(list_backups(db_path)) == before + 1
    assert "Backed up to" in window.statusBar().currentMessage()


def test_open_caseload_puts_the_other_file_in_the_window(qtbot, store, tmp_path):
    other_path = tmp_path / "other.db"
    other = open_store(other_path, user="x", device_id="d")
    other.people.add(Person(name="Ivy Other"))
    other.close()
    window = make_window(qtbot, store, Settings())
    successor = window.file_actions.open_caseload(Path(other_path))
    assert successor is not None
    qtbot.addWidget(successor)
    assert window.successor is successor and not window.isVisible()
    assert successor.isVisible() and successor.store.path == other_path
    assert other_path.name in successor.windowTitle()
    assert [successor.caseload.model.row_object(r).name
            for r in range(successor.caseload.model.rowCount())] == ["Ivy Other"]
    with pytest.raises(Exception):  # noqa: B017 - the first file's connection is closed
        store.people.count()
    # A file that is not a caseload is refused and the open one stays.
    bad = tmp_path / "notes.db"
    bad.write_text("not a database")
    answer_dialog(qtbot, lambda dialog: dialog.accept(), [])
    assert successor.file_actions.open_caseload(bad) is None
    assert successor.isVisible() and successor.store.people.count() == 1
    successor.close()


def test_help_explains_every_view_and_lists_every_key(qtbot, store):
    from PySide6.QtGui import QAction, QKeySequence

    from arrs_desktop.ui.shell.help_dialog import HelpDialog, _mnemonic

    window = make_window(qtbot, store, Settings(user_name="Lee Link", role="splw"))
    extra = QAction("Jump somewhere", window)
    extra.setShortcut(QKeySequence("Ctrl+Alt+J"))
    window.addAction(extra)
    dialog = HelpDialog(window)
    qtbot.addWidget(dialog)
    text = dialog.views.toPlainText()
    tabs = [window.views.tabText(i) for i in range(window.views.count())] + [
        window.person_view.tabs.tabText(i) for i in range(window.person_view.tabs.count())]
    for title in tabs:
        assert _mnemonic(title)[1] in text, f"Help says nothing about {title!r}"
    keys = {dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text()
            for r in range(dialog.table.rowCount())}
    assert keys["Alt+G"] == "The person's Goals tab"
    assert keys["Alt+S"] == "The person's Sessions tab"
    assert keys["Ctrl+O"] == "Open caseload" and keys["Ctrl+E"] == "Export"
    assert keys["Ctrl+Alt+J"] == "Jump somewhere"  # built from the window's own commands
