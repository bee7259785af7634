"""Compose the daily-work panels into the window: goals, sessions, keyboard shortcuts."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence

from arrs_desktop.ui.goals_panel import GoalsPanel
from arrs_desktop.ui.sessions_panel import SessionsPanel


class DailyWorkWiring(QObject):
    """Add the Goals and Sessions tabs and the daily-work shortcuts to a MainWindow."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        store, settings = window.store, window.settings
        window.goals_panel = GoalsPanel(store, settings, window)
        window.person_view.add_panel(window.goals_panel, window.tr("&Goals"))
        window.sessions_panel = SessionsPanel(store, settings, window)
        window.person_view.add_panel(window.sessions_panel, window.tr("&Sessions"))

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
        menu = window.menuBar().addMenu(window.tr("&Go"))
        menu.setObjectName("goMenu")
        menu.addAction(self.log_session_action)
        menu.aboutToShow.connect(self._fill_go_menu)
        self.go_menu = menu
        self._menus = [menu]
        # The window adds its File menu after its panels; move ours after it once built.
        QTimer.singleShot(0, self._order_menus)

    def _order_menus(self) -> None:
        bar = self.window.menuBar()
        for menu in self._menus:
            bar.removeAction(menu.menuAction())
            bar.addAction(menu.menuAction())

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
        if 0 <= index < self.window.views.count():
            self.window.views.setCurrentIndex(index)
            self.window.views.currentWidget().setFocus()

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
