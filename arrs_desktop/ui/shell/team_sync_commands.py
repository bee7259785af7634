"""Team sync in the window: the status bar's team line, syncing in the background, joining.

The sync runs on a worker thread with a store of its own (`store.sync_worker()`), every two
minutes and on demand (Ctrl+Shift+Y); the UI thread only reads a few small counts for the
status bar. What a pull changed goes on the change bus, so every view redraws what it
shows, as after a local change.
"""

from __future__ import annotations

import threading
from datetime import datetime

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMessageBox

from arrs_desktop.domain.validation import ValidationError
from arrs_desktop.store import StoreWriteError
from arrs_desktop.ui.common.refusal import refusal_reasons

SYNC_INTERVAL_MS = 120_000  # every two minutes
FIRST_SYNC_DELAY_MS = 3_000  # soon after the window opens, once it has drawn
OFFLINE = "Offline — working on this laptop; will sync when the server is reachable"


class TeamSyncCommands(QObject):
    """The team's status line, the sync, join and leave actions, and the background sync."""

    finished = Signal(object, object)  # (OpResult or None, the error or None): from a worker
    state_changed = Signal(str)  # the status line's text, for whoever shows it too

    def __init__(self, window) -> None:
        super().__init__(window)
        self._window = window
        self._store = window.store
        self._context = window.context
        self._thread: threading.Thread | None = None
        self._again = False
        self._closing = False
        self.state = "idle"  # idle, syncing, offline, refused
        self.last_error = ""
        self.label = QLabel(window)
        self.label.setObjectName("teamStatusLabel")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sync_action = QAction(self.tr("S&ync with the team now"), window)
        self.sync_action.setObjectName("teamSyncAction")
        self.sync_action.setShortcut(QKeySequence("Ctrl+Shift+Y"))
        self.sync_action.triggered.connect(self.sync_now)
        self.join_action = QAction(self.tr("&Join a team…"), window)
        self.join_action.setObjectName("teamJoinAction")
        self.join_action.triggered.connect(self.ask_to_join)
        self.leave_action = QAction(self.tr("&Leave the team…"), window)
        self.leave_action.setObjectName("teamLeaveAction")
        self.leave_action.triggered.connect(self.ask_to_leave)
        self.timer = QTimer(self)
        self.timer.setInterval(SYNC_INTERVAL_MS)
        self.timer.timeout.connect(self.sync_now)
        self.finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        self._context.bus.changed.connect(self._on_changed)
        self.refresh_label()
        if self.linked():
            self.timer.start()
            QTimer.singleShot(FIRST_SYNC_DELAY_MS, self, self.sync_now)  # dies with the window

    # -- state ------------------------------------------------------------------------------
    def linked(self) -> bool:
        return self._store.team.linked()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def refresh_label(self) -> None:
        """Say in the status bar how the team stands (hidden when not in a team)."""
        if not self.linked():
            self.label.hide()
            self.join_action.setEnabled(True)
            self.leave_action.setEnabled(False)
            return
        self.join_action.setEnabled(False)
        self.leave_action.setEnabled(self.state != "syncing")
        brief = self._store.team.brief()
        waiting = brief.waiting
        if self.state == "syncing":
            text = self.tr("Team: syncing…")
        elif self.state == "offline":
            text = self.tr(OFFLINE)
        elif self.state == "refused":
            text = self.tr("Team: sync refused — see the Team changes view")
        else:
            when = _clock_time(brief.last_sync_at)
            text = (self.tr("Team: synced {0}").format(when) if when
                    else self.tr("Team: not synced yet"))
        if self.state != "syncing" and self.state != "offline":
            if waiting == 1:
                text += self.tr(" · 1 change waiting")
            elif waiting:
                text += self.tr(" · {0} changes waiting").format(waiting)
            if brief.conflicts:
                text += self.tr(" · {0} to check").format(brief.conflicts)
        elif self.state == "offline" and waiting:
            text += self.tr(" ({0} waiting)").format(waiting)
        self.label.setText(text)
        self.label.setToolTip(self.last_error or self.tr("Sync now: Ctrl+Shift+Y"))
        self.label.show()
        self.state_changed.emit(text)

    def _on_changed(self, changes, _initiator) -> None:
        if changes.saved and self.linked() and self.state != "syncing":
            QTimer.singleShot(0, self, self.refresh_label)  # after the write's own redraws

    # -- syncing ----------------------------------------------------------------------------
    def sync_now(self) -> None:
        """Sync in the background now (if one is running, once more when it ends)."""
        if self._closing:
            return
        if not self.linked():
            self._window.statusBar().showMessage(
                self.tr("This caseload is not in a team: File › Join a team…"), 8000)
            return
        if self.running:
            self._again = True
            return
        from arrs_desktop.app.operations import team as team_ops

        self._start(lambda worker: team_ops.sync_team(worker))

    def _start(self, operation) -> None:
        """Run one team operation on a worker thread, on a store of its own."""
        health = self._store.health.state
        if health == "unchecked":
            self._store.health.start()  # the damage check, on its own thread
        if health != "ok":  # still being checked after opening: try again in a moment
            if health != "damaged" and not self._closing:
                QTimer.singleShot(2_000, self, lambda: self._start(operation))
            return
        worker = self._store.sync_worker()  # made here: it shares this store's clock
        self.state = "syncing"
        self.refresh_label()
        self._thread = threading.Thread(target=self._run, args=(worker, operation),
                                        name="team-sync", daemon=True)
        self._thread.start()

    def _run(self, worker, operation) -> None:
        """On the worker thread: run the operation; say how it went on the UI thread."""
        result, error = None, None
        try:
            try:
                result = operation(worker)
            finally:
                worker.close_worker()
        except Exception as exc:  # reported on the UI thread, never lost
            error = exc
        self.finished.emit(result, error)

    def _on_finished(self, result, error) -> None:
        from arrs_desktop.app.operations import team as team_ops

        self._thread = None
        self._store.team.refresh()
        if error is None:
            self.state, self.last_error = "idle", ""
            if result is not None and result.changes.records_changed():
                self._context.publish(result.changes)
        elif isinstance(error, team_ops.ServerUnreachable):
            self.state, self.last_error = "offline", str(error)
        else:
            self.state, self.last_error = "refused", str(error)
        if self.linked() and not self.timer.isActive():
            self.timer.start()
        self.refresh_label()
        if self._again and not self._closing:
            self._again = False
            self.sync_now()

    # -- joining ----------------------------------------------------------------------------
    def ask_to_join(self) -> None:
        """Ask for the team server and this worker's login, then join in the background."""
        from arrs_desktop.ui.shell.team_join_dialog import TeamJoinDialog

        if self.running:
            return
        try:
            self._store.team.require_can_join()
        except ValidationError as exc:  # it left a team: say so before asking anything
            QMessageBox.information(self._window, self.tr("Join a team"),
                                    refusal_reasons(exc).capitalize() + ".")
            return
        answer = TeamJoinDialog.ask(self._window)
        if answer is not None:
            self.join(*answer)

    def join(self, server_url: str, password: str | None) -> None:
        """Link this caseload to the team and make its first sync, in the background."""
        from arrs_desktop.app.operations import team as team_ops

        if self.running:
            return
        self._start(lambda worker: team_ops.join_team(worker, server_url, password=password))

    # -- leaving ----------------------------------------------------------------------------
    def ask_to_leave(self) -> bool:
        """Say what leaving the team means (and what would not be sent); leave if asked."""
        from arrs_desktop.app.operations import team as team_ops

        if self.running or not self.linked():
            return False
        w = self._window
        waiting = self._store.team.waiting_count()
        text = self.tr(
            "This caseload will no longer sync with the team at {0}. Everything in it stays"
            " on this laptop; colleagues keep the team's copy.\n\nA caseload file that has"
            " left a team cannot join one again: to work with a team later, start a new"
            " caseload file and join from it.").format(self._store.team.server())
        if waiting:
            text += "\n\n" + (self.tr(
                "1 change made here has not reached the team yet and will not be sent.")
                if waiting == 1 else self.tr(
                    "{0} changes made here have not reached the team yet and will not be"
                    " sent.").format(waiting)) + " " + self.tr(
                "To keep them in the team's caseload, cancel and sync first (Ctrl+Shift+Y).")
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Leave the team"), text,
                          QMessageBox.StandardButton.NoButton, w)
        box.setObjectName("leaveTeamBox")
        leave = box.addButton(self.tr("&Leave the team"), QMessageBox.ButtonRole.DestructiveRole)
        leave.setObjectName("leaveTeamButton")
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)  # Enter does not leave
        box.setEscapeButton(cancel)
        box.exec()
        if box.clickedButton() is not leave:
            return False
        try:
            dropped = w.context.run(team_ops.leave_team)
        except (ValidationError, StoreWriteError) as exc:  # refused: nothing was written
            QMessageBox.warning(w, self.tr("Leave the team"), refusal_reasons(exc))
            return False
        self.timer.stop()
        self.state, self.last_error = "idle", ""
        self.refresh_label()
        w.statusBar().showMessage(
            self.tr("This caseload has left the team; it is kept on this laptop only.")
            + (self.tr(" {0} unsent changes were dropped.").format(dropped) if dropped else ""),
            10000)
        return True

    def wait(self, timeout_s: float = 30.0) -> bool:
        """Wait for a running sync to end (tests; closing). Return whether it did."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout_s)
            return not thread.is_alive()
        return True

    def stop(self) -> None:
        """The window is closing: no new syncs; let a running one finish its page."""
        self._closing = True
        self.timer.stop()
        self.wait(20.0)


def _clock_time(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        when = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return ""
    if when.date() == datetime.now().astimezone().date():
        return when.strftime("%H:%M")
    return when.strftime("%d %b %H:%M")


__all__ = ["OFFLINE", "TeamSyncCommands"]
