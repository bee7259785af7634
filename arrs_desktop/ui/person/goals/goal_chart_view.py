"""A line chart of one goal's progress, its baseline and target date, y from 0 to 10."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCharts import QChart, QChartView, QDateTimeAxis, QLineSeries, QValueAxis
from PySide6.QtCore import (
    QDate,
    QDateTime,
    Qt,
    QTime,
)
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QWidget,
)

from arrs_desktop.domain.models import Goal, GoalProgress
from arrs_desktop.ui.common import theme


def to_msecs(day: date) -> float:
    """Return a date as chart x (milliseconds since the epoch, local midnight)."""
    return float(QDateTime(QDate(day.year, day.month, day.day), QTime(0, 0))
                 .toMSecsSinceEpoch())


class GoalChartView(QChartView):
    """A line chart of one goal's progress, its baseline and target date, y from 0 to 10."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("goalChart")
        self.setAccessibleName(self.tr("Chart of progress on the selected goal"))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(230)  # title, legend and axes leave the plot room to read
        self.progress_series = QLineSeries()
        self.baseline_series = QLineSeries()
        self.target_series = QLineSeries()
        chart = QChart()
        chart.setMargins(chart.margins() * 0)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setBackgroundRoundness(0)
        chart.setBackgroundBrush(QColor(theme.WHITE))
        self.setBackgroundBrush(QColor(theme.WHITE))
        self.setFrameShape(QChartView.Shape.NoFrame)
        for series in (self.baseline_series, self.target_series, self.progress_series):
            chart.addSeries(series)
        self.x_axis = QDateTimeAxis()
        self.x_axis.setFormat("dd MMM yy")
        self.x_axis.setTitleText(self.tr("Date"))
        self.x_axis.setTickCount(5)
        self.y_axis = QValueAxis()
        self.y_axis.setRange(0, 10)
        self.y_axis.setTickCount(6)
        self.y_axis.setLabelFormat("%d")
        self.y_axis.setTitleText(self.tr("Score (0–10)"))
        chart.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.y_axis, Qt.AlignmentFlag.AlignLeft)
        for series in (self.baseline_series, self.target_series, self.progress_series):
            series.attachAxis(self.x_axis)
            series.attachAxis(self.y_axis)
        self.setChart(chart)

    def show_goal(self, goal: Goal | None, progress: list[GoalProgress]) -> None:
        """Draw a goal's progress (None clears the chart)."""
        chart = self.chart()
        for series in (self.progress_series, self.baseline_series, self.target_series):
            series.clear()
        if goal is None:
            chart.setTitle("")
            return
        colour = QColor(theme.role_accent(goal.owner_role))
        pen = QPen(colour, 3)
        self.progress_series.setPen(pen)
        self.progress_series.setPointsVisible(True)
        self.progress_series.setMarkerSize(9)
        self.progress_series.setColor(colour)
        self.progress_series.setName(self.tr("Progress score"))
        start = getattr(goal, "set_date", None) or _created_on(goal)
        days = [start, date.today()] + [p.date for p in progress]
        if goal.target_date:
            days.append(goal.target_date)
        first, last = min(days), max(days)
        if last - first < timedelta(days=14):
            last = first + timedelta(days=14)
        first -= timedelta(days=2)
        last += timedelta(days=2)
        for p in progress:
            self.progress_series.append(to_msecs(p.date), p.score)
        base_pen = QPen(QColor(theme.DARK_GREY), 2, Qt.PenStyle.DashLine)
        self.baseline_series.setPen(base_pen)
        self.baseline_series.setName(self.tr("Baseline ({0})").format(goal.baseline))
        self.baseline_series.append(to_msecs(first), goal.baseline)
        self.baseline_series.append(to_msecs(last), goal.baseline)
        if goal.target_date:
            self.target_series.setPen(QPen(QColor(theme.DARK_BLUE), 2, Qt.PenStyle.DotLine))
            self.target_series.setName(self.tr("Target date {0}").format(
                f"{goal.target_date:%d %b %Y}"))
            self.target_series.append(to_msecs(goal.target_date), 0)
            self.target_series.append(to_msecs(goal.target_date), 10)
        self.target_series.setVisible(goal.target_date is not None)
        for marker in chart.legend().markers(self.target_series):
            marker.setVisible(goal.target_date is not None)
        self.x_axis.setRange(QDateTime(QDate(first.year, first.month, first.day), QTime(0, 0)),
                             QDateTime(QDate(last.year, last.month, last.day), QTime(0, 0)))
        chart.setTitle(goal.title)
        self.setAccessibleDescription(self.tr(
            "{0}: baseline {1}; {2} progress scores; latest {3}").format(
            goal.title, goal.baseline, len(progress),
            progress[-1].score if progress else self.tr("none yet")))


def _created_on(goal: Goal) -> date:
    try:
        return datetime.fromisoformat(goal.created_at).date()
    except (TypeError, ValueError):
        return date.today()
