"""The one window: caseload on the left, the person and the team's views in the centre.

This module only composes panels and connects their signals; it computes nothing. It makes
the window's one `AppContext` (the store, the change bus, the settings, the rules) and
gives it to every part; the parts talk through their signals and the bus, never by
reaching into each other.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.app.changes import Changes
from arrs_desktop.ui.caseload.caseload_panel import CaseloadPanel
from arrs_desktop.ui.common.app_context import AppContext
from arrs_desktop.ui.common.change_bus import ChangeBus
from arrs_desktop.ui.common.lazy_view_host import LazyViewHost
from arrs_desktop.ui.common.view_tabs import ViewTabs
from arrs_desktop.ui.common.widgets import focus_start, keep_focus_in_tabs
from arrs_desktop.ui.person.lazy_panel import LazyPanel
from arrs_desktop.ui.person.person_view import PersonView
from arrs_desktop.ui.shell.backup_watch import BackupWatch
from arrs_desktop.ui.shell.daily_work_commands import DailyWorkCommands
from arrs_desktop.ui.shell.file_commands import FileCommands
from arrs_desktop.ui.shell.health_banner import HealthBanner
from arrs_desktop.ui.shell.health_watch import HealthWatch
from arrs_desktop.ui.shell.safety_commands import SafetyCommands
from arrs_desktop.ui.shell.standards_commands import StandardsCommands
from arrs_desktop.ui.shell.team_sync_commands import TeamSyncCommands


class MainWindow(QMainWindow):
    """Compose the caseload, the person view and the other views, and wire them."""

    def __init__(self, store, settings, rules_load, parent: QWidget | None = None, *,
                 session=None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.store = store
        self.session = session  # who signed in (access.session.Session); None: a plain file
        self.rules_load = rules_load
        self.bus = ChangeBus(self)
        self.context = AppContext(store, self.bus, settings, rules_load)
        self.setWindowTitle(self.tr("ARRS Desktop — {0}").format(store.path.name))
        # No fixed minimum size: the panels' own minimums add up to less than a 1366×768
        # screen at 150 % scaling, and a window smaller than its contents would squash them.
        self.splitter_restored = False  # the caseload's width came from the last time
        self.remember_geometry = False  # keep the size and place on close (not screenshots)
        self.successor = None  # the window that took this one's place (File → Open caseload…)

        self.caseload = CaseloadPanel(self.context, self)
        self.person_view = PersonView(self.context, self)
        self._view_hosts: dict[str, LazyViewHost] = {}
        self._panel_hosts: dict[str, LazyPanel] = {}
        self.views = ViewTabs(self)
        self.views.setObjectName("mainViews")
        self.views.setAccessibleName(self.tr("Views"))
        self.views.setUsesScrollButtons(False)  # every view's tab in sight, never behind arrows
        keep_focus_in_tabs(self.views)  # choosing a view takes the keyboard into it
        self.views.addTab(self.person_view, self.tr("Person"))
        self._build_panels()

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("mainSplitter")
        splitter.addWidget(self.caseload)
        splitter.addWidget(self.views)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([600, 766])
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        self._split_set = False
        self._split_moved = False
        splitter.splitterMoved.connect(self._on_split_moved)
        self.health_banner = HealthBanner(self)
        central = QWidget(self)
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.addWidget(self.health_banner)
        central_layout.addWidget(splitter, 1)
        self.setCentralWidget(central)

        self.db_label = QLabel(self.tr("Database: {0}").format(store.path), self)
        self.db_label.setObjectName("databaseLabel")
        self.save_label = QLabel(self.tr("No changes yet this session"), self)
        self.save_label.setObjectName("lastSaveLabel")
        self.statusBar().addWidget(self.db_label, 1)
        self.statusBar().addPermanentWidget(self.save_label)

        # The window's commands: each makes its actions; the window puts them in its menus.
        self.file_actions = FileCommands(self)  # Open caseload…, Export…, Back up now
        self.safety = SafetyCommands(self)  # lock (Ctrl+L), restore from backup, erase
        self.daily_work = DailyWorkCommands(self)  # log a session, go to a view, settings, help
        self.standards = StandardsCommands(self)  # safety alerts, the PCN's code list
        self.team_sync = TeamSyncCommands(self)  # the team line, sync (Ctrl+Shift+Y), join
        self.statusBar().addPermanentWidget(self.team_sync.label)
        self.window_lock = self.safety.lock
        self.lock_action = self.safety.lock_action
        self.restore_action = self.safety.restore_action
        self.erase_action = self.safety.erase_action
        self._build_menus()

        self.health_watch = HealthWatch(store, self)
        self.health_watch.finished.connect(self._on_health_checked)
        self.health_banner.restore_requested.connect(self.safety.restore_from_backup)
        self.health_watch.start()
        if self.health_watch.state == "checking":
            self.save_label.setText(self.tr("Checking the file for damage… changes can be "
                                            "saved in a moment"))
        self.backup_watch = BackupWatch(store, self)
        self.backup_watch.finished.connect(self._on_backup_made)
        self.backup_watch.start()
        if session is not None:  # who looked: every record opened is audited
            from arrs_desktop.ui.person.view_audit import ViewAudit

            self.view_audit = ViewAudit(self.context, self.person_view, self)
        self.caseload.person_selected.connect(self.person_view.show_person)
        self.caseload.person_open_requested.connect(self.open_person)
        self.caseload.new_person_requested.connect(self.new_person)
        self.person_view.edit_requested.connect(self.edit_person)
        self.person_view.care_plan_requested.connect(self._on_care_plan_requested)
        self.bus.changed.connect(self._on_changed)
        if rules_load is not None and getattr(rules_load, "problems", ()):
            self.statusBar().showMessage(
                self.tr("Your PCN's rules file has problems, so the shipped rules are used: "
                        "{0}").format(rules_load.messages[0]), 0)

    @property
    def settings(self):
        """Return the settings in use (changed through Edit → Settings…)."""
        return self.context.settings

    # -- the panels and views ---------------------------------------------------------------
    def _build_panels(self) -> None:
        """Add the person's tabs and the team's views, in the order they are shown.

        A person's tabs are made when someone is first shown (or a panel is first asked
        for), and the team's views when first shown: opening a large caseload waits for
        none of them.
        """
        self._add_person_panel("needs_match", self.tr("&Needs && match"), self._make_needs_match)
        self._add_view("triage", self.tr("Triage"), self._make_triage)
        self._add_person_panel("goals_panel", self.tr("&Goals"), self._make_goals)
        self._add_person_panel("sessions_panel", self.tr("&Sessions"), self._make_sessions)
        self._add_view("follow_ups", self.tr("Follow-ups"), self._make_follow_ups)
        self._add_view("care_homes", self.tr("Care homes"), self._make_care_homes)
        self._add_view("community", self.tr("Community"), self._make_community)
        self._add_person_panel("referrals_panel", self.tr("Co&mmunity"), self._make_referrals)
        self._add_view("reports", self.tr("Reports"), self._make_reports)
        self._add_view("team_changes", self.tr("Team"), self._make_team_changes)
        self._add_person_panel("audit_panel", self.tr("&History"), self._make_history)

    def _add_person_panel(self, name: str, title: str, factory) -> None:
        host = self.person_view.add_lazy_panel(factory, title)
        host.setObjectName(f"{name}Tab")
        self._panel_hosts[name] = host

    def _add_view(self, name: str, title: str, factory) -> None:
        host = LazyViewHost(factory, self.views)
        host.setObjectName(f"{name}Tab")
        self._view_hosts[name] = host
        self.views.add_lazy(host, title)

    def built_view(self, name: str) -> QWidget | None:
        """Return a view or panel by attribute name, or None if it is not made yet."""
        host = self._view_hosts.get(name) or self._panel_hosts.get(name)
        if host is not None:
            return host.view() if host.is_built else None
        return getattr(self, name, None)

    def _make_needs_match(self, parent: QWidget) -> QWidget:
        from arrs_desktop.ui.person.needs_match.needs_match_panel import NeedsMatchPanel

        return NeedsMatchPanel(self.context, parent)

    def _make_goals(self, parent: QWidget) -> QWidget:
        from arrs_desktop.ui.person.goals.goals_panel import GoalsPanel

        return GoalsPanel(self.context, parent)

    def _make_sessions(self, parent: QWidget) -> QWidget:
        from arrs_desktop.ui.person.sessions.sessions_panel import SessionsPanel

        return SessionsPanel(self.context, parent)

    def _make_referrals(self, parent: QWidget) -> QWidget:
        from arrs_desktop.ui.person.referrals.person_referrals_panel import (
            PersonReferralsPanel,
        )

        return PersonReferralsPanel(self.context, parent)

    def _make_history(self, parent: QWidget) -> QWidget:
        from arrs_desktop.ui.person.history.audit_history_panel import AuditHistoryPanel

        return AuditHistoryPanel(self.context, parent)

    def _make_triage(self, parent: QWidget) -> QWidget:
        from arrs_desktop.ui.team.triage.triage_view import TriageView

        view = TriageView(self.context, parent)
        view.person_open_requested.connect(self.open_person)
        return view

    def _make_follow_ups(self, parent: QWidget) -> QWidget:
        from arrs_desktop.ui.team.follow_ups.follow_ups_view import FollowUpsView

        view = FollowUpsView(self.context, parent)
        view.person_section_requested.connect(self.open_person)
        view.care_home_open_requested.connect(self.open_care_home)
        return view

    def _make_care_homes(self, parent: QWidget) -> QWidget:
        from arrs_desktop.ui.team.care_homes.care_homes_view import CareHomesView

        view = CareHomesView(self.context, parent)
        view.person_open_requested.connect(self.open_person)
        return view

    def _make_community(self, parent: QWidget) -> QWidget:
        from arrs_desktop.ui.team.community.community_view import CommunityView

        view = CommunityView(self.context, parent)
        view.person_open_requested.connect(self.open_person)
        return view

    def _make_reports(self, parent: QWidget) -> QWidget:
        from arrs_desktop.ui.team.reports.reports_view import ReportsView

        return ReportsView(self.context, parent)

    def _make_team_changes(self, parent: QWidget) -> QWidget:
        from arrs_desktop.ui.team.team_changes.team_changes_view import TeamChangesView

        view = TeamChangesView(self.context, parent)
        view.sync_requested.connect(self.team_sync.sync_now)
        view.join_requested.connect(self.team_sync.ask_to_join)
        view.person_open_requested.connect(self.open_person)
        return view

    @property
    def team_changes(self):
        """Return the Team changes view (made now if not yet shown)."""
        return self._view_hosts["team_changes"].view()

    @property
    def needs_match(self):
        """Return the Needs & match panel (made now if not yet)."""
        return self._panel_hosts["needs_match"].view()

    @property
    def goals_panel(self):
        """Return the Goals panel (made now if not yet)."""
        return self._panel_hosts["goals_panel"].view()

    @property
    def sessions_panel(self):
        """Return the Sessions panel (made now if not yet)."""
        return self._panel_hosts["sessions_panel"].view()

    @property
    def referrals_panel(self):
        """Return the person's Community panel (made now if not yet)."""
        return self._panel_hosts["referrals_panel"].view()

    @property
    def audit_panel(self):
        """Return the person's History panel (made now if not yet)."""
        return self._panel_hosts["audit_panel"].view()

    @property
    def triage(self):
        """Return the Triage view (made now if not yet shown)."""
        return self._view_hosts["triage"].view()

    @property
    def care_homes(self):
        """Return the Care homes view (made now if not yet shown)."""
        return self._view_hosts["care_homes"].view()

    @property
    def community(self):
        """Return the Community view (made now if not yet shown)."""
        return self._view_hosts["community"].view()

    @property
    def follow_ups(self):
        """Return the Follow-ups view (made now if not yet shown)."""
        return self._view_hosts["follow_ups"].view()

    @property
    def reports(self):
        """Return the Reports view (made now if not yet shown)."""
        return self._view_hosts["reports"].view()

    # -- menus ------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        """File, Edit, View and Help, with each command's actions in its place."""
        self.new_person_action = QAction(self.tr("&New person…"), self)
        self.new_person_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_person_action.triggered.connect(self.new_person)
        self.find_action = QAction(self.tr("&Find person"), self)
        self.find_action.setShortcuts([QKeySequence.StandardKey.Find, QKeySequence("Ctrl+K")])
        self.find_action.triggered.connect(self.focus_search)
        self.print_plan_action = QAction(self.tr("&Print care plan…"), self)
        self.print_plan_action.setObjectName("printCarePlanAction")
        self.print_plan_action.setShortcut(QKeySequence.StandardKey.Print)
        self.print_plan_action.triggered.connect(self.print_care_plan)
        self.gp_codes_action = QAction(self.tr("&GP codes for this person…"), self)
        self.gp_codes_action.triggered.connect(self.show_gp_codes)
        self.gp_settings_action = QAction(self.tr("PCN's own GP &codes…"), self)
        self.gp_settings_action.triggered.connect(self.edit_gp_codes)
        self.quit_action = QAction(self.tr("&Quit"), self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        files, safety, daily = self.file_actions, self.safety, self.daily_work

        menu = self.menuBar().addMenu(self.tr("&File"))
        self.file_menu = menu
        for action in (self.new_person_action, self.find_action, files.open_action,
                       files.import_action, files.export_action, files.backup_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.team_sync.sync_action)
        menu.addAction(self.team_sync.join_action)
        menu.addAction(self.team_sync.leave_action)
        menu.addSeparator()
        for action in (self.print_plan_action, self.gp_codes_action, self.gp_settings_action,
                       *self.standards.actions):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(safety.erase_action)
        menu.addSeparator()
        menu.addAction(safety.lock_action)
        menu.addAction(safety.restore_action)
        menu.addSeparator()
        menu.addAction(self.quit_action)
        edit = self.menuBar().addMenu(self.tr("&Edit"))
        edit.setObjectName("editMenu")
        edit.addAction(daily.settings_action)
        if self.session is not None:  # signed in to an encrypted caseload
            from arrs_desktop.ui.shell.account_commands import AccountCommands

            self.account_commands = AccountCommands(self)
            self.account_commands.fill_menu(self.menuBar().addMenu(self.tr("&Account")))
        view = self.menuBar().addMenu(self.tr("&View"))
        view.setObjectName("viewMenu")
        daily.fill_go_menu(view)
        view.aboutToShow.connect(daily.refill_go_menu)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.setObjectName("helpMenu")
        help_menu.addAction(daily.shortcuts_action)
        help_menu.addAction(daily.about_action)
        # Shortcuts that work wherever the keyboard is in the window.
        for action in (files.open_action, files.export_action, files.backup_action,
                       safety.lock_action, daily.log_session_action, *daily.go_actions,
                       daily.settings_action, daily.shortcuts_action, self.find_action,
                       self.new_person_action, self.team_sync.sync_action):
            self.addAction(action)

    # -- the window's size ------------------------------------------------------------------
    def show_as_remembered(self) -> None:
        """Open as the window was last left on these screens (the first time: fill a small
        screen, most of a big one), and remember it again on close."""
        from arrs_desktop.ui.shell.window_state import show_as_remembered

        self.remember_geometry = True
        show_as_remembered(self, self.splitter)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._split_set and not self.splitter_restored:
            self._split_set = True  # once: a small or zoomed screen gives the caseload less
            self.split_for_width()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self._split_set and not self.splitter_restored and not self._split_moved:
            self.split_for_width()  # until the user drags it, the split follows the window

    def split_for_width(self) -> None:
        """Give the caseload the width its columns want, leaving the views their minimum."""
        width = self.splitter.width() - self.splitter.handleWidth()
        views_least = self.views.minimumSizeHint().width()
        least = self.caseload.minimumSizeHint().width()
        left = max(least, min(self.caseload.preferred_width(), int(width * 0.5),
                              width - views_least))
        self.splitter.blockSignals(True)
        self.splitter.setSizes([left, max(1, width - left)])
        self.splitter.blockSignals(False)

    def _on_split_moved(self, *_args) -> None:
        self._split_moved = True

    # -- slots ------------------------------------------------------------------------------
    def focus_search(self) -> None:
        """Put the cursor in the caseload search box."""
        self.caseload.search.setFocus()
        self.caseload.search.selectAll()

    def open_person(self, person_id: str, section: str | None = None) -> None:
        """Show a person and bring the Person tab forward (on one of its tabs: "goals",
        "sessions"… when given), the keyboard in it."""
        selected = self.caseload.select_person(person_id)
        if not selected or self.person_view.person_id != person_id:
            self.person_view.show_person(person_id)
        host = self._panel_hosts.get(f"{section}_panel") if section else None
        if host is not None:
            self.person_view.tabs.setCurrentWidget(host)
        self.views.setCurrentWidget(self.person_view)
        if host is not None:
            focus_start(host)

    def open_care_home(self, home_id: str) -> None:
        """Show a care home in the Care homes view."""
        view = self.care_homes
        self.views.setCurrentWidget(view)
        view.show_home(home_id)

    def new_person(self) -> None:
        """Ask for a new person's details and open them."""
        from arrs_desktop.ui.person.person_dialog import PersonDialog

        person, ok = PersonDialog.ask(self, self.context)
        if ok and person:  # the new person, or the one already on the log, to open
            self.caseload.pin(person.id)  # no episode yet, but not to vanish from the list
            self.open_person(person.id)

    def edit_person(self, person_id: str) -> None:
        """Edit the open person's details (the caseload and the header redraw from the bus)."""
        from arrs_desktop.ui.person.person_dialog import PersonDialog

        PersonDialog.ask(self, self.context, self.store.people.get(person_id))

    def print_care_plan(self) -> None:
        """Save the open person's care and support plan as a PDF."""
        from arrs_desktop.ui.person.care_plan_pdf import print_care_plan

        if self.person_view.person_id:
            path = print_care_plan(self, self.store, self.person_view.person_id)
            if path:
                self.statusBar().showMessage(self.tr("Care plan saved to {0}").format(path),
                                             8000)

    def _on_care_plan_requested(self, _person_id: str) -> None:
        self.print_care_plan()

    def show_gp_codes(self) -> None:
        """Show the open person's GP codes, each ready to copy."""
        from arrs_desktop.ui.person.gp_codes.person_codes_dialog import PersonCodesDialog

        if self.person_view.person_id:
            PersonCodesDialog.ask(self, self.store, self.person_view.person_id)

    def edit_gp_codes(self) -> None:
        """Let the PCN manage its own GP codes."""
        from arrs_desktop.ui.team.gp_codes.gp_codes_settings_dialog import (
            GpCodesSettingsDialog,
        )

        GpCodesSettingsDialog.ask(self, self.context)

    def _on_changed(self, changes: Changes, initiator: object) -> None:
        if changes.saved and not getattr(initiator, "quiet", False):  # not a "viewed" line
            self.save_label.setText(self.tr("All changes saved · last at {0}").format(
                datetime.now().strftime("%H:%M:%S")))

    def reload_all(self) -> None:
        """Show everything afresh from the file (it was replaced by a restore)."""
        self.health_watch.stop()
        self.health_banner.hide()
        self.health_watch.start()
        self.context.publish(Changes.EVERYTHING)

    def _on_health_checked(self, state: str) -> None:
        if state == "damaged":
            self.health_banner.show_damaged(self.store.path.name, self.store.health.problem)
            self.save_label.setText(self.tr("Damaged file: nothing is saved"))
        elif self.save_label.text().startswith(self.tr("Checking the file")):
            self.save_label.setText(self.tr("File checked · no changes yet this session"))

    def _on_backup_made(self, problem: str) -> None:
        if problem:
            self.statusBar().showMessage(problem, 0)

    def show_error(self, title: str, message: str) -> None:
        """Tell the user about a problem that belongs to no single field."""
        QMessageBox.warning(self, title, message)

    def closeEvent(self, event) -> None:  # noqa: N802
        if self.remember_geometry:
            from arrs_desktop.ui.shell.window_state import remember

            remember(self, self.splitter)
        if self._view_hosts["reports"].is_built:
            self.reports.wait_for_idle()
        self.team_sync.stop()
        self.health_watch.stop()
        self.backup_watch.stop()
        super().closeEvent(event)
