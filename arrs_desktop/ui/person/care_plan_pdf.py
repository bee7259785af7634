"""Print a personalised care and support plan to PDF with Qt's PDF writer (A4).

The plan comes as blocks (arrs_desktop.reports.care_plan.care_plan_blocks). Each block is laid out
on its own and placed whole on a page; a heading moves to the next page with the block it
introduces, and a page footer names the person and the page. `write_blocks_pdf` prints any
document made of such blocks the same way (the message back to the GP: ui/person/gp_message_pdf.py).
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextDocument,
)

from arrs_desktop.reports.care_plan import (
    NHS_BLACK,
    NHS_DARK_GREY,
    NHS_GREY_4,
    CarePlan,
    PlanBlock,
    care_plan_blocks,
    care_plan_html,
    paginate,
)

MARGIN_MM = 20
LAYOUT_DPI = 96  # blocks are laid out in CSS pixels, then scaled to the writer's resolution
FOOTER_PX = 30  # room kept at the foot of each page for the footer line


def ensure_gui_application() -> QGuiApplication:
    """Return the running Qt application, starting a windowless one if there is none."""
    return QGuiApplication.instance() or QGuiApplication(["arrs"])


def _font(size: float = 12) -> QFont:
    font = QFont()
    font.setFamilies(["Arial", "Helvetica", "DejaVu Sans", "Sans Serif"])
    font.setPointSizeF(size)
    if hasattr(font, "setFeature"):  # Qt 6.7+: no ligatures, so text copied from the PDF
        font.setFeature(QFont.Tag("liga"), 0)  # (or read aloud) has plain letters
    return font


def _layout_device() -> QImage:
    """Return a paint device of exactly LAYOUT_DPI, so layout does not depend on the screen."""
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    dots_per_metre = round(LAYOUT_DPI / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    return image


def _document(html: str, width: float, device) -> QTextDocument:
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(device)
    doc.setDefaultFont(_font())
    doc.setDocumentMargin(0)
    doc.setDefaultStyleSheet(f"body {{ color: {NHS_BLACK}; }}")
    doc.setHtml(f"<html><body>{html}</body></html>")
    doc.setTextWidth(width)
    return doc


def care_plan_document(plan: CarePlan) -> QTextDocument:
    """Return the whole plan as one rich-text document (for previews; the PDF uses blocks)."""
    doc = QTextDocument()
    doc.setDefaultFont(_font())
    doc.setDocumentMargin(0)
    doc.setHtml(care_plan_html(plan))
    doc.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle,
                           f"Care and support plan: {plan.name}")
    return doc


def _content_height(doc: QTextDocument) -> float:
    """Return where a block's content ends (leaving out the empty line after a table)."""
    layout = doc.documentLayout()
    bottom = 0.0
    for frame in doc.rootFrame().childFrames():
        bottom = max(bottom, layout.frameBoundingRect(frame).bottom())
    block = doc.begin()
    while block.isValid():
        if block.text() or block.next().isValid():
            bottom = max(bottom, layout.blockBoundingRect(block).bottom())
        block = block.next()
    return bottom or doc.size().height()


def _cut_points(doc: QTextDocument) -> list[float]:
    """Return where a tall block may be cut between pages: above any line no line crosses."""
    layout = doc.documentLayout()
    lines = []
    block = doc.begin()
    while block.isValid():
        top = layout.blockBoundingRect(block).top()
        text_layout = block.layout()
        for i in range(text_layout.lineCount()):
            line = text_layout.lineAt(i)
            lines.append((top + line.y(), top + line.y() + line.height()))
        block = block.next()
    return sorted({t for t, _b in lines if not any(lo < t < hi for lo, hi in lines)})


class CarePlanPdfError(RuntimeError):
    """The PDF could not be made (nothing was written)."""


def write_care_plan_pdf(plan: CarePlan, path: str | Path) -> Path:
    """Write the plan as an A4 PDF with 20 mm margins and a footer on each page.

    The PDF is made in memory and then written as a private file (0600) that appears only
    when complete; a failed write raises FileWriteError and leaves any earlier file there.
    """
    return write_blocks_pdf(care_plan_blocks(plan), path, **_plan_titles(plan))


def care_plan_pdf_bytes(plan: CarePlan) -> bytes:
    """Return the plan as the bytes of an A4 PDF."""
    return blocks_pdf_bytes(care_plan_blocks(plan), **_plan_titles(plan))


def _plan_titles(plan: CarePlan) -> dict[str, str]:
    return {"title": f"Care and support plan: {plan.name}",
            "footer": f"{plan.name} · My personalised care and support plan"}


def write_blocks_pdf(blocks: list[PlanBlock], path: str | Path, *, title: str,
                     footer: str) -> Path:
    """Write blocks as an A4 PDF (20 mm margins, `footer` and the page on each page).

    Made in memory, then written privately (0600) and whole (see write_care_plan_pdf).
    """
    from arrs_desktop.private_files import write_private_bytes

    return write_private_bytes(Path(path), blocks_pdf_bytes(blocks, title=title,
                                                            footer=footer))


def blocks_pdf_bytes(blocks: list[PlanBlock], *, title: str, footer: str) -> bytes:
    """Return blocks as the bytes of an A4 PDF."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    _render_pdf(blocks, buffer, title, footer)
    buffer.close()
    pdf = bytes(data.data())
    if not pdf.startswith(b"%PDF-") or b"%%EOF" not in pdf[-64:]:
        raise CarePlanPdfError("the PDF could not be made")
    return pdf


def _render_pdf(blocks: list[PlanBlock], out: QIODevice, title: str, footer: str) -> None:
    writer = QPdfWriter(out)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                          QPageLayout.Unit.Millimeter)
    writer.setResolution(300)
    writer.setTitle(title)
    writer.setCreator("ARRS Desktop")
    scale = writer.resolution() / LAYOUT_DPI
    rect = writer.pageLayout().paintRectPixels(writer.resolution())
    width, page_height = rect.width() / scale, rect.height() / scale
    body_height = page_height - FOOTER_PX

    device = _layout_device()
    docs = [_document(b.html, width, device) for b in blocks]
    heights = [_content_height(doc) for doc in docs]
    cuts = {i: _cut_points(doc) for i, doc in enumerate(docs)}
    slices = paginate(heights, blocks, body_height, cuts)
    pages = slices[-1][1] + 1 if slices else 1

    painter = QPainter(writer)
    try:
        painter.scale(scale, scale)
        current = 0
        for index, page, top, start, end in slices:
            while current < page:
                _footer(painter, footer, current, pages, width, page_height, device)
                writer.newPage()
                current += 1
            painter.save()
            painter.translate(0, top - start)
            docs[index].drawContents(painter, QRectF(0, start, width, end - start))
            painter.restore()
        _footer(painter, footer, current, pages, width, page_height, device)
    finally:
        painter.end()


def _footer(painter: QPainter, text: str, page: int, pages: int, width: float,
            page_height: float, device) -> None:
    """Draw the footer: a thin rule, the text on the left, the page on the right."""
    line_y = page_height - FOOTER_PX + 12
    painter.save()
    painter.setPen(QPen(QColor(NHS_GREY_4), 1))
    painter.drawLine(QPointF(0, line_y), QPointF(width, line_y))
    doc = _document(
        f'<table width="100%" cellpadding="0" cellspacing="0"'
        f' style="color:{NHS_DARK_GREY}; font-size:9pt"><tr>'
        f"<td>{escape(text)}</td>"
        f'<td align="right">Page {page + 1} of {pages}</td></tr></table>', width, device)
    painter.translate(0, line_y + 4)
    doc.drawContents(painter)
    painter.restore()


def documents_folder() -> Path:
    """Return the user's documents folder (Qt's documents location; tests: under ARRS_HOME)."""
    from PySide6.QtCore import QStandardPaths

    from arrs_desktop import paths

    return paths.documents_dir(lambda: QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation))


def print_care_plan(parent, store, person_id: str, path: str | Path | None = None):
    """Save a person's care plan as a PDF; return where, or None if cancelled or it failed.

    Without `path` it asks where, starting in the documents folder with a name that does
    not carry the person's name (`care-plan-YYYY-MM-DD.pdf`), says plainly if the file
    could not be written, and after saving offers to open it.
    """
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from arrs_desktop import paths
    from arrs_desktop.private_files import refuse_caseload, write_reason
    from arrs_desktop.reports.care_plan import build_care_plan
    from arrs_desktop.settings import load_settings

    settings = load_settings()
    plan = build_care_plan(store, person_id, practice=settings.practice,
                           practice_phone=settings.practice_phone)
    if path is not None:
        refuse_caseload(path, getattr(store, "path", None))
        return write_care_plan_pdf(plan, path)
    suggested = paths.care_plan_file(documents_folder())
    chosen, _ = QFileDialog.getSaveFileName(parent, parent.tr("Save care plan as PDF"),
                                            str(suggested), parent.tr("PDF files (*.pdf)"))
    if not chosen:
        return None
    try:
        refuse_caseload(chosen, getattr(store, "path", None))
        written = write_care_plan_pdf(plan, chosen)
    except (OSError, CarePlanPdfError) as exc:
        QMessageBox.warning(parent, parent.tr("Care plan not saved"), parent.tr(
            "The care plan was not saved to {0}: {1}. Any file that was there is unchanged. "
            "Choose another folder, or free some space and try again.").format(
                chosen, write_reason(exc)))
        return None
    offer_to_open(parent, written)
    return written


def offer_to_open(parent, path: Path) -> None:
    """Say the plan was saved and offer to open it (without waiting for an answer)."""
    from PySide6.QtCore import Qt, QUrl
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QMessageBox

    from arrs_desktop.reports.export import PLAIN_FILE_NOTE

    box = QMessageBox(QMessageBox.Icon.Information, parent.tr("Care plan saved"),
                      parent.tr("Saved the care plan as\n{0}\n\n{1}").format(
                          path, parent.tr(PLAIN_FILE_NOTE)),
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("carePlanSaved")
    box.setTextFormat(Qt.TextFormat.PlainText)  # a folder name is never read as markup
    open_button = box.addButton(parent.tr("&Open it"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.setDefaultButton(open_button)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def clicked(button) -> None:
        if button is open_button:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    box.buttonClicked.connect(clicked)
    box.open()
