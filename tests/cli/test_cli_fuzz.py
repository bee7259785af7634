"""Fuzz what comes from outside: GP-system files into the importer, arguments into `arrs`.

Nothing but the app's own messages may come out (no traceback, no "unexpected error"; an
argparse usage error is fine), and an input that is refused changes nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from arrs_desktop.cli import EXIT_INTERNAL, main
from arrs_desktop.domain.catalogue import NEED_IDS, ROLE_CODES
from arrs_desktop.domain.validation import nhs_check_digit
from arrs_desktop.store import open_store
from arrs_desktop.tools.importer import (
    DATE_FORMS,
    FileRefused,
    decode,
    import_people,
    parse_date_of_birth,
)
from tests.db_helpers import sql_rows

FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
TODAY = date(2026, 12, 1)


def _valid_nhs(i: int) -> str:
    while True:
        i += 1
        check = nhs_check_digit(f"{i:09d}"[-9:])
        if check is not None:
            return f"{i:09d}"[-9:] + str(check)


# -- pieces of GP files --------------------------------------------------------------------------

DATE_TEXT = st.one_of(
    st.dates(min_value=date(1890, 1, 1), max_value=date(2030, 12, 31)).flatmap(
        lambda d: st.sampled_from([
            d.strftime("%d/%m/%Y"), d.strftime("%d-%b-%Y"), f"{d.day} {d:%b %Y}",
            d.isoformat(), d.strftime("%d/%m/%y"), d.strftime("%d.%m.%Y"),
            f"{d.day}/{d.month}/{d.year}", d.strftime("%d-%B-%Y"),
        ])),
    st.from_regex(r"\d{1,12}[/.\- ]\d{1,12}[/.\- ]\d{1,12}", fullmatch=True),
    st.from_regex(r"\d{1,3} ?[A-Za-z]{2,10}\.? ?\d{1,5}", fullmatch=True),
    st.sampled_from(["31/02/1950", "01/99999999999/1950", "29/02/00", "00/00/0000",
                     "1950-13-45", "", " ", "9" * 40, "3 Fbe 1950", "12/31/1950"]),
    st.text(max_size=20),
)
NHS_TEXT = st.one_of(
    st.integers(1, 10**6).map(_valid_nhs),
    st.integers(1, 10**6).map(_valid_nhs).map(lambda n: f"{n[:3]} {n[3:6]} {n[6:]}"),
    st.integers(1, 10**6).map(_valid_nhs).map(lambda n: f"{n[:3]}-{n[3:6]}-{n[6:]}"),
    st.from_regex(r"[0-9 \-]{0,14}", fullmatch=True),
    st.sampled_from(["9.43E+09", "9434765919.0", "943 476 5918", ""]),
    st.text(max_size=14),
)
NAME_TEXT = st.one_of(
    st.sampled_from(["Ann Archer", "Zoë Adams", "Siân Ó Briain", "=HYPERLINK(\"x\")",
                     "Ann\u202eSmith", "Zero\u200bWidth", "", "A, B", 'Quote "q"']),
    st.text(max_size=30),
)
CELL = st.one_of(st.text(max_size=12), st.sampled_from(["", "yes", "1", "no", "F", "M", "x"]))
HEADERS = st.lists(
    st.sampled_from(["nhs_number", "NHS Number", "NHS No", "name", "Name", "Forename",
                     "Surname", "date_of_birth", "Date of Birth", "DOB", "postcode",
                     "Post Code", "gender", "Sex", "", "wizardry", *NEED_IDS]),
    min_size=0, max_size=8)
STANDARD = ["NHS Number", "Name", "Date of Birth", "Postcode", "Gender", "loneliness"]


@st.composite
def gp_files(draw) -> bytes:
    """A CSV file as a GP system, Excel or an attacker might write it."""
    header = draw(st.one_of(st.just(STANDARD), HEADERS))
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        row = [draw(NHS_TEXT), draw(NAME_TEXT), draw(DATE_TEXT), draw(st.sampled_from(
            ["LS1 4AP", "", "NOT A CODE", "bf12ab"])), draw(CELL), draw(CELL)]
        cut = draw(st.integers(0, 2))
        rows.append(row[: len(row) - cut] if cut else row)
    out = io.StringIO()
    import csv

    writer = csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(header)
    writer.writerows(rows)
    text = out.getvalue()
    how = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "mixed", "bytes", "utf-16"]))
    if how == "cp1252":
        return text.encode("cp1252", errors="replace")
    if how == "mixed":
        half = len(text) // 2
        return text[:half].encode() + text[half:].encode("cp1252", errors="replace")
    if how == "bytes":
        data = bytearray(text.encode())
        for _ in range(draw(st.integers(1, 5))):
            if data:
                data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    return text.encode(how)


def _dump(store) -> dict:
    return {t: sql_rows(store, f"SELECT * FROM {t} ORDER BY rowid")
            for t in ("people", "needs", "audit_log")}


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory):
    s = open_store(tmp_path_factory.mktemp("fuzz") / "fuzz.db", user="fuzz")
    yield s
    s.close()


@FUZZ
@given(raw=gp_files(), strict=st.booleans())
def test_the_importer_never_raises_and_a_refusal_changes_nothing(fuzz_store, tmp_path, raw,
                                                                 strict):
    source = tmp_path / "search.csv"
    source.write_bytes(raw)
    before = _dump(fuzz_store)
    result = import_people(fuzz_store, source, strict=strict, today=TODAY)
    assert source.read_bytes() == raw  # the file is only read
    # CSV ends a line at a carriage return too (old Mac files end every line that way).
    lines = len(raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n"))
    for problem in result.problems:
        assert 2 <= problem.line <= lines and problem.message.strip()
        assert "Traceback" not in problem.message and "could not be read (" not in \
            problem.message
    if result.file_error:
        assert result.imported == 0 and not result.problems
    if result.imported == 0:
        assert _dump(fuzz_store) == before
    else:
        assert fuzz_store.people.count() == len(before["people"]) + result.imported


@settings(max_examples=400, deadline=None)
@given(st.one_of(DATE_TEXT, st.text()))
def test_a_date_of_birth_is_read_or_refused_with_a_reason(text):
    try:
        got = parse_date_of_birth(text, TODAY)
    except ValueError as exc:
        assert str(exc).strip()
        assert str(exc) != DATE_FORMS
    else:
        assert got is None or date(1, 1, 1) <= got <= TODAY or len(got.isoformat()) == 10


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_are_decoded_or_refused_plainly(raw):
    try:
        text, encoding = decode(raw)
    except FileRefused as exc:
        assert str(exc).strip()
    else:
        assert encoding in ("UTF-8", "Windows-1252") and isinstance(text, str)


# -- every `arrs` command ------------------------------------------------------------------------

# What a shell can pass: any text but NUL, and bytes that are not UTF-8 (as surrogates).
ARG_TEXT = st.one_of(
    st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=25),
    st.binary(max_size=12).filter(lambda b: b"\x00" not in b).map(
        lambda b: b.decode("utf-8", "surrogateescape")),
    st.sampled_from(["", "-", "--", "-1", "0", "1", "99999999999999999999", "1e308", "nan",
                     "2026-02-30", "2026-01-01", "01/02/2026", "..", "/", "~", "csv", "xlsx",
                     "=1+1", "'; DROP TABLE people;--", "\u202e", "x" * 300]),
)


@pytest.fixture(scope="module")
def cli_world(tmp_path_factory):
    """A small caseload, a rules file, a CSV and some folders for the commands to chew on."""
    root = tmp_path_factory.mktemp("cli")
    db = root / "caseload.db"
    s = open_store(db, user="fuzz")
    from arrs_desktop.tools.demo import build_demo

    build_demo(s, 6, seed=3, today=date(2026, 11, 15))
    person = sql_rows(s, "SELECT id FROM people LIMIT 1")[0]["id"]
    s.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    (root / "rules.toml").write_text('[needs.copd]\nhwbc = { weight = 1e308, reason = "x" }\n')
    (root / "people.csv").write_text("nhs_number,name\n1,x\n")
    (root / "a-file.txt").write_text("not a folder")
    (root / "out").mkdir()
    return {"root": root, "db": db, "person": person}


def _paths(world):
    root = world["root"]
    return st.one_of(
        st.sampled_from([str(world["db"]), str(root / "missing.db"), str(root),
                         str(root / "a-file.txt"), str(root / "rules.toml"),
                         str(root / "people.csv"), str(root / "out"),
                         str(root / "no-such-folder" / "x"), str(root / "a-file.txt" / "x")]),
        ARG_TEXT.map(lambda t: t if t in ("", "..", ".") or ("/" in t and not t.startswith("/"))
                     else str(root / "out" / t.lstrip("/~"))),
    )


def _argv(world):
    """Draw a command line for one command, its options each present or not."""
    paths = _paths(world)
    person = st.one_of(st.just(world["person"]), st.just(world["person"]), ARG_TEXT)
    day = st.one_of(st.dates(date(2024, 1, 1), date(2027, 1, 1)).map(date.isoformat), ARG_TEXT)
    small = st.one_of(st.integers(-5, 3).map(str), ARG_TEXT)
    db_opt = st.one_of(st.just(["--db", str(world["db"])]), st.just([]),
                       paths.map(lambda p: ["--db", p]))

    def opt(flag, values):
        return st.one_of(st.just([]), values.map(lambda v: [flag, v]))

    def flag(name):
        return st.sampled_from([[], [name]])

    commands = {
        "backup": [db_opt, opt("--to", paths)],
        "check": [db_opt],
        "demo": [db_opt, opt("--people", st.one_of(st.integers(-3, 2).map(str), ARG_TEXT)),
                 opt("--seed", small), st.sampled_from([[], ["--bulk"], ["--no-bulk"]])],
        "export": [db_opt, st.one_of(paths.map(lambda p: ["--out", p]), st.just([])),
                   opt("--format", st.one_of(*[st.sampled_from(["csv", "xlsx"])] * 3,
                                             ARG_TEXT)),
                   opt("--from", day), opt("--to", day),
                   opt("--role", st.one_of(*[st.sampled_from(ROLE_CODES)] * 3, ARG_TEXT)),
                   opt("--worker", ARG_TEXT)],
        "import-people": [paths.map(lambda p: [p]), db_opt, flag("--strict"),
                          opt("--user", ARG_TEXT)],
        "match": [st.lists(opt("--need", st.one_of(st.sampled_from(NEED_IDS), ARG_TEXT)),
                           max_size=3).map(lambda xs: [a for x in xs for a in x]),
                  opt("--rules", paths), flag("--json")],
        "plan": [db_opt, opt("--person", person), opt("--out", paths)],
        "bench": [opt("--people", st.one_of(st.integers(-3, 0).map(str), st.just("1000"),
                                            ARG_TEXT)),
                  opt("--runs", st.one_of(st.integers(-3, 0).map(str), ARG_TEXT)),
                  st.just(["--db", str(world["db"])]), flag("--json")],
    }
    return st.sampled_from(sorted(commands)).flatmap(
        lambda name: st.tuples(*commands[name]).map(
            lambda parts: [name, *[a for part in parts for a in part]]))


def _sha(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def _tree(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): _sha(p) for p in sorted(root.rglob("*"))
            if p.is_file() and "backups" not in p.parts and "arrs-home" not in p.parts}


def _cheap(argv) -> bool:
    """Leave out runs that would really build or time a caseload (they take minutes)."""
    def value(flag, default):
        try:
            return int(argv[argv.index(flag) + 1]) if flag in argv else default
        except (ValueError, IndexError):
            return None  # argparse refuses it
    if argv[0] == "bench":
        people, runs = value("--people", 100_000), value("--runs", 5)
        return people is None or runs is None or people < 1 or runs < 1 or people > 6
    if argv[0] == "demo":
        people = value("--people", 300)
        return people is None or people <= 3
    return True


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_every_command_says_only_its_own_messages_and_a_refusal_changes_nothing(
        cli_world, data, capsys, qapp):
    argv = data.draw(_argv(cli_world))
    if not _cheap(argv):
        return
    root = cli_world["root"]
    before = _tree(root)
    try:
        with contextlib.chdir(root / "out"):
            code = main(argv)
    except SystemExit as exc:  # argparse: a usage error, exit 2, its own message
        code = exc.code
        assert code in (0, 2)
    out, err = capsys.readouterr()
    event(f"{argv[0]} exit {code}")
    assert "Traceback" not in out + err, (argv, err)
    assert code != EXIT_INTERNAL, (argv, err)
    assert "unexpected error" not in err, (argv, err)
    after = _tree(root)
    assert after.get("caseload.db") == before["caseload.db"], argv  # never changed by these
    if code != 0:
        assert err.strip(), (argv, out)  # a refusal always says why
        assert after == before, argv  # ... and changes nothing
    else:
        _undo(root, before)


def _undo(root: Path, before: dict) -> None:
    """Take away what a command that did its work wrote, for the next example."""
    for rel in set(_tree(root)) - set(before):
        (root / rel).unlink()
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        if folder.name not in ("out", "backups") and not any(folder.iterdir()):
            with contextlib.suppress(OSError):
                folder.rmdir()
