"""Write report tables to CSV or XLSX files: one file per table, a header row naming each column."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from arrs_desktop.reports import Period, ReportFilter, ReportTable

FORMATS = ("csv", "xlsx")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def file_name(table: ReportTable, period: Period, fmt: str) -> str:
    """Return the file name for one table of one period."""
    return f"{table.name}_{period.slug()}.{fmt}"


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_csv(table: ReportTable, path: Path) -> Path:
    """Write one table as CSV (UTF-8 with a byte-order mark, so spreadsheets read accents)."""
    with Path(path).open("w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow([_csv_value(v) for v in row])
    return Path(path)


def write_xlsx(table: ReportTable, path: Path, period: Period | None = None) -> Path:
    """Write one table as an XLSX workbook: typed cells, bold frozen header row."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = _SHEET_BAD.sub(" ", table.title)[:31] or table.name[:31]
    ws.append(list(table.columns))
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="005EB8")
    for cell in ws[1]:
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    widths = [len(str(c)) for c in table.columns]
    for row in table.rows:
        ws.append(list(row))
        for i, value in enumerate(row):
            widths[i] = max(widths[i], 10 if isinstance(value, date) else len(str(value or "")))
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), 60)
    ws.freeze_panes = "A2"
    wb.properties.title = table.title
    parts = [table.note] if table.note else []
    if period is not None:
        parts.insert(0, f"Period {period.start:%d/%m/%Y} to {period.end:%d/%m/%Y}")
    wb.properties.description = ". ".join(parts)
    wb.properties.creator = "ARRS Desktop"
    wb.save(path)
    return Path(path)


def export_reports(store, period: Period, out_dir: Path, fmt: str = "csv",
                   filt: ReportFilter | None = None, today: date | None = None,
                   progress: Callable[[str], None] | None = None) -> list[Path]:
    """Write every report table and the people-level extract; return the files written."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of: {', '.join(FORMATS)}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = store.report_set(period, filt, today=today)
    tables = [*report.tables, store.people_extract(period, filt)]
    written = []
    for table in tables:
        path = out_dir / file_name(table, period, fmt)
        if progress is not None:
            progress(table.title)
        if fmt == "csv":
            write_csv(table, path)
        else:
            write_xlsx(table, path, period)
        written.append(path)
    return written
