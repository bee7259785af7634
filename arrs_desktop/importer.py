"""Import people from a CSV exported by a GP system search."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from arrs_desktop.catalogue import GENDERS, NEED_IDS
from arrs_desktop.models import Person
from arrs_desktop.validation import ValidationError

REQUIRED_COLUMNS = ("nhs_number", "name", "date_of_birth", "postcode", "gender")
TRUTHY = {"1", "y", "yes", "true"}
FALSY = {"", "0", "n", "no", "false"}
GENDER_WORDS = {
    "f": "female", "female": "female", "m": "male", "male": "male",
    "non-binary": "non_binary", "non_binary": "non_binary", "nonbinary": "non_binary",
    "other": "other", "not stated": "not_stated", "not_stated": "not_stated",
    "unknown": "not_stated", "": "",
}
MAX_BYTES = 50 * 1024 * 1024


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


def _parse_date(text: str) -> date | str | None:
    text = text.strip()
    if not text:
        return None
    for sep in ("/", "-", "."):
        parts = text.split(sep)
        if len(parts) == 3 and len(parts[0]) <= 2 and len(parts[2]) == 4:
            try:
                return date(int(parts[2]), int(parts[1]), int(parts[0]))
            except ValueError:
                return text
    return text  # ISO text or rubbish: the store's validation decides


def read_rows(text: str) -> tuple[list[ParsedRow], list[RowProblem], str | None]:
    """Parse CSV text; return rows, per-line problems and a whole-file error."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if not header:
        return [], [], "the file is empty or has no header row"
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        return [], [], f"missing column(s): {', '.join(missing)}"
    unknown = [h for h in header if h not in REQUIRED_COLUMNS and h not in NEED_IDS]
    if unknown:
        return [], [], (f"unknown column(s): {', '.join(unknown)} (need columns must be "
                        f"catalogue ids: {', '.join(NEED_IDS)})")
    reader.fieldnames = header
    rows: list[ParsedRow] = []
    problems: list[RowProblem] = []
    for record in reader:
        line = reader.line_num
        if None in record:
            problems.append(RowProblem(line, "has more values than the header has columns"))
            continue
        values = {k: (v or "").strip() for k, v in record.items()}
        if not any(values.values()):
            continue
        gender_text = values["gender"].lower()
        if gender_text not in GENDER_WORDS and gender_text not in GENDERS:
            problems.append(RowProblem(line, f"gender: {values['gender']!r} is not recognised"))
            continue
        needs = set()
        bad_need = None
        for need_id in NEED_IDS:
            if need_id in values:
                flag = values[need_id].lower()
                if flag in TRUTHY:
                    needs.add(need_id)
                elif flag not in FALSY:
                    bad_need = f"{need_id}: {values[need_id]!r} should be 1/y/yes/true or blank"
                    break
        if bad_need:
            problems.append(RowProblem(line, bad_need))
            continue
        person = Person(
            name=values["name"],
            nhs_number=values["nhs_number"] or None,
            date_of_birth=_parse_date(values["date_of_birth"]),
            postcode=values["postcode"],
            gender=GENDER_WORDS.get(gender_text, gender_text),
        )
        rows.append(ParsedRow(line, person, frozenset(needs)))
    return rows, problems, None


def _digits(value: str | None) -> str:
    return "".join(ch for ch in (value or "") if ch.isdigit())


def import_people(store, path: Path, *, strict: bool = False) -> ImportResult:
    """Import a CSV file: valid rows are saved; with strict, nothing is saved if any row fails."""
    result = ImportResult()
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            result.file_error = f"{path.name} is larger than {MAX_BYTES // (1024 * 1024)} MB"
            return result
        raw = path.read_bytes()
    except OSError as exc:
        result.file_error = f"cannot read {path}: {exc.strerror or exc}"
        return result
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    try:
        rows, problems, file_error = read_rows(text)
    except csv.Error as exc:
        result.file_error = f"the CSV cannot be read: {exc}"
        return result
    result.problems.extend(problems)
    if file_error:
        result.file_error = file_error
        return result
    seen_nhs: dict[str, int] = {}

    class _StrictAbort(Exception):
        pass

    try:
        with store.batch():
            for row in rows:
                try:
                    with store.batch():  # a savepoint: a failed row leaves no trace
                        saved = store.add_person(row.person)
                        if row.needs:
                            store.set_needs(saved.id, row.needs)
                except ValidationError as exc:
                    message = "; ".join(f"{f}: {m}" for f, m in exc.errors.items())
                    if saved_line := seen_nhs.get(_digits(row.person.nhs_number)):
                        message += f" (same NHS number as line {saved_line})"
                    result.problems.append(RowProblem(row.line, message))
                    continue
                if row.person.nhs_number:
                    seen_nhs[_digits(row.person.nhs_number)] = row.line
                result.imported += 1
            if strict and result.problems:
                raise _StrictAbort
    except _StrictAbort:
        result.imported = 0
    result.problems.sort(key=lambda p: p.line)
    return result
