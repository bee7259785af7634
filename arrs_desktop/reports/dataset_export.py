"""Write the social prescribing minimum dataset: one XLSX (a sheet per group, the
activities referred to, and the data dictionary) and a CSV per table, all or nothing."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Callable, Sequence
from pathlib import Path

from arrs_desktop.domain.periods import Period
from arrs_desktop.private_files import (
    StagedFile,
    private_dir,
    refuse_caseload,
    stage_private_file,
)
from arrs_desktop.reports.export import _csv_writer, _workbook_writer
from arrs_desktop.reports.extract import pseudonym
from arrs_desktop.reports.standards_records import dataset_for
from arrs_desktop.reports.tables import ReportTable
from arrs_desktop.standards.measures import ONS4, MeasureDefinition


def dataset_workbook_name(period: Period) -> str:
    """Return the file name of the dataset's workbook for a period."""
    return f"minimum-dataset-{period.start.isoformat()}-{period.end.isoformat()}.xlsx"


def dataset_tables(store, period: Period,
                   definitions: Sequence[MeasureDefinition] = (ONS4,),
                   salt: str | None = None) -> list[ReportTable]:
    """Return the dataset's tables for the episodes open in a period (the dictionary last).

    People who have not agreed to share appear under a salted pseudonym, stable within one
    export, with no identifiers and no free text.
    """
    salt = salt or secrets.token_hex(16)
    dataset = dataset_for(store, period.start, period.end,
                          reference=lambda person_id: pseudonym(person_id, salt),
                          definitions=definitions)
    return dataset.report_tables()


def export_minimum_dataset(store, period: Period, out_dir: Path,
                           definitions: Sequence[MeasureDefinition] = (ONS4,),
                           progress: Callable[[str], None] | None = None) -> list[Path]:
    """Write the workbook and a CSV per table into a folder; return the files written.

    Every file is private; all are staged first and put in place only when each is
    complete, so a failure leaves the folder as it was.
    """
    out_dir = Path(out_dir)
    tables = dataset_tables(store, period, definitions)
    workbook = out_dir / dataset_workbook_name(period)
    csvs = [(t, out_dir / f"{t.name}_{period.slug()}.csv") for t in tables]
    for target in (workbook, *(p for _t, p in csvs)):
        refuse_caseload(target, getattr(store, "path", None))
    made = [f for f in (out_dir, *out_dir.parents) if not f.exists()]
    private_dir(out_dir)
    staged: list[StagedFile] = []
    written: list[Path] = []
    try:
        if progress is not None:
            progress("Minimum dataset workbook")
        staged.append(stage_private_file(workbook, _workbook_writer(tables, period, None)))
        for table, path in csvs:
            if progress is not None:
                progress(table.title)
            staged.append(stage_private_file(path, _csv_writer(table)))
        while staged:
            written.append(staged[0].commit())
            staged.pop(0)
        return written
    finally:
        for leftover in staged:
            leftover.discard()
        if not written:
            for folder in made:
                with contextlib.suppress(OSError):
                    folder.rmdir()
