"""Write report tables to CSV or XLSX files: one file per table, and for XLSX one workbook
holding every table as a sheet.

CSV files are plain: one header row naming each column, then the rows. An XLSX sheet has a
title row, a period row and a note row (blank when the table has no note) above its header
row (XLSX_HEADER_ROW), so a person sees what and when; the panes are frozen under the header.

No cell can run as a formula in the spreadsheet that opens the file (CSV or formula
injection, as OWASP describes it). Text that starts with `=`, `+`, `-`, `@`, a tab or a
carriage return (or the full-width `＝ ＋ － ＠` some spreadsheets fold to those), or with a
single quote, is written with one single quote in front: `=HYPERLINK(...)` is exported as
`'=HYPERLINK(...)`. XLSX cells holding text are text cells (type `s`), never formulas.
Numbers and dates are written as numbers and dates, untouched. To get the original text
back, remove the one leading single quote where a cell starts with one (`recover`).
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from arrs_desktop.domain import catalogue
from arrs_desktop.domain.periods import Period, ReportFilter
from arrs_desktop.private_files import (
    StagedFile,
    private_dir,
    refuse_caseload,
    stage_private_file,
    write_private_file,
)
from arrs_desktop.reports.extract import people_extract
from arrs_desktop.reports.report_set import report_set
from arrs_desktop.reports.tables import ReportTable

FORMATS = ("csv", "xlsx")
#: Said whenever files leave the encrypted caseload (exports, care plans, GP letters).
PLAIN_FILES_NOTE = ("These are plain files, not encrypted like the caseload: anyone who can "
                    "open them can read them. Share them only as your information governance "
                    "rules allow, and delete them when they are no longer needed.")
PLAIN_FILE_NOTE = ("This is a plain file, not encrypted like the caseload: anyone who can "
                   "open it can read it. Share it only as your information governance rules "
                   "allow, and delete it when it is no longer needed.")
XLSX_HEADER_ROW = 4  # rows 1-3: title, period, note; then the header; data from row 5
SHEET_NAME_MAX = 31  # Excel's limit
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
FONT = "Calibri"  # the spreadsheet's own default, so styled cells match the rest

# A short, unique sheet name for every report table (Excel allows 31 characters).
SHEET_NAMES: dict[str, str] = {
    "summary": "Summary",
    "caseload": "Caseload",
    "contacts": "Contacts",
    "goals": "Goals",
    "referrals_by_source": "Referrals by source",
    "referrals_by_reason": "Referrals by reason",
    "closures_by_reason": "Closures by reason",
    "ons4_change": "ONS4 change",
    "care_homes": "Care homes",
    "sp_referral_code": "SP referral code",
    "contacts_by_month": "Contacts by month",
    "people_extract": "People extract",
}

# What makes a spreadsheet read a cell as a formula (OWASP), and the full-width forms.
FORMULA_TRIGGERS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
QUOTE = "'"


def neutralise(text: str) -> str:
    """Return text that no spreadsheet runs: a single quote in front where it could be."""
    if text and (text[0] in FORMULA_TRIGGERS or text[0] == QUOTE):
        return QUOTE + text
    return text


def recover(text: str) -> str:
    """Return the original text of an exported cell (remove one leading single quote)."""
    return text[1:] if text.startswith(QUOTE) else text


_NUMBER_FORMATS = (  # by column header: how many decimals a person needs to see
    ("Mean", "0.00"),
    ("Median days", "0.0"),
    ("Contacts per person", "0.0"),
)


def file_name(table: ReportTable, period: Period, fmt: str) -> str:
    """Return the file name for one table of one period."""
    return f"{table.name}_{period.slug()}.{fmt}"


def workbook_name(period: Period) -> str:
    """Return the file name of the workbook holding every table of one period."""
    return f"arrs-reports-{period.start.isoformat()}-{period.end.isoformat()}.xlsx"


def period_text(period: Period) -> str:
    """Return the period as people read it: '1 Nov 2026 – 30 Nov 2026'."""
    return f"{period.start.day} {period.start:%b %Y} – {period.end.day} {period.end:%b %Y}"


def filter_text(filt: ReportFilter | None) -> str:
    """Return which part of the team a report covers, or '' for everyone."""
    if filt is None:
        return ""
    parts = []
    if filt.role:
        parts.append(catalogue.ROLES_BY_CODE[filt.role].name
                     if filt.role in catalogue.ROLES_BY_CODE else filt.role)
    if filt.worker:
        parts.append(f"worker {filt.worker}")
    return ", ".join(parts) + " only" if parts else ""


def sheet_name(table: ReportTable, taken: Iterable[str] = ()) -> str:
    """Return a sheet name for a table: short, no characters Excel forbids, not in `taken`."""
    name = SHEET_NAMES.get(table.name)
    if name is None:  # a table this module does not know yet: its title, cut at a word
        name = " ".join(_SHEET_BAD.sub(" ", table.title).replace("'", "").split())
        if len(name) > SHEET_NAME_MAX:
            name = name[:SHEET_NAME_MAX + 1].rsplit(" ", 1)[0].rstrip(" -–(,") or \
                name[:SHEET_NAME_MAX]
        name = name or table.name[:SHEET_NAME_MAX]
    used = {t.lower() for t in taken}
    base, n = name, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name = base[:SHEET_NAME_MAX - len(suffix)].rstrip() + suffix
        n += 1
    return name


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def _csv_writer(table: ReportTable) -> Callable[[BinaryIO], None]:
    def write(raw: BinaryIO) -> None:
        fh = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        writer = csv.writer(fh)
        writer.writerow([neutralise(h) for h in table.columns])
        for row in table.rows:
            writer.writerow([_csv_value(v) for v in row])
        fh.flush()
        fh.detach()  # the caller flushes the bytes to disk and closes the file
    return write


def write_csv(table: ReportTable, path: Path) -> Path:
    """Write one table as CSV (UTF-8 with a byte-order mark, so spreadsheets read accents).

    The file is private (0600) and appears only when complete (see private_files).
    """
    return write_private_file(path, _csv_writer(table))


_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _text_cell(cell, text: str):
    """Put text in a cell as a text cell (never a formula), neutralised; return the cell.

    XML keeps a line break as a line feed only, so a carriage return is written as one;
    the control characters XML cannot hold at all are shown as a replacement mark (�).
    """
    text = neutralise(text).replace("\r\n", "\n").replace("\r", "\n")
    cell.value = _NOT_IN_XML.sub("\ufffd", text)
    cell.data_type = "s"
    return cell


def _fill_sheet(ws, table: ReportTable, period: Period | None,
                filt: ReportFilter | None = None) -> None:
    """Write one table into a sheet: title, period, note, bold header, typed cells."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    _text_cell(ws["A1"], table.title)
    ws["A1"].font = Font(name=FONT, bold=True, size=14, color="003087")
    if period is not None:
        _text_cell(ws["A2"], " · ".join(p for p in (period_text(period), filter_text(filt))
                                         if p))
        ws["A2"].font = Font(name=FONT, color="425563")
    header_font = Font(name=FONT, bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="005EB8")
    for col, header in enumerate(table.columns, start=1):
        cell = _text_cell(ws.cell(row=XLSX_HEADER_ROW, column=col), header)
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    formats = []
    for header in table.columns:
        fmt = next((f for prefix, f in _NUMBER_FORMATS if header.startswith(prefix)), None)
        formats.append(fmt)
    month_column = [h == "Month" for h in table.columns]
    widths = [max(min(len(h), 16), *(len(w) for w in h.split())) for h in table.columns]
    for r, row in enumerate(table.rows, start=XLSX_HEADER_ROW + 1):
        for c, value in enumerate(row):
            cell = ws.cell(row=r, column=c + 1)
            if isinstance(value, str):
                _text_cell(cell, value)
                value = cell.value
            else:
                cell.value = value
            if isinstance(value, date) and not isinstance(value, datetime):
                cell.number_format = "MMM YYYY" if month_column[c] else "DD/MM/YYYY"
                width = 10
            elif isinstance(value, float) and formats[c]:
                cell.number_format = formats[c]
                width = len(f"{value:.2f}")
            else:
                width = len(str(value)) if value is not None else 0
            widths[c] = max(widths[c], width)
    widths = [min(w + 3, 60) for w in widths]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    # Spreadsheets do not grow a row for wrapped text on opening: give the header its lines.
    lines = max((-(-len(h) // max(w - 2, 1)) for h, w in zip(table.columns, widths,
                                                              strict=True)), default=1)
    ws.row_dimensions[XLSX_HEADER_ROW].height = 15 * min(lines, 4) + 3
    if table.note:  # wrapped across the table's width, so it reads and prints inside it
        _text_cell(ws["A3"], table.note)
        ws["A3"].font = Font(name=FONT, italic=True, color="425563")
        ws["A3"].alignment = Alignment(wrap_text=True, vertical="top")
        if len(widths) > 1:
            ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=len(widths))
        note_lines = -(-len(table.note) // max(int(sum(widths) * 1.1) - 2, 1))
        ws.row_dimensions[3].height = 15 * note_lines + 3
    ws.freeze_panes = ws.cell(row=XLSX_HEADER_ROW + 1, column=1).coordinate
    # Printed: landscape, the header repeated on every page, and a table that is readable
    # at one page wide (not the extract's dozens of columns) fitted to the page's width.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    if sum(widths) <= 220:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
    ws.print_title_rows = f"{XLSX_HEADER_ROW}:{XLSX_HEADER_ROW}"


def _xlsx_writer(table: ReportTable, period: Period | None,
                 filt: ReportFilter | None) -> Callable[[BinaryIO], None]:
    def write(fh: BinaryIO) -> None:
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = sheet_name(table)
        _fill_sheet(ws, table, period, filt)
        _properties(wb, table.title, table.note, period)
        _save(wb, fh)
    return write


def _workbook_writer(tables: list[ReportTable], period: Period | None,
                     filt: ReportFilter | None) -> Callable[[BinaryIO], None]:
    def write(fh: BinaryIO) -> None:
        from openpyxl import Workbook

        wb = Workbook()
        wb.remove(wb.active)
        taken: list[str] = []
        for table in tables:
            name = sheet_name(table, taken)
            taken.append(name)
            _fill_sheet(wb.create_sheet(name), table, period, filt)
        _properties(wb, "ARRS reports", "", period)
        _save(wb, fh)
    return write


def _save(wb, fh: BinaryIO) -> None:
    """Save a workbook into memory, then copy it to the file in one go.

    openpyxl's zip writer left half-way by a full disk complains again when it is garbage
    collected; made in memory it cannot fail for the disk's reasons.
    """
    buffer = io.BytesIO()
    wb.save(buffer)
    fh.write(buffer.getbuffer())


def write_xlsx(table: ReportTable, path: Path, period: Period | None = None,
               filt: ReportFilter | None = None) -> Path:
    """Write one table as an XLSX workbook with one sheet (private, complete or not at all)."""
    return write_private_file(path, _xlsx_writer(table, period, filt))


def write_workbook(tables: list[ReportTable], path: Path, period: Period | None = None,
                   filt: ReportFilter | None = None) -> Path:
    """Write every table into one XLSX workbook, a sheet each, in the order given."""
    return write_private_file(path, _workbook_writer(tables, period, filt))


def _properties(wb, title: str, note: str, period: Period | None) -> None:
    wb.properties.title = title
    parts = [note] if note else []
    if period is not None:
        parts.insert(0, f"Period {period_text(period)}")
    wb.properties.description = ". ".join(parts)
    wb.properties.creator = "ARRS Desktop"


def export_reports(store, period: Period, out_dir: Path, fmt: str = "csv",
                   filt: ReportFilter | None = None, today: date | None = None,
                   progress: Callable[[str], None] | None = None) -> list[Path]:
    """Write every report table and the people-level extract; return the files written.

    One file per table; for XLSX, also one workbook (`workbook_name`) with every table.
    Every file is private (0600); a folder the export makes is 0700. All the files are
    written to temporary names first and put in place only once every one is complete, so
    a failure (disk full, read-only folder, I/O error) raises FileWriteError and leaves
    the folder as it was: no partial file, and any earlier export there intact.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of: {', '.join(FORMATS)}")
    out_dir = Path(out_dir)
    from arrs_desktop.reports.standards_records import measure_tables, pcn_measures

    report = report_set(store.reports, period, filt, today=today)
    measures = measure_tables(store, period.start, period.end,
                              filt.role if filt else None, pcn_measures()[0])
    tables = [*report.tables, *measures, people_extract(store.reports, period, filt)]
    targets = [out_dir / file_name(table, period, fmt) for table in tables]
    if fmt == "xlsx":
        targets.append(out_dir / workbook_name(period))
    for target in targets:  # before anything is made: never over the caseload
        refuse_caseload(target, getattr(store, "path", None))
    made = [f for f in (out_dir, *out_dir.parents) if not f.exists()]
    private_dir(out_dir)
    staged: list[StagedFile] = []
    written: list[Path] = []
    try:
        for table in tables:
            path = out_dir / file_name(table, period, fmt)
            if progress is not None:
                progress(table.title)
            writer = _csv_writer(table) if fmt == "csv" else _xlsx_writer(table, period, filt)
            staged.append(stage_private_file(path, writer))
        if fmt == "xlsx":
            if progress is not None:
                progress("All tables in one workbook")
            staged.append(stage_private_file(out_dir / workbook_name(period),
                                             _workbook_writer(tables, period, filt)))
        while staged:
            written.append(staged[0].commit())
            staged.pop(0)
        return written
    finally:
        for leftover in staged:
            leftover.discard()
        if not written:  # nothing was put in place: take away the folders made for it
            for folder in made:
                with contextlib.suppress(OSError):
                    folder.rmdir()
