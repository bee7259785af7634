"""The message back to the GP and referrer about one episode: see it, save it as a PDF
letter, copy it as text to paste into the GP record; each one sent is recorded."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.app.operations.standards import record_gp_message
from arrs_desktop.reports.standards_records import (
    default_occasion,
    gp_message_for,
    letter_file_name,
    pcn_measures,
    sender_from_settings,
)
from arrs_desktop.standards.gp_message import (
    OCCASIONS,
    GpMessage,
    gp_message_html,
    gp_message_text,
)
from arrs_desktop.store import StoreWriteError, ValidationError
from arrs_desktop.ui.common.date_line_edit import DateLineEdit
from arrs_desktop.ui.common.error_form import ErrorForm, show_message
from arrs_desktop.ui.common.field_error import FieldError
from arrs_desktop.ui.common.form_scroll_area import fit_to_screen
from arrs_desktop.ui.common.widgets import heading, muted


class GpMessageDialog(QDialog):
    """Write the message to the GP about an episode at first contact, at any time, or at
    closure. "Save letter (PDF)…" and "Copy text for the GP record" each record the
    letter as sent (once for the same letter); the episode lists the letters sent."""

    def __init__(self, context, episode_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gpMessageDialog")
        self._context = context
        self._store = context.store
        self.episode_id = episode_id
        self.episode = self._store.episodes.get(episode_id)
        self.message: GpMessage | None = None
        self._recorded: set[str] = set()  # texts recorded as sent from this dialog
        self._fitted = False
        self.definitions, self.measure_problems = pcn_measures()
        person = self._store.people.get(self.episode.person_id) if self.episode else None
        self.setWindowTitle(self.tr("Message to GP: {0}").format(person.name if person else ""))

        self.occasion = QComboBox(self)
        for code, label in OCCASIONS.items():
            self.occasion.addItem(self.tr(label), code)
        if self.episode is not None:
            self.occasion.setCurrentIndex(self.occasion.findData(default_occasion(self.episode)))
        self.written_on = DateLineEdit(self)
        self.written_on.set_value(date.today())
        self.note = QPlainTextEdit(self)
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(60)
        self.note.setPlaceholderText(self.tr("Your own words for this letter (optional)"))
        form = QFormLayout()
        self.form = ErrorForm(form)
        self.form.add_row("occasion", self.tr("Occasion"), self.occasion)
        self.form.add_row("written_on", self.tr("Letter date"), self.written_on)
        self.form.add_row("note", self.tr("Note"), self.note)
        self.consent_note = muted("", self)
        self.consent_note.setObjectName("gpMessageConsent")
        self.consent_note.setWordWrap(True)
        self.preview = QTextBrowser(self)
        self.preview.setObjectName("gpMessagePreview")
        self.preview.setAccessibleName(self.tr("The letter as the GP will read it"))
        self.preview.setMinimumHeight(220)
        self.general_error = FieldError(self)
        self.general_error.setObjectName("gpMessageError")
        self.done_label = QLabel(self)
        self.done_label.setObjectName("gpMessageDone")
        self.done_label.setWordWrap(True)
        self.done_label.hide()
        buttons = QDialogButtonBox(self)
        self.pdf_button = buttons.addButton(self.tr("Save letter (&PDF)…"),
                                            QDialogButtonBox.ButtonRole.ActionRole)
        self.pdf_button.setObjectName("saveGpLetterPdf")
        self.pdf_button.setProperty("primary", True)
        self.pdf_button.clicked.connect(self.choose_pdf)
        self.copy_button = buttons.addButton(self.tr("&Copy text for the GP record"),
                                             QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.setObjectName("copyGpLetterText")
        self.copy_button.clicked.connect(self.copy_text)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.accept)
        lay = QVBoxLayout(self)
        lay.addWidget(heading(self.windowTitle()))
        lay.addLayout(form)
        lay.addWidget(self.consent_note)
        lay.addWidget(self.preview, 1)
        lay.addWidget(self.general_error)
        lay.addWidget(self.done_label)
        lay.addWidget(buttons)
        self.occasion.currentIndexChanged.connect(self.refresh)
        self.written_on.editingFinished.connect(self.refresh)
        self.note.textChanged.connect(self.refresh)
        self.resize(760, 640)
        self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802
        if not self._fitted:  # room for the letter, but never beyond the screen
            self._fitted = True
            fit_to_screen(self)
            screen = self.screen()
            if screen is not None:
                room = screen.availableGeometry()
                self.resize(min(max(self.width(), 780), room.width()),
                            min(max(self.height(), 680), room.height() - 40))
        super().showEvent(event)

    def refresh(self) -> None:
        """Write the letter again from what is chosen, and show it."""
        self.form.clear_errors()
        show_message(self.general_error, None)
        self.message = None
        day = self.written_on.value()
        if not isinstance(day, date):
            self.form.show_errors({"written_on": "is not a real date (type it as DD/MM/YYYY)"})
            self._ready(False)
            return
        sender = sender_from_settings(self._context.settings, self.episode)
        try:
            self.message = gp_message_for(
                self._store, self.episode_id, self.occasion.currentData(), sender, day,
                definitions=self.definitions, note=self.note.toPlainText().strip())
        except ValidationError as exc:
            leftover = self.form.show_errors(exc.errors)
            show_message(self.general_error, "\n".join(leftover) or None)
            self.preview.setHtml("")
            self._ready(False)
            return
        self.sender = sender
        self.preview.setHtml(gp_message_html(self.message))
        self.consent_note.setText(self.tr(
            "Share with GP is on: the letter carries the standard's items.")
            if self.message.consent else self.tr(
            "Share with GP is off: the letter carries only the codes to record and the "
            "episode's dates, with who the person is."))
        self._ready(True)

    def _ready(self, ok: bool) -> None:
        self.pdf_button.setEnabled(ok)
        self.copy_button.setEnabled(ok)

    @property
    def text(self) -> str:
        """Return the letter as plain text (empty when it cannot be written now)."""
        return gp_message_text(self.message) if self.message is not None else ""

    def _record(self) -> bool:
        if self.message is None:
            return False
        text = self.text
        if text in self._recorded:
            return True
        try:
            self._context.run(record_gp_message, self.message, self.sender,
                              initiator=self.parentWidget())
        except (ValidationError, StoreWriteError) as exc:
            show_message(self.general_error, str(exc))
            return False
        self._recorded.add(text)
        return True

    def choose_pdf(self) -> Path | None:
        """Ask where to save the PDF letter, then save it."""
        from arrs_desktop.ui.person.care_plan_pdf import documents_folder

        if self.message is None:
            return None
        suggested = Path(documents_folder()) / letter_file_name(self.message, ".pdf")
        chosen, _ = QFileDialog.getSaveFileName(self, self.tr("Save the letter as PDF"),
                                                str(suggested), self.tr("PDF files (*.pdf)"))
        return self.save_pdf(chosen) if chosen else None

    def save_pdf(self, path: str | Path) -> Path | None:
        """Save the letter as a PDF and record it as sent; return where (None if it failed)."""
        from arrs_desktop.private_files import refuse_caseload, write_reason
        from arrs_desktop.ui.person.gp_message_pdf import write_gp_message_pdf

        if self.message is None:
            return None
        try:
            refuse_caseload(path, getattr(self._store, "path", None))
            written = write_gp_message_pdf(self.message, path)
        except (OSError, RuntimeError) as exc:
            show_message(self.general_error, self.tr(
                "The letter was not saved to {0}: {1}. Choose another folder.").format(
                    path, write_reason(exc) if isinstance(exc, OSError) else exc))
            return None
        if not self._record():
            return None
        self._done(self.tr("Saved the letter as {0} and listed it on the episode.").format(
            written))
        return written

    def copy_text(self) -> bool:
        """Put the letter's text on the clipboard and record it as sent."""
        if self.message is None:
            return False
        QGuiApplication.clipboard().setText(self.text)
        if not self._record():
            return False
        self._done(self.tr("Copied the letter's text: paste it into the GP record. It is "
                           "listed on the episode."))
        return True

    def _done(self, text: str) -> None:
        self.done_label.setText(text)
        self.done_label.show()

    @classmethod
    def ask(cls, parent: QWidget | None, context, episode_id: str) -> None:
        """Show the dialog until closed."""
        cls(context, episode_id, parent).exec()
