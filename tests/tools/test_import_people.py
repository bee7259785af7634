"""Importing people from a GP system search export."""

from __future__ import annotations

import sqlite3

import pytest

from arrs_desktop.cli import main
from arrs_desktop.store import open_store
from arrs_desktop.tools.importer import import_people
from tests.db_helpers import sql_scalar

GOOD = "9434765919"  # valid check digit
GOOD2 = "9990000018"


def _valid(prefix: str) -> str:
    from arrs_desktop.domain.validation import nhs_check_digit

    for n in range(1000):
        body = f"{prefix}{n:03d}"[:9]
        check = nhs_check_digit(body)
        if check is not None:
            return body + str(check)
    raise AssertionError


def _people(db_path):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT name, nhs_number, date_of_birth, gender FROM people"
                            " ORDER BY name").fetchall()
    finally:
        conn.close()


def _write(tmp_path, text: str):
    path = tmp_path / "search.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_and_bad_rows_are_reported_by_line_and_good_ones_imported(tmp_path, db_path):
    a, b = _valid("999111"), _valid("999222")
    csv_path = _write(tmp_path, (
        "nhs_number,name,date_of_birth,postcode,gender,loneliness,copd\n"
        f"{a},Ada Example,1948-03-02,BF1 2AB,F,yes,\n"              # line 2 ok
        "9434765918,Bad Check,1950-01-01,BF1 2AB,M,,\n"              # line 3 bad nhs
        f"{b},,1950-01-01,BF1 2AB,M,,\n"                             # line 4 no name
        f"{_valid('999333')},Future Born,2999-01-01,BF1 2AB,M,,\n"   # line 5 future dob
        f"{_valid('999444')},Bob Example,02/03/1950,bf12ab,male,1,true\n"  # line 6 ok
        f"{a},Ada Again,1948-03-02,BF1 2AB,F,,\n"                   # line 7 duplicate nhs
    ))
    s = open_store(db_path, user="importer")
    result = import_people(s, csv_path)
    assert result.imported == 2
    assert [(p.line, p.message.split(":")[0]) for p in result.problems] == [
        (3, "nhs_number"), (4, "name"), (5, "date_of_birth"), (7, "nhs_number")]
    assert "line 2" in result.problems[-1].message
    bob = [p for p in _people(db_path) if p[0] == "Bob Example"][0]
    assert bob[2] == "1950-03-02" and bob[3] == "male"
    bob_id = sql_scalar(s, "SELECT id FROM people WHERE name = 'Bob Example'")
    assert s.needs.current(bob_id) == {"loneliness", "copd"}
    s.close()


def test_strict_imports_nothing_when_any_row_fails(tmp_path, db_path):
    csv_path = _write(tmp_path, (
        "nhs_number,name,date_of_birth,postcode,gender\n"
        f"{_valid('999111')},Ada Example,1948-03-02,BF1 2AB,F\n"
        "123,Bad Number,1950-01-01,BF1 2AB,M\n"
    ))
    code = main(["import-people", str(csv_path), "--db", str(db_path), "--strict"])
    assert code == 1
    assert _people(db_path) == []


def test_cli_exit_codes_and_messages(tmp_path, db_path, capsys):
    csv_path = _write(tmp_path, (
        "nhs_number,name,date_of_birth,postcode,gender\n"
        f"{_valid('999111')},Ada Example,1948-03-02,BF1 2AB,F\n"
        f"{_valid('999222')},No Postcode,1950-01-01,,M\n"
    ))
    assert main(["import-people", str(csv_path), "--db", str(db_path)]) == 0
    assert "Imported 2 people" in capsys.readouterr().out
    missing = _write(tmp_path, "nhs_number,name,date_of_birth,postcode,gender\n"
                               ",No Number,1950-01-01,,M\n")
    assert main(["import-people", str(missing), "--db", str(db_path)]) == 1
    assert "line 2: nhs_number: is required" in capsys.readouterr().err
    bad = _write(tmp_path, "nhs_number,name,date_of_birth,postcode,gender\n,Dup,x,,M\n")
    assert main(["import-people", str(bad), "--db", str(db_path)]) == 1
    err = capsys.readouterr().err
    assert "date_of_birth: 'x' is not a date" in err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no header"),
        ("name,date_of_birth\nA,1950-01-01\n", "missing column"),
        ("nhs_number,name,date_of_birth,postcode,gender,wizardry\n", "unknown column"),
    ],
)
def test_bad_files_import_nothing(tmp_path, db_path, text, message):
    s = open_store(db_path)
    result = import_people(s, _write(tmp_path, text))
    assert result.file_error and message in result.file_error
    assert s.people.count() == 0
    s.close()


def test_bad_need_flag_is_reported(tmp_path, db_path):
    s = open_store(db_path)
    result = import_people(s, _write(tmp_path, (
        "nhs_number,name,date_of_birth,postcode,gender,loneliness\n"
        ",Ann,1950-01-01,,F,maybe\n")))
    assert result.imported == 0
    assert result.problems[0].line == 2 and "loneliness" in result.problems[0].message
    s.close()
