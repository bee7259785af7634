"""The minimum dataset in the standard's four groups, with its data dictionary."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date

from standards_example import (
    NOTE,
    REASON,
    RECORDS,
    TEAM_CHECK_IN,
    WHAT_MATTERS,
    without_consent,
)

from arrs_desktop.reports import export
from arrs_desktop.standards.dataset import (
    GROUPS,
    ITEMS,
    MANDATORY,
    MUST_HAVE,
    TABLES,
    dictionary_rows,
    minimum_dataset,
)
from arrs_desktop.standards.measures import ONS4


def _ref(person_id: str) -> str:
    return "P-REFERENCE01"


def _row(dataset, table: str, index: int = 0) -> dict[str, object]:
    t = dataset.table(table)
    return dict(zip(t.columns, t.rows[index], strict=True))


def test_the_four_groups_and_their_required_items():
    assert GROUPS == ("Patient demographics", "Needs and concerns", "Support offered",
                      "Outcomes")
    assert [group for _n, group, _t in TABLES] == [
        GROUPS[0], GROUPS[1], GROUPS[2], GROUPS[2], GROUPS[3]]
    required = {i.name: i.obligation for i in ITEMS if i.obligation in (MANDATORY, MUST_HAVE)}
    assert required == {"NHS number": MANDATORY, "Name": MANDATORY, "Date of birth": MANDATORY,
                        "Address": MANDATORY, "Postcode": MANDATORY, "Gender": MUST_HAVE,
                        "Ethnicity": MUST_HAVE}
    assert all(i.withheld for i in ITEMS if i.obligation == MANDATORY)


def test_rows_per_group_for_a_link_worker_episode():
    ds = minimum_dataset([RECORDS], up_to=date(2026, 4, 30), reference=_ref,
                         definitions=(ONS4, TEAM_CHECK_IN))
    person = _row(ds, "msd_demographics")
    assert person["Record ID"] == "ep-1" and person["Person reference"] == "person-ann"
    assert (person["NHS number"], person["Name"], person["Date of birth"]) == (
        "9434765919", "Ann Archer", date(1948, 5, 17))
    assert person["Address"] == "12 Mill Lane, Riverside" and person["Postcode"] == "LS1 4AP"
    assert (person["Gender"], person["Ethnicity"], person["Age at referral"]) == (
        "Female", "White: British", 77)
    assert person["Communication needs"] == "Hearing loss: Hard of hearing: face her when " \
                                            "speaking"
    needs = _row(ds, "msd_needs")
    assert needs["Needs and concerns"] == "Lonely or isolated; Mental health needs"
    assert needs["What matters to the person"] == WHAT_MATTERS
    assert needs["Reason for referral"] == REASON
    assert needs["Referrer"] == "GP, Riverside Surgery" and needs["Urgency"] == "Routine"
    support = _row(ds, "msd_support")
    assert (support["Role"], support["Contacts"], support["Contact minutes"],
            support["Missed contacts"]) == ("Social Prescribing Link Worker", 3, 135, 1)
    assert support["Days from referral to first contact"] == 7
    assert support["Activities referred to"] == ("Tuesday Lunch Club (Attended); Riverside "
                                                 "Allotment Society (Pending)")
    assert support["Activities attended"] == 1 and support["Closure reason"] == "Goals met"
    activities = ds.table("msd_activities").rows
    assert activities == (
        ("ep-1", "person-ann", "Tuesday Lunch Club", "Befriending", "Attended",
         date(2026, 1, 12), date(2026, 2, 9)),
        ("ep-1", "person-ann", "Riverside Allotment Society", "Nature & gardening", "Pending",
         date(2026, 2, 9), None))
    outcomes = _row(ds, "msd_outcomes")
    assert (outcomes["Goals set"], outcomes["Goals achieved"], outcomes["Mean goal change"]
            ) == (1, 1, 7.0)
    assert outcomes["ONS4 life satisfaction first"] == 3
    assert outcomes["ONS4 life satisfaction latest"] == 7
    assert outcomes["ONS4 anxious yesterday latest (lower is better)"] == 3
    assert outcomes["TCI tense first (lower is better)"] == 5
    assert (outcomes["TCI total first"], outcomes["TCI total latest"]) == (3, 8)
    for table in ds.tables:  # nothing of the session notes reaches the dataset
        assert all(NOTE not in str(v) for row in table.rows for v in row)


def test_as_known_on_an_earlier_day():
    ds = minimum_dataset([RECORDS], up_to=date(2026, 2, 28), reference=_ref)
    support = _row(ds, "msd_support")
    assert support["Contacts"] == 2 and support["Closure date"] is None
    assert support["Closure reason"] is None
    assert _row(ds, "msd_outcomes")["Goals achieved"] == 0
    assert _row(ds, "msd_outcomes")["ONS4 happy yesterday latest"] == 2


def test_without_consent_identifiers_and_free_text_are_left_out():
    ds = minimum_dataset([without_consent()], up_to=date(2026, 4, 30), reference=_ref)
    person = _row(ds, "msd_demographics")
    assert person["Person reference"] == "P-REFERENCE01"
    for item in ("NHS number", "Name", "Date of birth", "Address", "Postcode"):
        assert person[item] is None
    assert person["Gender"] == "Female" and person["Age at referral"] == 77
    assert person["Communication needs"] == "Hearing loss"  # the kind, not the free text
    needs = _row(ds, "msd_needs")
    assert needs["What matters to the person"] is None and needs["Reason for referral"] is None
    for table in ds.tables:
        flat = " ".join(str(v) for row in table.rows for v in row)
        for secret in ("Ann Archer", "9434765919", "Mill Lane", "LS1 4AP", "person-ann",
                       WHAT_MATTERS, REASON, "face her"):
            assert secret not in flat, (table.name, secret)
    # Another episode of the same person with consent on still hides them (any episode off).
    other = replace(RECORDS, person_shares=False)
    assert _row(minimum_dataset([other], up_to=date(2026, 4, 30), reference=_ref),
                "msd_demographics")["Name"] is None


def test_the_dictionary_describes_every_column():
    ds = minimum_dataset([RECORDS], up_to=date(2026, 4, 30), reference=_ref,
                         definitions=(ONS4, TEAM_CHECK_IN))
    described = {(row[1], row[2]) for row in ds.dictionary.rows} | {
        ("Every table", "Record ID"), ("Every table", "Person reference")}
    for table in ds.tables:
        for column in table.columns:
            assert (table.title, column) in described or ("Every table", column) in described
    assert all(row[6] for row in dictionary_rows())  # each says how it is derived
    names = [row[2] for row in ds.dictionary.rows]
    assert len(names) == len(set(names))


def test_written_as_one_workbook_and_a_csv_per_group(tmp_path):
    from openpyxl import load_workbook

    ds = minimum_dataset([RECORDS, without_consent(replace(RECORDS, person=replace(
        RECORDS.person, id="person-bob", name="Bob Baker")))], up_to=date(2026, 4, 30),
        reference=_ref)
    tables = ds.report_tables()
    book = export.write_workbook(tables, tmp_path / "dataset.xlsx")
    wb = load_workbook(book)
    assert wb.sheetnames == ["Patient demographics", "Needs and concerns", "Support offered",
                             "Activities referred to", "Outcomes", "Data dictionary"]
    sheet = wb["Patient demographics"]
    header = [c.value for c in sheet[export.XLSX_HEADER_ROW]]
    assert header[:4] == ["Record ID", "Person reference", "NHS number", "Name"]
    assert "Social Prescribing Information Standard" in sheet["A3"].value
    for table in tables:
        path = export.write_csv(table, tmp_path / f"{table.name}.csv")
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        assert tuple(rows[0]) == table.columns and len(rows) == len(table.rows) + 1
