"""Compose the daily-work parts into the window: goals, sessions, follow-ups, settings, keys."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence

from arrs_desktop.paths import backups_dir
from arrs_desktop.ui.common.widgets import focus_start


class DailyWorkWiring(QObject):
    """Add the Goals, Sessions and Follow-ups tabs, Settings and shortcuts to a MainWindow."""

    settings_changed = Signal(object)

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        settings = window.settings
        # Made when someone is first shown; they read the settings in use then.
        window.add_person_panel("goals_panel", window.tr("&Goals"), self._make_goals)
        window.add_person_panel("sessions_panel", window.tr("&Sessions"), self._make_sessions)
        # Made when first shown: the whole caseload's follow-ups need not load at start.
        window._lazy_view("follow_ups", window.tr("Follow-ups"), self._make_follow_ups)
        window.caseload.set_user(settings.user_name, settings.role)

        self.log_session_action = QAction(window.tr("&Log a session"), window)
        self.log_session_action.setObjectName("logSessionAction")
        self.log_session_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.log_session_action.setToolTip(window.tr("Log a session for the open person "
                                                     "(Ctrl+Shift+S)"))
        self.log_session_action.triggered.connect(self.log_session)
        window.addAction(self.log_session_action)
        self.go_actions = []
        for n in range(1, 10):
            action = QAction(window.tr("Go to view {0}").format(n), window)
            action.setShortcut(QKeySequence(f"Alt+{n}"))
            action.setData(n - 1)
            action.triggered.connect(self._go_to_view)
            window.addAction(action)
            self.go_actions.append(action)
        self.settings_action = QAction(window.tr("&Settings…"), window)
        self.settings_action.setObjectName("settingsAction")
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.triggered.connect(self.open_settings)
        window.addAction(self.settings_action)
        edit_menu = window.menuBar().addMenu(window.tr("&Edit"))
        edit_menu.setObjectName("editMenu")
        edit_menu.addAction(self.settings_action)
        menu = window.menuBar().addMenu(window.tr("&View"))
        menu.setObjectName("viewMenu")
        menu.addAction(self.log_session_action)
        menu.aboutToShow.connect(self._fill_go_menu)
        self.go_menu = menu
        help_menu = window.menuBar().addMenu(window.tr("&Help"))
        help_menu.setObjectName("helpMenu")
        self.shortcuts_action = QAction(window.tr("&Help and keyboard shortcuts"), window)
        self.shortcuts_action.setObjectName("shortcutsAction")
        self.shortcuts_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        window.addAction(self.shortcuts_action)
        help_menu.addAction(self.shortcuts_action)
        self.about_action = QAction(window.tr("&About ARRS Desktop"), window)
        self.about_action.setObjectName("aboutAction")
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.about_action)
        self._menus = [edit_menu, menu, help_menu]
        # The window adds its File menu after its panels; move ours after it once built.
        QTimer.singleShot(0, self._order_menus)

    def show_shortcuts(self) -> None:
        """Help (F1): what each view is for, and every keyboard shortcut of the window."""
        from arrs_desktop.ui.shell.help_dialog import HelpDialog

        HelpDialog(self.window).exec()

    def show_about(self) -> None:
        """Say what this copy is and where its data lives."""
        from arrs_desktop.ui.shell.about_dialog import AboutDialog

        path = self.window.store.path
        AboutDialog(self.window, str(path), str(backups_dir(path))).exec()

    def _make_goals(self, parent):
        from arrs_desktop.ui.person.goals.goals_panel import GoalsPanel

        return GoalsPanel(self.window.store, self.window.settings, parent)

    def _make_sessions(self, parent):
        from arrs_desktop.ui.person.sessions.sessions_panel import SessionsPanel

        return SessionsPanel(self.window.store, self.window.settings, parent)

    def _make_follow_ups(self, parent):
        from arrs_desktop.ui.team.follow_ups.follow_ups_view import FollowUpsView

        view = FollowUpsView(self.window.store, self.window.settings, parent)
        view.person_section_requested.connect(self.window.open_person)
        view.care_home_open_requested.connect(self.open_care_home)
        return view

    def _order_menus(self) -> None:
        bar = self.window.menuBar()
        for menu in self._menus:
            bar.removeAction(menu.menuAction())
            bar.addAction(menu.menuAction())

    def open_settings(self, first_run: bool = False) -> bool:
        """Ask for the user's settings; use them at once when saved."""
        from arrs_desktop.ui.shell.settings_dialog import SettingsDialog

        settings, ok = SettingsDialog.ask(self.window, self.window.settings, first_run)
        if ok and settings is not None:
            self.apply_settings(settings)
        return ok

    def apply_settings(self, settings) -> None:
        """Use new settings: the audit name, default role and worker, "My caseload"."""
        w = self.window
        w.settings = settings
        w.store.user = settings.user_name or w.store.user
        for name in ("goals_panel", "sessions_panel"):  # those made later read them then
            panel = w.built_view(name)
            if panel is not None:
                panel.settings = settings
        w.caseload.set_user(settings.user_name, settings.role)
        if w.built_view("follow_ups") is not None:  # a view made later reads the settings
            w.follow_ups.set_user(settings.user_name)
        for name in ("care_homes", "community", "triage", "needs_match"):
            view = w.built_view(name)
            if hasattr(view, "set_user_name"):
                view.set_user_name(settings.user_name)
            if view is not None and hasattr(view, "_settings"):
                view._settings = settings  # whose name and role an allocation offers
        self.settings_changed.emit(settings)

    def open_care_home(self, home_id: str) -> None:
        """Show a care home in the Care homes view (when the window has one)."""
        view = getattr(self.window, "care_homes", None)
        if view is not None:
            self.window.views.setCurrentWidget(view)
            view.show_home(home_id)

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

    def _fill_go_menu(self) -> None:
        self.go_menu.clear()
        self.go_menu.addAction(self.log_session_action)
        self.go_menu.addSeparator()
        views = self.window.views
        for i in range(min(views.count(), len(self.go_actions))):
            action = self.go_actions[i]
            action.setText(views.tabText(i).replace("&", ""))
            self.go_menu.addAction(action)
