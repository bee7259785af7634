"""The PRSB Social Prescribing Information Standard's minimum dataset, from plain records.

The minimum dataset has four groups: patient demographics; needs and concerns; support
offered (including activities referred to); outcomes. Each item below is data: its group,
its name, what it means, how ARRS Desktop derives it from its records, and how the standard
asks for it (`MANDATORY` for the person's name, date of birth, address and NHS number,
`MUST_HAVE` for gender and ethnicity; `WHERE_RECORDED` for the rest). Items named by the
standard are marked `standard_name`; the others are ARRS Desktop's plain names for what it
records under that group (docs/standards.md).

`minimum_dataset` gives one row per episode in each group's table (support offered also
has a table of the activities referred to, one row per referral), each row opening with
the episode's record id and the person's reference, so the tables join. When the person
has not agreed to share (any of their episodes has "share with GP" off) their direct
identifiers and free text are left out and the reference is a pseudonym the caller makes
(the export's salted hash, stable within one export).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from arrs_desktop.domain import catalogue
from arrs_desktop.reports.tables import ReportTable
from arrs_desktop.standards.measures import (
    HIGHER_WORSE,
    ONS4,
    TOTAL_KEY,
    MeasureDefinition,
    first_to_latest,
)
from arrs_desktop.standards.records import EpisodeRecords
from arrs_desktop.standards.referral import URGENCIES, alerts_for_staff

STANDARD = "PRSB Social Prescribing Information Standard v1.1"
DEMOGRAPHICS = "Patient demographics"
NEEDS = "Needs and concerns"
SUPPORT = "Support offered"
OUTCOMES = "Outcomes"
GROUPS: tuple[str, ...] = (DEMOGRAPHICS, NEEDS, SUPPORT, OUTCOMES)

MANDATORY = "Mandatory"
MUST_HAVE = "Must have"
WHERE_RECORDED = "Where recorded"
KEY = "Key"

# The tables a dataset is written as: name, group, title (also the sheet's name).
TABLES: tuple[tuple[str, str, str], ...] = (
    ("msd_demographics", DEMOGRAPHICS, "Patient demographics"),
    ("msd_needs", NEEDS, "Needs and concerns"),
    ("msd_support", SUPPORT, "Support offered"),
    ("msd_activities", SUPPORT, "Activities referred to"),
    ("msd_outcomes", OUTCOMES, "Outcomes"),
)


@dataclass(frozen=True)
class Row:
    """What an item's value is computed from: one episode's records, up to a day."""

    records: EpisodeRecords
    up_to: date
    reference: str
    identifiable: bool


@dataclass(frozen=True)
class DatasetItem:
    """One item of the minimum dataset and how it is derived."""

    table: str
    name: str
    definition: str
    derived: str
    obligation: str = WHERE_RECORDED
    withheld: bool = False  # left out when the person has not agreed to share
    standard_name: bool = False  # named as the standard names it
    value: Callable[[Row], object] | None = None

    @property
    def group(self) -> str:
        """Return the dataset group the item belongs to."""
        return next(group for name, group, _title in TABLES if name == self.table)


def _age(row: Row) -> int | None:
    return row.records.person.age_on(row.records.episode.referral_date)


def _address(row: Row) -> str:
    return ", ".join(line.strip() for line in row.records.person.address.splitlines()
                     if line.strip())


def _needs(row: Row) -> str:
    return "; ".join(catalogue.NEEDS_BY_ID[n].label if n in catalogue.NEEDS_BY_ID else n
                     for n in row.records.need_ids())


def _communication(row: Row) -> str:
    """Return the communication needs (their detail is free text: only when identifiable)."""
    return "; ".join(a.text if row.identifiable else a.label
                     for a in alerts_for_staff(row.records.alerts, row.up_to)
                     if a.is_communication)


def _referrer(row: Row) -> str:
    referral = row.records.referral
    if referral is None or referral.self_referral:
        return ""
    r = referral.referrer
    return ", ".join(p for p in (r.role, r.organisation) if p)


def _urgency(row: Row) -> str:
    referral = row.records.referral
    return URGENCIES.get(referral.urgency, referral.urgency) if referral else ""


def _what_matters(row: Row) -> str:
    return row.records.person.what_matters.strip()


def _first_contact_days(row: Row) -> int | None:
    e = row.records.episode
    if e.first_contact_date is None or e.first_contact_date > row.up_to:
        return None
    return (e.first_contact_date - e.referral_date).days


def _activities(row: Row) -> list[tuple[str, str, str, date, date | None]]:
    """Return (group, category, outcome, referred on, outcome date) per referral by the day."""
    out = []
    for a in sorted(row.records.activities, key=lambda a: (a.referred_on, a.id or "")):
        if a.referred_on > row.up_to:
            continue
        outcome = a.outcome
        if a.outcome_date is not None and a.outcome_date > row.up_to:
            outcome = "pending"  # what was known on the last day
        out.append((row.records.asset_name(a.asset_id), row.records.asset_category(a.asset_id),
                    catalogue.REFERRAL_OUTCOMES.get(outcome, outcome), a.referred_on,
                    a.outcome_date if outcome != "pending" else None))
    return out


def _activity_list(row: Row) -> str:
    return "; ".join(f"{name} ({outcome})" for name, _c, outcome, *_rest in _activities(row))


def _goals(row: Row) -> list[tuple[int, int | None, bool]]:
    """Return (baseline, latest score, achieved by the day) per goal set by the day."""
    out = []
    for g in row.records.goals:
        if g.set_date is not None and g.set_date > row.up_to:
            continue
        progress = row.records.goal_progress(g, row.up_to)
        achieved = (g.status == "achieved"
                    and (g.achieved_date is None or g.achieved_date <= row.up_to))
        out.append((g.baseline, progress[-1].score if progress else None, achieved))
    return out


def _mean_goal_change(row: Row) -> float | None:
    changes = [latest - base for base, latest, _a in _goals(row) if latest is not None]
    return round(sum(changes) / len(changes), 2) if changes else None


def _closed(row: Row) -> bool:
    e = row.records.episode
    return e.closure_date is not None and e.closure_date <= row.up_to


def _swemwbs(row: Row, latest: bool) -> int | None:
    scores = sorted((o.date, o.id or "", o.swemwbs_raw) for o in row.records.outcomes
                    if o.swemwbs_raw is not None and o.date <= row.up_to)
    if not scores:
        return None
    return scores[-1 if latest else 0][2]


ITEMS: tuple[DatasetItem, ...] = (
    # --- patient demographics --------------------------------------------------------------
    DatasetItem("msd_demographics", "NHS number", "The person's NHS number: the main "
                "identifier.", "people.nhs_number (10 digits, modulus-11 checked)", MANDATORY,
                withheld=True, standard_name=True,
                value=lambda r: r.records.person.nhs_number),
    DatasetItem("msd_demographics", "Name", "The person's full name as they use it.",
                "people.name", MANDATORY, withheld=True, standard_name=True,
                value=lambda r: r.records.person.name),
    DatasetItem("msd_demographics", "Date of birth", "The person's date of birth.",
                "people.date_of_birth", MANDATORY, withheld=True, standard_name=True,
                value=lambda r: r.records.person.date_of_birth),
    DatasetItem("msd_demographics", "Address", "The person's usual address.",
                "people.address, its lines joined with commas", MANDATORY, withheld=True,
                standard_name=True, value=_address),
    DatasetItem("msd_demographics", "Postcode", "The postcode of the person's address.",
                "people.postcode", MANDATORY, withheld=True,
                value=lambda r: r.records.person.postcode),
    DatasetItem("msd_demographics", "Gender", "The person's gender as they describe it.",
                "people.gender in words (Female, Male, Non-binary, Other, Not stated)",
                MUST_HAVE, standard_name=True,
                value=lambda r: catalogue.GENDERS.get(r.records.person.gender,
                                                      r.records.person.gender)),
    DatasetItem("msd_demographics", "Ethnicity", "The person's ethnic category.",
                "people.ethnicity (the NHS ethnic categories)", MUST_HAVE, standard_name=True,
                value=lambda r: r.records.person.ethnicity),
    DatasetItem("msd_demographics", "Age at referral", "Age in whole years on the day of "
                "referral.", "people.date_of_birth and episodes.referral_date",
                value=_age),
    DatasetItem("msd_demographics", "GP practice", "The practice the person is registered "
                "with.", "people.gp_practice", value=lambda r: r.records.person.gp_practice),
    DatasetItem("msd_demographics", "Lives in a care home", "Whether the person lives in a "
                "care home.", "people.care_home_id set: Yes, else No",
                value=lambda r: "Yes" if r.records.person.care_home_id else "No"),
    DatasetItem("msd_demographics", "Communication needs", "Needs staff must meet to "
                "communicate with the person (an interpreter, hearing or sight loss...).",
                "the person's current communication alerts, with their detail (the detail is "
                "left out when the person has not agreed to share)",
                value=_communication),
    # --- needs and concerns ----------------------------------------------------------------
    DatasetItem("msd_needs", "Needs and concerns", "What the person needs help with.",
                "the person's current needs (the needs catalogue), by their labels",
                standard_name=True, value=_needs),
    DatasetItem("msd_needs", "What matters to the person", "What matters to the person, in "
                "their own words.", "people.what_matters (free text)", withheld=True,
                value=_what_matters),
    DatasetItem("msd_needs", "Reason for referral", "Why the person was referred.",
                "episodes.referral_reason (free text)", withheld=True,
                value=lambda r: r.records.episode.referral_reason.strip()),
    DatasetItem("msd_needs", "Referral source", "Who referred the person, by kind.",
                "episodes.referral_source in words (GP, Self-referral...)",
                value=lambda r: catalogue.REFERRAL_SOURCES.get(
                    r.records.episode.referral_source, r.records.episode.referral_source)),
    DatasetItem("msd_needs", "Referrer", "The referrer's role and organisation.",
                "the referral's referrer role and organisation (blank for a self-referral)",
                value=_referrer),
    DatasetItem("msd_needs", "Referral date", "The day the referral was received.",
                "episodes.referral_date", value=lambda r: r.records.episode.referral_date),
    DatasetItem("msd_needs", "Urgency", "How urgently the referrer asked for the person to "
                "be seen.", "the referral's urgency (Routine, Urgent)", value=_urgency),
    # --- support offered -------------------------------------------------------------------
    DatasetItem("msd_support", "Role", "The personalised-care role supporting the person.",
                "episodes.role (Social Prescribing Link Worker, Care Coordinator, Health and "
                "Wellbeing Coach)",
                value=lambda r: catalogue.ROLES_BY_CODE[r.records.episode.role].name
                if r.records.episode.role in catalogue.ROLES_BY_CODE else r.records.episode.role),
    DatasetItem("msd_support", "Worker", "The worker holding the episode.", "episodes.worker",
                value=lambda r: r.records.episode.worker),
    DatasetItem("msd_support", "Episode status", "Where the episode stands.",
                "episodes.status (Referred, Active, On hold, Closed, Declined)",
                value=lambda r: catalogue.EPISODE_STATUSES.get(r.records.episode.status,
                                                               r.records.episode.status)),
    DatasetItem("msd_support", "First contact date", "The day of the first contact.",
                "episodes.first_contact_date (up to the last day of the period)",
                value=lambda r: r.records.episode.first_contact_date
                if _first_contact_days(r) is not None else None),
    DatasetItem("msd_support", "Days from referral to first contact", "Waiting time in "
                "days.", "first contact date − referral date", value=_first_contact_days),
    DatasetItem("msd_support", "Contacts", "Contacts with the person in the episode.",
                "the episode's sessions, leaving out missed ones (did not attend / no answer)",
                value=lambda r: len(r.records.contacts(r.up_to))),
    DatasetItem("msd_support", "Contact minutes", "Time spent in those contacts.",
                "the sum of those sessions' minutes",
                value=lambda r: sum(s.minutes for s in r.records.contacts(r.up_to))),
    DatasetItem("msd_support", "Missed contacts", "Contacts the person missed.",
                "sessions of the kind did not attend / no answer",
                value=lambda r: r.records.missed(r.up_to)),
    DatasetItem("msd_support", "Activities referred to", "Community groups and services the "
                "person was referred to, with what came of each.",
                "asset_referrals made while the episode was open: the group's name and the "
                "outcome", standard_name=True, value=_activity_list),
    DatasetItem("msd_support", "Activities attended", "How many of those the person went "
                "to.", "asset_referrals with the outcome attended",
                value=lambda r: sum(1 for a in _activities(r) if a[2] == "Attended")),
    DatasetItem("msd_support", "Closure date", "The day the episode was closed or declined.",
                "episodes.closure_date", value=lambda r: r.records.episode.closure_date
                if _closed(r) else None),
    DatasetItem("msd_support", "Closure reason", "Why the episode ended.",
                "episodes.closure_reason in words (Goals met, Moved away...)",
                value=lambda r: catalogue.CLOSURE_REASONS.get(
                    r.records.episode.closure_reason or "", r.records.episode.closure_reason)
                if _closed(r) else None),
    # --- activities referred to (support offered), one row per referral ---------------------
    DatasetItem("msd_activities", "Activity", "The community group or service.",
                "community_assets.name of the referral's asset", standard_name=True),
    DatasetItem("msd_activities", "Category", "The kind of group or service.",
                "community_assets.category in words"),
    DatasetItem("msd_activities", "Outcome", "What came of the referral.",
                "asset_referrals.outcome (Pending, Attended, Did not attend, Declined)"),
    DatasetItem("msd_activities", "Referred on", "The day of the referral.",
                "asset_referrals.referred_on"),
    DatasetItem("msd_activities", "Outcome date", "The day the outcome was recorded.",
                "asset_referrals.outcome_date"),
    # --- outcomes --------------------------------------------------------------------------
    DatasetItem("msd_outcomes", "Goals set", "Goals the person set in the episode.",
                "goals of the episode set by the last day", value=lambda r: len(_goals(r))),
    DatasetItem("msd_outcomes", "Goals achieved", "Goals the person reached.",
                "those goals achieved by the last day",
                value=lambda r: sum(1 for *_x, achieved in _goals(r) if achieved)),
    DatasetItem("msd_outcomes", "Mean goal change", "How far the person moved on their "
                "goals, 0 to 10.", "the mean of (latest progress score − baseline) over goals "
                "with progress", value=_mean_goal_change),
    DatasetItem("msd_outcomes", "SWEMWBS raw score first", "The first SWEMWBS raw score "
                "(7 to 35).", "outcome_measures.swemwbs_raw, the episode's first",
                value=lambda r: _swemwbs(r, latest=False)),
    DatasetItem("msd_outcomes", "SWEMWBS raw score latest", "The latest SWEMWBS raw score.",
                "outcome_measures.swemwbs_raw, the episode's latest by the last day",
                value=lambda r: _swemwbs(r, latest=True)),
)

KEY_ITEMS: tuple[tuple[str, str, str], ...] = (
    ("Record ID", "The episode the row is about (joins the tables).", "episodes.id"),
    ("Person reference", "The person the row is about: their record id, or a pseudonym "
     "when they have not agreed to share.", "people.id, or P- and 12 characters (a salted "
     "hash, stable within one export)"),
)


def measure_items(definitions: Sequence[MeasureDefinition]) -> tuple[DatasetItem, ...]:
    """Return the outcome items of the measures: first and latest per item (and total)."""
    out: list[DatasetItem] = []
    for definition in definitions:
        keys = [(it.id, it.label, it.direction) for it in definition.items]
        if definition.has_total:
            keys.append((TOTAL_KEY, definition.total_label, definition.total_direction))
        for key, label, direction in keys:
            better = " (lower is better)" if direction == HIGHER_WORSE else ""
            for which in ("first", "latest"):
                out.append(DatasetItem(
                    "msd_outcomes", f"{definition.code} {label.lower()} {which}{better}",
                    f"{definition.name}: the {which} score on {label.lower()}"
                    + ("" if key != TOTAL_KEY else " (the total)") + ".",
                    f"the episode's {definition.name} recordings, the {which} by the last day"
                    + (" (the four items are never totalled)" if definition is ONS4 else ""),
                    standard_name=False,
                    value=_measure_value(definition, key, which == "latest")))
    return tuple(out)


def _measure_value(definition: MeasureDefinition, key: str,
                   latest: bool) -> Callable[[Row], object]:
    def value(row: Row) -> object:
        for fl in first_to_latest(definition, row.records.measure_records(definition),
                                  row.up_to):
            if fl.key == key:
                score = fl.latest if latest else fl.first
                return int(score) if float(score).is_integer() else score
        return None
    return value


@dataclass(frozen=True)
class DatasetTable:
    """One table of the dataset: its group, title, columns and rows."""

    name: str
    group: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]

    def report_table(self) -> ReportTable:
        """Return the table as the exporter writes tables (CSV, or a sheet of an XLSX)."""
        note = f"{STANDARD}: {self.group}."
        if self.name == "msd_dictionary":
            note = f"{STANDARD}: what each item means and how ARRS Desktop derives it."
        return ReportTable(self.name, self.title, self.columns, self.rows, note)


@dataclass(frozen=True)
class Dataset:
    """The minimum dataset: a table per group (and activities), and its data dictionary."""

    tables: tuple[DatasetTable, ...]
    dictionary: DatasetTable

    def table(self, name: str) -> DatasetTable:
        """Return one table by name (msd_demographics, msd_needs...)."""
        for t in (*self.tables, self.dictionary):
            if t.name == name:
                return t
        raise KeyError(name)

    def report_tables(self) -> list[ReportTable]:
        """Return every table and then the dictionary, as the exporter writes them."""
        return [t.report_table() for t in (*self.tables, self.dictionary)]


def dataset_items(definitions: Sequence[MeasureDefinition] = (ONS4,),
                  ) -> tuple[DatasetItem, ...]:
    """Return every item of the dataset: the fixed ones, then the measures' outcomes."""
    return (*ITEMS, *measure_items(definitions))


DICTIONARY_COLUMNS = ("Group", "Table", "Item", "Obligation", "Named by the standard",
                      "Definition", "How ARRS Desktop derives it",
                      "Left out when the person has not agreed to share")


def dictionary_rows(definitions: Sequence[MeasureDefinition] = (ONS4,),
                    ) -> tuple[tuple[object, ...], ...]:
    """Return the data dictionary: a row per item saying what it is and how it is derived."""
    titles = {name: title for name, _group, title in TABLES}
    rows: list[tuple[object, ...]] = [
        ("All groups", "Every table", name, KEY, "No", meaning, derived, "Pseudonym"
         if name == "Person reference" else "No")
        for name, meaning, derived in KEY_ITEMS]
    for item in dataset_items(definitions):
        rows.append((item.group, titles[item.table], item.name, item.obligation,
                     "Yes" if item.standard_name else "No", item.definition, item.derived,
                     "Yes" if item.withheld else "No"))
    return tuple(rows)


def minimum_dataset(records: Iterable[EpisodeRecords], *, up_to: date,
                    reference: Callable[[str], str],
                    definitions: Sequence[MeasureDefinition] = (ONS4,)) -> Dataset:
    """Return the minimum dataset for some episodes, as known on `up_to`.

    `reference(person_id)` gives the pseudonym for a person who has not agreed to share
    (the exporter's salted hash); a person who has is shown by their record id.
    `definitions` are the measures reported (ONS4 and the PCN's, in that order).
    """
    items = dataset_items(definitions)
    rows: dict[str, list[tuple[object, ...]]] = {name: [] for name, _g, _t in TABLES}
    ordered = sorted(records, key=lambda r: (r.episode.referral_date, r.person.name.lower(),
                                             r.episode.id or ""))
    for rec in ordered:
        person_id = rec.person.id or ""
        identifiable = rec.person_shares and rec.shares_with_gp
        ref = person_id if identifiable else reference(person_id)
        row = Row(rec, up_to, ref, identifiable)
        key = (rec.episode.id or "", ref)
        for name, _group, _title in TABLES:
            if name == "msd_activities":
                rows[name] += [(*key, *activity) for activity in _activities(row)]
                continue
            values = []
            for item in items:
                if item.table != name:
                    continue
                withheld = item.withheld and not identifiable
                values.append(None if withheld or item.value is None else item.value(row))
            rows[name].append((*key, *values))
    key_columns = tuple(name for name, _m, _d in KEY_ITEMS)
    tables = tuple(
        DatasetTable(name, group, title,
                     (*key_columns, *(i.name for i in items if i.table == name)),
                     tuple(rows[name]))
        for name, group, title in TABLES)
    dictionary = DatasetTable("msd_dictionary", "All groups", "Data dictionary",
                              DICTIONARY_COLUMNS, dictionary_rows(definitions))
    return Dataset(tables, dictionary)
