"""The team's reports: a period and filter, the report tables, two charts, and Export…."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QValueAxis,
)
from PySide6.QtCore import (
    QDate,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.domain import catalogue
from arrs_desktop.domain.periods import PERIOD_KINDS, Period, ReportFilter
from arrs_desktop.reports.report_set import contacts_by_month, report_set
from arrs_desktop.reports.tables import ALL_ROLES
from arrs_desktop.ui.common import theme
from arrs_desktop.ui.common.flow_layout import FlowLayout
from arrs_desktop.ui.common.store_job import StoreJob
from arrs_desktop.ui.common.widgets import fit_columns, labelled, show_focus
from arrs_desktop.ui.team.reports.export_dialog import ExportDialog
from arrs_desktop.ui.team.reports.report_table_model import ReportTableModel


class ReportsView(QWidget):
    """Pick a period, role and worker; read the tables and charts; export them.

    After a change to the caseload the figures are worked out again when the view is next
    shown (at once for a restored file), not after every tick of a need elsewhere.
    """

    report_changed = Signal(object)  # the ReportSet now shown
    export_finished = Signal(list)  # the files written

    def __init__(self, context, parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportsView")
        self._store = context.store
        self._context = context
        self._stale = False
        self._today = today or date.today()
        self._pool = QThreadPool(self)
        self._generation = 0
        self._jobs: set = set()
        self.report = None
        self.months = None

        self.period_kind = QComboBox(self)
        self.period_kind.setObjectName("reportPeriod")
        self.period_kind.setAccessibleName(self.tr("Report period"))
        for kind, label in PERIOD_KINDS.items():
            self.period_kind.addItem(self.tr(label), kind)
        self.period_kind.setCurrentIndex(1)  # last month: what teams report on
        self.date_from = QDateEdit(self)
        self.date_to = QDateEdit(self)
        for edit, name, label in ((self.date_from, "reportFrom", "From"),
                                  (self.date_to, "reportTo", "To")):
            edit.setObjectName(name)
            edit.setAccessibleName(self.tr(label))
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
        self.role = QComboBox(self)
        self.role.setObjectName("reportRole")
        self.role.setAccessibleName(self.tr("Role"))
        self.role.addItem(self.tr("All roles"), None)
        for r in catalogue.ROLES:
            self.role.addItem(r.name, r.code)
        self.worker = QComboBox(self)
        self.worker.setObjectName("reportWorker")
        self.worker.setAccessibleName(self.tr("Worker"))
        self.export_button = QPushButton(self.tr("E&xport…"), self)
        self.export_button.setObjectName("exportReportsButton")
        self.export_button.setAccessibleName(self.tr("Export the reports to files"))

        # The period, dates, role and worker share rows as the width allows.
        bar = FlowLayout(spacing=10)
        for text, widget in ((self.tr("&Period:"), self.period_kind),
                             (self.tr("from"), self.date_from), (self.tr("to"), self.date_to),
                             (self.tr("&Role:"), self.role), (self.tr("&Worker:"), self.worker)):
            bar.addWidget(labelled(text, widget, self))

        self.title = QLabel(self)
        self.title.setObjectName("reportTitle")
        self.title.setProperty("role", "heading")
        self.title.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setObjectName("reportStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # folder names are not markup
        self.status.setProperty("role", "muted")

        self.tables = QListWidget(self)

        show_focus(self.tables)
        self.tables.setObjectName("reportTablesList")
        self.tables.setAccessibleName(self.tr("Report tables"))
        self.model = ReportTableModel(self)
        self.table_view = QTableView(self)
        self.table_view.setObjectName("reportTable")
        self.table_view.setAccessibleName(self.tr("Report table"))
        self.table_view.setModel(self.model)
        self.table_view.setAlternatingRowColors(True)
        self.table_view.setTabKeyNavigation(False)
        self.table_view.verticalHeader().hide()
        show_focus(self.table_view)
        # Each column as wide as its title and figures, the last taking what is left; a
        # wide table (ONS4 by role) scrolls sideways rather than cut its columns.
        fit_columns(self.table_view, stretch=-1)
        self.note = QLabel(self)
        self.note.setObjectName("reportNote")
        self.note.setProperty("role", "muted")
        self.note.setWordWrap(True)
        right = QWidget(self)
        right_lay = QVBoxLayout(right)
        right_lay.setContentsMargins(0, 0, 0, 0)
        right_lay.addWidget(self.table_view, 1)
        right_lay.addWidget(self.note)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.tables)
        split.addWidget(right)
        self.tables.setWordWrap(True)
        self.tables.setMinimumWidth(200)
        self.tables.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tables.setSpacing(2)
        split.setSizes([240, 600])
        split.setChildrenCollapsible(False)

        self.contacts_chart = QChartView(self)
        self.contacts_chart.setObjectName("contactsChart")
        self.contacts_chart.setAccessibleName(self.tr("Contacts per month by role"))
        self.ons4_chart = QChartView(self)
        self.ons4_chart.setObjectName("ons4Chart")
        self.ons4_chart.setAccessibleName(self.tr("ONS4 first and latest scores"))
        for view in (self.contacts_chart, self.ons4_chart):
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(220)
        charts = QWidget(self)
        charts_lay = QHBoxLayout(charts)
        charts_lay.addWidget(self.contacts_chart, 3)
        charts_lay.addWidget(self.ons4_chart, 2)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("reportTabs")
        self.tabs.addTab(split, self.tr("&Tables"))
        self.tabs.addTab(charts, self.tr("&Charts"))

        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addLayout(bar, 1)
        top.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)
        lay.addLayout(top)
        lay.addWidget(self.title)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.status)

        self._fill_workers()
        self._set_dates_for_kind()
        self.period_kind.currentIndexChanged.connect(self._on_kind_changed)
        self.date_from.dateChanged.connect(self._on_custom_dates)
        self.date_to.dateChanged.connect(self._on_custom_dates)
        self.role.currentIndexChanged.connect(self._on_role_changed)
        self.worker.currentIndexChanged.connect(self.refresh)
        self.tables.currentRowChanged.connect(self._show_table)
        self.export_button.clicked.connect(self._on_export)
        self.refresh()
        context.bus.changed.connect(self._on_changed)

    def _on_changed(self, changes, _initiator) -> None:
        if changes.everything:
            self.refresh()
        elif changes.records_changed():
            self._stale = True

    def showEvent(self, event) -> None:  # noqa: N802
        if self._stale:
            self.refresh()
        super().showEvent(event)

    # -- state -------------------------------------------------------------------------
    def period(self) -> Period:
        """Return the period the controls describe."""
        kind = self.period_kind.currentData()
        if kind == "custom":
            start, end = self.date_from.date().toPython(), self.date_to.date().toPython()
            return Period.custom(min(start, end), max(start, end))
        return Period.of_kind(kind, self._today)

    def report_filter(self) -> ReportFilter:
        """Return the role and worker chosen."""
        return ReportFilter(role=self.role.currentData(), worker=self.worker.currentData())

    def _fill_workers(self) -> None:
        current = self.worker.currentData()
        self.worker.blockSignals(True)
        self.worker.clear()
        team = self._store.team.linked()
        self.worker.addItem(self.tr("Whole team") if team else self.tr("All workers"), None)
        names = self._store.reports.workers(self.role.currentData())
        me = getattr(self._context.settings, "user_name", "")
        if team and me and me in names:  # this laptop's worker, first
            self.worker.addItem(self.tr("Mine ({0})").format(me), me)
            names = [n for n in names if n != me]
        for name in names:
            self.worker.addItem(name or self.tr("(no worker recorded)"), name)
        index = self.worker.findData(current)
        self.worker.setCurrentIndex(max(index, 0))
        self.worker.blockSignals(False)

    def _set_dates_for_kind(self) -> None:
        custom = self.period_kind.currentData() == "custom"
        self.date_from.setEnabled(custom)
        self.date_to.setEnabled(custom)
        if not custom:
            period = self.period()
            for edit, day in ((self.date_from, period.start), (self.date_to, period.end)):
                edit.blockSignals(True)
                edit.setDate(QDate(day.year, day.month, day.day))
                edit.blockSignals(False)

    def _on_kind_changed(self) -> None:
        self._set_dates_for_kind()
        self.refresh()

    def _on_custom_dates(self) -> None:
        if self.period_kind.currentData() == "custom":
            self.refresh()

    def _on_role_changed(self) -> None:
        self._fill_workers()
        self.refresh()

    # -- computing off the UI thread ------------------------------------------------------
    def refresh(self) -> None:
        """Recompute the reports for the chosen period and filter (in the background)."""
        self._stale = False
        self._generation += 1
        period, filt, today = self.period(), self.report_filter(), self._today
        first_month = period.end.replace(day=1)
        for _ in range(11):
            first_month = (first_month - timedelta(days=1)).replace(day=1)
        twelve = Period(first_month, period.end)
        self.title.setText(self.tr("{0}: {1} to {2}").format(
            period.label, f"{period.start:%d %b %Y}", f"{period.end:%d %b %Y}"))
        self.status.setText(self.tr("Working out the figures…"))

        def work(store):
            from dataclasses import replace

            from arrs_desktop.reports.standards_records import measure_tables, pcn_measures

            report = report_set(store.reports, period, filt, today=today)
            measures = measure_tables(store, period.start, period.end, filt.role,
                                      pcn_measures()[0])
            return (replace(report, tables=(*report.tables, *measures)),
                    contacts_by_month(store.reports, twelve, filt))

        self._start(work, self._on_report_ready)

    def _start(self, work, on_done, on_failed=None) -> None:
        job = StoreJob(self._store, self._generation, work)
        job.signals.finished.connect(on_done)
        job.signals.failed.connect(on_failed or self._on_failed)
        job.setAutoDelete(False)
        self._jobs.add(job)
        self._pool.start(job)

    def _on_failed(self, generation: int, message: str) -> None:
        self.export_button.setEnabled(True)
        self.status.setText(self.tr("Could not work out the reports: {0}").format(message))

    def _on_report_ready(self, generation: int, result) -> None:
        self._jobs = {j for j in self._jobs if j.generation >= self._generation}
        if generation != self._generation:
            return
        self.report, self.months = result
        row = max(self.tables.currentRow(), 0)
        self.tables.blockSignals(True)
        self.tables.clear()
        for table in self.report.tables:
            self.tables.addItem(self.tr(table.title))
        self.tables.blockSignals(False)
        self.tables.setCurrentRow(row)
        self._show_table(row)
        self._draw_contacts_chart()
        self._draw_ons4_chart()
        if self._store.team.linked():
            self.status.setText(self.tr("Figures worked out from the team's caseload as last"
                                        " synced to this laptop. The note under a table says"
                                        " how it is counted."))
        else:
            self.status.setText(self.tr("Figures worked out from the caseload log on this "
                                        "computer. The note under a table says how it is "
                                        "counted."))
        self.report_changed.emit(self.report)

    def wait_for_idle(self, msecs: int = 30000) -> bool:
        """Wait for background work to finish (for tests and closing)."""
        return self._pool.waitForDone(msecs)

    # -- showing ---------------------------------------------------------------------------
    def _show_table(self, row: int) -> None:
        if self.report is None or not 0 <= row < len(self.report.tables):
            self.model.set_table(None)
            self.note.clear()
            return
        table = self.report.tables[row]
        self.model.set_table(table)
        self.note.setText(table.note)

    def _draw_contacts_chart(self) -> None:
        chart = QChart()
        chart.setTitle(self.tr("Contacts per month, by role"))
        series = QBarSeries()
        months = sorted({r[0] for r in self.months.rows})
        for role in catalogue.ROLES:
            values = {r[0]: r[2] for r in self.months.rows if r[1] == role.name}
            if not values:
                continue
            bar_set = QBarSet(role.short_name)
            bar_set.setColor(QColor(role.colour))
            for m in months:
                bar_set.append(values.get(m, 0))
            series.append(bar_set)
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append([f"{m:%b}" if m.month != 1 and i else f"{m:%b %y}"
                       for i, m in enumerate(months)])
        axis_x.setLabelsAngle(-90)  # twelve months side by side: upright names are cut short
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        axis_y = QValueAxis()
        axis_y.setLabelFormat("%d")
        axis_y.setRange(0, max([r[2] for r in self.months.rows] + [4]))
        axis_y.applyNiceNumbers()
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.contacts_chart.setChart(chart)

    def _draw_ons4_chart(self) -> None:
        table = self.report.table("ons4_change")
        wanted = _role_label(self.report.filter.role)
        rows = [r for r in table.rows if r[0] == wanted]
        people = rows[0][3] if rows else 0
        chart = QChart()
        chart.setTitle(self.tr("ONS4: mean first and latest score<br>{0} people · anxious: "
                               "lower is better").format(people))
        series = QBarSeries()
        first, latest = QBarSet(self.tr("First")), QBarSet(self.tr("Latest"))
        first.setColor(QColor(theme.GREY_3))
        latest.setColor(QColor(theme.BLUE))
        for r in rows:
            first.append(r[4] or 0)
            latest.append(r[5] or 0)
        series.append(first)
        series.append(latest)
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        short = {"Life satisfaction": "Satisfied", "Things you do are worthwhile":
                 "Worthwhile", "Happiness yesterday": "Happy", "Anxiety yesterday":
                 "Anxious"}
        axis_x.append([short.get(r[1], r[1]) for r in rows])
        axis_x.setLabelsAngle(-90)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        axis_y = QValueAxis()
        axis_y.setRange(0, 10)
        axis_y.setTickCount(6)
        axis_y.setLabelFormat("%d")
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.ons4_chart.setChart(chart)

    # -- export ------------------------------------------------------------------------------
    def _on_export(self) -> None:
        self.ask_export()

    def ask_export(self) -> bool:
        """Ask where to, then export the period shown; return whether it was asked for."""
        period = self.period()
        choice, ok = ExportDialog.ask(self, self.tr("{0} to {1}").format(
            f"{period.start:%d %b %Y}", f"{period.end:%d %b %Y}"))
        if ok and choice:
            self.export_to(*choice)
        return bool(ok and choice)

    def export_to(self, folder: Path, fmt: str) -> None:
        """Write the files for the chosen period and filter (in the background)."""
        from arrs_desktop.reports.export import export_reports

        period, filt, today = self.period(), self.report_filter(), self._today
        self.export_button.setEnabled(False)
        self.status.setText(self.tr("Exporting to {0}…").format(folder))

        def work(store):
            if fmt == "dataset":
                from arrs_desktop.reports.dataset_export import export_minimum_dataset
                from arrs_desktop.reports.standards_records import pcn_measures

                return export_minimum_dataset(store, period, folder, pcn_measures()[0])
            return export_reports(store, period, folder, fmt, filt, today=today)

        self._start(work, self._on_exported, self._on_export_failed)

    def _on_export_failed(self, _generation: int, message: str) -> None:
        self.export_button.setEnabled(True)
        self.status.setText(self.tr("Not exported: {0}").format(message))

    def _on_exported(self, _generation: int, files) -> None:
        self.export_button.setEnabled(True)
        from arrs_desktop.reports.export import PLAIN_FILES_NOTE

        self.status.setText(self.tr("Exported {0} files to {1}. {2}").format(
            len(files), files[0].parent if files else "", self.tr(PLAIN_FILES_NOTE)))
        self.export_finished.emit(list(files))


def _role_label(code: str | None) -> str:
    return catalogue.ROLES_BY_CODE[code].name if code else ALL_ROLES
