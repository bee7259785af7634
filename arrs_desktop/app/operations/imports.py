"""Importing people from a GP system search (the CSV is read by tools/importer.py)."""

from __future__ import annotations

from arrs_desktop.app.changes import Changes, OpResult
from arrs_desktop.store import Store
from arrs_desktop.tools.importer import ImportResult, ParsedRow, Progress, save_rows


def import_people(store: Store, result: ImportResult, rows: list[ParsedRow], *,
                  strict: bool = False,
                  progress: Progress | None = None) -> OpResult[ImportResult]:
    """Save the people (and their needs) a checked file holds, in one transaction; each
    refused row is reported in the result. With `strict`, nothing is saved if any fails."""
    saved = save_rows(store, result, rows, strict=strict, progress=progress)
    return OpResult(saved, Changes(people=True, needs=True, caseload=True,
                                   audit=saved.imported > 0))
