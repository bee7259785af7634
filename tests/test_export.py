"""Exports re-read and compared with the report tables and the database."""

import csv
from datetime import date, datetime

import pytest
from fixture_caseload import OCTOBER, build_fixture
from openpyxl import load_workbook

from arrs_desktop.cli import main
from arrs_desktop.export import export_reports, file_name
from arrs_desktop.reports import ReportFilter


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
    report = store.report_set(OCTOBER, today=date(2026, 1, 1))
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
    db_episodes = {r["id"]: r for r in store._rows("SELECT * FROM episodes")}
    for row in body:
        ep = db_episodes[row[idx["Demographics: Record ID"]]]
        assert row[idx["Needs and concerns: Referral date"]] == ep["referral_date"]
        person = store.get_person(ep["person_id"])
        if row[idx["Demographics: Identifiable"]] == "Yes":
            assert row[idx["Demographics: Name"]] == person.name
        else:
            assert row[idx["Demographics: Name"]] == ""
            assert person.name not in ",".join(row)
    text = extract.read_text(encoding="utf-8-sig")
    assert "Eve Evans" not in text and "9999999999" not in text and "LS2 9ZZ" not in text


def test_xlsx_export_has_typed_cells_and_a_frozen_bold_header(store, fx, tmp_path):
    files = export_reports(store, OCTOBER, tmp_path, "xlsx", today=date(2026, 1, 1))
    assert all(f.suffix == ".xlsx" for f in files)
    wb = load_workbook(tmp_path / f"care_homes_{OCTOBER.slug()}.xlsx")
    ws = wb.active
    assert [c.value for c in ws[1]] == ["Care home", "Contacts in period", "Latest contact",
                                        "Next contact due", "Status"]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws["A2"].value == "Ash House"
    assert ws["B2"].value == 2 and isinstance(ws["B2"].value, int)
    assert isinstance(ws["C2"].value, datetime) and ws["C2"].value.date() == date(2025, 10, 20)
    wb = load_workbook(tmp_path / f"people_extract_{OCTOBER.slug()}.xlsx")
    ws = wb.active
    header = [c.value for c in ws[1]]
    referral = header.index("Needs and concerns: Referral date")
    assert all(isinstance(r[referral].value, datetime) for r in ws.iter_rows(min_row=2))
    names = {r[header.index("Demographics: Name")].value for r in ws.iter_rows(min_row=2)}
    assert "Eve Evans" not in names and "Ann Archer" in names
    ons4 = load_workbook(tmp_path / f"ons4_change_{OCTOBER.slug()}.xlsx").active
    assert ons4["G2"].value == 2.5 and isinstance(ons4["G2"].value, float)


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
    assert "Wrote 12 files" in capsys.readouterr().out


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
