"""Start the window: `arrs-desktop [--db PATH] [--rules PATH] [--screenshot PNG]`."""

from __future__ import annotations

import argparse
import gc
import getpass
import os
import shlex
import shutil
import sys
from pathlib import Path

from arrs_desktop import __version__


def build_parser() -> argparse.ArgumentParser:
    """Return the command-line parser of the window."""
    parser = argparse.ArgumentParser(prog="arrs-desktop",
                                     description="ARRS Desktop: the caseload window.")
    parser.add_argument("--version", action="version", version=f"arrs-desktop {__version__}")
    parser.add_argument("--db", help="caseload database file (default: $ARRS_DB or the user "
                                     "data folder)")
    parser.add_argument("--rules", help="a PCN's own role-match rules file")
    parser.add_argument("--passphrase-file", metavar="FILE",
                        help="sign in with the passphrase on the first line of FILE (else "
                             "$ARRS_PASSPHRASE; else the sign-in window asks): for "
                             "automation and --screenshot")
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


def command_hint(program: str, args: list[str]) -> str:
    """The command that started this window, as the user can type it again.

    The bare name when PATH finds this same program, a path relative to the working folder
    when the program is inside it (`.venv/bin/arrs-desktop` from a checkout), else the full
    path; `python -m arrs_desktop.ui.shell.app` when started that way.
    """
    if Path(program).suffix == ".py":
        words = [_shortest(Path(sys.executable)), "-m", "arrs_desktop.ui.shell.app"]
    else:
        path = Path(program)
        found = shutil.which(path.name)
        if found and Path(found).resolve() == path.resolve():
            words = [path.name]
        else:
            words = [_shortest(path)]
    return shlex.join([*words, *args])


def _shortest(path: Path) -> str:
    """A path relative to the working folder when it is inside it, else absolute."""
    absolute = path.absolute()
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


def main(argv: list[str] | None = None) -> int:
    """Run the window (or write a screenshot) and return the exit code."""
    args = build_parser().parse_args(argv)
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        return run(args)
    if _has_display():
        return run(args)
    from arrs_desktop.paths import no_display_screenshot_path

    shot = no_display_screenshot_path()
    args.screenshot = str(shot)
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    again = command_hint(sys.argv[0] if sys.argv and sys.argv[0] else "arrs-desktop",
                         sys.argv[1:] if argv is None else list(argv))
    print(f"No display found, so the window cannot open here: writing a picture of it to "
          f"{shot} instead. To see the real window on a computer with no screen, run: "
          f"xvfb-run -a {again}", file=sys.stderr)
    # It shows the caseload, so it is private to the user from the moment it exists.
    os.close(os.open(shot, os.O_WRONLY | os.O_CREAT, 0o600))
    shot.chmod(0o600)
    code = run(args)
    if code != 0 and shot.stat().st_size == 0:
        shot.unlink()
    return code


def early_sign_in(args):
    """Start signing in on a worker thread before Qt loads, when the passphrase is given.

    The key derivation (Argon2id, about a quarter of a second) runs while Qt's libraries
    load and the application starts, instead of after them. Returns a future of the
    session, or None (no passphrase given, no encrypted caseload, or plain files allowed).
    """
    from concurrent.futures import ThreadPoolExecutor

    from arrs_desktop.access.secret_source import SecretMissingError
    from arrs_desktop.access.session import sign_in, state_of
    from arrs_desktop.cli.caseload_access import plain_allowed
    from arrs_desktop.paths import resolve_db_path
    from arrs_desktop.settings import load_settings

    if plain_allowed():
        return None
    try:
        passphrase = automation_passphrase(args)
    except SecretMissingError:
        return None  # said again, in its place, by run()
    path = resolve_db_path(args.db)
    if not passphrase or state_of(path) != "encrypted":
        return None
    last = str((load_settings().extra or {}).get("last_account", "")) or None
    pool = ThreadPoolExecutor(1, thread_name_prefix="arrs-sign-in")
    future = pool.submit(sign_in, path, passphrase, try_first=last)
    pool.shutdown(wait=False)
    return future


def run(args) -> int:
    """Open the store and the window."""
    from dataclasses import replace

    signing_in = early_sign_in(args)

    from PySide6.QtWidgets import QApplication

    from arrs_desktop.access.secret_source import SecretMissingError
    from arrs_desktop.cli.caseload_access import plain_allowed
    from arrs_desktop.domain.matching import load_rules
    from arrs_desktop.paths import resolve_db_path
    from arrs_desktop.settings import load_settings
    from arrs_desktop.store import StoreOpenError, open_store
    from arrs_desktop.ui.common import theme
    from arrs_desktop.ui.common.app_icon import app_icon

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from arrs_desktop.ui.common.main_thread_garbage_collector import MainThreadGarbageCollector

    app.garbage_collector = MainThreadGarbageCollector(app)  # cycles freed on this thread only
    app.setApplicationName("ARRS Desktop")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("arrs-desktop")
    app.setDesktopFileName("arrs-desktop")  # matches the Linux menu entry (Wayland app id)
    app.setWindowIcon(app_icon())
    app.setStyleSheet(theme.STYLE_SHEET)
    settings = load_settings()
    path = resolve_db_path(args.db)
    flow = session = None
    if not plain_allowed():  # (plain files stay plain only for the test suite)
        from arrs_desktop.ui.shell.sign_in_flow import SignInFlow

        try:
            passphrase = automation_passphrase(args)
        except SecretMissingError as exc:
            print(f"arrs-desktop: {exc}", file=sys.stderr)
            return 1
        if passphrase is None and args.screenshot:
            passphrase = ""  # a screenshot never waits for someone to type
        flow = SignInFlow(path, settings, passphrase=passphrase, signing_in=signing_in)
        session = flow.run()
        if session is None:
            return 1
        flow.remember(session)
        settings = replace(flow.settings, user_name=session.account_name,
                           role=session.role or flow.settings.role)
    while True:
        try:
            store = open_store(path, user=settings.user_name or getpass.getuser(),
                               backup_on_open=not args.screenshot, backup_in_background=True,
                               check_in_background=True)
            break
        except StoreOpenError as exc:
            print(f"arrs-desktop: {exc}", file=sys.stderr)
            if args.screenshot:
                return 1
            if not offer_restore_on_open(path, exc):
                return 1
    rules_load = load_rules(args.rules)
    for message in rules_load.messages:
        print(f"arrs-desktop: {message}", file=sys.stderr)
    window = create_window(store, settings, rules_load, session)
    if flow is not None:
        flow.record(window.context, session)
    if args.screenshot:
        return write_screenshot(app, window, Path(args.screenshot), args.size, args.tab,
                                args.person_tab)
    window.show_as_remembered()
    # The window's objects live as long as the app: keep them out of the garbage collector's
    # full passes, which stop every thread (the background list loads too) while they run.
    gc.freeze()
    if not settings.is_configured:
        window.daily_work.open_settings(first_run=True)
    if flow is not None and not flow.converted:
        flow.parent_widget = window
        flow.offer_plain_backups(session)  # asked on every open until they are dealt with
    if store.people.count() == 0 and (store.is_new or (flow is not None and flow.created)):
        _offer_demo(window, store)
    code = app.exec()
    while window.successor is not None:  # File → Open caseload… put another in its place
        window = window.successor
    store.close()
    window.store.close()
    for ended in {id(s): s for s in (session, getattr(window, "session", None)) if s}.values():
        ended.end()
    return code


def offer_restore_on_open(path: Path, error: Exception) -> bool:
    """The file would not open: say why and, if it is damaged, offer its backups.

    Return True when a backup was restored (open the file again), False to give up.
    """
    from PySide6.QtWidgets import QMessageBox

    from arrs_desktop.store import backup
    from arrs_desktop.store.errors import CorruptDatabaseError, NotArrsDatabaseError
    from arrs_desktop.ui.shell.damaged_file_dialog import DamagedFileDialog
    from arrs_desktop.ui.shell.restore_backup_dialog import RestoreBackupDialog

    damaged = isinstance(error, (CorruptDatabaseError, NotArrsDatabaseError))
    if not damaged or not path.is_file() or not backup.list_backups(path):
        QMessageBox.critical(None, "ARRS Desktop", str(error))
        return False
    wanted, _ok = DamagedFileDialog.ask(None, str(error))
    if not wanted:
        return False
    chosen, ok = RestoreBackupDialog.ask(None, path)
    if not ok or chosen is None:
        return False
    try:
        kept = backup.restore_backup(path, chosen)
    except (OSError, backup.BackupError) as exc:
        QMessageBox.critical(None, "ARRS Desktop", str(exc))
        return False
    note = f"\n\nThe damaged file is kept as {kept.name}." if kept else ""
    QMessageBox.information(None, "ARRS Desktop",
                            f"{path.name} was restored from {chosen.name}.{note}")
    return True


def automation_passphrase(args) -> str | None:
    """Return the passphrase given for automation (--passphrase-file, else ARRS_PASSPHRASE)."""
    from arrs_desktop.access.secret_source import PASSPHRASE_ENV, read_secret_file

    if getattr(args, "passphrase_file", None):
        return read_secret_file(args.passphrase_file)
    return os.environ.get(PASSPHRASE_ENV) or None


def create_window(store, settings, rules_load, session=None):
    """Build the main window around an open store (and the sign-in that opened it)."""
    from arrs_desktop.ui.common.app_icon import app_icon
    from arrs_desktop.ui.shell.main_window import MainWindow

    window = MainWindow(store, settings, rules_load, session=session)
    window.setWindowIcon(app_icon())
    return window


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
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    from arrs_desktop.private_files import private_dir, write_private_bytes

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    ok = window.grab().save(buffer, "PNG")
    buffer.close()
    try:
        if not ok:
            raise OSError("the window could not be drawn")
        private_dir(path.parent)  # it shows people's details: private like an export
        write_private_bytes(path, bytes(data.data()))
    except OSError as exc:
        print(f"arrs-desktop: {exc}", file=sys.stderr)
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
    from arrs_desktop.app.changes import Changes
    from arrs_desktop.ui.shell.demo_progress import load_demo_with_progress
    from arrs_desktop.ui.shell.first_run_dialog import FirstRunDialog

    choice, ok = FirstRunDialog.ask(window)
    if ok and choice == FirstRunDialog.DEMO:
        def done(error: str | None) -> None:
            if error:
                window.show_error(window.tr("Demo caseload"), error)
            window.context.publish(Changes.EVERYTHING)  # written by the loader's own store
            window.caseload.select_first()

        window._demo_loader = load_demo_with_progress(window, store.path, done)


if __name__ == "__main__":
    sys.exit(main())
