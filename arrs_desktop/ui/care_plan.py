"""Print a personalised care and support plan to PDF with Qt's PDF writer (A4)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import (
    QFont,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QTextDocument,
)

from arrs_desktop.care_plan import CarePlan, care_plan_html

MARGIN_MM = 20


def ensure_gui_application() -> QGuiApplication:
    """Return the running Qt application, starting a windowless one if there is none."""
    return QGuiApplication.instance() or QGuiApplication(["arrs"])


def care_plan_document(plan: CarePlan) -> QTextDocument:
    """Return the plan laid out as a rich-text document."""
    doc = QTextDocument()
    font = QFont()
    font.setFamilies(["Arial", "Helvetica", "DejaVu Sans", "Sans Serif"])
    font.setPointSizeF(11)
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    doc.setHtml(care_plan_html(plan))
    doc.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle,
                           f"Care and support plan: {plan.name}")
    return doc


def write_care_plan_pdf(plan: CarePlan, path: str | Path) -> Path:
    """Write the plan as an A4 PDF with generous margins; return the path."""
    path = Path(path)
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                          QPageLayout.Unit.Millimeter)
    writer.setResolution(300)
    writer.setTitle(f"Care and support plan: {plan.name}")
    writer.setCreator("ARRS Desktop")
    doc = care_plan_document(plan)
    rect = writer.pageLayout().paintRectPixels(writer.resolution())
    # Lay the text out at 72 points per inch on the printable width, then let print_ scale.
    doc.setPageSize(QSizeF(rect.width() * 72 / writer.resolution(),
                           rect.height() * 72 / writer.resolution()))
    doc.print_(writer)
    return path


def print_care_plan(parent, store, person_id: str, path: str | Path | None = None):
    """Ask where to save a person's care plan PDF (unless given) and write it."""
    from PySide6.QtWidgets import QFileDialog

    from arrs_desktop.care_plan import build_care_plan

    plan = build_care_plan(store, person_id)
    if path is None:
        suggested = f"Care plan - {plan.name}.pdf"
        path, _ = QFileDialog.getSaveFileName(parent, parent.tr("Save care plan as PDF"),
                                              suggested, parent.tr("PDF files (*.pdf)"))
        if not path:
            return None
    return write_care_plan_pdf(plan, path)
