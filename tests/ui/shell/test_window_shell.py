"""The window shell: layout, caseload table, search, new person, screenshot, start-up."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QTableView

from arrs_desktop.domain.matching import load_rules
from arrs_desktop.domain.models import CaseloadFilter
from arrs_desktop.settings import Settings
from arrs_desktop.store import open_store
from arrs_desktop.ui.caseload.caseload_model import CaseloadModel
from arrs_desktop.ui.person.person_dialog import PersonDialog
from arrs_desktop.ui.shell.app import create_window
from tests.ui_helpers import make_context


@pytest.fixture
def window(demo_window):
    return demo_window


def test_window_has_named_parts_and_title_names_the_file(window, demo_db):
    assert window.findChild(QTableView, "caseloadTable") is not None
    assert window.findChild(QLineEdit, "caseloadSearch") is not None
    assert demo_db.name in window.windowTitle()
    assert str(demo_db) in window.db_label.text()
    assert window.caseload.model.rowCount() == 60


def test_search_narrows_the_table_as_the_user_types(window, qtbot, demo_store):
    person = demo_store.caseload.page(CaseloadFilter(), 0, 1)[0]
    fragment = person.name.split()[-1][:4].upper()
    qtbot.keyClicks(window.caseload.search, fragment)
    qtbot.keyClick(window.caseload.search, Qt.Key.Key_Return)
    model = window.caseload.model
    names = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    assert person.name in names
    assert all(fragment.lower() in n.lower() for n in names)
    assert len(names) < 60


def test_first_person_selected_shows_their_details(window):
    first_id = window.caseload.select_first()
    assert window.person_view.person_id == first_id
    assert window.person_view.header.name_label.text() == window.store.people.get(first_id).name


def test_empty_caseload_tells_the_user_what_to_do(qtbot, store):
    w = create_window(store, Settings(), load_rules(None))
    qtbot.addWidget(w)
    w.show()
    assert w.caseload.empty_label.isVisible()
    assert "New person" in w.caseload.empty_label.text()
    assert "Choose someone" in w.person_view.empty.text()


def test_new_person_dialog_shows_errors_by_the_field_and_saves_nothing(qtbot, store, db_path):
    dialog = PersonDialog(make_context(store))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.nhs, "943 476 5918")
    qtbot.keyClicks(dialog.dob, "31/02/1950")
    qtbot.keyClicks(dialog.email, "ada at example")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    errors = {key: err.text() for key, (_w, err) in dialog.form.fields.items() if err.text()}
    assert set(errors) == {"name", "nhs_number", "date_of_birth", "email"}
    assert "email address" in errors["email"]
    assert "required" in errors["name"]
    assert "check digit" in errors["nhs_number"]
    assert dialog.isVisible()
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM people").fetchone()[0] == 0


def test_new_person_saved_from_the_dialog_is_in_the_database(qtbot, store, db_path):
    dialog = PersonDialog(make_context(store))
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.name, "Ada Example")
    qtbot.keyClicks(dialog.dob, "02/03/1948")
    qtbot.keyClicks(dialog.nhs, "943-476-5919")
    qtbot.keyClicks(dialog.postcode, "bf1 2ab")
    qtbot.keyClicks(dialog.email, "ada@example.org")
    dialog.ethnicity.setFocus()
    while dialog.ethnicity.currentText() != "White: Irish":
        qtbot.keyClick(dialog.ethnicity, Qt.Key.Key_Down)
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.result() == dialog.DialogCode.Accepted
    row = sqlite3.connect(db_path).execute(
        "SELECT name, date_of_birth, nhs_number, postcode, email, ethnicity FROM people"
    ).fetchone()
    assert row == ("Ada Example", "1948-03-02", "9434765919", "BF1 2AB", "ada@example.org",
                   "White: Irish")


def test_an_ethnicity_recorded_in_other_words_is_kept_when_editing(qtbot, store, db_path):
    from arrs_desktop.domain.models import Person

    person = store.people.add(Person(name="Ivy Import", ethnicity="Welsh"))
    dialog = PersonDialog(make_context(store), person)
    qtbot.addWidget(dialog)
    assert dialog.ethnicity.currentData() == "Welsh"
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    assert store.people.get(person.id).ethnicity == "Welsh"


def test_duplicate_name_and_birth_date_needs_confirmation(qtbot, store):
    from arrs_desktop.domain.models import Person

    store.people.add(Person(name="Mary Smith", date_of_birth=date(1940, 1, 1)))
    dialog = PersonDialog(make_context(store))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name, "Mary Smith")
    qtbot.keyClicks(dialog.dob, "01/01/1940")
    dialog.save()
    assert dialog.confirm_different.isVisible()
    assert store.people.count() == 1
    dialog.confirm_different.setChecked(True)
    dialog.save()
    assert store.people.count() == 2


def test_caseload_model_passes_qt_model_tester(qtmodeltester, demo_store):
    model = CaseloadModel(demo_store)
    qtmodeltester.check(model)
    model.sort(4, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)


def test_caseload_model_fetches_in_pages(store):
    from arrs_desktop.tools.demo import build_demo
    from arrs_desktop.ui.caseload import caseload_model

    build_demo(store, 30, seed=3)
    old = caseload_model.PAGE_SIZE
    caseload_model.PAGE_SIZE = 10
    try:
        model = CaseloadModel(store)
        assert model.rowCount() == 10 and model.total == 30
        assert model.canFetchMore(model.index(-1, -1))
        model.fetchMore(model.index(-1, -1))
        assert model.rowCount() == 20
    finally:
        caseload_model.PAGE_SIZE = old


def _run_app(args, env_extra=None, cwd=None):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "arrs_desktop.ui.shell.app", *args],
                          capture_output=True, text=True, env=env, cwd=cwd, timeout=120)


def test_screenshot_command_writes_a_png_of_the_window(tmp_path, demo_db):
    out = tmp_path / "shot.png"
    result = _run_app(["--db", str(demo_db), "--screenshot", str(out)])
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert (image.width(), image.height()) == (1366, 768)


def test_without_a_display_the_app_says_so_and_writes_a_screenshot(tmp_path, demo_db,
                                                                   isolated_home):
    result = _run_app(["--db", str(demo_db)], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert lines[0].startswith("No display found")
    assert "Traceback" not in result.stderr and "Aborted" not in result.stderr
    assert (isolated_home / "data" / "arrs-desktop-screenshot.png").exists()
    assert not (tmp_path / "arrs-desktop-screenshot.png").exists()


@pytest.mark.parametrize("content", [b"hello, this is a text file\n", b"SQLite format 3\x00" +
                                     b"\x00" * 50])
def test_foreign_or_broken_file_is_reported_and_left_untouched(tmp_path, content):
    path = tmp_path / "not-ours.db"
    path.write_bytes(content)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = _run_app(["--db", str(path), "--screenshot", str(tmp_path / "x.png")])
    assert result.returncode == 1
    assert "not-ours.db" in result.stderr and "Traceback" not in result.stderr
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_foreign_sqlite_database_is_refused_untouched(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE things (x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(Exception, match="not an ARRS Desktop"):
        open_store(path)
    assert path.read_bytes() == before


def test_default_database_is_created_in_the_data_folder_and_overridable(isolated_home,
                                                                        tmp_path, monkeypatch):
    from arrs_desktop.paths import default_db_path, resolve_db_path

    assert resolve_db_path(None) == default_db_path()
    assert str(default_db_path()).startswith(str(isolated_home))
    monkeypatch.setenv("ARRS_DB", str(tmp_path / "env.db"))
    assert resolve_db_path(None) == tmp_path / "env.db"
    assert resolve_db_path(str(tmp_path / "cli.db")) == tmp_path / "cli.db"
    monkeypatch.delenv("ARRS_DB")
    result = _run_app(["--screenshot", str(tmp_path / "s.png")],
                      env_extra={"ARRS_HOME": str(isolated_home)})
    assert result.returncode == 0, result.stderr
    assert (isolated_home / "data" / "caseload.db").exists()


def test_first_run_offers_demo_and_loads_it_off_the_ui_thread(qtbot, store, db_path):
    from arrs_desktop.ui.shell.demo_progress import load_demo_with_progress
    from arrs_desktop.ui.shell.first_run_dialog import FirstRunDialog

    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    assert dialog.choice == FirstRunDialog.DEMO

    w = create_window(store, Settings(), load_rules(None))
    qtbot.addWidget(w)
    w.show()
    results = []
    load_demo_with_progress(w, db_path, results.append, people=12)
    qtbot.waitUntil(lambda: bool(results), timeout=60_000)
    assert results == [None]
    w.caseload.refresh()
    assert w.caseload.model.total == 12


def test_care_plan_button_in_the_person_header_writes_the_pdf(qtbot, window, tmp_path,
                                                             monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "plan.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "PDF files (*.pdf)")))
    person_id = window.caseload.select_first()
    qtbot.mouseClick(window.person_view.header.plan_button, Qt.MouseButton.LeftButton)
    assert target.read_bytes()[:5] == b"%PDF-"
    name = window.store.people.get(person_id).name
    assert name.split()[0] in subprocess.run(
        ["pdftotext", str(target), "-"], capture_output=True, text=True).stdout


def test_tab_walks_past_every_table_instead_of_through_its_cells(window, qtbot):
    from PySide6.QtWidgets import QAbstractItemView, QApplication

    for view in (window.triage, window.care_homes, window.community, window.follow_ups,
                 window.reports):
        assert view is not None
    views = window.findChildren(QAbstractItemView)
    assert views
    assert [v.objectName() for v in views if v.tabKeyNavigation()] == []
    table = window.findChild(QTableView, "caseloadTable")
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not table


def _contrast(fore: str, back: str) -> float:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    light, dark = sorted((luminance(fore), luminance(back)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("code", ["splw", "cc", "hwbc", None])
def test_role_text_colours_are_readable_on_every_row_colour(code):
    from arrs_desktop.ui.common import theme

    for back in (theme.WHITE, "#F7F9FA", "#D6E6F5"):  # rows, alternate rows, selection
        assert _contrast(theme.role_colour(code), back) >= 4.5
    assert _contrast(theme.WHITE, theme.role_colour(code)) >= 4.5  # white text on a badge
    assert _contrast(theme.DARK_GREEN, theme.WHITE) >= 4.5


def test_f1_lists_every_shortcut_the_window_has(window, qtbot):
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QAction, QKeySequence
    from PySide6.QtWidgets import QApplication

    from arrs_desktop.ui.shell.help_dialog import HelpDialog

    seen = {}

    def read_and_close():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, HelpDialog)
        table = dialog.table
        seen.update({table.item(r, 0).text(): table.item(r, 1).text()
                     for r in range(table.rowCount())})
        dialog.reject()

    QTimer.singleShot(0, read_and_close)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert seen, "F1 opened no shortcuts list"
    assert seen["Ctrl+Shift+S"] == "Log a session"
    assert seen["Alt+G"] == "The person's Goals tab"
    assert seen["Alt+S"] == "The person's Sessions tab"
    assert seen["Ctrl+L"] == "Lock window"
    assert "Alt+1 … Alt+9" in seen
    listed = " ".join(seen)
    for action in window.findChildren(QAction):
        for key in action.shortcuts():
            text = key.toString(QKeySequence.SequenceFormat.NativeText)
            if text and not (text.startswith("Alt+") and text[4:].isdigit()):
                assert text in listed, f"{text} ({action.text()}) is not listed"
    menus = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert menus[-1] == "Help"


def test_about_names_the_open_file_and_its_backups(window, demo_db):
    from arrs_desktop.paths import backups_dir
    from arrs_desktop.ui.shell.about_dialog import AboutDialog

    dialog = AboutDialog(window, str(demo_db), str(backups_dir(demo_db)))
    where = dialog.findChild(type(window.db_label), "aboutWhere").text()
    assert str(demo_db) in where and str(backups_dir(demo_db)) in where


def test_age_column_tells_same_named_people_apart_and_sorts_youngest_first(qtbot, store):
    from arrs_desktop.domain.models import Person

    today = date.today()
    for born in (date(1950, 1, 1), date(1990, 6, 15), None):
        store.people.add(Person(name="Jean Clarke", date_of_birth=born), allow_duplicate=True)
    w = create_window(store, Settings(user_name="Test Worker"), load_rules(None))
    qtbot.addWidget(w)
    w.resize(1366, 768)  # room for every caseload column
    w.show()
    table = w.findChild(QTableView, "caseloadTable")
    model = table.model()
    age = [model.headerData(c, Qt.Orientation.Horizontal) for c in
           range(model.columnCount())].index("Age")
    header = table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(age) + 10, 5))
    shown = [model.index(r, age).data() for r in range(model.rowCount())]
    young = today.year - 1990 - ((today.month, today.day) < (6, 15))
    assert shown[:2] == [str(young), str(today.year - 1950)] and shown[2] == ""
    assert model.index(0, age).data(Qt.ItemDataRole.ToolTipRole) == "Born 15 Jun 1990"


def test_screenshot_tab_names_are_forgiving_and_a_wrong_one_is_refused(window, tmp_path,
                                                                       capsys):
    from PySide6.QtWidgets import QApplication

    from arrs_desktop.ui.shell.app import write_screenshot

    app = QApplication.instance()
    assert write_screenshot(app, window, tmp_path / "a.png", tab="care-homes",
                            person_tab="goals") == 0
    assert window.views.tabText(window.views.currentIndex()).replace("&", "") == "Care homes"
    window.show()
    assert write_screenshot(app, window, tmp_path / "b.png", tab="nowhere") == 2
    err = capsys.readouterr().err
    assert "'nowhere' is not a tab" in err and "care-homes" in err and "follow-ups" in err
    assert not (tmp_path / "b.png").exists()
