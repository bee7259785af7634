"""The national standards' commands: a person's safety alerts, the PCN's code list import."""

from __future__ import annotations

from PySide6.QtGui import QAction


class StandardsCommands:
    """Make the window's safety-alert and code-list actions and open their dialogs."""

    def __init__(self, window) -> None:
        self.window = window
        self.alerts_action = QAction(window.tr("Safety &alerts for this person…"), window)
        self.alerts_action.setObjectName("safetyAlertsAction")
        self.alerts_action.triggered.connect(self.edit_alerts)
        self.code_list_action = QAction(window.tr("Import the PCN's code &list…"), window)
        self.code_list_action.setObjectName("importCodeListAction")
        self.code_list_action.triggered.connect(self.import_code_list)
        window.person_view.alerts_requested.connect(self.edit_alerts)

    @property
    def actions(self) -> tuple[QAction, ...]:
        """Return the actions, in the order the File menu shows them."""
        return (self.alerts_action, self.code_list_action)

    def edit_alerts(self, person_id: str | None = None) -> None:
        """Show the safety alerts of a person (the one open, unless given)."""
        from arrs_desktop.ui.person.alerts.safety_alerts_dialog import SafetyAlertsDialog

        person_id = person_id or self.window.person_view.person_id
        if person_id:
            SafetyAlertsDialog.ask(self.window, self.window.context, person_id)

    def import_code_list(self) -> None:
        """Import a code list, every wrong line shown and nothing imported if any."""
        from arrs_desktop.ui.team.gp_codes.code_list_dialog import CodeListDialog

        CodeListDialog.ask(self.window, self.window.context)
