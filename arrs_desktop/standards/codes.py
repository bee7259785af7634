"""Code lists a PCN brings, and which of its codes an episode calls for.

A code list maps SNOMED CT concepts to events per role: for each role (`splw`, `cc`,
`hwbc`) and event (EVENTS: referral, first contact, declined, plan agreed, plan reviewed,
closure), the codes the worker records in the GP system when it happens. ARRS Desktop ships
only the two publicly confirmed ids (SHIPPED_CODE_LIST); a PCN brings the rest in one of two
forms:

- **its own CSV**, UTF-8 (with or without a byte-order mark), header `role,event,sctid,term`
  (columns in any order, names in any case), one code per line (`parse_code_list_csv`);
- **NHS England's refset files** (RF2, tab-separated, as NHS England sends them on request):
  the simple refset file (`id effectiveTime active moduleId refsetId referencedComponentId`),
  the description file that comes with it (`sct2_Description_…`: the terms), and a small
  mapping CSV the PCN writes, `refset_id,role,event[,name]`, saying which refset is which
  event for which role (`parse_refset`). A refset's members are its concepts whose latest
  row is active; each member's term is its active fully specified name without the semantic
  tag in brackets ("Referral to social prescribing service (procedure)" is shown
  "Referral to social prescribing service").

Every line of every file is checked: a valid SNOMED CT concept id (check digit and
partition), a known role and event, a term in plain words, no line repeated, no code given
two terms. Each wrong line is named by file and line number with the reason, and a file
with any wrong line yields no codes at all (all or nothing).
"""

from __future__ import annotations

import csv
import io
import re
import stat
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from arrs_desktop.domain.catalogue import ROLE_CODES, SHIPPED_GP_CODES
from arrs_desktop.domain.models import Episode, Goal, Session
from arrs_desktop.standards.snomed import CONCEPT, DESCRIPTION, SctidError, parse_sctid
from arrs_desktop.standards.text import plain_text_problem, show

EVENTS: dict[str, str] = {
    "referral": "Referral received",
    "first_contact": "First contact",
    "declined": "Referral declined",
    "plan_agreed": "Care and support plan agreed",
    "plan_reviewed": "Care and support plan reviewed",
    "closure": "Episode closed",
}
EVENT_CODES: tuple[str, ...] = tuple(EVENTS)
CSV_COLUMNS: tuple[str, ...] = ("role", "event", "sctid", "term")
MAPPING_COLUMNS: tuple[str, ...] = ("refset_id", "role", "event")
MAPPING_OPTIONAL: tuple[str, ...] = ("name",)
REFSET_COLUMNS: tuple[str, ...] = (
    "id", "effectiveTime", "active", "moduleId", "refsetId", "referencedComponentId")
DESCRIPTION_COLUMNS: tuple[str, ...] = (
    "id", "effectiveTime", "active", "moduleId", "conceptId", "languageCode", "typeId",
    "term", "caseSignificanceId")
FSN_TYPE = "900000000000003001"  # SNOMED CT: description type "fully specified name"

MAX_CSV_BYTES = 5 * 1024 * 1024  # a PCN's list is a few dozen lines
MAX_RF2_BYTES = 64 * 1024 * 1024  # the refset and its descriptions, not a whole release
TERM_MAX = 255  # SNOMED CT's own limit for a term
NAME_MAX = 120
MAX_PROBLEMS = 100  # told one by one; the rest are counted

_SEMANTIC_TAG = re.compile(r"\s*\([^()]*\)\s*$")


@dataclass(frozen=True)
class CodeListEntry:
    """One code of a code list: record `sctid` (`term`) when `event` happens for `role`."""

    role: str
    event: str
    sctid: str
    term: str
    shipped: bool = False
    line: int = 0  # where it was read (0 for shipped codes)

    @property
    def key(self) -> tuple[str, str, str]:
        """Return what makes the entry unique in a list: role, event and code."""
        return (self.role, self.event, self.sctid)


@dataclass(frozen=True)
class LineProblem:
    """Something wrong in a file: which file, which line (None for the whole file), what."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line is not None else self.file
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class CodeListLoad:
    """A code list read from files: its codes, or (with any problem) none and the problems."""

    entries: tuple[CodeListEntry, ...]
    problems: tuple[LineProblem, ...] = ()
    sources: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Return True when every line was right (the entries may be used)."""
        return not self.problems

    @property
    def messages(self) -> list[str]:
        """Return the problems as plain lines of text."""
        return [str(p) for p in self.problems]


def _shipped() -> tuple[CodeListEntry, ...]:
    out = []
    for code, term, rule in SHIPPED_GP_CODES:
        role, _, event = rule.partition("_")
        out.append(CodeListEntry(role, event, code, term, shipped=True))
    return tuple(out)


# The confirmed codes only, read from the catalogue (the one place they are written):
# 871731000000106 at a link worker's first contact, 871711000000103 when declined.
SHIPPED_CODE_LIST: tuple[CodeListEntry, ...] = _shipped()


def _capped(problems: list[LineProblem], file: str) -> tuple[LineProblem, ...]:
    if len(problems) <= MAX_PROBLEMS:
        return tuple(problems)
    more = len(problems) - MAX_PROBLEMS
    return (*problems[:MAX_PROBLEMS], LineProblem(file, None, f"and {more} more problems"))


def _failed(problems: list[LineProblem], sources: tuple[str, ...]) -> CodeListLoad:
    return CodeListLoad((), _capped(problems, sources[0] if sources else ""), sources)


def decode_text(raw: bytes, file: str) -> tuple[str | None, LineProblem | None]:
    """Return the text of a UTF-8 file (a byte-order mark is allowed), or why it is not."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, LineProblem(file, line, "is not UTF-8 text: save the file as UTF-8 "
                                             "(CSV UTF-8 in a spreadsheet) and try again")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, LineProblem(file, line, "holds a NUL character: this is not a text file")
    return text, None


def read_bounded(path: str | Path, limit: int) -> tuple[bytes | None, LineProblem | None]:
    """Read a regular file of at most `limit` bytes, or say why it cannot be read."""
    path = Path(path)
    where = str(path)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            return None, LineProblem(where, None, "cannot be read (it is a folder)")
        if not stat.S_ISREG(info.st_mode):
            return None, LineProblem(where, None, "is not a regular file")
        if info.st_size > limit:
            return None, _too_big(where, info.st_size, limit)
        with path.open("rb") as fh:
            raw = fh.read(limit + 1)  # the file may have grown since
    except FileNotFoundError:
        return None, LineProblem(where, None, "file not found")
    except OSError as exc:
        return None, LineProblem(where, None, f"cannot be read ({exc.strerror or exc})")
    if len(raw) > limit:
        return None, _too_big(where, len(raw), limit)
    return raw, None


def _too_big(where: str, size: int, limit: int) -> LineProblem:
    return LineProblem(where, None, f"is larger than {limit // (1024 * 1024)} MB "
                                    f"(it is {size / (1024 * 1024):.1f} MB)")


def _role_problem(value: str) -> str | None:
    if value not in ROLE_CODES:
        return f"role {show(value)} is not one of {', '.join(ROLE_CODES)}"
    return None


def _event_problem(value: str) -> str | None:
    if value not in EVENTS:
        return f"event {show(value)} is not one of {', '.join(EVENT_CODES)}"
    return None


def _sctid(value: str, what: str = "code", expect: str = CONCEPT) -> tuple[str, str | None]:
    try:
        return parse_sctid(value, expect).value, None
    except SctidError as exc:
        return value, f"{what} {show(value.strip())} {exc}"


def _csv_rows(text: str) -> Iterable[tuple[int, list[str] | None, str | None]]:
    """Yield (first line number, fields, error) for each record of a CSV text."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, None, f"cannot be read as CSV ({exc})"
            return
        yield start, row, None
        start = reader.line_num + 1


def _header(row: list[str], required: tuple[str, ...], optional: tuple[str, ...],
            file: str) -> tuple[dict[str, int], list[LineProblem]]:
    """Return column name -> index for a header row, or the problems with it."""
    names = [c.strip().lower() for c in row]
    problems = []
    index: dict[str, int] = {}
    for i, name in enumerate(names):
        if name not in (*required, *optional):
            problems.append(LineProblem(file, 1, f"unknown column {show(row[i].strip())} "
                                                 f"(the columns are {','.join(required)})"))
        elif name in index:
            problems.append(LineProblem(file, 1, f"column {name} appears twice"))
        else:
            index[name] = i
    missing = [c for c in required if c not in index]
    if missing:
        problems.append(LineProblem(file, 1, f"the header has no {', '.join(missing)} "
                                             f"column (the header is {','.join(required)})"))
    return index, problems


def parse_code_list_csv(raw: bytes, file: str = "code list") -> CodeListLoad:
    """Read a PCN's code list CSV (`role,event,sctid,term`); all of it or nothing."""
    text, problem = decode_text(raw, file)
    if text is None:
        return _failed([problem] if problem else [], (file,))
    problems: list[LineProblem] = []
    entries: list[CodeListEntry] = []
    index: dict[str, int] | None = None
    seen: dict[tuple[str, str, str], int] = {}
    terms: dict[str, tuple[str, int]] = {}
    for line, row, error in _csv_rows(text):
        if error is not None:
            problems.append(LineProblem(file, line, error))
            break
        assert row is not None
        if not any(cell.strip() for cell in row):
            continue  # blank lines are allowed anywhere
        if index is None:
            index, header_problems = _header(row, CSV_COLUMNS, (), file)
            if header_problems:
                return _failed(header_problems, (file,))
            continue
        if len(row) != len(index):
            problems.append(LineProblem(file, line, f"has {len(row)} values; each line has "
                                                    f"{len(index)} ({','.join(CSV_COLUMNS)})"))
            continue
        role, event, code, term = (row[index[c]].strip() for c in CSV_COLUMNS)
        role, event = role.lower(), event.lower()
        reasons = [r for r in (_role_problem(role), _event_problem(event)) if r]
        code, code_problem = _sctid(code)
        if code_problem:
            reasons.append(code_problem)
        if not term:
            reasons.append("the term is missing (write the code's description)")
        else:
            term_problem = plain_text_problem(term, max_len=TERM_MAX)
            if term_problem:
                reasons.append(f"the term {term_problem}")
        if not reasons:
            key = (role, event, code)
            if key in seen:
                reasons.append(f"repeats line {seen[key]} (the same role, event and code)")
            elif code in terms and terms[code][0] != term:
                other, at = terms[code]
                reasons.append(f"gives code {code} the term {show(term)}, but line {at} "
                               f"gives it {show(other)}: one code has one term")
        if reasons:
            problems.append(LineProblem(file, line, "; ".join(reasons)))
            continue
        seen[(role, event, code)] = line
        terms.setdefault(code, (term, line))
        entries.append(CodeListEntry(role, event, code, term, line=line))
    if index is None:
        problems.append(LineProblem(file, None, "is empty (the first line is the header "
                                                f"{','.join(CSV_COLUMNS)})"))
    elif not entries and not problems:
        problems.append(LineProblem(file, None, "holds no codes (only the header)"))
    if problems:
        return _failed(problems, (file,))
    return CodeListLoad(tuple(entries), (), (file,))


def read_code_list(path: str | Path) -> CodeListLoad:
    """Read a PCN's code list CSV file (at most MAX_CSV_BYTES); all of it or nothing."""
    raw, problem = read_bounded(path, MAX_CSV_BYTES)
    if raw is None:
        return _failed([problem] if problem else [], (str(path),))
    return parse_code_list_csv(raw, str(path))


# --- NHS England refsets (RF2) ------------------------------------------------------------

@dataclass(frozen=True)
class RefsetMapping:
    """One line of the PCN's mapping file: refset `refset_id` is `event` for `role`."""

    refset_id: str
    role: str
    event: str
    name: str = ""
    line: int = 0


def parse_refset_mapping(raw: bytes, file: str = "refset mapping",
                         ) -> tuple[tuple[RefsetMapping, ...], tuple[LineProblem, ...]]:
    """Read the mapping CSV (`refset_id,role,event[,name]`): the mappings, or the problems."""
    text, problem = decode_text(raw, file)
    if text is None:
        return (), (problem,) if problem else ()
    problems: list[LineProblem] = []
    out: list[RefsetMapping] = []
    index: dict[str, int] | None = None
    seen: dict[tuple[str, str, str], int] = {}
    for line, row, error in _csv_rows(text):
        if error is not None:
            problems.append(LineProblem(file, line, error))
            break
        assert row is not None
        if not any(cell.strip() for cell in row):
            continue
        if index is None:
            index, header_problems = _header(row, MAPPING_COLUMNS, MAPPING_OPTIONAL, file)
            if header_problems:
                return (), tuple(header_problems)
            continue
        if len(row) != len(index):
            problems.append(LineProblem(file, line, f"has {len(row)} values; each line has "
                                                    f"{len(index)}"))
            continue
        refset, role, event = (row[index[c]].strip() for c in MAPPING_COLUMNS)
        name = row[index["name"]].strip() if "name" in index else ""
        role, event = role.lower(), event.lower()
        reasons = [r for r in (_role_problem(role), _event_problem(event)) if r]
        refset, refset_problem = _sctid(refset, "refset id")
        if refset_problem:
            reasons.append(refset_problem)
        name_problem = plain_text_problem(name, max_len=NAME_MAX)
        if name_problem:
            reasons.append(f"the name {name_problem}")
        if not reasons and (refset, role, event) in seen:
            reasons.append(f"repeats line {seen[(refset, role, event)]}")
        if reasons:
            problems.append(LineProblem(file, line, "; ".join(reasons)))
            continue
        seen[(refset, role, event)] = line
        out.append(RefsetMapping(refset, role, event, name, line))
    if index is None:
        problems.append(LineProblem(file, None, "is empty (the first line is the header "
                                                f"{','.join(MAPPING_COLUMNS)},name)"))
    elif not out and not problems:
        problems.append(LineProblem(file, None, "maps no refsets (only the header)"))
    return (tuple(out) if not problems else ()), tuple(problems)


def _rf2_lines(text: str, columns: tuple[str, ...], file: str,
               problems: list[LineProblem]) -> list[tuple[int, list[str]]]:
    """Split an RF2 file into (line number, fields), checking its header and field counts."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        problems.append(LineProblem(file, None, "is empty (an RF2 file starts with the "
                                                f"header {' '.join(columns)})"))
        return []
    header = [c.strip() for c in lines[0].rstrip("\r").split("\t")]
    if tuple(header) != columns:
        problems.append(LineProblem(file, 1, f"the header is not the RF2 one ({show(lines[0])};"
                                             f" expected the tab-separated columns "
                                             f"{' '.join(columns)})"))
        return []
    out = []
    for n, raw_line in enumerate(lines[1:], start=2):
        line = raw_line.rstrip("\r")
        if not line.strip():
            problems.append(LineProblem(file, n, "is blank (an RF2 file has no blank lines)"))
            continue
        fields = line.split("\t")
        if len(fields) != len(columns):
            problems.append(LineProblem(file, n, f"has {len(fields)} tab-separated values; "
                                                 f"each line has {len(columns)}"))
            continue
        out.append((n, fields))
    return out


def _rf2_common(fields: list[str], reasons: list[str], *, id_kind: str | None) -> None:
    """Check the columns every RF2 file starts with: id, effectiveTime, active, moduleId."""
    ident, when, active, module = fields[:4]
    if id_kind is None:
        try:
            if str(uuid.UUID(ident)) != ident.lower() or len(ident) != 36:
                raise ValueError
        except ValueError:
            reasons.append(f"id {show(ident)} is not a UUID (a refset member's id is "
                           "written like 0b2b8f1e-3c4d-5e6f-8a9b-0c1d2e3f4a5b)")
    else:
        _value, problem = _sctid(ident, "id", id_kind)
        if problem:
            reasons.append(problem)
    if not (len(when) == 8 and when.isascii() and when.isdigit()):
        reasons.append(f"effectiveTime {show(when)} is not a date written YYYYMMDD")
    else:
        try:
            date(int(when[:4]), int(when[4:6]), int(when[6:]))
        except ValueError:
            reasons.append(f"effectiveTime {when} is not a real calendar date")
    if active not in ("0", "1"):
        reasons.append(f"active {show(active)} must be 1 (active) or 0 (inactive)")
    _value, problem = _sctid(module, "moduleId")
    if problem:
        reasons.append(problem)


def _latest(rows: Iterable[tuple[int, list[str]]], file: str,
            problems: list[LineProblem]) -> dict[str, tuple[int, list[str]]]:
    """Return each component's latest row (RF2 full and delta files repeat ids over time)."""
    latest: dict[str, tuple[int, list[str]]] = {}
    at: dict[tuple[str, str], int] = {}
    for n, fields in rows:
        key = (fields[0].lower(), fields[1])
        if key in at:
            problems.append(LineProblem(file, n, f"repeats line {at[key]} (the same id and "
                                                 "effectiveTime)"))
            continue
        at[key] = n
        current = latest.get(key[0])
        if current is None or fields[1] > current[1][1]:
            latest[key[0]] = (n, fields)
    return latest


def parse_refset(refset: bytes, mapping: bytes, descriptions: bytes, *,
                 refset_file: str = "refset", mapping_file: str = "refset mapping",
                 descriptions_file: str = "descriptions") -> CodeListLoad:
    """Read NHS England refset files with the PCN's mapping; all of it or nothing.

    `refset` is an RF2 simple refset file (snapshot, full or delta), `descriptions` the RF2
    description file holding its concepts' terms, `mapping` the PCN's CSV saying which
    refset is which role and event.
    """
    sources = (refset_file, mapping_file, descriptions_file)
    problems: list[LineProblem] = []
    maps, map_problems = parse_refset_mapping(mapping, mapping_file)
    problems += map_problems
    by_refset: dict[str, list[RefsetMapping]] = {}
    for m in maps:
        by_refset.setdefault(m.refset_id, []).append(m)

    members: dict[str, list[tuple[str, int]]] = {}  # refset -> (concept, line) when active
    refset_text, problem = decode_text(refset, refset_file)
    if refset_text is None:
        problems += [problem] if problem else []
    else:
        rows = []
        for n, fields in _rf2_lines(refset_text, REFSET_COLUMNS, refset_file, problems):
            reasons: list[str] = []
            _rf2_common(fields, reasons, id_kind=None)
            refset_id, refset_problem = _sctid(fields[4], "refsetId")
            concept, concept_problem = _sctid(fields[5], "referencedComponentId")
            reasons += [p for p in (refset_problem, concept_problem) if p]
            if not refset_problem and maps and refset_id not in by_refset:
                reasons.append(f"refset {refset_id} is not in {mapping_file}: add a line "
                               "saying which role and event it is")
            if reasons:
                problems.append(LineProblem(refset_file, n, "; ".join(reasons)))
                continue
            rows.append((n, [fields[0], fields[1], fields[2], fields[3], refset_id, concept]))
        for n, fields in _latest(rows, refset_file, problems).values():
            if fields[2] == "1":
                members.setdefault(fields[4], []).append((fields[5], n))

    terms: dict[str, str] = {}
    desc_text, problem = decode_text(descriptions, descriptions_file)
    if desc_text is None:
        problems += [problem] if problem else []
    else:
        rows = []
        for n, fields in _rf2_lines(desc_text, DESCRIPTION_COLUMNS, descriptions_file,
                                    problems):
            reasons = []
            _rf2_common(fields, reasons, id_kind=DESCRIPTION)
            concept, concept_problem = _sctid(fields[4], "conceptId")
            type_id, type_problem = _sctid(fields[6], "typeId")
            _case, case_problem = _sctid(fields[8], "caseSignificanceId")
            reasons += [p for p in (concept_problem, type_problem, case_problem) if p]
            language = fields[5]
            if not (2 <= len(language) <= 8 and language.isascii() and language.isalpha()):
                reasons.append(f"languageCode {show(language)} is not a language code (en)")
            term = fields[7]
            if not term.strip():
                reasons.append("the term is missing")
            else:
                term_problem = plain_text_problem(term, max_len=TERM_MAX)
                if term_problem:
                    reasons.append(f"the term {term_problem}")
            if reasons:
                problems.append(LineProblem(descriptions_file, n, "; ".join(reasons)))
                continue
            rows.append((n, [fields[0], fields[1], fields[2], fields[3], concept,
                             language, type_id, term.strip(), fields[8]]))
        for _n, fields in _latest(rows, descriptions_file, problems).values():
            if fields[2] == "1" and fields[6] == FSN_TYPE:
                terms.setdefault(fields[4], _SEMANTIC_TAG.sub("", fields[7]) or fields[7])

    entries: list[CodeListEntry] = []
    if not problems:
        for m in maps:
            found = members.get(m.refset_id, [])
            if not found:
                label = f" ({m.name})" if m.name else ""
                problems.append(LineProblem(mapping_file, m.line, f"refset {m.refset_id}"
                                f"{label} has no active members in {refset_file}"))
            for concept, n in sorted(found, key=lambda f: f[1]):
                fsn = terms.get(concept)
                if fsn is None:
                    problems.append(LineProblem(refset_file, n, f"concept {concept} has no "
                                    f"active fully specified name in {descriptions_file}: "
                                    "use the description file that came with the refset"))
                    continue
                entries.append(CodeListEntry(m.role, m.event, concept, fsn, line=n))
    if problems:
        return _failed(problems, sources)
    entries.sort(key=lambda e: (ROLE_CODES.index(e.role), EVENT_CODES.index(e.event),
                                e.term.lower(), e.sctid))
    return CodeListLoad(tuple(entries), (), sources)


def read_refset(refset: str | Path, mapping: str | Path, descriptions: str | Path,
                ) -> CodeListLoad:
    """Read NHS England refset files and the PCN's mapping from disk; all or nothing."""
    raws: list[bytes] = []
    problems: list[LineProblem] = []
    for path, limit in ((refset, MAX_RF2_BYTES), (mapping, MAX_CSV_BYTES),
                        (descriptions, MAX_RF2_BYTES)):
        raw, problem = read_bounded(path, limit)
        if raw is None:
            problems += [problem] if problem else []
        raws.append(raw or b"")
    sources = (str(refset), str(mapping), str(descriptions))
    if problems:
        return _failed(problems, sources)
    return parse_refset(raws[0], raws[1], raws[2], refset_file=sources[0],
                        mapping_file=sources[1], descriptions_file=sources[2])


def with_shipped(entries: Iterable[CodeListEntry]) -> tuple[CodeListEntry, ...]:
    """Return the shipped codes followed by a PCN's, each role, event and code once."""
    out: dict[tuple[str, str, str], CodeListEntry] = {e.key: e for e in SHIPPED_CODE_LIST}
    for entry in entries:
        out.setdefault(entry.key, entry)
    return tuple(out.values())


# --- which codes an episode calls for ---------------------------------------------------

@dataclass(frozen=True)
class EpisodeMilestones:
    """The days the events of one episode happened (None: not yet)."""

    role: str
    referral: date | None = None
    first_contact: date | None = None
    declined: date | None = None
    plan_agreed: date | None = None
    plan_reviewed: tuple[date, ...] = ()
    closure: date | None = None

    def days(self, event: str) -> tuple[date, ...]:
        """Return the days an event happened in this episode (none, one, or each review)."""
        if event == "plan_reviewed":
            return self.plan_reviewed
        day: date | None = getattr(self, event)
        return (day,) if day is not None else ()


REVIEW_KIND = "review"


def episode_milestones(episode: Episode, sessions: Iterable[Session] = (),
                       goals: Iterable[Goal] = ()) -> EpisodeMilestones:
    """Return when each event of an episode happened.

    Referral: the referral date. First contact: the episode's first-contact date. Declined:
    the day a declined referral was closed (else its referral date). Plan agreed: the day
    the first goal of the episode was set. Plan reviewed: each review session of the
    episode, after the plan was agreed. Closure: the closure date of a closed episode.
    """
    own = [s for s in sessions if s.episode_id is not None and s.episode_id == episode.id]
    set_days = [g.set_date for g in goals
                if g.episode_id is not None and g.episode_id == episode.id
                and g.set_date is not None]
    agreed = min(set_days) if set_days else None
    reviews = tuple(sorted({s.date for s in own if s.kind == REVIEW_KIND
                            and agreed is not None and s.date >= agreed}))
    declined = None
    if episode.status == "declined":
        declined = episode.closure_date or episode.referral_date
    closure = episode.closure_date if episode.status == "closed" else None
    return EpisodeMilestones(role=episode.role, referral=episode.referral_date,
                             first_contact=episode.first_contact_date, declined=declined,
                             plan_agreed=agreed, plan_reviewed=reviews, closure=closure)


@dataclass(frozen=True)
class CodeDue:
    """A code the worker should record in the GP system, and the day it refers to."""

    sctid: str
    term: str
    role: str
    event: str
    on: date
    shipped: bool = False

    @property
    def why(self) -> str:
        """Return the event the code records, in plain words."""
        return EVENTS[self.event]


def codes_due(milestones: EpisodeMilestones,
              entries: Iterable[CodeListEntry]) -> tuple[CodeDue, ...]:
    """Return the codes an episode calls for, in the order the events happened."""
    out: dict[tuple[str, date], CodeDue] = {}
    for entry in entries:
        if entry.role != milestones.role:
            continue
        for day in milestones.days(entry.event):
            out.setdefault((entry.sctid, day), CodeDue(entry.sctid, entry.term, entry.role,
                                                       entry.event, day, entry.shipped))
    return tuple(sorted(out.values(), key=lambda c: (c.on, EVENT_CODES.index(c.event),
                                                     not c.shipped, c.term.lower())))


def entries_by_event(entries: Iterable[CodeListEntry],
                     ) -> Mapping[tuple[str, str], tuple[CodeListEntry, ...]]:
    """Return the entries grouped by (role, event), in list order."""
    out: dict[tuple[str, str], list[CodeListEntry]] = {}
    for entry in entries:
        out.setdefault((entry.role, entry.event), []).append(entry)
    return {k: tuple(v) for k, v in out.items()}
