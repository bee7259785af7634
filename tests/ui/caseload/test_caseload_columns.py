"""Caseload columns: every name in full, the name takes the spare width, nothing cut."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from arrs_desktop.domain.models import Episode, Person
from arrs_desktop.settings import Settings
from arrs_desktop.ui.shell.main_window import MainWindow
from tests import layout_audit

NAMES = ("Abena Hussain-Ramirez", "Mei Öztürk-Fitzgerald", "Bartholomew Okonkwo-Smith",
         "Al Li")


def _window(qtbot, store, width, height):
    for i, name in enumerate(NAMES):
        person = store.people.add(Person(name=name, nhs_number=None,
                                         date_of_birth=date(1950 + i, 1, 2)))
        store.episodes.open(Episode(person_id=person.id, role="cc", referral_source="gp",
                                   referral_date=date.today()))
    window = MainWindow(store, Settings(), None)
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(10)
    return window


def _name_problems(window):
    table = window.caseload.table
    metrics = table.fontMetrics()
    model = table.model()
    width = table.columnWidth(0)
    return [model.index(r, 0).data() for r in range(model.rowCount())
            if metrics.horizontalAdvance(model.index(r, 0).data()) + 8 > width]


def test_on_a_wide_screen_names_are_whole_and_the_name_takes_the_spare_width(qtbot, store):
    window = _window(qtbot, store, 1920, 1040)
    table = window.caseload.table
    assert _name_problems(window) == []
    shown = [c for c in range(table.model().columnCount()) if not table.isColumnHidden(c)]
    assert shown == list(range(6))  # every column has room
    header = table.horizontalHeader()
    # The other columns are as wide as their widest text, no wider; the name gets the rest.
    assert sum(header.sectionSize(c) for c in shown) == table.viewport().width()
    nhs = header.sectionSize(2)
    assert nhs <= table.fontMetrics().horizontalAdvance("999 999 9999") + 40
    assert layout_audit.table_problems(table) == []
    assert layout_audit.header_problems(header) == []


def test_on_a_narrow_caseload_names_stay_whole_and_a_hidden_column_moves_to_the_tooltip(
        qtbot, store):
    window = _window(qtbot, store, 1000, 600)
    window.splitter.setSizes([400, 590])
    qtbot.wait(10)
    table = window.caseload.table
    assert _name_problems(window) == []
    hidden = [c for c in range(6) if table.isColumnHidden(c)]
    assert 1 in hidden  # the age goes first
    assert not table.isColumnHidden(0) and not table.isColumnHidden(3)  # name, lead role
    tip = table.model().index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "Age:" in tip
    assert layout_audit.table_problems(table) == []
    # Widening the caseload brings the columns back.
    window.resize(1700, 600)
    window.splitter.setSizes([900, 790])
    qtbot.wait(10)
    assert not any(table.isColumnHidden(c) for c in range(6))
