"""Import people from a CSV exported by a GP system search (EMIS Web, SystmOne, ...).

What a file may look like, as GP systems really write them:

- **Text**: UTF-8 with or without a byte-order mark, or Windows-1252 (what Excel saves as
  "CSV" on a UK Windows laptop). The encoding is worked out for the whole file; a file that
  mixes the two (some lines saved one way, some the other) is refused, naming the first
  line that does not match, because guessing would store names garbled ("ZoÃ«").
- **Header**: the first line names the columns, in any case and spacing, with the usual
  GP-system words: `NHS Number`/`NHS No`, `Name` (or `Forename` and `Surname`),
  `Date of Birth`/`DOB`, `Postcode`, `Gender`/`Sex`, and need columns named by their
  catalogue id (`loneliness`, `Carer strain`).
- **Dates of birth**: `03/02/1950`, `3/2/1950`, `03-02-1950`, `03.02.1950`, `03-Feb-1950`,
  `3 Feb 1950`, `3 February 1950`, `1950-02-03` (a time of day after it is ignored). Dates
  are read day first. A two-digit year is taken only when one century gives a date of
  birth that is not in the future (`03/02/50` is 1950); otherwise it is refused, as is a
  date that does not exist (`31/02/1950`).
- **NHS numbers** with spaces or dashes (`943 476 5919`, `943-476-5919`).

Every row that cannot be imported is reported with its line number and what is wrong with
it: a required value missing (NHS number, name, date of birth), a bad value, too many or
too few values, the same NHS number as an earlier line or as someone already on the log.
Nothing raises out of `import_people` for anything a file holds. The import is one
transaction: every good row is saved, or (on `strict`, or a failed write) none is; a file
that is refused as a whole is not written to the caseload at all.
"""

from __future__ import annotations

import calendar
import csv
import difflib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from arrs_desktop.domain.catalogue import GENDERS, NEED_IDS
from arrs_desktop.domain.models import Person
from arrs_desktop.domain.validation import ValidationError

REQUIRED_COLUMNS = ("nhs_number", "name", "date_of_birth", "postcode", "gender")
REQUIRED_VALUES = ("nhs_number", "name", "date_of_birth")  # a row without one is refused
TRUTHY = {"1", "y", "yes", "true"}
FALSY = {"", "0", "n", "no", "false"}
GENDER_WORDS = {
    "f": "female", "female": "female", "m": "male", "male": "male",
    "non-binary": "non_binary", "non_binary": "non_binary", "nonbinary": "non_binary",
    "other": "other", "not stated": "not_stated", "not_stated": "not_stated",
    "unknown": "not_stated", "indeterminate": "not_stated", "not known": "not_stated",
    "i": "not_stated", "u": "not_stated", "": "",
}
MAX_BYTES = 50 * 1024 * 1024
PROGRESS_EVERY = 10_000  # rows between two progress calls

Progress = Callable[[int, int], None]  # (rows done, rows in all)


def _norm(header: str) -> str:
    """Fold a column name for matching: case, spaces, underscores and dots do not count."""
    return re.sub(r"[^0-9a-z]", "", header.casefold())


_COLUMN_WORDS: dict[str, tuple[str, ...]] = {
    "nhs_number": ("nhsnumber", "nhsno", "nhs"),
    "name": ("name", "fullname", "patientname"),
    "forename": ("forename", "forenames", "firstname", "firstnames", "givenname"),
    "surname": ("surname", "lastname", "familyname"),
    "date_of_birth": ("dateofbirth", "dob", "birthdate"),
    "postcode": ("postcode", "postalcode"),
    "gender": ("gender", "sex"),
}
COLUMN_ALIASES: dict[str, str] = {
    **{word: column for column, words in _COLUMN_WORDS.items() for word in words},
    **{_norm(need_id): need_id for need_id in NEED_IDS},
}

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_name) if name})
_MONTHS["sept"] = 9
_TIME = re.compile(r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$")
_NUMERIC = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NAMED = re.compile(r"(\d{1,2})(?:[ \-/.]|)([A-Za-z]{3,9})\.?,?(?:[ \-/.]|)(\d{4}|\d{2})")
DATE_FORMS = "DD/MM/YYYY, DD-Mmm-YYYY (03-Feb-1950), D Mmm YYYY (3 Feb 1950) or YYYY-MM-DD"


@dataclass
class RowProblem:
    """A CSV line that was not imported, and why."""

    line: int
    message: str


@dataclass
class ImportResult:
    """What an import did."""

    imported: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    file_error: str | None = None
    encoding: str = ""  # "UTF-8" or "Windows-1252", once the file was read
    rows: int = 0  # data rows in the file (blank lines not counted)

    @property
    def ok(self) -> bool:
        """Return True when every row was imported."""
        return self.file_error is None and not self.problems


@dataclass(frozen=True)
class ParsedRow:
    """A CSV row turned into a person and needs (not yet checked by the store)."""

    line: int
    person: Person
    needs: frozenset[str]


class FileRefused(Exception):
    """The whole file cannot be imported; the text says why."""


# -- text --------------------------------------------------------------------------------------

_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|"
                             rb"[\xf0-\xf4][\x80-\xbf]{3}")


def decode(raw: bytes) -> tuple[str, str]:
    """Return the file's text and its encoding; raise FileRefused when it cannot be read."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused("the file is UTF-16 text (\"Unicode text\"); save it as "
                          "\"CSV UTF-8\" and import that")
    if raw.startswith(b"PK\x03\x04"):
        raise FileRefused("the file is a spreadsheet workbook (XLSX), not CSV; save it as "
                          "\"CSV UTF-8\" and import that")
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise FileRefused(f"line {line} holds a NUL byte, so this is not a CSV text file")
    bom = raw.startswith(b"\xef\xbb\xbf")
    body = raw[3:] if bom else raw
    try:
        return body.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as exc:
        bad_line = body[: exc.start].count(b"\n") + 1
    utf8 = _UTF8_MULTIBYTE.search(body)
    if bom or utf8:  # some of the file is UTF-8, and some is not
        first = body[: utf8.start()].count(b"\n") + 1 if utf8 else 1
        said = (f"line {first} is UTF-8 but line {bad_line} is not" if utf8 and first != bad_line
                else f"it starts as UTF-8 but line {bad_line} is not")
        raise FileRefused(
            f"the file mixes two kinds of text: {said} (it looks like Windows-1252). Open it "
            "in the program that made it and save it again as \"CSV UTF-8\"")
    try:
        return body.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        raise FileRefused(f"line {line} is neither UTF-8 nor Windows-1252 text; save the file "
                          "as \"CSV UTF-8\" and import that") from None


# -- dates of birth ----------------------------------------------------------------------------

def parse_date_of_birth(text: str, today: date | None = None) -> date | None:
    """Return the date of birth written in one of the GP-system forms, None when blank.

    Raise ValueError with the reason: not a form we read, a date that does not exist, or
    a two-digit year that could be either century.
    """
    text = _TIME.sub("", text.strip()).strip()
    if not text:
        return None
    today = today or date.today()
    if m := _ISO.fullmatch(text):
        return _real_date(int(m[1]), int(m[2]), int(m[3]), text)
    if m := _NUMERIC.fullmatch(text):
        day, month, year = int(m[1]), int(m[3]), m[4]
    elif m := _NAMED.fullmatch(text):
        month_name = m[2].lower()
        if month_name not in _MONTHS:
            raise ValueError(f"{text!r} is not a date: {m[2]!r} is not a month")
        day, month, year = int(m[1]), _MONTHS[month_name], m[3]
    else:
        raise ValueError(f"{_short(text)} is not a date written as {DATE_FORMS}")
    if len(year) == 4:
        return _real_date(int(year), month, day, text)
    return _two_digit_year(day, month, int(year), text, today)


def _real_date(year: int, month: int, day: int, text: str) -> date:
    if not 1 <= month <= 12:
        raise ValueError(f"{text} does not exist: there is no month {month} "
                         "(dates are read day first, DD/MM/YYYY)")
    if year < 1:
        raise ValueError(f"{text} does not exist: there is no year {year}")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise ValueError(f"{text} does not exist: {calendar.month_name[month]} {year} has "
                         f"{days} days")
    return date(year, month, day)


def _two_digit_year(day: int, month: int, yy: int, text: str, today: date) -> date:
    candidates = []
    problems = []
    for century in (1900, 2000):
        try:
            candidate = _real_date(century + yy, month, day, text)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        if candidate <= today:
            candidates.append(candidate)
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        if len(problems) == 2:
            raise ValueError(problems[0].replace(f"{1900 + yy}", f"'{yy:02d}"))
        raise ValueError(f"{text} does not exist as a date of birth in the past")
    raise ValueError(f"{text}: the year {yy:02d} could be {1900 + yy} or {2000 + yy}; write "
                     "the year in full (DD/MM/YYYY)")


def _short(text: str) -> str:
    return repr(text) if len(text) <= 40 else repr(text[:37] + "...")


# -- NHS numbers -------------------------------------------------------------------------------

_SPREADSHEET_NUMBER = re.compile(r"\d(\.\d+)?[eE]\+?\d+|\d+\.0+")


def _nhs_number(text: str) -> str:
    if _SPREADSHEET_NUMBER.fullmatch(text):
        raise ValueError(f"{text} looks like a spreadsheet turned the NHS number into a "
                         "number; format the column as text and export again")
    return text


# -- the file ----------------------------------------------------------------------------------

@dataclass
class _Columns:
    """Where each known column is in the header."""

    index: dict[str, int]
    needs: dict[str, int]
    width: int
    unnamed: list[int]


def _columns(header: list[str]) -> _Columns:
    index: dict[str, int] = {}
    needs: dict[str, int] = {}
    unnamed = []
    unknown = []
    for i, raw in enumerate(header):
        word = _norm(raw)
        if not word:
            unnamed.append(i)
            continue
        column = COLUMN_ALIASES.get(word)
        if column is None:
            unknown.append(raw.strip())
            continue
        if column in index or column in needs:
            raise FileRefused(f"two columns mean {column}: {header[(index | needs)[column]]!r} "
                              f"and {raw.strip()!r}")
        (needs if column in NEED_IDS else index)[column] = i
    if unknown:
        hints = []
        for name in unknown:
            close = difflib.get_close_matches(_norm(name), list(COLUMN_ALIASES), n=1)
            hints.append(f"{name} (did you mean {COLUMN_ALIASES[close[0]]}?)" if close
                         else name)
        raise FileRefused(f"unknown column(s): {', '.join(hints)} (need columns must be "
                          f"catalogue ids: {', '.join(NEED_IDS)})")
    if "name" not in index and "forename" in index and "surname" in index:
        pass  # the name is made of the two
    elif "forename" in index or "surname" in index:
        if "name" in index:
            raise FileRefused("the file has a Name column and Forename/Surname columns; keep "
                              "one or the other")
        raise FileRefused("missing column(s): " + ("surname" if "forename" in index
                                                   else "forename"))
    missing = [c for c in REQUIRED_COLUMNS if c not in index
               and not (c == "name" and "forename" in index)]
    if missing:
        raise FileRefused(f"missing column(s): {', '.join(missing)} (the header row names "
                          "the columns: NHS number, name, date of birth, postcode, gender)")
    return _Columns(index, needs, len(header), unnamed)


def _records(text: str):
    """Yield (first line, values) for each CSV record; blank lines are skipped."""
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise FileRefused(f"line {reader.line_num} cannot be read as CSV ({exc})") from None
        start, line = line, reader.line_num + 1
        if record and any(v.strip() for v in record):
            yield start, record


def _person_from(values: list[str], cols: _Columns, today: date
                 ) -> tuple[Person, frozenset[str]]:
    """Turn one row's values into a person and needs; raise ValueError naming each fault."""
    problems: dict[str, str] = {}
    get = {c: values[i].strip() for c, i in cols.index.items()}
    if "name" not in get:
        get["name"] = " ".join(p for p in (get["forename"], get["surname"]) if p)
    for column in REQUIRED_VALUES:
        if not get[column]:
            problems[column] = "is required"
    nhs = get["nhs_number"]
    if nhs:
        try:
            nhs = _nhs_number(nhs)
        except ValueError as exc:
            problems["nhs_number"] = str(exc)
    dob = None
    if get["date_of_birth"]:
        try:
            dob = parse_date_of_birth(get["date_of_birth"], today)
        except ValueError as exc:
            problems["date_of_birth"] = str(exc)
    gender_text = " ".join(get["gender"].lower().split())
    if gender_text not in GENDER_WORDS and gender_text not in GENDERS:
        problems["gender"] = (f"{_short(get['gender'])} is not recognised (use female, male, "
                              "non-binary, other or not stated)")
    needs = set()
    for need_id, i in cols.needs.items():
        flag = values[i].strip().lower()
        if flag in TRUTHY:
            needs.add(need_id)
        elif flag not in FALSY:
            problems[need_id] = f"{_short(values[i].strip())} should be 1/y/yes/true or blank"
    if problems:
        raise ValidationError(problems)
    person = Person(name=get["name"], nhs_number=nhs, date_of_birth=dob,
                    postcode=get["postcode"], gender=GENDER_WORDS.get(gender_text, gender_text))
    return person, frozenset(needs)


def read_rows(text: str, today: date | None = None
              ) -> tuple[list[ParsedRow], list[RowProblem], str | None]:
    """Parse CSV text; return rows, per-line problems and a whole-file error."""
    try:
        return _read_rows(text, today or date.today())
    except FileRefused as exc:
        return [], [], str(exc)


def _read_rows(text: str, today: date) -> tuple[list[ParsedRow], list[RowProblem], None]:
    records = _records(text)
    first = next(records, None)
    if first is None:
        raise FileRefused("the file is empty or has no header row")
    header_line, header = first
    if header_line != 1:
        raise FileRefused(f"the header row should be line 1 but the file starts at line "
                          f"{header_line}")
    cols = _columns(header)
    rows: list[ParsedRow] = []
    problems: list[RowProblem] = []
    for line, values in records:
        if len(values) > cols.width and any(v.strip() for v in values[cols.width:]):
            problems.append(RowProblem(line, f"has {len(values)} values but the header has "
                                             f"{cols.width} columns"))
            continue
        if len(values) < cols.width:
            problems.append(RowProblem(line, f"has {len(values)} values but the header has "
                                             f"{cols.width} columns (is a comma missing?)"))
            continue
        if named := [i + 1 for i in cols.unnamed if values[i].strip()]:
            problems.append(RowProblem(line, f"has a value in column {named[0]}, which has no "
                                             "name in the header row"))
            continue
        try:
            person, needs = _person_from(values, cols, today)
        except ValidationError as exc:
            problems.append(RowProblem(line, _message(exc)))
            continue
        except Exception as exc:  # noqa: BLE001 - a row must never stop the import
            problems.append(RowProblem(line, f"could not be read ({type(exc).__name__})"))
            continue
        rows.append(ParsedRow(line, person, needs))
    return rows, problems, None


def _message(exc: ValidationError) -> str:
    return "; ".join(f"{f}: {m}" for f, m in exc.errors.items())


def _digits(value: str | None) -> str:
    return "".join(ch for ch in (value or "") if ch.isdigit())


# -- importing ---------------------------------------------------------------------------------

def read_file(path: Path, *, today: date | None = None) -> tuple[ImportResult, list[ParsedRow]]:
    """Read and check a CSV file without touching any caseload.

    Return what was found (`rows`, `encoding`, the rows' problems, or a `file_error` when
    the file cannot be imported at all) and the rows ready to save.
    """
    result = ImportResult()
    path = Path(path)
    try:
        if path.is_dir():
            result.file_error = f"{path} is a folder, not a CSV file"
            return result, []
        size = path.stat().st_size
        if size > MAX_BYTES:
            result.file_error = f"{path.name} is larger than {MAX_BYTES // (1024 * 1024)} MB"
            return result, []
        with path.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        result.file_error = f"cannot read {path}: {exc.strerror or exc}"
        return result, []
    except ValueError as exc:  # a path the system cannot even look up
        result.file_error = f"cannot read {path}: {exc}"
        return result, []
    if len(raw) > MAX_BYTES:
        result.file_error = f"{path.name} is larger than {MAX_BYTES // (1024 * 1024)} MB"
        return result, []
    try:
        text, result.encoding = decode(raw)
        rows, problems, _ = _read_rows(text, today or date.today())
    except FileRefused as exc:
        result.file_error = str(exc)
        return result, []
    result.problems.extend(problems)
    result.rows = len(rows) + len(problems)
    return result, rows


def save_rows(store, result: ImportResult, rows: list[ParsedRow], *, strict: bool = False,
              progress: Progress | None = None) -> ImportResult:
    """Save the rows `read_file` gave, in one transaction; report each refused row in `result`.

    With `strict`, nothing is saved if any row (read or saved) fails. A file with no row to
    save, or a strict one with a problem already, does not touch the caseload at all.
    """
    if result.file_error or not rows or (strict and result.problems):
        result.problems.sort(key=lambda p: p.line)
        return result

    class _StrictAbort(Exception):
        pass

    seen_nhs: dict[str, int] = {}
    done = len(result.problems)
    try:
        with store.batch():
            for row in rows:
                try:
                    if row.needs:
                        with store.batch():  # a savepoint: a failed row leaves no trace
                            saved = store.people.add(row.person)
                            store.needs.set(saved.id, row.needs)
                    else:  # one write, in a savepoint of its own
                        store.people.add(row.person)
                except ValidationError as exc:
                    message = _message(exc)
                    if saved_line := seen_nhs.get(_digits(row.person.nhs_number)):
                        message += f" (same NHS number as line {saved_line})"
                    result.problems.append(RowProblem(row.line, message))
                else:
                    if row.person.nhs_number:
                        seen_nhs[_digits(row.person.nhs_number)] = row.line
                    result.imported += 1
                done += 1
                if progress is not None and done % PROGRESS_EVERY == 0:
                    progress(done, result.rows)
            if strict and result.problems:
                raise _StrictAbort
    except _StrictAbort:
        result.imported = 0
    if progress is not None and result.rows >= PROGRESS_EVERY and done % PROGRESS_EVERY:
        progress(done, result.rows)
    result.problems.sort(key=lambda p: p.line)
    return result


def import_people(store, path: Path, *, strict: bool = False, progress: Progress | None = None,
                  read: Callable[[ImportResult], None] | None = None,
                  today: date | None = None) -> ImportResult:
    """Import a CSV file: valid rows are saved; with strict, nothing is saved if any row fails.

    `read(result)` is called once the file is read and checked, before anything is saved
    (`result.rows`, `result.encoding` and the rows' problems are known); `progress(done,
    total)` every PROGRESS_EVERY rows while saving, and at the end for a large file.
    """
    result, rows = read_file(path, today=today)
    if read is not None and not result.file_error:
        read(result)
    return save_rows(store, result, rows, strict=strict, progress=progress)
