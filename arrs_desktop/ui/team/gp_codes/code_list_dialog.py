"""Import the PCN's code list (its own CSV, or NHS England's RF2 refset): every wrong line
shown, and nothing imported if any line is wrong."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.app.operations.standards import import_code_list
from arrs_desktop.domain import catalogue
from arrs_desktop.standards.codes import EVENTS, CodeListLoad, read_code_list, read_refset
from arrs_desktop.store import StoreWriteError, ValidationError
from arrs_desktop.ui.common.widgets import heading, muted

COLUMNS = ("Role", "Event", "SNOMED CT id", "Term", "From")


class CodeListDialog(QDialog):
    """Show the code list in use; read a file, show what is wrong, import it whole."""

    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("codeListDialog")
        self.setWindowTitle(self.tr("The PCN's code list"))
        self._context = context
        self._store = context.store
        self.load: CodeListLoad | None = None
        self.setMinimumWidth(760)
        intro = muted(self.tr(
            "The SNOMED CT codes to record in the GP system when something happens in an "
            "episode, per role. ARRS Desktop comes with the two confirmed link-worker codes; "
            "bring the rest from NHS England (its refset files) or as your PCN's own CSV with "
            "the columns role, event, sctid, term. Every code is checked, and a file with any "
            "wrong line is not imported at all."), self)
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("codeListTable")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.setAccessibleName(self.tr("Codes in use"))
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.csv_button = QPushButton(self.tr("Read a &CSV code list…"), self)
        self.csv_button.setObjectName("readCodeListCsv")
        self.csv_button.clicked.connect(self.choose_csv)
        self.refset_button = QPushButton(self.tr("Read NHS England's &refset files…"), self)
        self.refset_button.setObjectName("readCodeListRefset")
        self.refset_button.clicked.connect(self.choose_refset)
        self.status = QLabel(self)
        self.status.setObjectName("codeListStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.problems = QPlainTextEdit(self)
        self.problems.setObjectName("codeListProblems")
        self.problems.setReadOnly(True)
        self.problems.setAccessibleName(self.tr("Wrong lines in the file"))
        self.problems.hide()
        buttons = QDialogButtonBox(self)
        self.import_button = buttons.addButton(self.tr("&Import these codes"),
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("importCodeListButton")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.import_loaded)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.reject)
        readers = QHBoxLayout()
        readers.addWidget(self.csv_button)
        readers.addWidget(self.refset_button)
        readers.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(heading(self.windowTitle()))
        lay.addWidget(intro)
        lay.addWidget(self.table, 1)
        lay.addLayout(readers)
        lay.addWidget(self.status)
        lay.addWidget(self.problems, 1)
        lay.addWidget(buttons)
        self.show_in_use()

    def show_in_use(self) -> None:
        """Fill the table with the codes in use."""
        rows = self._store.code_list.all()
        self.table.setRowCount(len(rows))
        for n, r in enumerate(rows):
            role = catalogue.ROLES_BY_CODE.get(r["role"])
            values = (role.short_name if role else r["role"], EVENTS.get(r["event"], r["event"]),
                      r["sctid"], r["term"],
                      self.tr("ARRS Desktop") if r["shipped"] else r["source"])
            for c, value in enumerate(values):
                self.table.setItem(n, c, QTableWidgetItem(value))
        header = self.table.horizontalHeader()
        self.table.resizeColumnsToContents()
        header.setSectionResizeMode(3, header.ResizeMode.Stretch)  # the term takes what is left
        self.table.setWordWrap(True)
        self.table.resizeRowsToContents()

    def choose_csv(self) -> None:
        """Ask for the PCN's CSV and read it."""
        chosen, _ = QFileDialog.getOpenFileName(self, self.tr("Read a code list"), "",
                                                self.tr("CSV files (*.csv);;All files (*)"))
        if chosen:
            self.show_load(read_code_list(chosen))

    def choose_refset(self) -> None:
        """Ask for the refset file, its description file and the mapping, and read them."""
        picks = []
        for title, pattern in ((self.tr("The RF2 simple refset file (der2_Refset_…)"),
                                self.tr("RF2 files (*.txt);;All files (*)")),
                               (self.tr("The RF2 description file (sct2_Description_…)"),
                                self.tr("RF2 files (*.txt);;All files (*)")),
                               (self.tr("The mapping CSV (refset_id, role, event)"),
                                self.tr("CSV files (*.csv);;All files (*)"))):
            chosen, _ = QFileDialog.getOpenFileName(self, title, "", pattern)
            if not chosen:
                return
            picks.append(chosen)
        refset, descriptions, mapping = picks
        self.show_load(read_refset(refset, mapping, descriptions))

    def read_csv(self, path: str | Path) -> CodeListLoad:
        """Read a CSV code list and show what it holds or what is wrong."""
        return self.show_load(read_code_list(path))

    def show_load(self, load: CodeListLoad) -> CodeListLoad:
        """Show a file's codes ready to import, or every wrong line (and allow no import)."""
        self.load = load
        names = ", ".join(Path(s).name for s in load.sources) or self.tr("the file")
        if load.ok:
            self.status.setProperty("role", "")
            self.status.setText(self.tr(
                "{0} holds {1} codes, all checked. Import them to replace the PCN's codes "
                "imported before (the shipped codes stay).").format(names, len(load.entries)))
            self.problems.hide()
        else:
            self.status.setProperty("role", "error")
            self.status.setText(self.tr(
                "{0} has {1} wrong line(s), so nothing can be imported from it. Put them right "
                "and read it again:").format(names, len(load.problems)))
            self.problems.setPlainText("\n".join(load.messages))
            self.problems.show()
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.import_button.setEnabled(load.ok and bool(load.entries))
        return load

    def import_loaded(self) -> bool:
        """Import the codes read (only a file with no wrong line); return success."""
        if self.load is None:
            return False
        try:
            written = self._context.run(import_code_list, self.load, initiator=self)
        except (ValidationError, StoreWriteError) as exc:
            self.status.setProperty("role", "error")
            self.status.setText(str(exc))
            return False
        self.status.setProperty("role", "")
        self.status.setText(self.tr("Imported {0} codes.").format(written))
        self.import_button.setEnabled(False)
        self.load = None
        self.show_in_use()
        return True

    @classmethod
    def ask(cls, parent: QWidget | None, context) -> None:
        """Show the dialog until closed."""
        cls(context, parent).exec()
