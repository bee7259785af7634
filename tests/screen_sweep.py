"""Open every view and dialog on a given screen and report the text a user could not read.

Run in its own process (the screen's size and the scaling must be set before Qt starts):

    python tests/screen_sweep.py --screen 1366x768 --scale 1.5 --db demo.db [--png DIR]

It opens the window as a user's first start would (on that screen, so maximised on a
laptop screen), goes through each view, each of a person's tabs and each dialog (with their
error messages showing, where they have any), measures them with tests/layout_audit.py and
prints one JSON object: the screen, the window's size, and the problems by name. With --png
it saves a picture of each.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path


def _screen_config(width: int, height: int) -> str:
    config = {"screens": [{"name": "laptop", "x": 0, "y": 0, "width": width,
                           "height": height, "logicalDpi": 96, "dpr": 1}]}
    fd, path = tempfile.mkstemp(prefix="screen-", suffix=".json")
    with os.fdopen(fd, "w") as fh:
        json.dump(config, fh)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--screen", default="1366x768")
    parser.add_argument("--scale", default="1")
    parser.add_argument("--db", required=True)
    parser.add_argument("--png", default="")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.screen.split("x"))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_screen_config(width, height)}"
    os.environ["QT_SCALE_FACTOR"] = args.scale
    os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    report = sweep(Path(args.db), Path(args.png) if args.png else None)
    report["screen"] = f"{args.screen} at {float(args.scale):.0%}"
    print(json.dumps(report))
    return 0


def sweep(db_path: Path, png: Path | None) -> dict:
    from PySide6.QtWidgets import QApplication

    from arrs_desktop.settings import Settings
    from arrs_desktop.store import open_store
    from arrs_desktop.ui.common import theme
    from arrs_desktop.ui.shell.app import _wait_for_lists
    from arrs_desktop.ui.shell.main_window import MainWindow
    from tests import layout_audit

    app = QApplication.instance() or QApplication([])
    app.setStyleSheet(theme.STYLE_SHEET)
    store = open_store(db_path, user="Helen Brooks")
    window = MainWindow(store, Settings(user_name="Helen Brooks", role="cc"), None)
    opening = getattr(window, "show_as_remembered", None)  # as a user's first start
    (opening or window.show)()
    problems: dict[str, list[str]] = {}

    def settle() -> None:
        for _ in range(6):
            app.processEvents()
        _wait_for_lists(app, window)

    def check(name: str, widget=None) -> None:
        widget = widget or window
        settle()
        found = layout_audit.problems(widget)
        if found:
            problems[name] = found
        if png is not None:
            png.mkdir(parents=True, exist_ok=True)
            widget.grab().save(str(png / f"{name}.png"))

    settle()
    available = window.screen().availableGeometry()
    size = {"width": window.width(), "height": window.height(),
            "maximised": window.isMaximized(),
            "available": [available.width(), available.height()]}

    person_id = _busy_person(store)
    _with_alerts(store, person_id)
    window.open_person(person_id)
    tabs = window.person_view.tabs
    for i in range(tabs.count()):
        tabs.setCurrentIndex(i)
        check(f"person-{_key(tabs.tabText(i))}")
    for i in range(1, window.views.count()):
        window.views.setCurrentIndex(i)
        check(f"view-{_key(window.views.tabText(i))}")
    window.views.setCurrentIndex(0)
    for name, dialog in _dialogs(window, store, person_id):
        dialog.show()
        settle()
        check(f"dialog-{name}", dialog)
        dialog.close()
        dialog.deleteLater()
    window.close()
    store.close()
    return {"window": size, "problems": problems}


def _key(title: str) -> str:
    return title.replace("&&", "and").replace("&", "").lower().replace(" ", "-")


def _busy_person(store) -> str:
    """The person with the most goals, so every tab has something in it."""
    row = store.db.execute(
        "SELECT p.id FROM people p JOIN goals g ON g.person_id = p.id"
        " JOIN episodes e ON e.person_id = p.id AND e.status IN ('active', 'referred')"
        " GROUP BY p.id ORDER BY count(DISTINCT g.id) DESC, p.search_name LIMIT 1").fetchone()
    return row[0]


def _with_alerts(store, person_id: str) -> None:
    """Give the person safety alerts (and a letter sent), so the header and lists show them."""
    from datetime import date, timedelta

    day = (date.today() - timedelta(days=10)).isoformat()
    store.alerts.add(person_id, {"kind": "lone_worker", "raised_on": day, "raised_by": "Helen",
                                 "detail": "Large dog at the address: ask for it to be shut "
                                 "away before visiting; visit in pairs after dark"})
    store.alerts.add(person_id, {"kind": "interpreter", "detail": "Polish",
                                 "raised_on": day, "raised_by": "Helen", "show_on_plan": True})


def _dialogs(window, store, person_id: str):
    """Each dialog of the window, in the state that shows most: errors up where it has any."""
    from datetime import date, timedelta

    from arrs_desktop.settings import Settings
    from arrs_desktop.store.backup import make_backup
    from arrs_desktop.ui.person.erase_person_dialog import ErasePersonDialog
    from arrs_desktop.ui.person.goals.goal_dialog import GoalDialog
    from arrs_desktop.ui.person.gp_codes.person_codes_dialog import PersonCodesDialog
    from arrs_desktop.ui.person.needs_match.allocate_dialog import AllocateDialog
    from arrs_desktop.ui.person.needs_match.episode_day_dialog import EpisodeDayDialog
    from arrs_desktop.ui.person.person_dialog import PersonDialog
    from arrs_desktop.ui.person.referrals.refer_to_asset_dialog import ReferToAssetDialog
    from arrs_desktop.ui.shell.about_dialog import AboutDialog
    from arrs_desktop.ui.shell.first_run_dialog import FirstRunDialog
    from arrs_desktop.ui.shell.help_dialog import HelpDialog
    from arrs_desktop.ui.shell.restore_backup_dialog import RestoreBackupDialog
    from arrs_desktop.ui.shell.settings_dialog import SettingsDialog
    from arrs_desktop.ui.team.care_homes.care_home_dialog import CareHomeDialog
    from arrs_desktop.ui.team.community.asset_dialog import AssetDialog
    from arrs_desktop.ui.team.gp_codes.gp_codes_settings_dialog import GpCodesSettingsDialog
    from arrs_desktop.ui.team.reports.export_dialog import ExportDialog

    def saved(dialog, fill=None):
        dialog.show()
        if fill is not None:
            fill(dialog)
        dialog.save()
        return dialog

    def refuse_person(dialog):
        dialog.nhs.setText("123")
        dialog.email.setText("not an address")
        dialog.preferred.setCurrentIndex(dialog.preferred.findData("email"))

    other = store.people.get(person_id)

    def duplicate(dialog):
        dialog.name.setText(other.name)
        dialog.dob.set_value(other.date_of_birth)

    yield "new-person", PersonDialog(window.context, None, window)
    yield "new-person-errors", saved(PersonDialog(window.context, None, window), refuse_person)
    yield "new-person-duplicate", saved(PersonDialog(window.context, None, window), duplicate)
    yield "edit-person", PersonDialog(window.context, other, window)
    yield "welcome", saved(SettingsDialog(Settings(), True, window))
    yield "settings", SettingsDialog(Settings(user_name="Helen Brooks", role="cc"), False,
                                     window)
    yield "goal-errors", saved(GoalDialog(window.context, person_id, None, "cc", window),
                               lambda d: d.baseline.setText("12"))
    yield "allocate", AllocateDialog(window.context, person_id, "splw", "Helen Brooks", window,
                                     "cc")
    yield "allocate-errors", saved(AllocateDialog(window.context, person_id, "hwbc", "", window,
                                                  "cc"),
                                   lambda d: d.referral_date.setText("31/02/2026"))
    close = EpisodeDayDialog(date.today() - timedelta(days=30), window)
    close.show()
    close.day.setText(f"{date.today() + timedelta(days=2):%d/%m/%Y}")
    close.confirm()
    yield "close-episode-errors", close
    yield "first-contact", EpisodeDayDialog(date.today(), window, "active")
    yield "care-home-errors", saved(CareHomeDialog(window.context, None, window))
    yield "asset-errors", saved(AssetDialog(window.context, None, window))
    yield "refer-errors", saved(ReferToAssetDialog(window.context, person_id, window))
    yield "export-errors", saved(ExportDialog(window, "01 Nov 2026 to 30 Nov 2026"),
                                 lambda d: d.folder.clear())
    make_backup(store.path, "manual")
    yield "restore-backup", RestoreBackupDialog(store.path, window)
    help_dialog = HelpDialog(window)
    yield "help-views", help_dialog
    keys = HelpDialog(window)
    keys.show_keys()
    yield "help-keys", keys
    yield "about", AboutDialog(window, str(store.path), str(store.path.parent / "backups"))
    yield "erase-errors", saved(ErasePersonDialog(window.context, person_id, window))
    yield "gp-codes", PersonCodesDialog(store, person_id, window)
    yield "pcn-gp-codes", GpCodesSettingsDialog(window.context, window)
    yield "first-run", FirstRunDialog(window)
    yield from _standards_dialogs(window, store, person_id, saved)


def _standards_dialogs(window, store, person_id: str, saved):
    """The national standards' dialogs: alerts, the letter to the GP, the code list, the
    measures chart."""
    from arrs_desktop.standards.codes import parse_code_list_csv
    from arrs_desktop.ui.person.alerts.safety_alerts_dialog import SafetyAlertsDialog
    from arrs_desktop.ui.person.needs_match.gp_message_dialog import GpMessageDialog
    from arrs_desktop.ui.person.sessions.measures_chart_dialog import MeasuresChartDialog
    from arrs_desktop.ui.team.gp_codes.code_list_dialog import CodeListDialog

    yield "safety-alerts", SafetyAlertsDialog(window.context, person_id, window)
    yield "safety-alerts-errors", saved(
        SafetyAlertsDialog(window.context, person_id, window),
        lambda d: d.kind.setCurrentIndex(d.kind.findData("other_communication")))
    episode = store.episodes.for_person(person_id)[0]
    yield "gp-message", GpMessageDialog(window.context, episode.id, window)
    codes = CodeListDialog(window.context, window)
    codes.show_load(parse_code_list_csv(
        b"role,event,sctid,term\ncc,first_contact,871731000000107,Mistyped\n"
        b"hwbc,lunch,871711000000103,Unknown event\n", "pcn-codes.csv"))
    yield "code-list-errors", codes
    yield "measures-chart", MeasuresChartDialog(store, person_id, window)


if __name__ == "__main__":
    sys.exit(main())
