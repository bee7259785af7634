"""Match a person's needs to the three personalised-care roles, using a rules file.

The rules live in a TOML file (`resources/rules/roles.toml`, shipped inside the package and
read with importlib.resources). For every need in the catalogue they give weighted
evidence for one or more roles, each piece with a short reason in plain words, plus a
description of each role and two settings:

- a role's score is the sum of the weights of the person's needs that are evidence for it
  (rounded to 2 decimal places);
- roles are ranked by score, ties broken by the fixed role order splw, cc, hwbc;
- the rank-1 role is the lead whenever at least one need is given;
- another role is supporting when its score is at least `supporting_threshold` times the
  lead's score and at least `supporting_min_score`;
- with no needs there is no lead and the message says there is no clear match yet.

A PCN can override the shipped rules with its own file (`rules.toml` in the settings
folder, or a path given with `--rules`). The override may be partial: each need it lists
replaces the shipped evidence for that need entirely, each role description or setting it
gives replaces the shipped one, and everything else is inherited from the shipped file.
If the override has any problem (TOML syntax, unknown need, role or key, a negative or
non-numeric weight, a missing reason, ...) none of it is used: `load_rules` returns the
shipped rules together with messages naming the file and the key or line. It never
raises for a bad override; only a broken shipped file (a packaging fault) raises.

A rules file is kept within bounds, so no file can stop the window starting or empty a
view: at most MAX_RULES_BYTES (1 MB; a complete file is about 6 KB) and a regular file
(not a device or a pipe); tables and lists nested at most MAX_DEPTH deep; weights finite,
from 0 to MAX_WEIGHT; settings finite and in range; descriptions and reasons plain text
(no markup, control or hidden direction characters) of a sensible length.
"""

from __future__ import annotations

import math
import re
import stat
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import Any

from arrs_desktop import paths
from arrs_desktop.domain.catalogue import NEED_IDS, NEEDS_BY_ID, ROLE_CODES, ROLES_BY_CODE
from arrs_desktop.domain.validation import has_control_chars, hidden_character_problem

RULES_VERSION = 1
NO_MATCH_MESSAGE = "No clear match yet: record the person's needs to see which role fits."

_SETTINGS_DEFAULTS: dict[str, float] = {
    "supporting_threshold": 0.5,
    "supporting_min_score": 2.0,
}
_TOP_LEVEL_KEYS = ("version", "settings", "roles", "needs")

MAX_RULES_BYTES = 1024 * 1024  # a complete rules file is about 6 KB
MAX_DEPTH = 6  # tables and lists inside each other: the file itself, needs.<need>.<role>
MAX_WEIGHT = 1000  # shipped weights are 1 to 3; any sum of them stays a small number
MAX_MIN_SCORE = 100_000.0
MIN_THRESHOLD = 0.01
DESCRIPTION_MAX = 600  # characters
REASON_MAX = 300
MAX_PROBLEMS = 20  # told one by one; the rest are counted
_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?][^<>]*>|&(#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);")
_NEED_ORDER = {need_id: i for i, need_id in enumerate(NEED_IDS)}
_ROLE_ORDER = {code: i for i, code in enumerate(ROLE_CODES)}


@dataclass(frozen=True)
class Evidence:
    """One need's evidence for one role: how strong, and why, in plain words."""

    role: str
    weight: float
    reason: str


@dataclass(frozen=True)
class Rules:
    """A complete, checked set of role-match rules."""

    evidence: Mapping[str, tuple[Evidence, ...]]  # need id -> evidence, in role order
    role_descriptions: Mapping[str, str]  # role code -> description
    supporting_threshold: float = _SETTINGS_DEFAULTS["supporting_threshold"]
    supporting_min_score: float = _SETTINGS_DEFAULTS["supporting_min_score"]
    version: int = RULES_VERSION
    sources: tuple[str, ...] = ()  # files the rules came from, shipped file first


@dataclass(frozen=True)
class RulesProblem:
    """Something wrong in a rules file: which file, where in it, and what."""

    path: str
    location: str  # a key path such as "needs.lonelyness", or "line 3, column 7"
    message: str

    def __str__(self) -> str:
        where = f"{self.path}: {self.location}" if self.location else self.path
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class RulesLoad:
    """The rules to use, and any problems found in a PCN's own rules file."""

    rules: Rules
    problems: tuple[RulesProblem, ...] = ()
    override_path: str | None = None  # the PCN file looked at, if any
    override_used: bool = False

    @property
    def messages(self) -> list[str]:
        """Return the problems as plain lines of text."""
        return [str(p) for p in self.problems]


@dataclass(frozen=True)
class RoleMatch:
    """How well one role fits a set of needs."""

    role: str
    name: str
    score: float
    rank: int
    reasons: tuple[str, ...] = ()

    def to_json_dict(self) -> dict[str, Any]:
        """Return the role's entry of the `arrs match --json` contract."""
        return {
            "role": self.role,
            "name": self.name,
            "score": self.score,
            "rank": self.rank,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class MatchResult:
    """Every role ranked for a set of needs, with a lead and any supporting roles."""

    lead: str | None
    supporting: tuple[str, ...]
    roles: tuple[RoleMatch, ...]  # in rank order
    message: str
    needs: tuple[str, ...] = field(default=())  # the needs matched, in catalogue order

    def to_json_dict(self) -> dict[str, Any]:
        """Return exactly the `arrs match --json` contract: lead, supporting, roles."""
        return {
            "lead": self.lead,
            "supporting": list(self.supporting),
            "roles": [r.to_json_dict() for r in self.roles],
        }

    def standing(self, code: str) -> str:
        """Return a role's standing in this match: "lead", "supporting" or ""."""
        if code == self.lead:
            return "lead"
        return "supporting" if code in self.supporting else ""

    def for_role(self, code: str) -> RoleMatch:
        """Return the match of one role."""
        for match in self.roles:
            if match.role == code:
                return match
        raise KeyError(code)


class RulesFileError(Exception):
    """The shipped rules file is unusable (a fault in the product, not the PCN's file)."""


# --- matching -----------------------------------------------------------------------------


def check_need_ids(needs: Iterable[str]) -> tuple[str, ...]:
    """Return the distinct needs in catalogue order; raise ValueError naming unknown ids."""
    if isinstance(needs, str):
        raise TypeError("needs must be a collection of need ids, not one string")
    given = set()
    unknown = []
    for need in needs:
        if need in NEEDS_BY_ID:
            given.add(need)
        elif need not in unknown:
            unknown.append(need)
    if unknown:
        names = ", ".join(repr(n) for n in unknown)
        raise ValueError(
            f"unknown need id{'s' if len(unknown) > 1 else ''} {names}; "
            f"valid ids: {', '.join(NEED_IDS)}"
        )
    return tuple(sorted(given, key=_NEED_ORDER.__getitem__))


def role_scores(needs: Iterable[str], rules: Rules) -> dict[str, float]:
    """Return each role's score for a set of needs: the sum of the weights of the needs
    that are evidence for it, rounded to 2 places (needs not in the rules add nothing).

    The one scoring rule: the role match, triage's ranking and the reports all use it.
    """
    weights: dict[str, list[float]] = {code: [] for code in ROLE_CODES}
    for need in set(needs):
        for ev in rules.evidence.get(need, ()):
            weights[ev.role].append(ev.weight)
    # fsum is the correctly rounded exact sum, so adding a weight never lowers a score.
    return {code: round(math.fsum(weights[code]), 2) for code in ROLE_CODES}


def rank_roles(scores: Mapping[str, float]) -> list[str]:
    """Return the role codes by score, highest first; ties in the fixed role order."""
    return sorted(ROLE_CODES, key=lambda code: (-scores[code], _ROLE_ORDER[code]))


def lead_of(needs: Iterable[str], rules: Rules) -> tuple[str, float]:
    """Return the suggested lead for a set of needs and its score (triage's ranking)."""
    scores = role_scores(needs, rules)
    lead = rank_roles(scores)[0]
    return lead, scores[lead]


def match_roles(needs: Iterable[str], rules: Rules) -> MatchResult:
    """Rank the three roles for a set of needs (order and repeats of needs don't matter)."""
    chosen = check_need_ids(needs)
    found: dict[str, list[tuple[float, int, str]]] = {code: [] for code in ROLE_CODES}
    for need in chosen:
        for ev in rules.evidence.get(need, ()):
            if ev.weight > 0:
                found[ev.role].append((-ev.weight, _NEED_ORDER[need], ev.reason))
    scores = role_scores(chosen, rules)
    order = rank_roles(scores)
    roles = tuple(
        RoleMatch(
            role=code,
            name=ROLES_BY_CODE[code].name,
            score=scores[code],
            rank=rank,
            reasons=tuple(reason for _, _, reason in sorted(found[code])),
        )
        for rank, code in enumerate(order, start=1)
    )
    if not chosen:
        return MatchResult(None, (), roles, NO_MATCH_MESSAGE, chosen)
    lead = order[0]
    bar = max(rules.supporting_threshold * scores[lead], rules.supporting_min_score)
    supporting = tuple(
        code for code in order[1:] if scores[code] > 0 and scores[code] >= bar - 1e-9
    )
    return MatchResult(lead, supporting, roles, _describe(lead, supporting), chosen)


def _describe(lead: str, supporting: tuple[str, ...]) -> str:
    """Return one sentence naming the suggested lead and supporting roles."""
    text = f"Suggested lead: {ROLES_BY_CODE[lead].name}"
    if supporting:
        names = [ROLES_BY_CODE[code].name for code in supporting]
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        text += f", with support from {joined}"
    return text + "."


# --- reading rules files ------------------------------------------------------------------


def load_shipped_rules(shipped: str | Path | Traversable | None = None) -> Rules:
    """Load only the rules shipped with the product; raise RulesFileError if they are bad."""
    if shipped is None:
        shipped_path = paths.shipped_rules_path()  # read through importlib.resources
    else:
        shipped_path = shipped if isinstance(shipped, Traversable) else Path(shipped)
    data, problems = _read_toml(shipped_path)
    if not problems:
        problems = _check(data, shipped_path, complete=True)
    if problems:
        raise RulesFileError("; ".join(str(p) for p in problems))
    return _build(data, (str(shipped_path),))


def load_rules(path: str | Path | None = None, *, shipped: str | Path | None = None) -> RulesLoad:
    """Load the rules: the shipped file, overlaid with a PCN's file if there is a good one.

    `path` is the PCN's file (`--rules`); without it, `rules.toml` in the settings folder
    is used when it exists. A bad PCN file gives problems and the shipped rules alone.
    """
    base = load_shipped_rules(shipped)

    if path is None:
        local = paths.local_rules_path()
        if not local.is_file():
            return RulesLoad(base)
        override_path = local
    else:
        override_path = Path(path).expanduser()

    over, problems = _read_toml(override_path)
    if not problems:
        problems = _check(over, override_path, complete=False)
    if problems:
        if len(problems) > MAX_PROBLEMS:
            more = len(problems) - MAX_PROBLEMS
            problems = [*problems[:MAX_PROBLEMS],
                        RulesProblem(str(override_path), "", f"and {more} more problems")]
        return RulesLoad(base, tuple(problems), str(override_path), False)
    merged = _merge(base, over, str(override_path))
    return RulesLoad(merged, (), str(override_path), True)


def _read_toml(path: Path | Traversable) -> tuple[dict[str, Any], list[RulesProblem]]:
    """Read and parse a TOML file, turning every failure into a problem naming the file."""
    where = str(path)
    if not isinstance(path, Path):  # a file shipped inside the package: read it as it is
        try:
            return _parse_toml(path.read_bytes(), where)
        except OSError as exc:
            return {}, [RulesProblem(where, "", f"cannot be read ({exc})")]
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            return {}, [RulesProblem(where, "", "cannot be read (it is a folder)")]
        if not stat.S_ISREG(info.st_mode):
            return {}, [RulesProblem(where, "", "is not a regular file (a rules file is "
                                                "a text file)")]
        if info.st_size > MAX_RULES_BYTES:
            return {}, [_too_big(where, info.st_size)]
        with path.open("rb") as fh:
            raw = fh.read(MAX_RULES_BYTES + 1)  # the file may have grown since
    except FileNotFoundError:
        return {}, [RulesProblem(where, "", "file not found")]
    except OSError as exc:
        return {}, [RulesProblem(where, "", f"cannot be read ({exc.strerror or exc})")]
    if len(raw) > MAX_RULES_BYTES:
        return {}, [_too_big(where, len(raw))]
    return _parse_toml(raw, where)


def _too_big(where: str, size: int) -> RulesProblem:
    shown = f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size} bytes"
    return RulesProblem(where, "", f"is larger than {MAX_RULES_BYTES // (1024 * 1024)} MB "
                                   f"(it is {shown}; a complete rules file is about 6 KB)")


def _parse_toml(raw: bytes, where: str) -> tuple[dict[str, Any], list[RulesProblem]]:
    """Parse the bytes of a rules file; refuse text that is not UTF-8 or nests too deep."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return {}, [RulesProblem(where, f"line {line}", "is not UTF-8 text")]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return {}, [_syntax_problem(where, exc)]
    except RecursionError:  # lists or inline tables inside each other thousands deep
        return {}, [RulesProblem(where, "", f"is nested too deeply to read (tables and "
                                            f"lists may go at most {MAX_DEPTH} deep)")]
    deep = _too_deep(data)
    if deep is not None:
        return {}, [RulesProblem(where, deep, f"is nested more than {MAX_DEPTH} levels deep "
                                              "(a rule is needs.<need>.<role>)")]
    return data, []


def _too_deep(data: dict[str, Any]) -> str | None:
    """Return the key path where tables or lists nest deeper than MAX_DEPTH, or None."""
    stack: list[tuple[object, tuple[str, ...]]] = [(data, ())]
    while stack:
        value, where = stack.pop()
        if len(where) >= MAX_DEPTH:
            return ".".join(_key(k) for k in where)
        if isinstance(value, dict):
            stack.extend((v, (*where, str(k))) for k, v in value.items()
                         if isinstance(v, dict | list))
        elif isinstance(value, list):
            stack.extend((v, (*where, f"[{i}]")) for i, v in enumerate(value)
                         if isinstance(v, dict | list))
    return None


def _key(key: object) -> str:
    """Return a key as it goes in a message: cut short if someone wrote a very long one."""
    text = str(key)
    return text if len(text) <= 60 else text[:57] + "..."


def _show(value: object) -> str:
    """Return a value as it goes in a message: short, never a whole nested structure."""
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _wording_problem(text: str, max_len: int) -> str | None:
    """Return why a description or reason cannot be shown as plain words, or None."""
    if len(text) > max_len:
        return f"is too long ({len(text)} characters; at most {max_len})"
    if has_control_chars(text, allow_newlines=True):
        return "contains control characters"
    hidden = hidden_character_problem(text, names=False)
    if hidden:
        return hidden
    markup = _MARKUP.search(text)
    if markup:
        return (f"must be plain text, not markup ({_show(markup.group(0))} would be shown as "
                "typed); write it in plain words")
    return None


_AT_LINE = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_AT_END = re.compile(r"\s*\(at end of document\)\s*$")


def _syntax_problem(where: str, exc: tomllib.TOMLDecodeError) -> RulesProblem:
    """Describe a TOML syntax error by its line and column."""
    text = str(exc)
    lineno = getattr(exc, "lineno", None)
    colno = getattr(exc, "colno", None)
    match = _AT_LINE.search(text)
    if match:
        text = text[: match.start()]
        lineno, colno = lineno or int(match.group(1)), colno or int(match.group(2))
    elif (end := _AT_END.search(text)) is not None:
        text = text[: end.start()]
        return RulesProblem(where, "end of file", f"TOML syntax error: {text}")
    location = f"line {lineno}, column {colno}" if lineno else ""
    return RulesProblem(where, location, f"TOML syntax error: {text}")


def _is_number(value: object) -> bool:
    """Return True for an int or float that is not a bool."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check(data: dict[str, Any], path: Path | Traversable, *,
           complete: bool) -> list[RulesProblem]:
    """Return every problem in parsed rules; `complete` demands all needs and roles."""
    where = str(path)
    out: list[RulesProblem] = []

    def problem(location: str, message: str) -> None:
        out.append(RulesProblem(where, location, message))

    for key in data:
        if key not in _TOP_LEVEL_KEYS:
            problem(_key(key), f"unknown key (expected one of: {', '.join(_TOP_LEVEL_KEYS)})")

    version = data.get("version", None if complete else RULES_VERSION)
    if version is None:
        problem("version", "missing (expected version = 1)")
    elif not _is_number(version) or version != RULES_VERSION:
        problem("version", f"unsupported rules version {_show(version)} "
                           f"(expected {RULES_VERSION})")

    settings = data.get("settings", {})
    if not isinstance(settings, dict):
        problem("settings", "must be a table")
        settings = {}
    for key, value in settings.items():
        loc = f"settings.{_key(key)}"
        if key not in _SETTINGS_DEFAULTS:
            problem(loc, f"unknown setting (expected one of: {', '.join(_SETTINGS_DEFAULTS)})")
        elif not _is_number(value) or not math.isfinite(value):
            problem(loc, f"must be a number, not {_show(value)}")
        elif key == "supporting_threshold" and not MIN_THRESHOLD <= value <= 1:
            problem(loc, f"must be at least {MIN_THRESHOLD:g} and at most 1, not {_show(value)}")
        elif key == "supporting_min_score" and value < 0:
            problem(loc, f"must be 0 or more, not {_show(value)}")
        elif key == "supporting_min_score" and value > MAX_MIN_SCORE:
            problem(loc, f"must be at most {MAX_MIN_SCORE:g}, not {_show(value)}")

    roles = data.get("roles", {})
    if not isinstance(roles, dict):
        problem("roles", "must be a table")
        roles = {}
    for code, entry in roles.items():
        loc = f"roles.{_key(code)}"
        if code not in ROLES_BY_CODE:
            problem(loc, f"unknown role (expected one of: {', '.join(ROLE_CODES)})")
        elif not isinstance(entry, dict):
            problem(loc, "must be a table with a description")
        else:
            for key in entry:
                if key != "description":
                    problem(f"{loc}.{_key(key)}", "unknown key (expected: description)")
            desc = entry.get("description")
            if not isinstance(desc, str) or not desc.strip():
                problem(f"{loc}.description", "missing or empty (give the role in plain words)")
            elif wrong := _wording_problem(" ".join(desc.split()), DESCRIPTION_MAX):
                problem(f"{loc}.description", wrong)
    if complete:
        for code in ROLE_CODES:
            if code not in roles:
                problem(f"roles.{code}", "missing (every role needs a description)")

    needs = data.get("needs", {})
    if not isinstance(needs, dict):
        problem("needs", "must be a table")
        needs = {}
    for need, table in needs.items():
        loc = f"needs.{_key(need)}"
        if need not in NEEDS_BY_ID:
            problem(loc, "unknown need (valid needs: " + ", ".join(NEED_IDS) + ")")
            continue
        if not isinstance(table, dict):
            problem(loc, "must be a table of roles, e.g. splw = { weight = 2, reason = \"...\" }")
            continue
        positive = False
        for code, ev in table.items():
            eloc = f"{loc}.{_key(code)}"
            if code not in ROLES_BY_CODE:
                problem(eloc, f"unknown role (expected one of: {', '.join(ROLE_CODES)})")
                continue
            if not isinstance(ev, dict):
                problem(eloc, "must be a table: { weight = <number>, reason = \"...\" }")
                continue
            for key in ev:
                if key not in ("weight", "reason"):
                    problem(f"{eloc}.{_key(key)}", "unknown key (expected: weight, reason)")
            weight = ev.get("weight")
            if weight is None:
                problem(f"{eloc}.weight", "missing (give a number, 0 or more)")
            elif not _is_number(weight) or not math.isfinite(weight):
                problem(f"{eloc}.weight", f"must be a number, not {_show(weight)}")
            elif weight < 0:
                problem(f"{eloc}.weight", f"must be 0 or more, not {_show(weight)}")
            elif weight > MAX_WEIGHT:
                problem(f"{eloc}.weight", f"must be at most {MAX_WEIGHT:g}, not {_show(weight)}")
            elif weight > 0:
                positive = True
            reason = ev.get("reason")
            if not isinstance(reason, str) or not reason.strip():
                problem(f"{eloc}.reason", "missing or empty (say why, in plain words)")
            elif wrong := _wording_problem(reason.strip(), REASON_MAX):
                problem(f"{eloc}.reason", wrong)
        if not positive and not any(p.location.startswith(loc + ".") for p in out):
            problem(loc, "gives no evidence: at least one role needs a weight above 0")
    if complete:
        for need in NEED_IDS:
            if need not in needs:
                problem(f"needs.{need}", "missing (every catalogue need needs a rule)")
    return out


def _evidence_for(table: dict[str, Any]) -> tuple[Evidence, ...]:
    """Return one need's checked evidence as objects, in role order."""
    return tuple(
        Evidence(code, float(table[code]["weight"]), table[code]["reason"].strip())
        for code in ROLE_CODES
        if code in table
    )


def _build(data: dict[str, Any], sources: tuple[str, ...]) -> Rules:
    """Make Rules from a complete, checked file."""
    settings = {**_SETTINGS_DEFAULTS, **data.get("settings", {})}
    return Rules(
        evidence=MappingProxyType(
            {need: _evidence_for(data["needs"][need]) for need in NEED_IDS}
        ),
        role_descriptions=MappingProxyType(
            {code: " ".join(data["roles"][code]["description"].split()) for code in ROLE_CODES}
        ),
        supporting_threshold=float(settings["supporting_threshold"]),
        supporting_min_score=float(settings["supporting_min_score"]),
        version=int(data.get("version", RULES_VERSION)),
        sources=sources,
    )


def _merge(base: Rules, over: dict[str, Any], source: str) -> Rules:
    """Overlay a checked, possibly partial PCN file on complete rules."""
    evidence = dict(base.evidence)
    for need, table in over.get("needs", {}).items():
        evidence[need] = _evidence_for(table)
    descriptions = dict(base.role_descriptions)
    for code, entry in over.get("roles", {}).items():
        descriptions[code] = " ".join(entry["description"].split())
    settings = over.get("settings", {})
    return Rules(
        evidence=MappingProxyType(evidence),
        role_descriptions=MappingProxyType(descriptions),
        supporting_threshold=float(
            settings.get("supporting_threshold", base.supporting_threshold)
        ),
        supporting_min_score=float(
            settings.get("supporting_min_score", base.supporting_min_score)
        ),
        version=base.version,
        sources=(*base.sources, source),
    )
