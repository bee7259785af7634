"""The minimum dataset exported from the window: the export dialog's choice, one XLSX with
a data dictionary sheet and a CSV per group."""

from __future__ import annotations

import csv
from datetime import date

from PySide6.QtCore import Qt
from standards_journey import link_worker_journey

from arrs_desktop.ui.team.reports.reports_view import ReportsView
from tests.ui_helpers import answer_dialog, make_context


def test_the_export_dialog_writes_the_minimum_dataset(qtbot, store, tmp_path):
    link_worker_journey(store)
    link_worker_journey_without = link_worker_journey(store, consent=False, name="Bea Brown",
                                                      nhs_number="9434765927")
    view = ReportsView(make_context(store), today=date(2026, 5, 1))
    qtbot.addWidget(view)
    view.show()
    view.period_kind.setCurrentIndex(view.period_kind.findData("custom"))
    view.date_from.setDate(date(2026, 1, 1))
    view.date_to.setDate(date(2026, 4, 30))
    out = tmp_path / "msd"
    failures: list = []

    def fill(dialog) -> None:
        dialog.what.setCurrentIndex(dialog.what.findData("dataset"))
        assert not dialog.format.isEnabled() and "data dictionary" in dialog.intro.text()
        dialog.folder.setText(str(out))
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    answer_dialog(qtbot, fill, failures)
    with qtbot.waitSignal(view.export_finished, timeout=20000) as blocker:
        assert view.ask_export()
    assert not failures, failures
    files = sorted(f.name for f in blocker.args[0])
    assert "minimum-dataset-2026-01-01-2026-04-30.xlsx" in files
    assert len([f for f in files if f.endswith(".csv")]) == 6
    demo = next(f for f in blocker.args[0] if f.name.startswith("msd_demographics"))
    table = list(csv.reader(demo.open(encoding="utf-8-sig")))
    assert len(table) == 3  # the header and the two episodes
    nhs = table[0].index("NHS number")
    assert sorted(r[nhs] for r in table[1:]) == ["", "9434765919"]  # consent off: withheld
    assert link_worker_journey_without.person_id not in {r[1] for r in table[1:]}


def test_a_pcn_measure_is_reported_like_ons4(qtbot, store):
    from standards_journey import install_team_check_in

    install_team_check_in()
    link_worker_journey(store)
    view = ReportsView(make_context(store), today=date(2026, 5, 1))
    qtbot.addWidget(view)
    view.show()
    view.period_kind.setCurrentIndex(view.period_kind.findData("custom"))
    view.date_from.setDate(date(2026, 4, 1))
    view.date_to.setDate(date(2026, 4, 30))
    view.refresh()
    assert view.wait_for_idle()
    qtbot.waitUntil(lambda: view.report is not None and "measure_tci" in view.report.names)
    table = view.report.table("measure_tci")
    assert table.title == "Team check-in: first to latest score"
    assert table.columns == view.report.table("ons4_change").columns
    total = next(r for r in table.rows
                 if r[0] == "Social Prescribing Link Worker" and r[1] == "Total")
    assert total[3:] == (1, 3.0, 8.0, 5.0)  # "tense" reversed in the total
    assert "Our own questions" in table.note and "Lower is better for: Tense" in table.note
    titles = [view.tables.item(i).text() for i in range(view.tables.count())]
    assert "Team check-in: first to latest score" in titles
