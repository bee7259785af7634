"""The caseload's records as the national standards take them: one `EpisodeRecords` per
episode (gathered from the store's parts), safety alerts, referrals, the code list and a
PCN's measure recordings as the standards' records; the message to the GP and the minimum
dataset for a file."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from arrs_desktop.domain.models import Episode, OutcomeMeasure
from arrs_desktop.domain.validation import ValidationError
from arrs_desktop.standards.codes import SHIPPED_CODE_LIST, CodeListEntry
from arrs_desktop.standards.dataset import Dataset, minimum_dataset
from arrs_desktop.standards.gp_message import GpMessage, Sender, build_gp_message
from arrs_desktop.standards.measures import ONS4, MeasureDefinition, MeasureRecord
from arrs_desktop.standards.records import EpisodeRecords
from arrs_desktop.standards.referral import Referral, Referrer, SafetyAlert, alerts_for_staff

Row = dict[str, Any]


def _day(value: object) -> date | None:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)) if value else None


def alert_from_row(row: Row) -> SafetyAlert:
    """Return a stored alert as the standard's record."""
    return SafetyAlert(kind=row["kind"], detail=row["detail"], raised_on=_day(row["raised_on"]),
                       raised_by=row["raised_by"], show_on_plan=bool(row["show_on_plan"]),
                       ended_on=_day(row["ended_on"]), id=row["id"])


def alerts_in_force(store: Any, person_id: str, day: date | None = None,
                    ) -> tuple[SafetyAlert, ...]:
    """Return a person's safety alerts in force on a day (today), risks first: what every
    view and document for staff shows."""
    return alerts_for_staff((alert_from_row(r) for r in store.alerts.for_person(person_id)),
                            day or date.today())


def referral_from_row(episode: Episode, row: Row,
                      alerts: Sequence[SafetyAlert] = ()) -> Referral:
    """Return an episode's stored referral as the standard's record."""
    return Referral(role=episode.role, received_on=episode.referral_date,
                    source=episode.referral_source, reason=episode.referral_reason,
                    referrer=Referrer(name=row["referrer_name"], role=row["referrer_role"],
                                      organisation=row["referrer_organisation"],
                                      phone=row["referrer_phone"], email=row["referrer_email"]),
                    urgency=row["urgency"], what_matters=row["what_matters"],
                    consent_to_share=bool(row["consent_to_share"]), alerts=tuple(alerts))


def code_list(store: Any) -> tuple[CodeListEntry, ...]:
    """Return the file's code list (the shipped codes if it has none)."""
    rows = store.code_list.all()
    if not rows:
        return SHIPPED_CODE_LIST
    return tuple(CodeListEntry(r["role"], r["event"], r["sctid"], r["term"],
                               shipped=bool(r["shipped"])) for r in rows)


def measure_records(rows: Iterable[Row]) -> tuple[MeasureRecord, ...]:
    """Return the recordings of a PCN's measures from their item rows (one per session)."""
    grouped: dict[tuple[str, str], list[Row]] = {}
    for r in rows:
        grouped.setdefault((r["session_id"], r["measure_code"]), []).append(r)
    out = []
    for (session_id, code), items in grouped.items():
        first = items[0]
        out.append(MeasureRecord(
            person_id=first["person_id"], date=_day(first["date"]) or date.min,
            scores=tuple((i["item_id"], int(i["score"])) for i in items),
            role=first.get("role"), session_id=session_id, id=first["created_at"], code=code))
    return tuple(sorted(out, key=lambda m: (m.date, m.id)))


def _open_on(episode: Episode, day: date) -> bool:
    end = episode.closure_date
    return episode.referral_date <= day and (end is None or day <= end)


def episode_records(store: Any, episode_id: str) -> EpisodeRecords:
    """Return one episode and what was recorded with it, read from the store."""
    episode = store.episodes.get(episode_id)
    if episode is None:
        raise ValidationError("episode_id", "is not an episode on this log")
    return _records(store, episode, store.episodes.for_person(episode.person_id))


def _records(store: Any, episode: Episode, episodes: Sequence[Episode]) -> EpisodeRecords:
    person = store.people.get(episode.person_id)
    if person is None:
        raise ValidationError("episode_id", "belongs to no person on this log")
    pid = episode.person_id
    # A session or goal logged with no episode belongs to the episode of its role open then.
    sessions = tuple(s for s in store.sessions.for_person(pid, limit=100_000)
                     if s.episode_id == episode.id or (
                         s.episode_id is None and s.role == episode.role
                         and _open_on(episode, s.date)))
    session_ids = {s.id for s in sessions}
    goals = tuple(g for g in store.goals.for_person(pid) if g.episode_id == episode.id or (
        g.episode_id is None and g.owner_role == episode.role and g.set_date is not None
        and _open_on(episode, g.set_date)))
    progress = tuple(p for g in goals if g.id for p in store.goals.progress_for(g.id))
    outcomes: tuple[OutcomeMeasure, ...] = tuple(
        o for o in store.sessions.measures_for(pid) if o.session_id in session_ids)
    measures = measure_records(r for r in store.measure_scores.for_person(pid)
                               if r["session_id"] in session_ids)
    activities = tuple(a for a in store.community.referrals_for(pid)
                       if a.session_id in session_ids
                       or (a.session_id is None and _open_on(episode, a.referred_on)))
    assets = tuple(asset for asset_id in {a.asset_id for a in activities}
                   if (asset := store.community.get_asset(asset_id)) is not None)
    alerts = tuple(alert_from_row(r) for r in store.alerts.for_person(pid))
    row = store.referrals.for_episode(episode.id)
    referral = referral_from_row(episode, row, alerts) if row else None
    return EpisodeRecords(
        person=person, episode=episode, needs=tuple(store.needs.current(pid)),
        sessions=sessions, goals=goals, progress=progress, outcomes=outcomes,
        measures=measures, activities=activities, assets=assets, referral=referral,
        alerts=alerts, person_shares=all(e.share_with_gp for e in episodes))


def all_episode_records(store: Any, start: date, end: date) -> list[EpisodeRecords]:
    """Return the records of every episode open at some time from `start` to `end`."""
    out = []
    for person_id in store.reports.people_with_episodes(start, end):
        episodes = store.episodes.for_person(person_id)
        for episode in episodes:
            if episode.referral_date > end:
                continue
            if episode.closure_date is not None and episode.closure_date < start:
                continue
            out.append(_records(store, episode, episodes))
    return out


def gp_message_for(store: Any, episode_id: str, occasion: str, sender: Sender,
                   written_on: date, *, definitions: Sequence[MeasureDefinition] = (ONS4,),
                   note: str = "") -> GpMessage:
    """Return the message to the GP about an episode (ValidationError when the occasion
    does not fit it yet)."""
    return build_gp_message(episode_records(store, episode_id), occasion, sender, written_on,
                            code_list=code_list(store), definitions=definitions, note=note)


def dataset_for(store: Any, start: date, end: date, *, reference: Callable[[str], str],
                definitions: Sequence[MeasureDefinition] = (ONS4,)) -> Dataset:
    """Return the minimum dataset of the episodes open in a period, as known on its end."""
    return minimum_dataset(all_episode_records(store, start, end), up_to=end,
                           reference=reference, definitions=definitions)


def pcn_measures(folder: Any = None) -> tuple[tuple[MeasureDefinition, ...], list[str]]:
    """Return ONS4 and the measures the PCN keeps in its folder (the settings folder's
    `measures` unless given), with the problems of any definition file left out."""
    from arrs_desktop import paths
    from arrs_desktop.standards.measures import load_measures

    loaded = load_measures(folder if folder is not None else paths.local_measures_dir())
    return loaded.definitions, loaded.messages


def sender_from_settings(settings: Any, episode: Episode) -> Sender:
    """Return who writes a letter: the user named in the settings (else the episode's
    worker), their role (else the episode's) and the practice."""
    worker = (settings.user_name or "").strip() or episode.worker or "The worker"
    role = settings.role if settings.role else episode.role
    return Sender(worker, role, settings.practice or "", phone=settings.practice_phone or "")


def letter_file_name(message: GpMessage, suffix: str) -> str:
    """Return a file name for a letter that never holds the person's name."""
    occasion = message.occasion.replace("_", "-")
    return f"gp-letter-{occasion}-{message.written_on.isoformat()}{suffix}"


def default_occasion(episode: Episode) -> str:
    """Return the occasion a letter about an episode is for, unless the worker says."""
    if episode.status in ("closed", "declined"):
        return "closure"
    return "first_contact" if episode.first_contact_date else "update"


def measure_tables(store: Any, start: date, end: date, role: str | None,
                   definitions: Sequence[MeasureDefinition]) -> list[Any]:
    """Return a change table for each PCN measure recorded (not ONS4, which has its own),
    shaped like the ONS4 table: per role and for all roles, mean first, latest and change."""
    from arrs_desktop.domain import catalogue
    from arrs_desktop.reports.tables import ALL_ROLES, ReportTable
    from arrs_desktop.standards.measures import CHANGE_COLUMNS, change_note, change_table_rows

    out = []
    recorded = set(store.measure_scores.codes())
    for definition in definitions:
        if definition.code == ONS4.code or definition.code not in recorded:
            continue
        records = measure_records(store.measure_scores.for_code(definition.code, end))
        if role is not None:
            roles: list[tuple[str | None, str]] = [(role, catalogue.ROLES_BY_CODE[role].name)]
        else:
            roles = [(r.code, r.name) for r in catalogue.ROLES]
            roles.append((None, ALL_ROLES))
        rows = change_table_rows(definition, records, start, end, roles)
        out.append(ReportTable(f"measure_{definition.code.lower()}",
                               f"{definition.name}: first to latest score", CHANGE_COLUMNS,
                               rows,
                               change_note(definition)))
    return out
