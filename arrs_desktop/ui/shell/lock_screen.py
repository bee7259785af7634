"""An opaque cover over the whole window saying who locked it; it opens only with a secret.

Signed in to an encrypted caseload, the cover asks for the account's PIN (or its
passphrase: after five wrong PINs, or when it has no PIN) and offers Switch user: another
account of the caseload signs in with its passphrase. A plain caseload opened by the test
suite has no accounts: there the cover has only an Unlock button.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class LockScreen(QWidget):
    """The cover: who locked it, a field for the PIN or passphrase, Unlock, Switch user."""

    unlock_requested = Signal()  # a plain caseload (no accounts): no secret to give
    secret_given = Signal(str, str, str)  # account id, "pin" or "passphrase", the secret

    PIN = "pin"
    PASSPHRASE = "passphrase"

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setAccessibleName(self.tr("ARRS Desktop is locked"))
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#lockScreen { background: #005EB8; }"
                           "#lockScreen QLabel { color: #FFFFFF; }"
                           "#lockScreen QLabel#lockError { color: #FFFFFF; font-weight: 600;"
                           " background: #8A1538; border-radius: 3px; }")
        self.secured = False
        self.mode = self.PASSPHRASE
        self._account_id = ""
        self._has_pin = False
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.title = QLabel(self.tr("ARRS Desktop is locked"), self)
        self.title.setObjectName("lockTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.title.setFont(font)
        self.who = QLabel(self)
        self.who.setObjectName("lockUser")
        self.hint = QLabel(self.tr("Personal details are hidden. Press Enter or choose Unlock "
                                   "to carry on."), self)
        self.hint.setObjectName("lockHint")
        self.hint.setWordWrap(True)
        self.account = QComboBox(self)
        self.account.setObjectName("lockAccountField")
        self.account.setAccessibleName(self.tr("Account"))
        self.account.hide()
        self.secret = QLineEdit(self)
        self.secret.setObjectName("lockSecretField")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setMaxLength(200)
        self.secret.returnPressed.connect(self._give)
        self.secret.hide()
        self.error = QLabel(self)
        self.error.setObjectName("lockError")
        self.error.setWordWrap(True)
        self.error.setMargin(6)
        self.error.hide()
        self.unlock_button = QPushButton(self.tr("&Unlock"), self)
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setAccessibleName(self.tr("Unlock"))
        self.unlock_button.setDefault(True)
        self.unlock_button.setMinimumWidth(160)
        self.unlock_button.clicked.connect(self._give)
        self.other_way = QPushButton(self)
        self.other_way.setObjectName("lockOtherWayButton")
        self.other_way.clicked.connect(self._other_way)
        self.other_way.hide()
        self.switch_button = QPushButton(self.tr("S&witch user"), self)
        self.switch_button.setObjectName("switchUserButton")
        self.switch_button.clicked.connect(self.start_switch)
        self.switch_button.hide()
        for widget in (self.title, self.who, self.hint):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(widget)
        layout.addSpacing(12)
        # A column of fixed width, so a long message wraps to its full height under the field.
        self.column = QWidget(self)
        self.column.setObjectName("lockColumn")
        self.column.setFixedWidth(self.fontMetrics().horizontalAdvance("x") * 64)
        column = QVBoxLayout(self.column)
        column.setContentsMargins(0, 0, 0, 0)
        for widget in (self.account, self.secret, self.error):
            widget.setParent(self.column)
            column.addWidget(widget)
        layout.addWidget(self.column, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(8)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        buttons.addWidget(self.other_way)
        buttons.addWidget(self.switch_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(2)
        self._accounts: list[tuple[str, str]] = []
        self._switching = False
        self.hide()

    # -- what the cover asks for -----------------------------------------------------------
    def set_user(self, name: str) -> None:
        """Show who locked the window."""
        self.who.setText(self.tr("Locked by {0}").format(name) if name
                         else self.tr("Locked"))

    def ask_for_secret(self, account_id: str, name: str, has_pin: bool, pin_allowed: bool,
                       accounts: list[tuple[str, str]]) -> None:
        """Ask the account that locked the window for its PIN (or passphrase)."""
        self.secured = True
        self._account_id = account_id
        self._has_pin = has_pin
        self._accounts = accounts
        self._switching = False
        self.set_user(name)
        self.account.hide()
        self.switch_button.setVisible(len(accounts) > 1)
        self.secret.show()
        self.show_error(None)
        self._set_mode(self.PIN if has_pin and pin_allowed else self.PASSPHRASE)

    def _set_mode(self, mode: str) -> None:
        self.mode = mode
        self.secret.clear()
        pin = mode == self.PIN
        self.secret.setPlaceholderText(self.tr("PIN") if pin else self.tr("Passphrase"))
        self.secret.setAccessibleName(self.tr("PIN") if pin else self.tr("Passphrase"))
        if self._switching:
            self.hint.setText(self.tr("Another account signs in here: choose it and type its "
                                      "passphrase. The window then works as that account."))
        elif pin:
            self.hint.setText(self.tr("Personal details are hidden. Type your PIN to carry "
                                      "on."))
        else:
            self.hint.setText(self.tr("Personal details are hidden. Type your passphrase to "
                                      "carry on."))
        if self._switching:
            self.other_way.setText(self.tr("&Back"))
            self.other_way.setVisible(True)
        else:
            self.other_way.setText(self.tr("Use my &passphrase") if pin
                                   else self.tr("Use my &PIN"))
            self.other_way.setVisible(self._has_pin and (pin or self._pin_allowed_now))
        self.secret.setFocus()

    _pin_allowed_now = True

    def pin_turned_off(self, message: str) -> None:
        """Five wrong PINs: only the passphrase unlocks from now on."""
        self._pin_allowed_now = False
        self._set_mode(self.PASSPHRASE)
        self.show_error(message)

    def pin_turned_on(self) -> None:
        """A passphrase was given: PINs work again."""
        self._pin_allowed_now = True

    def _other_way(self) -> None:
        self.show_error(None)
        if self._switching:  # back to the account that locked the window
            self._switching = False
            self.account.hide()
            self.switch_button.setVisible(len(self._accounts) > 1)
            self._set_mode(self.PIN if self._has_pin and self._pin_allowed_now
                           else self.PASSPHRASE)
            return
        self._set_mode(self.PASSPHRASE if self.mode == self.PIN else self.PIN)

    def start_switch(self) -> None:
        """Let another account of the caseload sign in with its passphrase."""
        self.account.clear()
        for account_id, name in self._accounts:
            self.account.addItem(name, account_id)
        others = [i for i, (aid, _) in enumerate(self._accounts) if aid != self._account_id]
        if others:
            self.account.setCurrentIndex(others[0])
        self._switching = True
        self.account.show()
        self.switch_button.hide()
        self.show_error(None)
        self._set_mode(self.PASSPHRASE)

    def show_error(self, message: str | None) -> None:
        """Say why the secret was refused (or hide the message)."""
        self.error.setText(message or "")
        # as tall as the message needs at the column's width (a centred item gets only its
        # size hint, which does not follow a wrapped label's height)
        self.error.setFixedHeight(max(1, self.error.heightForWidth(self.column.width())))
        self.error.setVisible(bool(message))
        self.error.setAccessibleName(message or "")
        if message:
            self.secret.selectAll()
            self.secret.setFocus()

    def _give(self) -> None:
        if not self.secured:
            self.unlock_requested.emit()
            return
        typed = self.secret.text()
        if not typed:
            self.show_error(self.tr("Type your PIN.") if self.mode == self.PIN
                            else self.tr("Type your passphrase."))
            return
        account_id = (self.account.currentData() if self._switching
                      else self._account_id)
        self.secret_given.emit(str(account_id), self.mode, typed)

    def clear_secret(self) -> None:
        """Forget what was typed (once unlocked)."""
        self.secret.clear()
        self.show_error(None)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if not self.secured and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter,
                                                Qt.Key.Key_Space):
            self.unlock_requested.emit()
            return
        if self.secured and event.key() == Qt.Key.Key_Escape:
            return  # nothing dismisses the cover but a secret
        super().keyPressEvent(event)
