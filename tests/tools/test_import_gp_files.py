"""Imports of people as GP systems (EMIS Web, SystmOne) really export them."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date

import pytest

from arrs_desktop.cli import main
from arrs_desktop.domain.validation import nhs_check_digit
from arrs_desktop.store import StoreFullError, open_store
from arrs_desktop.tools import importer
from arrs_desktop.tools.importer import import_people, parse_date_of_birth
from tests.db_helpers import sql_rows, sql_scalar

TODAY = date(2026, 12, 1)
HEADER = "nhs_number,name,date_of_birth,postcode,gender\n"


def nhs(n: int) -> str:
    """Return the n-th valid NHS number of a test range."""
    i = 400_000_000
    found = 0
    while True:
        i += 1
        check = nhs_check_digit(str(i))
        if check is not None:
            found += 1
            if found == n:
                return f"{i}{check}"


def _write(tmp_path, content, name="search.csv"):
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def _people(db_path):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT name, nhs_number, date_of_birth FROM people ORDER BY name"
                            ).fetchall()
    finally:
        conn.close()


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def run(store, tmp_path):
    def run_import(content, **kw):
        kw.setdefault("today", TODAY)
        return import_people(store, _write(tmp_path, content), **kw)
    return run_import


# -- dates of birth ------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "03/02/1950", "3/2/1950", "03-02-1950", "03.02.1950", "03-Feb-1950", "3-feb-1950",
    "03-FEB-1950", "3 Feb 1950", "3 February 1950", "03 Feb. 1950", "3 Feb, 1950",
    "03Feb1950", "1950-02-03", "03/02/50", "3-Feb-50", "03/02/1950 00:00",
    "03/02/1950 00:00:00", "1950-02-03T00:00:00", " 03/02/1950 ",
])
def test_dates_of_birth_in_every_gp_form(text):
    assert parse_date_of_birth(text, TODAY) == date(1950, 2, 3)


def test_september_as_sept():
    assert parse_date_of_birth("3 Sept 1950", TODAY) == date(1950, 9, 3)


@pytest.mark.parametrize(("text", "words"), [
    ("31/02/1950", ["31/02/1950 does not exist", "February 1950 has 28 days"]),
    ("29/02/1951", ["does not exist", "February 1951 has 28 days"]),
    ("31-Apr-1950", ["does not exist", "April 1950 has 30 days"]),
    ("00/01/1950", ["does not exist", "January 1950 has 31 days"]),
    ("03/13/1950", ["does not exist", "no month 13", "day first"]),
    ("03/02/15", ["could be 1915 or 2015", "write the year in full"]),
    ("01/01/26", ["could be 1926 or 2026"]),
    ("3 Fbe 1950", ["'Fbe' is not a month"]),
    ("Feb 3 1950", ["is not a date written as"]),
    ("01/99999999999/1950", ["is not a date written as"]),
    ("99999999999/01/1950", ["is not a date written as"]),
    ("1950/02/03", ["is not a date written as"]),
    ("next Tuesday", ["is not a date written as"]),
])
def test_dates_that_cannot_be_a_date_of_birth_say_why(text, words):
    with pytest.raises(ValueError) as info:
        parse_date_of_birth(text, TODAY)
    for word in words:
        assert word in str(info.value)


def test_a_two_digit_year_is_taken_when_only_one_century_is_in_the_past():
    assert parse_date_of_birth("31/12/26", TODAY) == date(1926, 12, 31)  # 2026-12-31 is ahead
    assert parse_date_of_birth("01/01/27", TODAY) == date(1927, 1, 1)
    assert parse_date_of_birth("29/02/00", TODAY) is not None  # 2000 only: 1900 not leap
    assert parse_date_of_birth("29/02/00", TODAY) == date(2000, 2, 29)


def test_every_bad_row_gets_its_line_and_the_reason(run):
    text = (HEADER
            + f"{nhs(1)},Ann Archer,03-Feb-1950,LS1 4AP,F\n"          # 2 ok
            + f"{nhs(2)},Bob Baker,31/02/1950,LS1 4AP,M\n"            # 3 no such date
            + f"{nhs(3)},Cat Carter,01/99999999999/1950,LS1 4AP,F\n"  # 4 not a date
            + f"{nhs(4)},Dan Dale,03/02/15,LS1 4AP,M\n"               # 5 two-digit year
            + ",Eve Evans,3 Feb 1950,LS1 4AP,F\n"                    # 6 no NHS number
            + f"{nhs(6)},,3 Feb 1950,LS1 4AP,F\n"                     # 7 no name
            + f"{nhs(7)},Fay Field,,LS1 4AP,F\n"                      # 8 no date of birth
            + ",,,LS1 4AP,F\n"                                        # 9 none of the three
            + f"{nhs(8)},Gus Green,3 Feb 1950,LS1 4AP\n"              # 10 too few values
            + f"{nhs(9)},Hal Hill,3 Feb 1950,LS1 4AP,M,extra\n"       # 11 too many
            + f"{nhs(10)},Ida Ince,3 Feb 1950,NOT A CODE,F\n"         # 12 postcode
            + f"{nhs(11)},Jon Jones,3 Feb 1950,LS1 4AP,wizard\n"      # 13 gender
            + "9.43E+09,Kim Khan,3 Feb 1950,LS1 4AP,F\n"              # 14 spreadsheet number
            + f"{nhs(1)},Ann Again,3 Feb 1950,LS1 4AP,F\n"            # 15 same NHS as line 2
            + f"{nhs(12)},Lee Lewis,3 Feb 2999,LS1 4AP,M\n")          # 16 future
    result = run(text)
    assert result.imported == 1
    got = {p.line: p.message for p in result.problems}
    assert sorted(got) == list(range(3, 17))
    assert "31/02/1950 does not exist" in got[3]
    assert got[4].startswith("date_of_birth: '01/99999999999/1950' is not a date")
    assert "could be 1915 or 2015" in got[5]
    assert got[6] == "nhs_number: is required"
    assert got[7] == "name: is required"
    assert got[8] == "date_of_birth: is required"
    assert got[9] == ("nhs_number: is required; name: is required; "
                      "date_of_birth: is required")
    assert got[10] == "has 4 values but the header has 5 columns (is a comma missing?)"
    assert got[11] == "has 6 values but the header has 5 columns"
    assert got[12].startswith("postcode: is not a UK postcode")
    assert got[13].startswith("gender: 'wizard' is not recognised")
    assert "spreadsheet turned the NHS number into a number" in got[14]
    assert got[15].startswith("nhs_number: ") and "same NHS number as line 2" in got[15]
    assert got[16] == "date_of_birth: cannot be in the future"


def test_nhs_numbers_with_spaces_or_dashes(run, store):
    a, b, c = nhs(1), nhs(2), nhs(3)
    result = run(HEADER + f"{a[:3]} {a[3:6]} {a[6:]},Ann Archer,1950-02-03,,F\n"
                 + f"{b[:3]}-{b[3:6]}-{b[6:]},Bob Baker,1950-02-03,,M\n"
                 + f" {c} ,Cat Carter,1950-02-03,,F\n")
    assert result.ok, result.problems
    assert sorted(r["nhs_number"] for r in sql_rows(store, "SELECT nhs_number FROM people")) == \
        sorted([a, b, c])


# -- text ----------------------------------------------------------------------------------------

ZOE = "Zoë Adams"


@pytest.mark.parametrize(("raw", "encoding"), [
    ((HEADER + f"{nhs(1)},{ZOE},1950-02-03,,F\n").encode("utf-8"), "UTF-8"),
    (b"\xef\xbb\xbf" + (HEADER + f"{nhs(1)},{ZOE},1950-02-03,,F\n").encode("utf-8"), "UTF-8"),
    ((HEADER + f"{nhs(1)},{ZOE},1950-02-03,,F\n").encode("cp1252"), "Windows-1252"),
    ((HEADER + f"{nhs(1)},“Zoë” Adams – Smith,1950-02-03,,F\n").encode("cp1252"),
     "Windows-1252"),
])
def test_utf8_with_or_without_bom_and_windows_1252(run, store, raw, encoding):
    result = run(raw)
    assert result.ok, (result.file_error, result.problems)
    assert result.encoding == encoding
    name = sql_rows(store, "SELECT name FROM people")[0]["name"]
    assert "Zoë" in name and "Ã" not in name


def test_a_file_mixing_utf8_and_windows_1252_is_refused_naming_the_line(run, store, db_path):
    raw = (HEADER.encode() + f"{nhs(1)},{ZOE},1950-02-03,,F\n".encode()
           + f"{nhs(2)},Bob Baker,1950-02-03,,M\n".encode()
           + f"{nhs(3)},Siân Jones,1950-02-03,,F\n".encode("cp1252"))
    before = store.audit.count()
    result = run(raw)
    assert result.imported == 0
    assert "mixes two kinds of text" in result.file_error
    assert "line 2 is UTF-8 but line 4 is not" in result.file_error
    assert store.audit.count() == before and store.people.count() == 0


@pytest.mark.parametrize(("raw", "words"), [
    (b"\xef\xbb\xbf" + HEADER.encode() + b"4000000012,Zo\xeb Adams,1950-02-03,,F\n",
     "line 2 is not"),
    (HEADER.encode() + b"4000000012,Bad \x81 Byte,1950-02-03,,F\n",
     "line 2 is neither UTF-8 nor Windows-1252"),
    ("\ufeffnhs_number,name".encode("utf-16"), "UTF-16"),
    (b"PK\x03\x04\x14\x00\x06\x00", "spreadsheet workbook"),
    (HEADER.encode() + b"4000000012,Nul\x00Name,1950-02-03,,F\n", "line 2 holds a NUL byte"),
    (HEADER.encode() + b'4000000012,"' + b"x" * 200_000 + b'",1950-02-03,,F\n',
     "line 2 cannot be read as CSV"),
])
def test_files_that_are_not_readable_text_are_refused(run, store, raw, words):
    result = run(raw)
    assert result.file_error and words in result.file_error, result.file_error
    assert store.people.count() == 0


# -- headers -------------------------------------------------------------------------------------

@pytest.mark.parametrize("header", [
    "NHS Number,Name,Date of Birth,Postcode,Gender,Loneliness",
    "  nhs_NUMBER , NAME ,date_of_birth, POST CODE ,gender,LONELINESS",
    "NHS No,Patient Name,DOB,Post code,Sex,loneliness",
    "nhs-number,name,date-of-birth,postcode,gender,lone_liness",
])
def test_header_names_in_any_case_and_spacing(run, store, header):
    result = run(f"{header}\n{nhs(1)},Ann Archer,03/02/1950,LS1 4AP,F,yes\n")
    assert result.ok, (result.file_error, result.problems)
    person_id = sql_rows(store, "SELECT id FROM people")[0]["id"]
    assert store.needs.current(person_id) == {"loneliness"}


def test_forename_and_surname_columns_make_the_name(run, store):
    result = run(f"NHS Number,Surname,Forename,Date of Birth,Postcode,Sex\n"
                 f"{nhs(1)},Archer,Ann,03/02/1950,LS1 4AP,F\n")
    assert result.ok, (result.file_error, result.problems)
    assert sql_rows(store, "SELECT name FROM people")[0]["name"] == "Ann Archer"


@pytest.mark.parametrize(("header", "words"), [
    ("nhs_number,NHS Number,name,date_of_birth,postcode,gender", "two columns mean nhs_number"),
    ("nhs_number,name,date_of_birth,postcode,gender,lonelyness",
     "lonelyness (did you mean loneliness?)"),
    ("nhs_number,name,postcode,gender", "missing column(s): date_of_birth"),
    ("nhs_number,forename,date_of_birth,postcode,gender", "missing column(s): surname"),
])
def test_headers_that_cannot_be_matched_are_refused(run, header, words):
    result = run(header + "\n")
    assert result.file_error and words in result.file_error, result.file_error


def test_line_numbers_count_a_value_that_spans_lines(run):
    result = run(HEADER + f'{nhs(1)},"Ann\nArcher",1950-02-03,,F\n'
                 + f"{nhs(2)},Bob Baker,31/02/1950,,M\n")
    assert [(p.line, p.message.split(":")[0]) for p in result.problems] == \
        [(2, "name"), (4, "date_of_birth")]


def test_blank_lines_and_trailing_commas_are_fine(run):
    result = run("nhs_number,name,date_of_birth,postcode,gender,\n\n"
                 f"{nhs(1)},Ann Archer,1950-02-03,,F,\n\n"
                 f"{nhs(2)},Bob Baker,1950-02-03,,M,,,\n")
    assert result.ok and result.imported == 2, (result.file_error, result.problems)


# -- all or nothing ------------------------------------------------------------------------------

def test_a_refused_file_changes_neither_the_caseload_nor_the_csv(tmp_path, db_path):
    s = open_store(db_path, user="setup")
    s.close()
    before = _sha(db_path)
    source = _write(tmp_path, (HEADER + f"{nhs(1)},{ZOE},1950-02-03,,F\n").encode()
                    + f"{nhs(2)},{ZOE},1950-02-03,,F\n".encode("cp1252"))
    source_before = _sha(source)
    assert main(["import-people", str(source), "--db", str(db_path)]) == 1
    assert _sha(db_path) == before
    assert _sha(source) == source_before


def test_strict_with_a_bad_row_writes_nothing_at_all(tmp_path, db_path):
    s = open_store(db_path, user="setup")
    s.close()
    before = _sha(db_path)
    source = _write(tmp_path, HEADER + f"{nhs(1)},Ann Archer,1950-02-03,,F\n"
                    + f"{nhs(2)},Bob Baker,31/02/1950,,M\n")
    assert main(["import-people", str(source), "--db", str(db_path), "--strict"]) == 1
    assert _sha(db_path) == before


def test_a_write_failing_half_way_imports_nobody(run, store, monkeypatch):
    real = store.people.add
    calls = []

    def failing(person, **kw):
        calls.append(person)
        if len(calls) == 3:
            raise StoreFullError("The disk is full, so this change was not saved.")
        return real(person, **kw)

    monkeypatch.setattr(store.people, "add", failing)
    text = HEADER + "".join(f"{nhs(i)},Person {i},1950-02-03,,F\n" for i in range(1, 6))
    with pytest.raises(StoreFullError):
        run(text)
    assert store.people.count() == 0


# -- progress ------------------------------------------------------------------------------------

def test_progress_is_reported_every_so_many_rows(run, monkeypatch):
    monkeypatch.setattr(importer, "PROGRESS_EVERY", 10)
    calls = []
    text = HEADER + "".join(f"{nhs(i)},Person {i},1950-02-03,,F\n" for i in range(1, 26))
    result = run(text, progress=lambda done, total: calls.append((done, total)))
    assert result.imported == 25
    assert calls == [(10, 25), (20, 25), (25, 25)]


def test_the_command_prints_a_line_per_ten_thousand_rows(tmp_path, db_path, monkeypatch,
                                                         capsys):
    monkeypatch.setattr(importer, "PROGRESS_EVERY", 10)
    source = _write(tmp_path, HEADER + "".join(f"{nhs(i)},Person {i},1950-02-03,,F\n"
                                               for i in range(1, 26)))
    assert main(["import-people", str(source), "--db", str(db_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["Read 25 rows of search.csv (UTF-8).",
                   "  10 of 25 rows…", "  20 of 25 rows…", "  25 of 25 rows…",
                   "Imported 25 people."]


def test_the_command_reports_the_file_problem_in_one_line(tmp_path, db_path, capsys):
    source = _write(tmp_path, "name,date_of_birth\n")
    assert main(["import-people", str(source), "--db", str(db_path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("arrs import-people: missing column(s)")


def test_windows_line_endings_and_quoted_values(run, store):
    raw = ("NHS Number,Name,Date of Birth,Postcode,Gender\r\n"
           f'"{nhs(1)}","Archer, Ann","03/02/1950","LS1 4AP","F"\r\n'
           f"{nhs(2)},Bob Baker,31/02/1950,,M\r\n").encode("cp1252")
    result = run(raw)
    assert result.imported == 1 and [p.line for p in result.problems] == [3]
    assert sql_rows(store, "SELECT name FROM people")[0]["name"] == "Archer, Ann"


def test_a_bulk_batch_has_a_large_page_cache_only_while_it_lasts(store):
    from arrs_desktop.store.writer import BATCH_CACHE_KIB

    def cache():
        return sql_scalar(store, "PRAGMA cache_size")

    before = cache()
    with store.batch():
        assert cache() == -BATCH_CACHE_KIB
        with store.batch():  # a savepoint inside: the cache stays as it is
            assert cache() == -BATCH_CACHE_KIB
    assert cache() == before
    with pytest.raises(RuntimeError), store.batch():
        raise RuntimeError("rolled back")
    assert cache() == before


def test_a_refused_file_does_not_even_create_the_caseload(tmp_path, capsys):
    new = tmp_path / "new.db"
    missing = tmp_path / "no-such.csv"
    assert main(["import-people", str(missing), "--db", str(new)]) == 1
    bad = _write(tmp_path, "name,date_of_birth\nA,1950-01-01\n")
    assert main(["import-people", str(bad), "--db", str(new)]) == 1
    strict = _write(tmp_path, HEADER + f"{nhs(1)},Bob Baker,31/02/1950,,M\n", "strict.csv")
    assert main(["import-people", str(strict), "--db", str(new), "--strict"]) == 1
    assert not new.exists() and not (tmp_path / "backups").exists()
