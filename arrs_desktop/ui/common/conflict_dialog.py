"""Someone changed the record while it was being edited: show both, let the worker choose."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.domain.audit_text import change_parts, field_label, show_stamp, show_value
from arrs_desktop.store.errors import StoreConflictError
from arrs_desktop.ui.common.widgets import heading


class ConflictDialog(QDialog):
    """Say who changed the record and what, next to what this worker typed."""

    MINE = "mine"  # save my changes over the record as it is now
    THEIRS = "theirs"  # show the record as it is now; drop what I typed
    EDIT = "edit"  # go back to the form, keeping what I typed

    def __init__(self, error: StoreConflictError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle(self.tr("Changed by someone else"))
        self.choice = self.EDIT
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Someone else saved a change first")))
        intro = QLabel(self.tr("This record was changed after you opened it. Nothing of yours "
                               "has been saved yet, and what you typed is still in the form."),
                       self)
        intro.setWordWrap(True)
        layout.addWidget(intro)

        overlap = error.overlapping
        theirs = [self.tr("{0}, {1}:").format(c.who, show_stamp(c.at)) + "\n    "
                  + "\n    ".join(change_parts(error.table, c.action, c.before, c.after))
                  for c in error.theirs] or [self.tr("(the details of that change are not "
                                                     "kept)")]
        layout.addWidget(self._block("theirsLabel", self.tr("Their change"), "\n".join(theirs)))
        mine = [f"{field_label(k)}: {show_value(error.table, k, v)}"
                + (self.tr("   ← they changed this too") if k in overlap else "")
                for k, v in error.mine.items()] or [self.tr("(nothing: your form matches "
                                                           "what they saved)")]
        layout.addWidget(self._block("mineLabel", self.tr("Your changes"), "\n".join(mine)))

        buttons = QHBoxLayout()
        self.mine_button = QPushButton(self.tr("&Save my changes on top"), self)
        self.mine_button.setObjectName("conflictSaveMine")
        self.mine_button.setProperty("primary", True)
        self.mine_button.setDefault(True)
        self.mine_button.setToolTip(self.tr("Keep their change, and save the fields you "
                                            "changed over it"))
        self.theirs_button = QPushButton(self.tr("Show &theirs (drop mine)"), self)
        self.theirs_button.setObjectName("conflictShowTheirs")
        self.edit_button = QPushButton(self.tr("&Keep editing"), self)
        self.edit_button.setObjectName("conflictKeepEditing")
        for button, choice in ((self.mine_button, self.MINE),
                               (self.theirs_button, self.THEIRS),
                               (self.edit_button, self.EDIT)):
            button.clicked.connect(partial(self._choose, choice))
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.setMinimumWidth(520)

    def _block(self, name: str, title: str, text: str) -> QWidget:
        box = QWidget(self)
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 4, 0, 4)
        lay.addWidget(heading(title, "subheading", box))
        label = QLabel(text, box)
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(label)
        return box

    def _choose(self, choice: str) -> None:
        self.choice = choice
        if choice == self.EDIT:
            self.reject()
        else:
            self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, error: StoreConflictError) -> tuple[str, bool]:
        """Show the clash; return (mine | theirs | edit, True), or ('edit', False) if closed."""
        dialog = cls(error, parent)
        ok = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.choice, ok
