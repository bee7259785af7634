"""The reports view, GP code panels and printing a care plan from the window."""

import csv
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from arrs_desktop.reports.tables import ReportTable
from arrs_desktop.ui.person.gp_codes.episode_codes_panel import EpisodeCodesPanel
from arrs_desktop.ui.team.gp_codes.gp_codes_settings_dialog import GpCodesSettingsDialog
from arrs_desktop.ui.team.reports.report_table_model import ReportTableModel
from arrs_desktop.ui.team.reports.reports_view import ReportsView
from tests.fixture_caseload import build_fixture
from tests.ui_helpers import make_context


@pytest.fixture
def fx(store):
    return build_fixture(store)


@pytest.fixture
def view(qtbot, store, fx):
    v = ReportsView(make_context(store), today=date(2025, 11, 15))  # "last month" is October 2025
    qtbot.addWidget(v)
    v.resize(1366, 700)
    v.show()
    qtbot.waitUntil(lambda: v.report is not None, timeout=10000)
    yield v
    v.wait_for_idle()


def _summary(view):
    return dict(view.report.table("summary").rows)


def test_reports_view_shows_last_month_and_changes_with_the_period(qtbot, view):
    assert view.objectName() == "reportsView"
    assert view.report.period.start == date(2025, 10, 1)
    assert _summary(view)["Contacts"] == 5
    assert view.model.rowCount() == len(view.report.table("summary").rows)
    first = view.report
    view.period_kind.setCurrentIndex(view.period_kind.findData("this_month"))  # November
    qtbot.waitUntil(lambda: view.report is not first, timeout=10000)
    assert view.report.period.start == date(2025, 11, 1)
    assert _summary(view)["Contacts"] == 0
    second = view.report
    view.period_kind.setCurrentIndex(view.period_kind.findData("custom"))
    view.date_from.setDate(date(2025, 8, 1))
    view.date_to.setDate(date(2025, 10, 31))
    qtbot.waitUntil(lambda: view.report is not second
                    and view.report.period.start == date(2025, 8, 1), timeout=10000)
    assert _summary(view)["Contacts"] == 7


def test_role_and_worker_filters(qtbot, view):
    first = view.report
    view.role.setCurrentIndex(view.role.findData("splw"))
    qtbot.waitUntil(lambda: view.report is not first, timeout=10000)
    assert [view.worker.itemData(i) for i in range(view.worker.count())] == \
        [None, "Wendy", "Xavier"]
    assert _summary(view)["Contacts"] == 4
    second = view.report
    view.worker.setCurrentIndex(view.worker.findData("Xavier"))
    qtbot.waitUntil(lambda: view.report is not second, timeout=10000)
    assert _summary(view)["Contacts"] == 1


def test_charts_are_drawn_in_role_colours(view):
    chart = view.contacts_chart.chart()
    series = chart.series()[0]
    names = {s.label(): s.color().name().upper() for s in series.barSets()}
    assert names["Link worker"] == "#00A499"
    assert "ONS4" in view.ons4_chart.chart().title()
    assert len(view.ons4_chart.chart().series()[0].barSets()) == 2


def test_tables_list_switches_the_table(view):
    names = view.report.names
    view.tables.setCurrentRow(names.index("caseload"))
    assert view.model.headerData(2, Qt.Orientation.Horizontal) == "Active caseload"
    assert view.model.columnCount() == len(view.report.table("caseload").columns)


def test_export_from_the_view_writes_files(qtbot, view, tmp_path):
    with qtbot.waitSignal(view.export_finished, timeout=20000) as blocker:
        view.export_to(tmp_path / "out", "csv")
    files = blocker.args[0]
    assert len(files) == 12
    caseload = next(f for f in files if f.name.startswith("caseload_"))
    with caseload.open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[-1][:3] == ["All roles", "All workers", "4"]
    assert view.export_button.isEnabled()


def test_report_table_model_passes_the_model_tester(qtmodeltester):
    model = ReportTableModel()
    model.set_table(ReportTable("t", "T", ("Name", "Day", "Score"),
                                (("A", date(2025, 1, 1), 1.5), ("B", None, 2))))
    qtmodeltester.check(model)
    assert model.data(model.index(0, 1)) == "01 Jan 2025"
    assert model.data(model.index(1, 1)) == "—"


def test_episode_codes_copy_to_the_clipboard(qtbot, store, fx):
    panel = EpisodeCodesPanel(store, fx.people["bob"])
    qtbot.addWidget(panel)
    button = panel.findChild(type(panel.copy_buttons[0]), "copyCode_871731000000106")
    button.click()
    assert QGuiApplication.clipboard().text() == "871731000000106"


def test_pcn_codes_settings_add_and_remove(qtbot, store, fx):
    dialog = GpCodesSettingsDialog(make_context(store))
    qtbot.addWidget(dialog)
    dialog.code.setText("12345x")
    dialog.term.setText("Bad")
    dialog.add_code()
    assert dialog.error.isVisible() or "digits" in dialog.error.text()
    dialog.code.setText("1234567")
    dialog.term.setText("Care coordination started")
    dialog.applies_to.setCurrentIndex(dialog.applies_to.findData("cc_first_contact"))
    dialog.add_code()
    assert [c.code for c in store.gp_codes.for_episode(fx.episodes["cat"])] == ["1234567"]
    dialog.codes.setCurrentRow(dialog.codes.count() - 1)
    dialog.remove_selected()
    assert store.gp_codes.for_episode(fx.episodes["cat"]) == []


def test_window_has_reports_and_prints_a_care_plan(qtbot, store, fx, tmp_path):
    from arrs_desktop.ui.person.care_plan_pdf import print_care_plan
    from tests.ui_helpers import make_window

    window = make_window(qtbot, store)
    # The view is made when first shown or asked for, so the window opens quickly.
    assert window.reports is window.findChild(ReportsView, "reportsView") is not None
    path = print_care_plan(window, store, fx.people["ann"], tmp_path / "ann.pdf")
    assert path.read_bytes().startswith(b"%PDF")
    window.reports.wait_for_idle()
