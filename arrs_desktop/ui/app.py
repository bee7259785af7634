"""Start the window: `arrs-desktop [--db PATH] [--rules PATH] [--screenshot PNG]`."""

from __future__ import annotations

import argparse
import gc
import getpass
import os
import sys
from pathlib import Path

DEFAULT_SCREENSHOT = "arrs-desktop-screenshot.png"


def build_parser() -> argparse.ArgumentParser:
    """Return the command-line parser of the window."""
    parser = argparse.ArgumentParser(prog="arrs-desktop",
                                     description="ARRS Desktop: the caseload window.")
    parser.add_argument("--db", help="caseload database file (default: $ARRS_DB or the user "
                                     "data folder)")
    parser.add_argument("--rules", help="a PCN's own role-match rules file")
    parser.add_argument("--screenshot", metavar="PNG",
                        help="render the window to a PNG (offscreen) and exit")
    parser.add_argument("--size", default="1366x768",
                        help="window size for --screenshot, e.g. 1366x768")
    parser.add_argument("--tab", default="", help="with --screenshot: the view to show")
    parser.add_argument("--person-tab", default="",
                        help="with --screenshot: the person's tab to show (e.g. Goals)")
    return parser


def _has_display() -> bool:
    if sys.platform != "linux":
        return True
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def main(argv: list[str] | None = None) -> int:
    """Run the window (or write a screenshot) and return the exit code."""
    args = build_parser().parse_args(argv)
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    elif not _has_display():
        args.screenshot = DEFAULT_SCREENSHOT
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        print(f"No display found, so the window cannot open here: writing a screenshot to "
              f"{Path(args.screenshot).resolve()} instead (use `xvfb-run -a arrs-desktop` for a "
              "virtual screen).", file=sys.stderr)
    return run(args)


def run(args) -> int:
    """Open the store and the window."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from arrs_desktop.matching import load_rules
    from arrs_desktop.paths import resolve_db_path
    from arrs_desktop.settings import load_settings
    from arrs_desktop.store import StoreOpenError, open_store
    from arrs_desktop.ui import theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("ARRS Desktop")
    app.setOrganizationName("arrs-desktop")
    app.setStyleSheet(theme.STYLE_SHEET)
    settings = load_settings()
    path = resolve_db_path(args.db)
    try:
        store = open_store(path, user=settings.user_name or getpass.getuser(),
                           backup_on_open=not args.screenshot, backup_in_background=True)
    except StoreOpenError as exc:
        print(f"arrs-desktop: {exc}", file=sys.stderr)
        if not args.screenshot:
            QMessageBox.critical(None, "ARRS Desktop", str(exc))
        return 1
    rules_load = load_rules(args.rules)
    for message in rules_load.messages:
        print(f"arrs-desktop: {message}", file=sys.stderr)
    window = create_window(store, settings, rules_load)
    if args.screenshot:
        return write_screenshot(app, window, Path(args.screenshot), args.size, args.tab,
                                args.person_tab)
    window.show_as_remembered()
    # The window's objects live as long as the app: keep them out of the garbage collector's
    # full passes, which stop every thread (the background list loads too) while they run.
    gc.freeze()
    if not settings.is_configured:
        window.daily_work.open_settings(first_run=True)
    if store.people_count() == 0 and store.is_new:
        _offer_demo(window, store)
    code = app.exec()
    while window.successor is not None:  # File → Open caseload… put another in its place
        window = window.successor
    store.close()
    window.store.close()
    return code


def create_window(store, settings, rules_load):
    """Build the main window around an open store."""
    from arrs_desktop.ui.main_window import MainWindow

    return MainWindow(store, settings, rules_load)


def write_screenshot(app, window, path: Path, size: str = "1366x768", tab: str = "",
                     person_tab: str = "") -> int:
    """Show the window offscreen with the first person selected and save it as a PNG."""
    try:
        width, height = (int(v) for v in size.lower().split("x"))
    except ValueError:
        print(f"arrs-desktop: --size must look like 1366x768, not {size!r}", file=sys.stderr)
        return 2
    window.resize(width, height)
    window.show()
    window.caseload.select_first()
    for wanted, tabs, option in ((tab, window.views, "--tab"),
                                 (person_tab, window.person_view.tabs, "--person-tab")):
        if not wanted:
            continue
        names = [_tab_key(tabs.tabText(i)) for i in range(tabs.count())]
        if _tab_key(wanted) not in names:
            shown = ", ".join(n.replace(" ", "-") for n in names)
            print(f"arrs-desktop: {option} {wanted!r} is not a tab; choose one of: {shown}",
                  file=sys.stderr)
            return 2
        tabs.setCurrentIndex(names.index(_tab_key(wanted)))
    for _ in range(5):
        app.processEvents()
    _wait_for_lists(app, window)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(path), "PNG"):
        print(f"arrs-desktop: could not write {path}", file=sys.stderr)
        return 1
    print(f"Screenshot written to {path}")
    window.close()
    return 0


def _tab_key(text: str) -> str:
    """A tab's name as typed on the command line: 'Care homes', 'care-homes', 'care_homes'."""
    return " ".join(text.replace("&", "").replace("-", " ").replace("_", " ").lower().split())


def _wait_for_lists(app, window, seconds: float = 60.0) -> None:
    """Let lists loading in the background (Triage, Follow-ups) arrive before a screenshot."""
    import time

    from PySide6.QtWidgets import QWidget

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        views = [w for w in window.findChildren(QWidget) if getattr(w, "loading", False)
                 and hasattr(w, "wait_for_idle")]
        if not views:
            break
        for view in views:
            view.wait_for_idle(100)
        app.processEvents()
    for _ in range(5):  # lay out what arrived
        app.processEvents()


def _offer_demo(window, store) -> None:
    from arrs_desktop.ui.first_run import FirstRunDialog, load_demo_with_progress

    choice, ok = FirstRunDialog.ask(window)
    if ok and choice == FirstRunDialog.DEMO:
        def done(error: str | None) -> None:
            if error:
                window.show_error(window.tr("Demo caseload"), error)
            window.caseload.refresh()
            window.caseload.select_first()

        window._demo_loader = load_demo_with_progress(window, store.path, done)


if __name__ == "__main__":
    sys.exit(main())
