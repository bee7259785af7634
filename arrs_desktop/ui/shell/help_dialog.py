"""The Help menu: every keyboard shortcut the window has, and what this copy of the app is."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.ui.common.widgets import heading
from arrs_desktop.ui.shell.about_dialog import AboutDialog

# Keys that work in every form and list, not tied to one menu command.
GENERAL_KEYS = (
    ("Tab / Shift+Tab", "Next / previous field or control"),
    ("Alt + underlined letter", "Go to that field, button or tab"),
    ("↓ or Enter (in the caseload search)", "Go to the results"),
    ("Enter (in the caseload, Follow-ups, Triage)", "Open the chosen person"),
    ("Enter (in the care homes list)", "Log a contact with the chosen home"),
    ("Ctrl+Enter (in the session or care-home contact form)", "Save it"),
    ("Enter (in the referrals search of the session form)", "Tick the first match"),
    ("↓ / ↑ (in the referrals search and list)", "Into the list / back to the search"),
    ("Enter (in a goal's progress score)", "Record the score for the chosen goal"),
    ("Space (on a need or a tick box)", "Tick or untick it"),
    ("Up / Down (in a 0–10 score)", "Step the score"),
)

# What each part of the window is for, in plain words (shown by Help, F1).
VIEWS_HELP = """
<h3>Caseload (left)</h3>
<p>Everyone on this caseload file. Type part of a name or an NHS number to find someone;
<b>My caseload</b> shows the people you work with (an open episode naming you, or a referral
to your role with no worker yet). Press ↓ or Enter to go to the results and Enter to open
the person. <b>New person…</b> (Ctrl+N) adds someone.</p>
<h3>Person</h3>
<p>The open person: their details at the top, with <b>Care plan (PDF)…</b> and <b>Edit
details…</b>, and their tabs:</p>
<ul>
<li><b>Needs &amp; match</b>: what matters to them in their own words and the needs that
apply (each tick is saved at once). On the right, their episodes with the roles already
working with them (start, put on hold, close) and the three roles ranked for their needs,
with the reasons and <b>Allocate…</b>.</li>
<li><b>Goals</b>: the goals they chose, each charted; type a 0–10 score under the chart and
press Enter to record progress.</li>
<li><b>Sessions</b>: log a contact in one go (date, role, kind, mode, minutes, next
follow-up, notes, ONS4 scores, goals reviewed, community referrals) and save with
Ctrl+Enter; past sessions are listed underneath.</li>
<li><b>Community</b>: the groups and services they were referred to, and how it went.</li>
<li><b>History</b>: every change to their record, who made it and when.</li>
</ul>
<h3>Triage</h3>
<p>People with needs recorded but no one working with them yet, the strongest match first;
allocate them to the suggested role in two clicks.</p>
<h3>Follow-ups</h3>
<p>What is due today or overdue: people's next follow-ups, referrals waiting for a first
contact, care-home contacts and goal target dates. <b>Mine</b> shows what falls to you.
Enter opens the person on the tab where it is done (Sessions, or Goals for a goal).</p>
<h3>Care homes</h3>
<p>The homes, overdue first; a home's details, its contact log and residents on the
caseload. Enter on a home goes to <b>Log contact</b>: the date, kind, residents discussed
(Space ticks), actions and next contact due; Ctrl+Enter saves.</p>
<h3>Community</h3>
<p>The local groups and services people can be referred to, by category, and who was
referred to each.</p>
<h3>Reports</h3>
<p>Caseload and activity for a period, per role and worker, as tables and charts;
<b>Export…</b> (Ctrl+E) writes them to spreadsheet or CSV files. In a team, the worker
list chooses this laptop's worker or the whole team.</p>
<h3>Team</h3>
<p>For a caseload shared by the team through your PCN's server: when it last synced, what
waits to be sent, fields changed on two laptops at once (keep the shown value or use the
other) and records that may be one person (merge them, keeping every episode, session and
goal of both, or keep them apart). The caseload syncs every two minutes and on Ctrl+Shift+Y;
with no network you carry on working and it syncs when the server can be reached.
File › Join a team… links a caseload to the team; File › Leave the team… takes it out (it
keeps its rows and says first what has not been sent).</p>
<h3>A day with the keyboard</h3>
<ul>
<li><b>Link worker</b>: Ctrl+F, type the name, Enter, Enter; Ctrl+Shift+S; fill the form
with Tab (Space ticks ONS4, type the four scores; in community referrals type and press
Enter); Ctrl+Enter saves. Then Alt+3 for Follow-ups and Enter on the next one.</li>
<li><b>Care coordinator</b>: Alt+4 for Care homes (the most overdue is chosen), Enter, fill
the contact with Tab (Space ticks residents), Ctrl+Enter.</li>
<li><b>Health and wellbeing coach</b>: find the person (Ctrl+F, Enter, Enter), Alt+G for
Goals, ↓ to the goal, Tab to the score, type it and press Enter.</li>
</ul>
<p>Whatever has the keyboard shows it: a blue border and a blue row in lists, yellow on
buttons, ticks and tabs.</p>
"""


def _keys_text(action: QAction) -> list[str]:
    return [k.toString(QKeySequence.SequenceFormat.NativeText)
            for k in action.shortcuts() if not k.isEmpty()]


def _mnemonic(text: str) -> tuple[str | None, str]:
    """Return (the letter after a single '&', the text as shown) of a tab or button label."""
    letter, shown, i = None, [], 0
    while i < len(text):
        if text[i] == "&" and i + 1 < len(text):
            if text[i + 1] == "&":
                shown.append("&")
            else:
                letter = letter or text[i + 1].upper()
                shown.append(text[i + 1])
            i += 2
            continue
        shown.append(text[i])
        i += 1
    return letter, "".join(shown)


# Where a set of tabs is, said in a help line (by the tab widget's object name).
_TAB_PLACES = {"personTabs": "The person's {0} tab", "reportTabs": "Reports: {0}",
               "careHomeTabs": "Care homes: {0}"}


def mnemonic_rows(window: QWidget) -> list[tuple[str, str]]:
    """(Alt+letter, what it shows) for every tab of the window named with an & letter."""
    rows = []
    for tabs in window.findChildren(QTabWidget):
        if tabs.window() is not window:  # a dialog's own tabs work only in that dialog
            continue
        place = _TAB_PLACES.get(tabs.objectName(), "The {0} tab")
        for i in range(tabs.count()):
            letter, shown = _mnemonic(tabs.tabText(i))
            if letter:
                rows.append((f"Alt+{letter}", place.format(shown)))
    return rows


def shortcut_rows(window: QWidget) -> list[tuple[str, str]]:
    """(keys, what they do) for every window command with a shortcut, in menu-name order,
    then the Alt+letter of each tab; built from the window itself, so never out of date."""
    rows: dict[str, str] = {}
    go_keys = []
    for action in window.findChildren(QAction):
        keys = _keys_text(action)
        if not keys:
            continue
        text = action.text().replace("&", "").rstrip("…").strip()
        if keys[0].startswith("Alt+") and keys[0][4:].isdigit():
            go_keys.append(keys[0])
            continue
        rows.setdefault(" or ".join(keys), text)
    found = sorted(rows.items(), key=lambda kv: kv[1].lower())
    if go_keys:
        found.append((f"{min(go_keys)} … {max(go_keys)}",
                      "Go to a view (Person, Triage, Follow-ups, … in tab order)"))
    taken = {keys for keys, _ in found}
    found += [row for row in mnemonic_rows(window) if row[0] not in taken]
    return found


class HelpDialog(QDialog):
    """Help (F1): what each view is for, in plain words, and every keyboard shortcut."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("helpDialog")
        self.setWindowTitle(self.tr("Help"))
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("helpTabs")
        self.tabs.setAccessibleName(self.tr("Help"))
        self.views = QTextBrowser(self)
        self.views.setObjectName("helpViews")
        self.views.setAccessibleName(self.tr("What each part of the window is for"))
        self.views.setHtml(self.tr(VIEWS_HELP))
        self.views.setOpenLinks(False)
        rows = shortcut_rows(window) + [(k, self.tr(v)) for k, v in GENERAL_KEYS]
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setObjectName("shortcutsTable")
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("What they do")])
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        for r, (keys, text) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(keys))
            self.table.setItem(r, 1, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.tabs.addTab(self.views, self.tr("&The views"))
        self.tabs.addTab(self.table, self.tr("&Keyboard"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Help"), "subheading", self))
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.resize(760, 640)

    def show_keys(self) -> None:
        """Open on the keyboard shortcuts."""
        self.tabs.setCurrentWidget(self.table)

    def showEvent(self, event) -> None:  # noqa: N802
        screen = self.screen().availableGeometry()
        if self.height() > screen.height() - 40 or self.width() > screen.width():
            self.resize(min(self.width(), screen.width()),
                        min(self.height(), screen.height() - 40))
        super().showEvent(event)


__all__ = ["AboutDialog", "GENERAL_KEYS", "HelpDialog", "VIEWS_HELP", "mnemonic_rows",
           "shortcut_rows"]
