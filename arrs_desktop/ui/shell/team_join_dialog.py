"""Join a team: the team server's address, this worker's login and password."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from arrs_desktop.ui.common.error_form import ErrorForm
from arrs_desktop.ui.common.form_dialog import FormDialog
from arrs_desktop.ui.common.widgets import muted


class TeamJoinDialog(FormDialog):
    """Ask for what joining a team needs; the caller joins in the background."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teamJoinDialog")
        self.setWindowTitle(self.tr("Join a team"))
        self.answer: tuple[str, str | None] | None = None
        intro = muted(self.tr(
            "Your PCN's administrator gives you the team server's address and your own login."
            " This caseload is sent to the team, and the team's caseload comes to this"
            " laptop. You keep working here with no network; changes travel when the server"
            " can be reached. The password is kept inside this caseload file."), self)
        from PySide6.QtWidgets import QFormLayout

        layout = QFormLayout()
        self.form = ErrorForm(layout)
        self.server = QLineEdit(self)
        self.server.setPlaceholderText("host=team.example.nhs.uk dbname=arrs sslmode=verify-full")
        self.login = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.add_row("server", self.tr("&Server address:"), self.server,
                          check=self._server_problem)
        self.form.add_row("login", self.tr("Your &login:"), self.login,
                          check=self._login_problem)
        self.form.add_row("password", self.tr("&Password:"), self.password)
        note = QLabel(self.tr("The address is a PostgreSQL connection string or URL; TLS"
                              " settings (sslmode, sslrootcert) go in it."), self)
        note.setWordWrap(True)
        note.setObjectName("teamJoinNote")
        self._finish_layout(layout, "teamJoinButton", intro, extra=(note,))
        self.save_button.setText(self.tr("&Join"))

    def _server_problem(self) -> str | None:
        return None if self.server.text().strip() else self.tr("Give the team server's address")

    def _login_problem(self) -> str | None:
        text = self.login.text().strip()
        if not text and "user=" not in self.server.text() and "@" not in self.server.text():
            return self.tr("Give your login")
        if any(c.isspace() or c in "'\\" for c in text):
            return self.tr("A login has no spaces or quotes")
        return None

    def save(self) -> None:
        problems = {"server": self._server_problem(), "login": self._login_problem()}
        for key, problem in problems.items():
            self.form.fields[key][1].show_error(problem)
        if any(problems.values()):
            return
        server = self.server.text().strip()
        login = self.login.text().strip()
        if login:
            server = f"{server} user={login}" if "=" in server and "://" not in server else (
                server)
        self.answer = (server, self.password.text() or None)
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None) -> tuple[str, str | None] | None:
        """Show the dialog; return (server address, password) or None if cancelled."""
        dialog = cls(parent)
        dialog.exec()
        return dialog.answer
