"""Outcome measures: ONS4 shipped, the others a PCN brings as definition files.

A PCN adds a measure it is licensed to use (or one of its own) as a TOML file in the
`measures` folder of its settings folder (paths.local_measures_dir). The file says:

    format = 1
    name = "Example wellbeing check"      # shown wherever the measure is recorded
    code = "EWC"                          # short code: letters, digits, - and _
    licence = "..."                       # the licence note, shown with every recording
    description = "..."                   # optional

    [scale]                               # the scale every item uses, unless it has its own
    min = 1
    max = 5
    labels = { 1 = "None of the time", 5 = "All of the time" }   # optional

    [total]
    method = "sum"                        # "none", "sum" or "mean"
    direction = "higher_better"           # what a higher total means (not with "none")

    [[items]]
    id = "calm"                           # lower case letters, digits and _
    label = "Calm"                        # short, for charts and reports
    wording = "I have felt calm."         # as the person is asked it
    direction = "higher_better"           # or "higher_worse"
    # scale = { min = 0, max = 10 }       # an item may have its own scale

An item whose direction differs from the total's is reversed before it is added up
(min + max - score), so a higher total always means what `total.direction` says. Scores are
whole numbers on the item's scale. A total is formed only when every item is answered.

A definition file is kept within bounds like the rules file: at most 256 KB and a regular
file, UTF-8, tables nested at most MAX_DEPTH deep, whole numbers only (so no infinities),
every name, label, wording and note in plain words, and unknown keys refused. A file with
any problem is not used, and each problem names the file and the key.

ARRS Desktop ships no licensed wording: SWEMWBS, PAM, Outcomes Star and MYCaW are each
licensed, and a PCN brings their definitions under its own licence.
"""

from __future__ import annotations

import hashlib
import json
import re
import stat
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from arrs_desktop.domain.catalogue import ONS4_ITEMS
from arrs_desktop.domain.models import OutcomeMeasure
from arrs_desktop.domain.validation import ValidationError
from arrs_desktop.standards.text import plain_text_problem, show

FORMAT_VERSION = 1
HIGHER_BETTER = "higher_better"
HIGHER_WORSE = "higher_worse"
DIRECTIONS: dict[str, str] = {HIGHER_BETTER: "higher is better",
                              HIGHER_WORSE: "higher is worse"}
TOTAL_NONE, TOTAL_SUM, TOTAL_MEAN = "none", "sum", "mean"
TOTAL_METHODS: dict[str, str] = {TOTAL_NONE: "no total", TOTAL_SUM: "the sum of the items",
                                 TOTAL_MEAN: "the mean of the items"}
TOTAL_KEY = "total"  # the key of the total in first-to-latest rows

MAX_MEASURE_BYTES = 256 * 1024
MAX_DEPTH = 5  # the file, items, an item, its scale, the scale's labels
MAX_ITEMS = 60
SCALE_LIMIT = 1000
SCALE_SPAN = 100
NAME_MAX, LABEL_MAX, WORDING_MAX, NOTE_MAX = 80, 60, 400, 600
MAX_PROBLEMS = 20
CODE_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,15}")
ITEM_ID_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,39}")
ONS4_CODE = "ONS4"
RESERVED_CODES = frozenset({ONS4_CODE})

_TOP_KEYS = ("format", "name", "code", "licence", "description", "scale", "total", "items")
_SCALE_KEYS = ("min", "max", "labels")
_TOTAL_KEYS = ("method", "direction", "label")
_ITEM_KEYS = ("id", "label", "wording", "direction", "scale")


@dataclass(frozen=True)
class Scale:
    """The whole-number scores an item takes, and the words for some of them."""

    min: int
    max: int
    labels: tuple[tuple[int, str], ...] = ()

    def contains(self, value: int) -> bool:
        """Return True when a score lies on the scale."""
        return self.min <= value <= self.max

    def label_for(self, value: int) -> str:
        """Return the words for a score, or '' when the scale gives none."""
        return dict(self.labels).get(value, "")


@dataclass(frozen=True)
class MeasureItem:
    """One item of a measure: what is asked, on what scale, and which way is better."""

    id: str
    label: str
    wording: str
    scale: Scale
    direction: str = HIGHER_BETTER


@dataclass(frozen=True)
class MeasureDefinition:
    """A checked outcome measure: its items, how a total is formed, its licence note."""

    code: str
    name: str
    licence: str
    items: tuple[MeasureItem, ...]
    total_method: str = TOTAL_NONE
    total_direction: str = HIGHER_BETTER
    total_label: str = "Total"
    description: str = ""
    source: str = ""  # the file it came from ("" when shipped)
    shipped: bool = False

    def item(self, item_id: str) -> MeasureItem:
        """Return one item by id; raise KeyError if the measure has none by that id."""
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    @property
    def item_ids(self) -> tuple[str, ...]:
        """Return the item ids in the order they are asked."""
        return tuple(it.id for it in self.items)

    @property
    def has_total(self) -> bool:
        """Return True when the measure forms a total."""
        return self.total_method != TOTAL_NONE

    def reversed_item(self, item: MeasureItem) -> bool:
        """Return True when an item is reversed before it goes into the total."""
        return self.has_total and item.direction != self.total_direction

    @property
    def total_range(self) -> tuple[float, float] | None:
        """Return the lowest and highest total possible, or None with no total."""
        if not self.has_total:
            return None
        low = sum(it.scale.min for it in self.items)
        high = sum(it.scale.max for it in self.items)
        if self.total_method == TOTAL_MEAN:
            return (round(low / len(self.items), 2), round(high / len(self.items), 2))
        return (float(low), float(high))

    @property
    def fingerprint(self) -> str:
        """Return a hash of everything that gives a score its meaning.

        Stored with each recording, so a changed definition is never used to read scores
        recorded under an older one without it being noticed.
        """
        content = {
            "code": self.code,
            "items": [[it.id, it.wording, it.scale.min, it.scale.max, it.direction]
                      for it in self.items],
            "total": [self.total_method, self.total_direction],
        }
        text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _ons4() -> MeasureDefinition:
    wording = {
        "life_satisfaction": "Overall, how satisfied are you with your life nowadays?",
        "worthwhile": "Overall, to what extent do you feel that the things you do in your "
                      "life are worthwhile?",
        "happy": "Overall, how happy did you feel yesterday?",
        "anxious": "On a scale where 0 is 'not at all anxious' and 10 is 'completely "
                   "anxious', overall, how anxious did you feel yesterday?",
    }
    scale = Scale(0, 10, ((0, "Not at all"), (10, "Completely")))
    items = tuple(
        MeasureItem(item_id, label.replace(" (higher is worse)", ""), wording[item_id], scale,
                    HIGHER_WORSE if item_id == "anxious" else HIGHER_BETTER)
        for item_id, label in ONS4_ITEMS.items())
    return MeasureDefinition(
        code=ONS4_CODE, name="ONS4 personal well-being", items=items,
        licence="The ONS personal well-being questions, Office for National Statistics, "
                "Open Government Licence v3.0.",
        description="Four separate 0 to 10 scores, never totalled. For anxiety, higher is "
                    "worse.",
        shipped=True)


# The one measure shipped with the product: four separate items, never totalled.
ONS4 = _ons4()


# --- reading a definition file -------------------------------------------------------------

@dataclass(frozen=True)
class MeasureProblem:
    """Something wrong in a measure definition: which file, where in it, and what."""

    file: str
    location: str  # a key such as "items[2].scale.max", or "line 3, column 7"
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.location}" if self.location else self.file
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class MeasureLoad:
    """A definition read from a file, or (with any problem) none and the problems."""

    definition: MeasureDefinition | None
    problems: tuple[MeasureProblem, ...] = ()

    @property
    def messages(self) -> list[str]:
        """Return the problems as plain lines of text."""
        return [str(p) for p in self.problems]


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _too_deep(data: Mapping[str, Any]) -> str | None:
    """Return the key path where tables or lists nest deeper than MAX_DEPTH, or None."""
    stack: list[tuple[object, tuple[str, ...]]] = [(data, ())]
    while stack:
        value, where = stack.pop()
        if len(where) >= MAX_DEPTH:
            return ".".join(where)
        if isinstance(value, dict):
            stack.extend((v, (*where, str(k)[:40])) for k, v in value.items()
                         if isinstance(v, dict | list))
        elif isinstance(value, list):
            stack.extend((v, (*where, f"[{i}]")) for i, v in enumerate(value)
                         if isinstance(v, dict | list))
    return None


class _Checker:
    """Collect problems for one file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[MeasureProblem] = []

    def add(self, location: str, message: str) -> None:
        self.problems.append(MeasureProblem(self.file, location, message))

    def keys(self, table: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
        for key in table:
            if key not in allowed:
                loc = f"{where}.{str(key)[:40]}" if where else str(key)[:40]
                self.add(loc, f"unknown key (expected one of: {', '.join(allowed)})")

    def text(self, table: Mapping[str, Any], key: str, where: str, max_len: int, *,
             required: bool = True, multiline: bool = False) -> str:
        loc = f"{where}.{key}" if where else key
        value = table.get(key)
        if value is None:
            if required:
                self.add(loc, "is missing")
            return ""
        if not isinstance(value, str):
            self.add(loc, f"must be text in quotes, not {show(value)}")
            return ""
        value = value.strip()
        if required and not value:
            self.add(loc, "is empty")
            return ""
        problem = plain_text_problem(value, max_len=max_len, multiline=multiline)
        if problem:
            self.add(loc, problem)
            return ""
        return value

    def choice(self, table: Mapping[str, Any], key: str, where: str,
               choices: Mapping[str, str]) -> str | None:
        loc = f"{where}.{key}" if where else key
        value = table.get(key)
        if value is None:
            self.add(loc, f"is missing (one of: {', '.join(choices)})")
            return None
        if not isinstance(value, str) or value not in choices:
            self.add(loc, f"must be one of {', '.join(choices)}, not {show(value)}")
            return None
        return value

    def scale(self, value: object, where: str) -> Scale | None:
        if not isinstance(value, dict):
            self.add(where, f"must be a table with min and max, not {show(value)}")
            return None
        self.keys(value, _SCALE_KEYS, where)
        bounds: list[int] = []
        for key in ("min", "max"):
            got = value.get(key)
            if got is None:
                self.add(f"{where}.{key}", "is missing (a whole number)")
            elif not _is_int(got):
                self.add(f"{where}.{key}", f"must be a whole number, not {show(got)}")
            elif not -SCALE_LIMIT <= got <= SCALE_LIMIT:
                self.add(f"{where}.{key}", f"must be from {-SCALE_LIMIT} to {SCALE_LIMIT}")
            else:
                bounds.append(got)
        if len(bounds) != 2:
            return None
        low, high = bounds
        if low >= high:
            self.add(where, f"min ({low}) must be below max ({high})")
            return None
        if high - low > SCALE_SPAN:
            self.add(where, f"spans {high - low} points; at most {SCALE_SPAN}")
            return None
        labels: list[tuple[int, str]] = []
        raw_labels = value.get("labels", {})
        if not isinstance(raw_labels, dict):
            self.add(f"{where}.labels", "must be a table of score = \"words\"")
            raw_labels = {}
        for key, words in raw_labels.items():
            loc = f"{where}.labels.{str(key)[:20]}"
            text = str(key).strip()
            if not re.fullmatch(r"-?\d{1,4}", text):
                self.add(loc, "each label's key is a score (a whole number)")
                continue
            score = int(text)
            if not low <= score <= high:
                self.add(loc, f"is not on the scale ({low} to {high})")
                continue
            if not isinstance(words, str) or not words.strip():
                self.add(loc, "must be words in quotes")
                continue
            problem = plain_text_problem(words.strip(), max_len=LABEL_MAX)
            if problem:
                self.add(loc, problem)
                continue
            labels.append((score, words.strip()))
        return Scale(low, high, tuple(sorted(labels)))


def _syntax_problem(file: str, exc: tomllib.TOMLDecodeError) -> MeasureProblem:
    text = str(exc)
    match = re.search(r"\s*\(at line (\d+), column (\d+)\)\s*$", text)
    if match:
        return MeasureProblem(file, f"line {match.group(1)}, column {match.group(2)}",
                              f"TOML syntax error: {text[: match.start()]}")
    return MeasureProblem(file, "", f"TOML syntax error: {text}")


def parse_measure_definition(raw: bytes, file: str = "measure definition") -> MeasureLoad:
    """Read and check a measure definition; any problem and no definition is given."""
    if len(raw) > MAX_MEASURE_BYTES:
        return MeasureLoad(None, (MeasureProblem(
            file, "", f"is larger than {MAX_MEASURE_BYTES // 1024} KB"),))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return MeasureLoad(None, (MeasureProblem(file, f"line {line}",
                                                 "is not UTF-8 text"),))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return MeasureLoad(None, (_syntax_problem(file, exc),))
    except RecursionError:
        return MeasureLoad(None, (MeasureProblem(
            file, "", f"is nested too deeply to read (at most {MAX_DEPTH} deep)"),))
    deep = _too_deep(data)
    if deep is not None:
        return MeasureLoad(None, (MeasureProblem(
            file, deep, f"is nested more than {MAX_DEPTH} levels deep"),))
    check = _Checker(file)
    definition = _build(data, check)
    problems = check.problems
    if problems:
        if len(problems) > MAX_PROBLEMS:
            more = len(problems) - MAX_PROBLEMS
            problems = [*problems[:MAX_PROBLEMS],
                        MeasureProblem(file, "", f"and {more} more problems")]
        return MeasureLoad(None, tuple(problems))
    return MeasureLoad(definition)


def _build(data: Mapping[str, Any], check: _Checker) -> MeasureDefinition | None:
    check.keys(data, _TOP_KEYS, "")
    version = data.get("format")
    if version is None:
        check.add("format", f"is missing (write format = {FORMAT_VERSION} at the top)")
    elif not _is_int(version) or version != FORMAT_VERSION:
        check.add("format", f"must be {FORMAT_VERSION}, not {show(version)}")
    name = check.text(data, "name", "", NAME_MAX)
    code = check.text(data, "code", "", 16)
    if code and not CODE_PATTERN.fullmatch(code):
        check.add("code", "must start with a letter and hold only letters, digits, - and _ "
                          "(at most 16)")
    elif code.upper() in RESERVED_CODES:
        check.add("code", f"{code} is the measure shipped with ARRS Desktop: choose "
                          "another code")
    licence = check.text(data, "licence", "", NOTE_MAX, multiline=True)
    description = check.text(data, "description", "", NOTE_MAX, required=False,
                             multiline=True)

    default_scale = None
    if "scale" in data:
        default_scale = check.scale(data["scale"], "scale")

    total_method, total_direction, total_label = TOTAL_NONE, HIGHER_BETTER, "Total"
    total = data.get("total")
    if total is None:
        check.add("total", "is missing (a [total] table with method = \"none\", \"sum\" or "
                           "\"mean\")")
    elif not isinstance(total, dict):
        check.add("total", "must be a table ([total])")
    else:
        check.keys(total, _TOTAL_KEYS, "total")
        total_method = check.choice(total, "method", "total", TOTAL_METHODS) or TOTAL_NONE
        if total_method == TOTAL_NONE:
            if "direction" in total:
                check.add("total.direction", "has no meaning with method = \"none\"")
        else:
            total_direction = check.choice(total, "direction", "total",
                                           DIRECTIONS) or HIGHER_BETTER
        total_label = check.text(total, "label", "total", LABEL_MAX,
                                 required=False) or "Total"

    items: list[MeasureItem] = []
    raw_items = data.get("items")
    if raw_items is None:
        check.add("items", "is missing (each item is an [[items]] table)")
        raw_items = []
    elif not isinstance(raw_items, list) or not all(isinstance(i, dict) for i in raw_items):
        check.add("items", "must be a list of [[items]] tables")
        raw_items = []
    elif not raw_items:
        check.add("items", "is empty (a measure has at least one item)")
    elif len(raw_items) > MAX_ITEMS:
        check.add("items", f"has {len(raw_items)} items; at most {MAX_ITEMS}")
        raw_items = []
    seen: set[str] = set()
    for n, raw_item in enumerate(raw_items):
        where = f"items[{n + 1}]"
        check.keys(raw_item, _ITEM_KEYS, where)
        item_id = check.text(raw_item, "id", where, 40)
        if item_id and not ITEM_ID_PATTERN.fullmatch(item_id):
            check.add(f"{where}.id", "must start with a lower case letter and hold only "
                                     "lower case letters, digits and _")
        elif item_id in seen:
            check.add(f"{where}.id", f"{item_id} is used by an earlier item")
        elif item_id == TOTAL_KEY:
            check.add(f"{where}.id", "total is kept for the measure's total")
        seen.add(item_id)
        label = check.text(raw_item, "label", where, LABEL_MAX)
        wording = check.text(raw_item, "wording", where, WORDING_MAX, multiline=True)
        direction = check.choice(raw_item, "direction", where, DIRECTIONS)
        scale = default_scale
        if "scale" in raw_item:
            scale = check.scale(raw_item["scale"], f"{where}.scale")
        elif "scale" not in data:
            check.add(f"{where}.scale", "is missing (give the item a scale, or give the "
                                        "file a [scale] for every item)")
        if scale is not None and direction is not None:
            items.append(MeasureItem(item_id, label, wording, scale, direction))
    if check.problems:
        return None
    return MeasureDefinition(code=code, name=name, licence=licence, items=tuple(items),
                             total_method=total_method, total_direction=total_direction,
                             total_label=total_label, description=description,
                             source=check.file)


def read_measure_definition(path: str | Path) -> MeasureLoad:
    """Read a measure definition file (a regular file of at most MAX_MEASURE_BYTES)."""
    path = Path(path)
    where = str(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return MeasureLoad(None, (MeasureProblem(where, "", "is not a regular file"),))
        if info.st_size > MAX_MEASURE_BYTES:
            return MeasureLoad(None, (MeasureProblem(
                where, "", f"is larger than {MAX_MEASURE_BYTES // 1024} KB"),))
        with path.open("rb") as fh:
            raw = fh.read(MAX_MEASURE_BYTES + 1)
    except FileNotFoundError:
        return MeasureLoad(None, (MeasureProblem(where, "", "file not found"),))
    except OSError as exc:
        return MeasureLoad(None, (MeasureProblem(
            where, "", f"cannot be read ({exc.strerror or exc})"),))
    return parse_measure_definition(raw, where)


@dataclass(frozen=True)
class MeasuresLoad:
    """The measures to offer (ONS4 first), and the problems of any file not used."""

    definitions: tuple[MeasureDefinition, ...]
    problems: tuple[MeasureProblem, ...] = ()

    @property
    def messages(self) -> list[str]:
        """Return the problems as plain lines of text."""
        return [str(p) for p in self.problems]

    def by_code(self, code: str) -> MeasureDefinition | None:
        """Return the measure with a code (any case), or None."""
        for d in self.definitions:
            if d.code.upper() == code.upper():
                return d
        return None


MAX_MEASURE_FILES = 50


def load_measures(folder: str | Path | None) -> MeasuresLoad:
    """Return ONS4 and every good definition in a folder (`*.toml`, read in name order).

    Each file stands alone: a bad file is left out with its problems, the others are used.
    Two files with one code: the first (by file name) is used and the other is refused.
    """
    found: list[MeasureDefinition] = [ONS4]
    problems: list[MeasureProblem] = []
    if folder is None or not Path(folder).is_dir():
        return MeasuresLoad(tuple(found))
    files = sorted(Path(folder).glob("*.toml"))
    if len(files) > MAX_MEASURE_FILES:
        problems.append(MeasureProblem(str(folder), "", f"holds {len(files)} measure files; "
                                       f"only the first {MAX_MEASURE_FILES} are read"))
        files = files[:MAX_MEASURE_FILES]
    for path in files:
        load = read_measure_definition(path)
        if load.definition is None:
            problems += load.problems
            continue
        clash = next((d for d in found if d.code.upper() == load.definition.code.upper()),
                     None)
        if clash is not None:
            problems.append(MeasureProblem(str(path), "code", f"{load.definition.code} is "
                                           f"already the code of {clash.source or clash.name}"))
            continue
        found.append(load.definition)
    return MeasuresLoad(tuple(found), tuple(problems))


# --- scoring ------------------------------------------------------------------------------

@dataclass(frozen=True)
class MeasureScore:
    """One recording of a measure: the answers given and, if formed, the total."""

    code: str
    answers: tuple[tuple[str, int], ...]  # item id -> score, in the order asked
    total: float | None = None
    why_no_total: str = ""  # when there is no total: why


def answer_problems(definition: MeasureDefinition,
                    answers: Mapping[str, object]) -> dict[str, str]:
    """Return item id -> why its answer is wrong (an empty dict when all are right)."""
    out: dict[str, str] = {}
    known = set(definition.item_ids)
    for key in answers:
        if key not in known:
            out[str(key)] = f"is not an item of {definition.name}"
    for item in definition.items:
        value = answers.get(item.id)
        if value is None or value == "":
            continue
        scale = item.scale
        if not isinstance(value, int) or isinstance(value, bool) or not scale.contains(value):
            out[item.id] = f"must be a whole number from {scale.min} to {scale.max}"
    return out


def scored(definition: MeasureDefinition, item: MeasureItem, value: int) -> int:
    """Return an item's score as it goes into the total (reversed when its way differs)."""
    if definition.reversed_item(item):
        return item.scale.min + item.scale.max - value
    return value


def score_measure(definition: MeasureDefinition,
                  answers: Mapping[str, int | None]) -> MeasureScore:
    """Return a recording's answers and total; raise ValidationError naming wrong items.

    Items may be left unanswered; a total is formed only when every item is answered.
    """
    problems = answer_problems(definition, answers)
    if problems:
        raise ValidationError(problems)
    given = tuple((it.id, v) for it in definition.items
                  if (v := answers.get(it.id)) is not None)
    if not definition.has_total:
        return MeasureScore(definition.code, given, None, "this measure is never totalled")
    if len(given) < len(definition.items):
        return MeasureScore(definition.code, given, None,
                            f"not every item was answered ({len(given)} of "
                            f"{len(definition.items)})")
    values = [scored(definition, definition.item(k), v) for k, v in given]
    total: float = float(sum(values))
    if definition.total_method == TOTAL_MEAN:
        total = round(total / len(values), 2)
    return MeasureScore(definition.code, given, total)


# --- first to latest -------------------------------------------------------------------------

@dataclass(frozen=True)
class MeasureRecord:
    """A measure recorded for a person on a day (in a session of a role, if known)."""

    person_id: str
    date: date
    scores: tuple[tuple[str, int], ...]
    role: str | None = None
    session_id: str | None = None
    id: str = ""  # orders two recordings on one day
    code: str = ""  # the measure's code (ONS4 for ONS4 recordings)

    def score(self, item_id: str) -> int | None:
        """Return the score of one item, or None when it was not answered."""
        return dict(self.scores).get(item_id)


def ons4_records(outcomes: Iterable[OutcomeMeasure],
                 roles: Mapping[str, str] | None = None) -> tuple[MeasureRecord, ...]:
    """Return ONS4 recordings from outcome rows (roles: session id -> role, if known)."""
    out = []
    for o in outcomes:
        if o.ons4 is None:
            continue
        scores = tuple((k, int(getattr(o.ons4, k))) for k in ONS4.item_ids)
        role = (roles or {}).get(o.session_id or "")
        out.append(MeasureRecord(o.person_id, o.date, scores, role, o.session_id, o.id or "",
                                 ONS4_CODE))
    return tuple(out)


def value_of(definition: MeasureDefinition, record: MeasureRecord, key: str) -> float | None:
    """Return one item's score (or the total, for TOTAL_KEY) in a recording, or None."""
    if key != TOTAL_KEY:
        score = record.score(key)
        return None if score is None else float(score)
    if not definition.has_total:
        return None
    answers = dict(record.scores)
    if any(it.id not in answers for it in definition.items):
        return None
    try:
        return score_measure(definition, answers).total
    except ValidationError:
        return None


def _keys(definition: MeasureDefinition) -> list[tuple[str, str, str]]:
    """Return (key, label, direction) for each item, then the total if the measure has one."""
    keys = [(it.id, it.label, it.direction) for it in definition.items]
    if definition.has_total:
        keys.append((TOTAL_KEY, definition.total_label, definition.total_direction))
    return keys


def _ordered(records: Iterable[MeasureRecord], up_to: date | None) -> list[MeasureRecord]:
    return sorted((r for r in records if up_to is None or r.date <= up_to),
                  key=lambda r: (r.date, r.id))


@dataclass(frozen=True)
class FirstLatest:
    """One person's first and latest score on one item (or the total)."""

    key: str
    label: str
    direction: str
    first: float
    latest: float
    first_on: date
    latest_on: date
    scores: int  # how many recordings have this score

    @property
    def change(self) -> float:
        """Return latest minus first."""
        return round(self.latest - self.first, 2)

    @property
    def reading(self) -> str:
        """Return what the change means: 'better', 'worse' or 'no change'."""
        if self.change == 0 or self.scores < 2:
            return "no change"
        better = (self.change > 0) == (self.direction == HIGHER_BETTER)
        return "better" if better else "worse"


def first_to_latest(definition: MeasureDefinition, records: Iterable[MeasureRecord],
                    up_to: date | None = None) -> tuple[FirstLatest, ...]:
    """Return one person's first and latest score per item (then total), up to a day.

    Items never scored are left out; an item scored once has the same first and latest.
    """
    ordered = _ordered(records, up_to)
    out = []
    for key, label, direction in _keys(definition):
        points = [(r.date, v) for r in ordered
                  if (v := value_of(definition, r, key)) is not None]
        if points:
            out.append(FirstLatest(key, label, direction, points[0][1], points[-1][1],
                                   points[0][0], points[-1][0], len(points)))
    return tuple(out)


@dataclass(frozen=True)
class ChangeRow:
    """The mean change from first to latest score on one item, over people."""

    key: str
    label: str
    direction: str
    people: int
    mean_first: float | None
    mean_latest: float | None
    mean_change: float | None


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def change_summary(definition: MeasureDefinition, records: Iterable[MeasureRecord],
                   start: date, end: date) -> tuple[ChangeRow, ...]:
    """Return the mean first-to-latest change per item (then total), as ONS4 is reported.

    A person counts for an item when they have a recording in the period and at least two
    scores on it in all: first is their first score ever, latest their latest on or before
    the period's last day.
    """
    by_person: dict[str, list[MeasureRecord]] = {}
    for r in records:
        if r.date <= end:
            by_person.setdefault(r.person_id, []).append(r)
    rows = []
    for key, label, direction in _keys(definition):
        firsts: list[float] = []
        latests: list[float] = []
        for person_records in by_person.values():
            if not any(start <= r.date <= end for r in person_records):
                continue
            points = [v for r in _ordered(person_records, end)
                      if (v := value_of(definition, r, key)) is not None]
            if len(points) >= 2:
                firsts.append(points[0])
                latests.append(points[-1])
        change = _mean([b - a for a, b in zip(firsts, latests, strict=True)])
        rows.append(ChangeRow(key, label, direction, len(firsts), _mean(firsts),
                              _mean(latests), change))
    return tuple(rows)


CHANGE_COLUMNS = ("Role", "Item", "Better when", "People with both scores", "Mean first score",
                  "Mean latest score", "Mean change")


def change_table_rows(definition: MeasureDefinition, records: Iterable[MeasureRecord],
                      start: date, end: date, roles: Iterable[tuple[str | None, str]],
                      ) -> tuple[tuple[object, ...], ...]:
    """Return rows shaped like the ONS4 change table, per role (None: every role).

    `roles` gives (role code or None, its name); only recordings of a role count for it.
    """
    records = tuple(records)
    out: list[tuple[object, ...]] = []
    for role, name in roles:
        mine = [r for r in records if role is None or r.role == role]
        for row in change_summary(definition, mine, start, end):
            out.append((name, row.label, "Higher" if row.direction == HIGHER_BETTER
                        else "Lower", row.people, row.mean_first, row.mean_latest,
                        row.mean_change))
    return tuple(out)


def change_note(definition: MeasureDefinition) -> str:
    """Return the note printed under a measure's change table: directions and licence."""
    worse = [it.label for it in definition.items if it.direction == HIGHER_WORSE]
    parts = []
    if not definition.has_total:
        parts.append("Each item is reported on its own and never totalled.")
    else:
        parts.append(f"The {definition.total_label.lower()} is "
                     f"{TOTAL_METHODS[definition.total_method]}"
                     + (", with items scored the other way reversed first."
                        if any(definition.reversed_item(it) for it in definition.items)
                        else "."))
    if worse:
        parts.append(f"Lower is better for: {', '.join(worse)}, so a fall is an improvement.")
    parts.append(definition.licence)
    return " ".join(parts)
