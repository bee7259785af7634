"""The national standards' writes: a referral in (to the standard's model) with the person's
safety alerts, alerts added and ended, a PCN's code list imported, a PCN's measure recorded
in a session, and a letter to the GP recorded as sent."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from arrs_desktop.app.changes import Changes, OpResult
from arrs_desktop.app.operations.episodes import Allocation, allocate
from arrs_desktop.app.operations.sessions import log_session
from arrs_desktop.domain.matching import Rules
from arrs_desktop.domain.models import Episode, Session, SessionEntry
from arrs_desktop.domain.validation import ValidationError
from arrs_desktop.standards.codes import CodeListLoad
from arrs_desktop.standards.gp_message import GpMessage, Sender, gp_message_text
from arrs_desktop.standards.measures import MeasureDefinition, score_measure
from arrs_desktop.standards.referral import (
    Referral,
    SafetyAlert,
    clean_alert,
    clean_referral,
)
from arrs_desktop.store import Store


def alert_values(alert: SafetyAlert) -> dict[str, Any]:
    """Return the columns the store keeps for a checked alert."""
    return {"kind": alert.kind, "detail": alert.detail,
            "raised_on": (alert.raised_on or date.today()).isoformat(),
            "raised_by": alert.raised_by, "show_on_plan": alert.show_on_plan,
            "ended_on": alert.ended_on.isoformat() if alert.ended_on else None}


def referral_values(referral: Referral) -> dict[str, Any]:
    """Return the columns the store keeps for a checked referral beside its episode."""
    r = referral.referrer
    return {"referrer_name": r.name, "referrer_role": r.role,
            "referrer_organisation": r.organisation, "referrer_phone": r.phone,
            "referrer_email": r.email, "urgency": referral.urgency,
            "what_matters": referral.what_matters,
            "consent_to_share": bool(referral.consent_to_share)}


def refer(store: Store, rules: Rules, person_id: str, referral: Referral, *,
          worker: str = "", today: date | None = None) -> OpResult[Episode]:
    """Open an episode from a referral to the standard's model, with its referrer,
    urgency, what matters, consent and the person's new safety alerts, all at once.

    Every wrong field is named (ValidationError keyed as the form shows them:
    `referrer.phone`, `alerts[1].detail`) and nothing is written.
    """
    clean = clean_referral(referral, today)
    by = store.user
    alerts = [replace(a, raised_on=a.raised_on or clean.received_on,
                      raised_by=a.raised_by or by) for a in clean.alerts]
    with store.transaction():
        result = allocate(store, rules, Allocation(
            person_id=person_id, role=clean.role, referral_date=clean.received_on,
            referral_source=clean.source, referral_reason=clean.reason, worker=worker,
            share_with_gp=bool(clean.consent_to_share)))
        episode = result.value
        assert episode.id is not None
        store.referrals.add(episode.id, referral_values(clean))
        store.alerts.add_many(person_id, [alert_values(a) for a in alerts])
    return OpResult(episode, result.changes | Changes(person_id=person_id,
                                                      alerts=bool(alerts), audit=True))


def add_alert(store: Store, person_id: str, alert: SafetyAlert, *,
              today: date | None = None) -> OpResult[SafetyAlert]:
    """Record a safety alert on a person (checked: every wrong field is named)."""
    clean = clean_alert(replace(alert, raised_on=alert.raised_on or today or date.today(),
                                raised_by=alert.raised_by or store.user), today)
    row = store.alerts.add(person_id, alert_values(clean))
    return OpResult(replace(clean, id=row["id"]),
                    Changes(person_id=person_id, alerts=True, audit=True))


def end_alert(store: Store, alert_id: str, on: date) -> OpResult[str]:
    """Say a safety alert no longer applies from a day (it stays on the record)."""
    if on > date.today():
        raise ValidationError("ended_on", "cannot be in the future")
    row = store.alerts.end(alert_id, on)
    return OpResult(alert_id, Changes(person_id=row["person_id"], alerts=True, audit=True))


def import_code_list(store: Store, load: CodeListLoad) -> OpResult[int]:
    """Replace the PCN's imported codes by a list read from files, only when every line
    of them was right (the shipped codes stay). Returns how many codes were written."""
    if not load.ok:
        shown = load.messages
        raise ValidationError("code_list", "has wrong lines, so nothing was imported:\n"
                              + "\n".join(shown))
    if not load.entries:
        raise ValidationError("code_list", "has no codes: nothing was imported")
    source = ", ".join(load.sources)[:500]
    written = store.code_list.replace(
        [(e.role, e.event, e.sctid, e.term) for e in load.entries], source)
    return OpResult(written, Changes(code_list=True, audit=True))


def record_measure(store: Store, session_id: str, definition: MeasureDefinition,
                   answers: Mapping[str, int | None]) -> OpResult[int]:
    """Record a PCN's measure in a session: each answer checked against its item's scale
    (each wrong item named), stored with the definition's fingerprint."""
    scored = score_measure(definition, answers)
    rows = store.measure_scores.record(session_id, definition.code, definition.fingerprint,
                                       scored.answers)
    person_id = rows[0]["person_id"] if rows else None
    return OpResult(len(rows), Changes(person_id=person_id, sessions=True, audit=True))


def record_gp_message(store: Store, message: GpMessage, sender: Sender) -> OpResult[str]:
    """Record a letter to the GP as sent: its occasion, date, sender, consent and text."""
    row = store.gp_messages.record(message.episode_id, {
        "occasion": message.occasion, "written_on": message.written_on,
        "written_by": sender.worker, "written_by_role": sender.role,
        "consent": message.consent, "text": gp_message_text(message)})
    return OpResult(row["id"], Changes(person_id=row["person_id"], gp_messages=True,
                                       audit=True))


def log_session_with_measures(
        store: Store, entry: SessionEntry,
        measures: Sequence[tuple[MeasureDefinition, Mapping[str, int | None]]] = (),
) -> OpResult[Session]:
    """Save a session with its scores and the PCN's measures answered in it, all at once
    (each wrong answer is named as `CODE.item`, and nothing is saved)."""
    problems: dict[str, str] = {}
    answered = []
    for definition, answers in measures:
        given = {k: v for k, v in answers.items() if v is not None}
        if not given:
            continue
        try:
            answered.append((definition, score_measure(definition, given)))
        except ValidationError as exc:
            problems.update({f"{definition.code}.{k}": v for k, v in exc.errors.items()})
    if problems:
        raise ValidationError(problems)
    with store.transaction():
        done = log_session(store, entry)
        session_id = done.value.id
        assert session_id is not None
        for definition, scored in answered:
            store.measure_scores.record(session_id, definition.code, definition.fingerprint,
                                        scored.answers)
    return done
