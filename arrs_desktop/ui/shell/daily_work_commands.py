"""The window's everyday commands: log a session, go to a view, settings, help, about."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from arrs_desktop.paths import backups_dir
from arrs_desktop.ui.common.widgets import focus_start


class DailyWorkCommands(QObject):
    """Log a session (Ctrl+Shift+S), Alt+1…9 for the views, Settings, Help and About.

    Makes the actions (the window puts them in its Edit, View and Help menus); settings
    saved here are put to use through the change bus (`AppContext.use_settings`).
    """

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.context = window.context

        self.log_session_action = QAction(window.tr("&Log a session"), window)
        self.log_session_action.setObjectName("logSessionAction")
        self.log_session_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.log_session_action.setToolTip(window.tr("Log a session for the open person "
                                                     "(Ctrl+Shift+S)"))
        self.log_session_action.triggered.connect(self.log_session)
        self.go_actions = []
        for n in range(1, 10):
            action = QAction(window.tr("Go to view {0}").format(n), window)
            action.setShortcut(QKeySequence(f"Alt+{n}"))
            action.setData(n - 1)
            action.triggered.connect(self._go_to_view)
            self.go_actions.append(action)
        self.settings_action = QAction(window.tr("&Settings…"), window)
        self.settings_action.setObjectName("settingsAction")
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.triggered.connect(self.open_settings)
        self.shortcuts_action = QAction(window.tr("&Help and keyboard shortcuts"), window)
        self.shortcuts_action.setObjectName("shortcutsAction")
        self.shortcuts_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        self.about_action = QAction(window.tr("&About ARRS Desktop"), window)
        self.about_action.setObjectName("aboutAction")
        self.about_action.triggered.connect(self.show_about)
        self._go_menu: QMenu | None = None

    def show_shortcuts(self) -> None:
        """Help (F1): what each view is for, and every keyboard shortcut of the window."""
        from arrs_desktop.ui.shell.help_dialog import HelpDialog

        HelpDialog(self.window).exec()

    def show_about(self) -> None:
        """Say what this copy is and where its data lives."""
        from arrs_desktop.ui.shell.about_dialog import AboutDialog

        path = self.window.store.path
        AboutDialog(self.window, str(path), str(backups_dir(path))).exec()

    def open_settings(self, first_run: bool = False) -> bool:
        """Ask for the user's settings; use them at once when saved."""
        from arrs_desktop.ui.shell.settings_dialog import SettingsDialog

        settings, ok = SettingsDialog.ask(self.window, self.context.settings, first_run)
        if ok and settings is not None:
            self.apply_settings(settings)
        return ok

    def apply_settings(self, settings) -> None:
        """Use new settings: the audit name, default role and worker, "My caseload", the
        lock time (every view that shows them hears of it on the bus)."""
        self.context.use_settings(settings)

    def log_session(self) -> None:
        """Bring the open person's session form forward with the cursor in it."""
        w = self.window
        if w.person_view.person_id is None:
            w.statusBar().showMessage(w.tr("Choose a person first, then log their session."),
                                      5000)
            w.focus_search()
            return
        w.views.setCurrentWidget(w.person_view)
        w.person_view.tabs.setCurrentWidget(w.sessions_panel)
        w.sessions_panel.focus_form()

    def go_to_view(self, index: int) -> None:
        """Show the n-th top-level view (Person, Follow-ups, …) when it exists."""
        views = self.window.views
        if 0 <= index < views.count():
            views.setCurrentIndex(index)
            if not focus_start(views.currentWidget()) and index == 0:
                self.window.focus_search()  # no one open: find someone

    def _go_to_view(self) -> None:
        self.go_to_view(self.sender().data())

    def fill_go_menu(self, menu: QMenu) -> None:
        """Make `menu` the View menu: Log a session, then a Go to… item per view."""
        self._go_menu = menu
        menu.addAction(self.log_session_action)

    def refill_go_menu(self) -> None:
        """Name the View menu's items after the views, in tab order (just before it opens)."""
        menu = self._go_menu
        if menu is None:
            return
        menu.clear()
        menu.addAction(self.log_session_action)
        menu.addSeparator()
        views = self.window.views
        for i in range(min(views.count(), len(self.go_actions))):
            action = self.go_actions[i]
            action.setText(views.tabText(i).replace("&", ""))
            menu.addAction(action)
