"""The Help menu: every keyboard shortcut the window has, and what this copy of the app is."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop import __version__
from arrs_desktop.ui.app_icon import app_icon
from arrs_desktop.ui.widgets import heading, muted

# Keys that work in every form and list, not tied to one menu command.
GENERAL_KEYS = (
    ("Tab / Shift+Tab", "Next / previous field or control"),
    ("Alt + underlined letter", "Go to that field or button"),
    ("Enter (in the caseload)", "Open the chosen person"),
    ("Ctrl+Enter (in the session form)", "Save the session"),
    ("Space (on a need or a tick box)", "Tick or untick it"),
)


def shortcut_rows(window: QWidget) -> list[tuple[str, str]]:
    """(keys, what they do) for every window command with a shortcut, in menu-name order."""
    rows: dict[str, str] = {}
    go_keys = []
    for action in window.findChildren(QAction):
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText)
                for k in action.shortcuts() if not k.isEmpty()]
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
    return found


class ShortcutsDialog(QDialog):
    """A table of the window's keyboard shortcuts."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.setMinimumSize(600, 560)
        rows = shortcut_rows(window) + [(k, self.tr(v)) for k, v in GENERAL_KEYS]
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setObjectName("shortcutsTable")
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("What they do")])
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        for r, (keys, text) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(keys))
            self.table.setItem(r, 1, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Keyboard shortcuts"), "subheading", self))
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)


class AboutDialog(QDialog):
    """What this copy is: version, the open file, where the data and backups live."""

    def __init__(self, window: QWidget, db_path: str, backups: str) -> None:
        super().__init__(window)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("About ARRS Desktop"))
        self.setMinimumWidth(520)
        text = QLabel(self.tr(
            "<p>A caseload log for the personalised-care roles of the Additional Roles "
            "Reimbursement Scheme: social prescribing link workers, care coordinators and "
            "health and wellbeing coaches.</p>"
            "<p>Everything is kept on this computer, in one file. Nothing is sent anywhere."
            "</p>"), self)
        text.setWordWrap(True)
        where = muted(self.tr("Open file: {0}\nBackups: {1}").format(db_path, backups), self)
        where.setObjectName("aboutWhere")
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        icon = QLabel(self)
        icon.setObjectName("aboutIcon")
        icon.setPixmap(app_icon().pixmap(64, 64))
        icon.setFixedSize(64, 64)
        title = heading(self.tr("ARRS Desktop {0}").format(__version__), "subheading", self)
        title.setObjectName("aboutVersion")
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addSpacing(12)
        top.addWidget(title, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(text)
        layout.addWidget(where)
        layout.addWidget(buttons)


__all__ = ["AboutDialog", "GENERAL_KEYS", "ShortcutsDialog", "shortcut_rows"]
