"""Report tables as the window and the exports show them: titled columns of plain values."""

from __future__ import annotations

from dataclasses import dataclass, field

from arrs_desktop.domain.periods import Period, ReportFilter

ALL_ROLES = "All roles"

ALL_WORKERS = "All workers"

NO_WORKER = "(no worker recorded)"

@dataclass(frozen=True)
class ReportTable:
    """One named report table: column headers and rows of plain values."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]
    note: str = ""

    def column(self, header: str) -> list:
        """Return every value of one column."""
        i = self.columns.index(header)
        return [row[i] for row in self.rows]

    def find(self, where: dict) -> tuple | None:
        """Return the first row whose named columns hold the given values."""
        idx = {self.columns.index(k): v for k, v in where.items()}
        for row in self.rows:
            if all(row[i] == v for i, v in idx.items()):
                return row
        return None

    def value(self, header: str, where: dict):
        """Return one cell: the column `header` of the first row matching `where`."""
        row = self.find(where)
        if row is None:
            raise KeyError(f"{self.name}: no row matching {where}")
        return row[self.columns.index(header)]

@dataclass(frozen=True)
class ReportSet:
    """Every report table for one period and filter."""

    period: Period
    filter: ReportFilter = field(default_factory=ReportFilter)
    tables: tuple[ReportTable, ...] = ()

    def table(self, name: str) -> ReportTable:
        """Return the table with this name."""
        for t in self.tables:
            if t.name == name:
                return t
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        """Return the names of the tables, in order."""
        return [t.name for t in self.tables]
