"""A person's outcome measures charted first to latest: for each measure recorded (ONS4 and
the PCN's own), the first and the latest score of each item (and the total), with the
change, the way each item counts as better, and the measure's licence note."""

from __future__ import annotations

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.reports.standards_records import measure_records, pcn_measures
from arrs_desktop.standards.measures import (
    HIGHER_BETTER,
    ONS4,
    FirstLatest,
    MeasureDefinition,
    first_to_latest,
    ons4_records,
)
from arrs_desktop.ui.common import theme
from arrs_desktop.ui.common.widgets import heading, muted


class MeasuresChartDialog(QDialog):
    """Chart one person's measures first to latest, a measure at a time."""

    def __init__(self, store, person_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("measuresChartDialog")
        person = store.people.get(person_id)
        self.setWindowTitle(self.tr("Outcome measures, first to latest: {0}").format(
            person.name if person else ""))
        definitions, _problems = pcn_measures()
        roles = {s.id: s.role for s in store.sessions.for_person(person_id, limit=100_000)}
        pcn = measure_records(store.measure_scores.for_person(person_id))
        self.rows: dict[str, tuple[MeasureDefinition, tuple[FirstLatest, ...]]] = {}
        for definition in definitions:
            if definition.code == ONS4.code:
                records = ons4_records(store.sessions.measures_for(person_id), roles)
            else:
                records = tuple(r for r in pcn if r.code == definition.code)
            found = first_to_latest(definition, records)
            if found:
                self.rows[definition.code] = (definition, found)
        self.measure = QComboBox(self)
        self.measure.setObjectName("measureChoice")
        self.measure.setAccessibleName(self.tr("Measure"))
        for code, (definition, _found) in self.rows.items():
            self.measure.addItem(definition.name, code)
        self.chart_view = QChartView(self)
        self.chart_view.setObjectName("measuresChart")
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(260)
        self.chart_view.setAccessibleName(self.tr("Chart of the first and latest scores"))
        self.summary = QLabel(self)
        self.summary.setObjectName("measuresSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.licence = muted("", self)
        self.licence.setObjectName("measuresLicence")
        self.licence.setWordWrap(True)
        self.empty = muted(self.tr(
            "No measure has been recorded for this person yet. Record ONS4 (or one of your "
            "PCN's measures) in the session form, and the first and latest scores show here."),
            self)
        self.empty.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(heading(self.windowTitle()))
        lay.addWidget(self.measure)
        lay.addWidget(self.chart_view, 1)
        lay.addWidget(self.summary)
        lay.addWidget(self.licence)
        lay.addWidget(self.empty, 1, Qt.AlignmentFlag.AlignTop)
        lay.addWidget(buttons)
        self.resize(720, 520 if self.rows else 240)
        self.measure.currentIndexChanged.connect(self.show_measure)
        has = bool(self.rows)
        for widget in (self.measure, self.chart_view, self.summary, self.licence):
            widget.setVisible(has)
        self.empty.setVisible(not has)
        if has:
            self.show_measure()

    def show_measure(self) -> None:
        """Chart the measure chosen: a pair of bars (first, latest) per item."""
        code = self.measure.currentData()
        if code not in self.rows:
            return
        definition, found = self.rows[code]
        first, latest = QBarSet(self.tr("First")), QBarSet(self.tr("Latest"))
        first.setColor(QColor(theme.DARK_GREY))
        latest.setColor(QColor(theme.role_accent("splw")))
        labels = []
        for fl in found:
            first.append(fl.first)
            latest.append(fl.latest)
            labels.append(fl.label + ("" if fl.direction == HIGHER_BETTER else " ↓"))
        series = QBarSeries()
        series.append(first)
        series.append(latest)
        chart = QChart()
        chart.addSeries(series)
        chart.setTitle(self.tr("{0}: first and latest score").format(definition.name))
        axis_x = QBarCategoryAxis()
        axis_x.append(labels)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        axis_y = QValueAxis()
        low = min([it.scale.min for it in definition.items] + [0])
        high = max([fl.latest for fl in found] + [fl.first for fl in found]
                   + [it.scale.max for it in definition.items])
        axis_y.setRange(low, high)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_view.setChart(chart)
        lines = [self.tr("{0}: {1:g} on {2} → {3:g} on {4} ({5})").format(
            fl.label, fl.first, f"{fl.first_on:%d %b %Y}", fl.latest, f"{fl.latest_on:%d %b %Y}",
            self.tr(fl.reading)) for fl in found]
        worse = [fl.label for fl in found if fl.direction != HIGHER_BETTER]
        if worse:
            lines.append(self.tr("↓ lower is better for: {0}").format(", ".join(worse)))
        self.summary.setText("\n".join(lines))
        self.licence.setText(self.tr("Licence: {0}").format(definition.licence)
                             if definition.licence else "")

    @classmethod
    def ask(cls, parent: QWidget | None, store, person_id: str) -> None:
        """Show the chart until closed."""
        cls(store, person_id, parent).exec()
