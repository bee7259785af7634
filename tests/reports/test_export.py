"""Exports re-read and compared with the report tables and the database."""

import csv
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from arrs_desktop.cli import main
from arrs_desktop.domain.periods import Period, ReportFilter
from arrs_desktop.reports.export import (
    SHEET_NAME_MAX,
    XLSX_HEADER_ROW,
    export_reports,
    file_name,
    period_text,
    sheet_name,
    workbook_name,
)
from arrs_desktop.reports.extract import people_extract
from arrs_desktop.reports.report_set import report_set
from arrs_desktop.reports.tables import ReportTable
from tests.db_helpers import sql_rows
from tests.fixture_caseload import OCTOBER, build_fixture

HEADER = XLSX_HEADER_ROW  # rows above it: title, period, note


@pytest.fixture
def fx(store):
    return build_fixture(store)


def _csv(path):
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def _as_text(value):
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def test_csv_export_matches_the_report(store, fx, tmp_path):
    files = export_reports(store, OCTOBER, tmp_path / "out", "csv", today=date(2026, 1, 1))
    report = report_set(store.reports, OCTOBER, today=date(2026, 1, 1))
    assert len(files) == len(report.tables) + 1
    for table in report.tables:
        rows = _csv(tmp_path / "out" / file_name(table, OCTOBER, "csv"))
        assert rows[0] == list(table.columns)
        assert rows[1:] == [[_as_text(v) for v in r] for r in table.rows]
    caseload = _csv(tmp_path / "out" / f"caseload_{OCTOBER.slug()}.csv")
    assert ["Social Prescribing Link Worker", "Wendy", "2", "1", "1", "4.0", "0", "0"] in caseload


def test_people_extract_csv_against_the_database(store, fx, tmp_path):
    files = export_reports(store, OCTOBER, tmp_path, "csv")
    extract = next(f for f in files if f.name.startswith("people_extract"))
    rows = _csv(extract)
    header, body = rows[0], rows[1:]
    assert header[0] == "Demographics: Record ID"
    assert "Outcomes: ONS4 anxiety first (lower is better)" in header
    idx = {h: i for i, h in enumerate(header)}
    db_episodes = {r["id"]: r for r in sql_rows(store, "SELECT * FROM episodes")}
    for row in body:
        ep = db_episodes[row[idx["Demographics: Record ID"]]]
        assert row[idx["Needs and concerns: Referral date"]] == ep["referral_date"]
        person = store.people.get(ep["person_id"])
        if row[idx["Demographics: Identifiable"]] == "Yes":
            assert row[idx["Demographics: Name"]] == person.name
        else:
            assert row[idx["Demographics: Name"]] == ""
            assert person.name not in ",".join(row)
    text = extract.read_text(encoding="utf-8-sig")
    assert "Eve Evans" not in text and "9999999999" not in text and "LS2 9ZZ" not in text


def _sheet_table(ws):
    """Return a sheet's header and data rows as values (data starts under the header)."""
    header = [c.value for c in ws[HEADER]]
    body = [[c.value for c in row] for row in ws.iter_rows(min_row=HEADER + 1)]
    return header, body


def _as_cell(value):
    return datetime(value.year, value.month, value.day) if isinstance(value, date) else value


def test_xlsx_export_has_typed_cells_and_a_frozen_bold_header(store, fx, tmp_path):
    files = export_reports(store, OCTOBER, tmp_path, "xlsx", today=date(2026, 1, 1))
    assert all(f.suffix == ".xlsx" for f in files)
    wb = load_workbook(tmp_path / f"care_homes_{OCTOBER.slug()}.xlsx")
    ws = wb.active
    assert ws.title == "Care homes"
    assert ws["A1"].value == "Care-home contacts" and ws["A1"].font.bold
    assert ws["A2"].value == "1 Oct 2025 – 31 Oct 2025"
    assert ws["A3"].value.startswith("Overdue means")
    assert [c.value for c in ws[HEADER]] == ["Care home", "Contacts in period",
                                             "Latest contact", "Next contact due", "Status"]
    assert all(c.font.bold for c in ws[HEADER])
    assert ws.freeze_panes == f"A{HEADER + 1}"
    assert ws[f"A{HEADER + 1}"].value == "Ash House"
    assert ws[f"B{HEADER + 1}"].value == 2 and isinstance(ws[f"B{HEADER + 1}"].value, int)
    latest = ws[f"C{HEADER + 1}"]
    assert isinstance(latest.value, datetime) and latest.value.date() == date(2025, 10, 20)
    assert latest.number_format == "DD/MM/YYYY"
    assert ws.column_dimensions["A"].width >= len("Birch Court")
    wb = load_workbook(tmp_path / f"people_extract_{OCTOBER.slug()}.xlsx")
    ws = wb.active
    header, body = _sheet_table(ws)
    referral = header.index("Needs and concerns: Referral date")
    assert body and all(isinstance(r[referral], datetime) for r in body)
    names = {r[header.index("Demographics: Name")] for r in body}
    assert "Eve Evans" not in names and "Ann Archer" in names
    ons4 = load_workbook(tmp_path / f"ons4_change_{OCTOBER.slug()}.xlsx").active
    first_row = HEADER + 1
    assert ons4[f"G{first_row}"].value == 2.5 and isinstance(ons4[f"G{first_row}"].value, float)
    assert ons4[f"G{first_row}"].number_format == "0.00"
    months = load_workbook(tmp_path / f"contacts_by_month_{OCTOBER.slug()}.xlsx").active
    assert months[f"A{first_row}"].value == datetime(2025, 10, 1)
    assert months[f"A{first_row}"].number_format == "MMM YYYY"


def test_xlsx_workbook_holds_every_table_matching_the_report(store, fx, tmp_path):
    files = export_reports(store, OCTOBER, tmp_path, "xlsx", today=date(2026, 1, 1))
    report = report_set(store.reports, OCTOBER, today=date(2026, 1, 1))
    tables = [*report.tables, people_extract(store.reports, OCTOBER, None)]
    combined = tmp_path / workbook_name(OCTOBER)
    assert combined.name == "arrs-reports-2025-10-01-2025-10-31.xlsx"
    assert files[-1] == combined and len(files) == len(tables) + 1
    wb = load_workbook(combined)
    names = wb.sheetnames
    assert len(names) == len(tables) == len({n.lower() for n in names})
    assert all(len(n) <= SHEET_NAME_MAX and not set(n) & set("[]:*?/\\") for n in names)
    assert names[:3] == ["Summary", "Caseload", "Contacts"]
    assert "People extract" in names and "ONS4 change" in names
    for table, name in zip(tables, names, strict=True):
        ws = wb[name]
        assert ws["A1"].value == table.title and ws["A2"].value == period_text(OCTOBER)
        assert ws.freeze_panes == f"A{HEADER + 1}"
        header, body = _sheet_table(ws)
        assert header == list(table.columns)
        if table.name == "people_extract":
            continue  # its reference is salted per export: compared with the database below
        assert body == [[_as_cell(v) for v in row] for row in table.rows], table.name
        # The file of the table alone holds the same sheet.
        alone = load_workbook(tmp_path / file_name(table, OCTOBER, "xlsx"))
        assert alone.sheetnames == [name]
        assert _sheet_table(alone.active) == (header, body)
    # The extract sheet, checked against the database.
    header, body = _sheet_table(wb["People extract"])
    idx = {h: i for i, h in enumerate(header)}
    db_episodes = {r["id"]: r for r in sql_rows(store, "SELECT * FROM episodes")}
    assert len(body) == len(tables[-1].rows)
    for row in body:
        ep = db_episodes[row[idx["Demographics: Record ID"]]]
        referral = row[idx["Needs and concerns: Referral date"]]
        assert referral.date().isoformat() == ep["referral_date"]
        person = store.people.get(ep["person_id"])
        assert row[idx["Demographics: Name"]] == (
            person.name if row[idx["Demographics: Identifiable"]] == "Yes" else None)


def test_sheet_names_are_short_valid_and_unique():
    long = ReportTable("new_table", "People with a first 'Referral to social prescribing"
                       " service' code: [by worker]/month?", ("A",), ())
    name = sheet_name(long)
    assert len(name) <= SHEET_NAME_MAX and not set(name) & set("[]:*?/\\'")
    assert name == "People with a first Referral to"  # cut between words
    again = sheet_name(long, [name])
    assert again != name and len(again) <= SHEET_NAME_MAX and again.endswith("(2)")
    assert sheet_name(ReportTable("caseload", "Caseload", ("A",), ()), ["caseload"]) == \
        "Caseload (2)"


def test_period_row_reads_as_days():
    assert period_text(Period.custom(date(2026, 11, 1), date(2026, 11, 30))) == \
        "1 Nov 2026 – 30 Nov 2026"


def test_xlsx_period_row_names_the_filter(store, fx, tmp_path):
    export_reports(store, OCTOBER, tmp_path, "xlsx", ReportFilter(role="cc"))
    ws = load_workbook(tmp_path / workbook_name(OCTOBER))["Caseload"]
    assert ws["A2"].value == "1 Oct 2025 – 31 Oct 2025 · Care Coordinator only"


@pytest.mark.parametrize("worker", ["\x1f", "Sam\x00Worker", "a\x0bb\x0c"])
def test_xlsx_takes_a_filter_with_control_characters(store, fx, tmp_path, worker):
    """XML cannot hold most control characters: each is shown as a replacement mark."""
    export_reports(store, OCTOBER, tmp_path, "xlsx", ReportFilter(worker=worker))
    ws = load_workbook(tmp_path / workbook_name(OCTOBER))["Caseload"]
    expected = "".join("\ufffd" if ord(ch) < 32 else ch for ch in worker)
    assert ws["A2"].value == f"1 Oct 2025 – 31 Oct 2025 · worker {expected} only"


def test_export_filtered_to_a_role(store, fx, tmp_path):
    export_reports(store, OCTOBER, tmp_path, "csv", ReportFilter(role="cc"))
    rows = _csv(tmp_path / f"people_extract_{OCTOBER.slug()}.csv")
    assert len(rows) == 2 and rows[1][rows[0].index("Support offered: Role")] == \
        "Care Coordinator"


def test_arrs_export_command(store, fx, db_path, tmp_path, capsys):
    out = tmp_path / "reports"
    code = main(["export", "--db", str(db_path), "--out", str(out), "--from", "2025-10-01",
                 "--to", "2025-10-31", "--format", "xlsx"])
    assert code == 0
    assert (out / f"summary_{OCTOBER.slug()}.xlsx").exists()
    assert (out / f"people_extract_{OCTOBER.slug()}.xlsx").exists()
    assert (out / "arrs-reports-2025-10-01-2025-10-31.xlsx").exists()
    assert "Wrote 13 files" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--from", "01/10/2025", "--to", "2025-10-31"], "--from"),
        (["--from", "2025-10-01", "--to", "tomorrow"], "--to"),
        (["--from", "2025-10-31", "--to", "2025-10-01"], "before --from"),
        (["--to", "2025-10-31"], "--to needs --from"),
    ],
)
def test_arrs_export_rejects_bad_dates(store, db_path, tmp_path, capsys, args, needle):
    code = main(["export", "--db", str(db_path), "--out", str(tmp_path / "o"), *args])
    assert code == 2
    assert needle in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_arrs_export_missing_database(tmp_path, capsys):
    assert main(["export", "--db", str(tmp_path / "nope.db"), "--out", str(tmp_path)]) == 1
    assert "does not exist" in capsys.readouterr().err
