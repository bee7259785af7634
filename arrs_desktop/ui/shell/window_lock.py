"""Lock the window on a shared laptop: Ctrl+L or after idle minutes; personal data hidden.

Signed in to an encrypted caseload, only the account's PIN or passphrase unlocks it (five
wrong PINs, across accounts, and only a passphrase will do), and another account may sign
in at the lock (switch user). Locking, unlocking, every refused secret and a switch of user
are written to the audit trail.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QWidget,
)

from arrs_desktop.app.operations.audit import record_event
from arrs_desktop.store import StoreWriteError
from arrs_desktop.ui.shell.lock_screen import LockScreen

_ACTIVITY = {
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin,
}


class _InputWatch(QObject):
    """Restart the idle count on key, mouse, wheel or touch input in a window of the app.

    It watches the top-level windows (`QWindow`), where the system delivers every input
    event before Qt hands it to a widget, rather than the whole application: an
    application-wide filter is called in Python for every event Qt sends anywhere
    (layout, paint, polish: about 1,000 when a person is opened), which costs more than
    the work it watches for.
    """

    def __init__(self, lock: WindowLock) -> None:
        super().__init__(lock)
        self._lock = lock

    def watch_windows(self, *_args) -> None:
        """Watch every top-level window of the app (installing twice installs once)."""
        for handle in QGuiApplication.topLevelWindows():
            try:
                handle.installEventFilter(self)
            except RuntimeError:  # a window being destroyed as the list was made
                continue

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if event.type() in _ACTIVITY:
            self._lock.activity()
        return False


class WindowLock(QObject):
    """Lock and unlock a main window; lock it after idle minutes; audit both."""

    locked_changed = Signal(bool)

    def __init__(self, window, minutes: int = 10) -> None:
        super().__init__(window)
        self.window = window
        self.screen = LockScreen(window)
        self.screen.unlock_requested.connect(self._unlock_without_secret)
        self.screen.secret_given.connect(self.try_secret)
        self._locked = False
        self._disabled_actions: list[QAction] = []
        self._hidden_windows: list[QWidget] = []
        self.idle_timer = QTimer(self)
        self.idle_timer.setObjectName("idleLockTimer")
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(lambda: self.lock("idle"))
        self.set_idle_minutes(minutes)
        self._input = _InputWatch(self)
        window.installEventFilter(self)  # its resizes and showing; not its children's events
        app = QGuiApplication.instance()
        if app is not None:  # dialogs and popups are windows of their own
            app.focusWindowChanged.connect(self._input.watch_windows)
        self._input.watch_windows()

    @property
    def is_locked(self) -> bool:
        """Return True while the window is locked."""
        return self._locked

    def set_idle_minutes(self, minutes: int) -> None:
        """Lock after this many idle minutes (0 means never)."""
        minutes = max(0, int(minutes or 0))
        self.idle_timer.stop()
        self.idle_timer.setInterval(minutes * 60_000)
        if minutes and not self._locked:
            self.idle_timer.start()

    def lock(self, reason: str = "keyboard") -> None:
        """Hide every personal detail behind the lock screen and record it."""
        if self._locked:
            return
        self._locked = True
        self.idle_timer.stop()
        w = self.window
        self._hidden_windows = [
            top for top in QApplication.topLevelWidgets()
            if top is not w and top.isVisible() and top.isWindow()
        ]
        for top in self._hidden_windows:
            top.hide()
        self._disabled_actions = [a for a in w.findChildren(QAction)
                                  if a.isEnabled() and a is not getattr(w, "lock_action", None)]
        for action in self._disabled_actions:
            action.setEnabled(False)
        if w.centralWidget() is not None:
            w.centralWidget().setEnabled(False)
        w.menuBar().setEnabled(False)
        w.statusBar().clearMessage()
        self.screen.set_user(w.context.settings.user_name or w.store.user)
        session = self._session()
        if session is not None:
            session.refresh_pins()  # PINs set or removed in another window since
            self.screen.ask_for_secret(
                session.account_id, session.account_name,
                session.pin_lock.has_pin(session.account_id), not session.pin_lock.locked_out,
                [(a.id, a.name) for a in session.key_file.accounts])
        self.screen.setGeometry(w.rect())
        self.screen.show()
        self.screen.raise_()
        self.screen.setFocus()
        if session is not None:
            self.screen.secret.setFocus()
        else:
            self.screen.unlock_button.setFocus()
        self._record("lock", reason, {"account": session.account_name}
                     if session is not None else None)
        self.locked_changed.emit(True)

    def _session(self):
        return getattr(self.window, "session", None)

    def _unlock_without_secret(self) -> None:
        if self._session() is None:  # a plain caseload: it has no accounts to ask
            self.unlock()

    def try_secret(self, account_id: str, kind: str, secret: str) -> bool:
        """Unlock if the PIN or passphrase is the account's; say why not and audit it."""
        from dataclasses import replace

        from arrs_desktop.app.changes import Changes
        from arrs_desktop.security.errors import (
            PinLockedOutError,
            SecurityError,
            WrongPinError,
        )

        session = self._session()
        if session is None or not self._locked:
            return False
        switching = account_id != session.account_id
        try:
            if kind == LockScreen.PIN and not switching:
                session.pin_lock.check(account_id, secret)
            else:
                session.key_file.reload()
                unlocked = session.key_file.unlock(secret, account=account_id)
                session.pin_lock.passphrase_given()
                self.screen.pin_turned_on()
                if switching:
                    before = session.account_name
                    session.switch_to(unlocked)
                    w = self.window
                    w.store.user = session.account_name
                    w.context.settings = replace(w.context.settings,
                                                 user_name=session.account_name,
                                                 role=session.role or w.context.settings.role)
                    self._record("switch_user", "user", {"from": before,
                                                         "to": session.account_name})
                    w.context.publish(Changes(settings=True))
        except PinLockedOutError as exc:
            self._record("unlock_failed", "wrong PIN", {"account": session.account_name,
                                                        "with": "PIN", "tries_left": 0})
            self.screen.pin_turned_off(str(exc))
            return False
        except WrongPinError as exc:
            self._record("unlock_failed", "wrong PIN", {"account": session.account_name,
                                                        "with": "PIN",
                                                        "tries_left": exc.attempts_left})
            self.screen.show_error(str(exc))
            return False
        except SecurityError as exc:
            name = next((a.name for a in session.key_file.accounts if a.id == account_id),
                        account_id)
            self._record("unlock_failed", "wrong passphrase", {"account": name,
                                                               "with": kind})
            self.screen.show_error(str(exc))
            return False
        self.unlock(with_=kind)
        return True

    def unlock(self, with_: str = "") -> None:
        """Show the window again and record it."""
        if not self._locked:
            return
        self._locked = False
        w = self.window
        self.screen.hide()
        if w.centralWidget() is not None:
            w.centralWidget().setEnabled(True)
        w.menuBar().setEnabled(True)
        for action in self._disabled_actions:
            action.setEnabled(True)
        self._disabled_actions = []
        for top in self._hidden_windows:
            top.show()
        self._hidden_windows = []
        self.screen.clear_secret()
        session = self._session()
        self._record("unlock", "user", {"account": session.account_name, "with": with_}
                     if session is not None else None)
        if self.idle_timer.interval() > 0:
            self.idle_timer.start()
        self.locked_changed.emit(False)

    def _record(self, action: str, reason: str, detail: dict | None = None) -> None:
        # locking must never fail because the file is busy or closed
        with contextlib.suppress(StoreWriteError, Exception):
            self.window.context.run(record_event, action, {"reason": reason, **(detail or {})})

    def activity(self) -> None:
        """Restart the idle count (the user pressed a key, moved the mouse…)."""
        if not self._locked and self.idle_timer.interval() > 0:
            self.idle_timer.start()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        kind = event.type()
        if kind == QEvent.Type.Resize and self._locked:
            self.screen.setGeometry(self.window.rect())
        elif kind == QEvent.Type.Show:
            self._input.watch_windows()  # the window's own QWindow exists once shown
        return False
