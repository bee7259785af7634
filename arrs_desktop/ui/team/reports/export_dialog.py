"""Ask where to export the reports and in which format (the folder is remembered)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from arrs_desktop.ui.common.error_form import ErrorForm
from arrs_desktop.ui.common.form_dialog import FormDialog
from arrs_desktop.ui.common.widgets import muted
from arrs_desktop.ui.shell.window_state import remember_value, remembered


class ExportDialog(FormDialog):
    """Ask where to export the reports and in which format (the folder is remembered)."""

    FOLDER_KEY = "export/folder"

    def __init__(self, parent: QWidget | None = None, period_text: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle(self.tr("Export reports"))
        self.setMinimumWidth(480)
        self.choice: tuple[Path, str] | None = None
        self.folder = QLineEdit(self)
        self.folder.setObjectName("exportFolder")
        self.folder.setAccessibleName(self.tr("Folder to export into"))
        self.folder.setPlaceholderText(self.tr("Choose or type a folder"))
        self.folder.setText(remembered(self.FOLDER_KEY))
        browse = QPushButton(self.tr("&Choose…"), self)
        browse.setObjectName("exportBrowseButton")
        browse.setAccessibleName(self.tr("Choose the folder to export into"))
        browse.clicked.connect(self._browse)
        folder_row = QWidget(self)
        row = QHBoxLayout(folder_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        self.format = QComboBox(self)
        self.format.setObjectName("exportFormat")
        self.format.setAccessibleName(self.tr("File format"))
        self.format.addItem(self.tr("Spreadsheet (XLSX)"), "xlsx")
        self.format.addItem(self.tr("Comma-separated (CSV)"), "csv")
        self.what = QComboBox(self)
        self.what.setObjectName("exportWhat")
        self.what.setAccessibleName(self.tr("What to export"))
        self.what.addItem(self.tr("The reports and the people-level extract"), "reports")
        self.what.addItem(self.tr("The social prescribing minimum dataset"), "dataset")
        self.what.currentIndexChanged.connect(self._what_changed)
        form = QFormLayout()
        self.form = ErrorForm(form)
        self.form.add_row("folder", self.tr("&Folder *"), folder_row)
        self.form.fields["folder"] = (self.folder, self.form.fields["folder"][1])
        self.form.fields["folder"][1].watch(self.folder, self._folder_problem)
        self.form.add_row("what", self.tr("&What"), self.what)
        self.form.add_row("format", self.tr("F&ormat"), self.format)
        self._period_text = period_text
        intro = muted("", self)
        intro.setWordWrap(True)
        self.intro = intro
        self._what_changed()
        self._finish_layout(form, "confirmExportButton", intro=intro)
        self.save_button.setText(self.tr("Export"))
        self.folder.setFocus()

    def _what_changed(self) -> None:
        period = f" for {self._period_text}" if self._period_text else ""
        if self.what.currentData() == "dataset":
            self.format.setEnabled(False)
            self.intro.setText(self.tr(
                "The PRSB social prescribing minimum dataset{0}: one XLSX workbook with a "
                "sheet per group (patient demographics, needs and concerns, support offered, "
                "activities referred to, outcomes) and a data dictionary saying how each item "
                "is derived, and a CSV per sheet. People who have not agreed to share are "
                "exported under a pseudonym, without identifiers or free text.").format(period))
        else:
            self.format.setEnabled(True)
            self.intro.setText(self.tr(
                "One file per report table{0}, and the people-level extract. People who have "
                "not agreed to share with their GP are exported without their name, NHS "
                "number or address.").format(period))

    def _folder_problem(self) -> str | None:
        text = self.folder.text().strip()
        if not text:
            return self.tr("is needed: choose where the files go")
        path = Path(text).expanduser()
        if path.exists() and not path.is_dir():
            return self.tr("is a file, not a folder")
        return None

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export into"),
                                                  self.folder.text())
        if folder:
            self.folder.setText(folder)

    def save(self) -> None:
        """Check the folder (saying what is wrong under it) and close to export."""
        problem = self._folder_problem()
        if problem:
            self.form.show_errors({"folder": problem}, {"folder": self.tr("A folder")})
            return
        folder = Path(self.folder.text().strip()).expanduser()
        remember_value(self.FOLDER_KEY, str(folder))
        fmt = "dataset" if self.what.currentData() == "dataset" else self.format.currentData()
        self.choice = (folder, fmt)
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, period_text: str = "") -> tuple[
            tuple[Path, str] | None, bool]:
        """Return ((folder, format), True) or (None, False) if cancelled (the format is
        "dataset" for the minimum dataset)."""
        dialog = cls(parent, period_text)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.choice is None:
            return None, False
        return dialog.choice, True
