"""The national standards' operations: a referral in with alerts, code lists, a PCN's
measures in a session, letters to the GP recorded as sent."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from standards_journey import DOG, REFERRAL, RULES, TEAM_CHECK_IN, link_worker_journey

from arrs_desktop.app.operations import standards as ops
from arrs_desktop.domain.models import Person, Session, SessionEntry
from arrs_desktop.domain.validation import ValidationError
from arrs_desktop.reports.standards_records import (
    code_list,
    episode_records,
    gp_message_for,
)
from arrs_desktop.standards.codes import parse_code_list_csv
from arrs_desktop.standards.gp_message import CLOSURE, FIRST_CONTACT, Sender
from arrs_desktop.standards.measures import ONS4
from arrs_desktop.standards.referral import Referrer, SafetyAlert
from tests.db_helpers import sql_scalar

SENDER = Sender("Wendy Link", "splw", "Riverside PCN", phone="0113 496 0001")


@pytest.fixture
def ann(store):
    return store.people.add(Person(name="Ann Example", date_of_birth=date(1950, 1, 2)))


def _counts(store) -> dict[str, int]:
    return {t: sql_scalar(store, f"SELECT count(*) FROM {t}")
            for t in ("episodes", "referrals", "safety_alerts", "audit_log")}


def test_a_referral_with_wrong_fields_names_each_and_writes_nothing(store, ann):
    before = _counts(store)
    bad = replace(REFERRAL, reason=" ", consent_to_share=None,
                  referrer=Referrer(name="Dr X", role="GP", organisation="Surgery"),
                  alerts=(SafetyAlert("interpreter", ""),))
    with pytest.raises(ValidationError) as caught:
        ops.refer(store, RULES, ann.id, bad)
    assert set(caught.value.errors) == {"reason", "consent_to_share", "referrer.phone",
                                        "alerts[1].detail"}
    assert _counts(store) == before


def test_a_referral_opens_the_episode_with_its_referrer_and_the_persons_alerts(store, ann):
    done = ops.refer(store, RULES, ann.id, REFERRAL, worker="Wendy Link")
    episode = done.value
    assert done.changes.episodes and done.changes.alerts and done.changes.person_id == ann.id
    assert (episode.referral_reason, episode.share_with_gp) == (REFERRAL.reason, True)
    row = store.referrals.for_episode(episode.id)
    assert (row["referrer_name"], row["referrer_phone"], row["urgency"]) == (
        "Dr Asha Patel", "0113 496 0000", "routine")
    alerts = store.alerts.for_person(ann.id)
    assert [(a["kind"], a["raised_on"], a["raised_by"]) for a in alerts] == [
        ("lone_worker", "2026-01-05", store.user), ("hearing", "2026-01-05", store.user)]
    assert store.alerts.kinds_in_force([ann.id], date.today()) == {
        ann.id: ["lone_worker", "hearing"]}
    with pytest.raises(ValidationError):  # one referral per episode
        store.referrals.add(episode.id, {"consent_to_share": True})


def test_an_ended_alert_stays_on_the_record_but_is_no_longer_in_force(store, ann):
    alert = ops.add_alert(store, ann.id, SafetyAlert("safeguarding", "Ask the lead first"),
                          ).value
    yesterday = date.today() - timedelta(days=1)
    with pytest.raises(ValidationError):
        ops.end_alert(store, alert.id, date.today() + timedelta(days=1))
    with pytest.raises(ValidationError, match="before the day it was raised"):
        ops.end_alert(store, alert.id, yesterday)
    ops.end_alert(store, alert.id, date.today())
    assert store.alerts.kinds_in_force([ann.id], date.today()) == {}
    assert len(store.alerts.for_person(ann.id)) == 1


def test_a_code_list_with_a_bad_check_digit_imports_nothing(store):
    before = store.code_list.all()
    load = parse_code_list_csv(b"role,event,sctid,term\ncc,first_contact,871731000000107,"
                               b"Mistyped\n", "pcn.csv")
    assert not load.ok
    with pytest.raises(ValidationError, match="pcn.csv, line 2"):
        ops.import_code_list(store, load)
    assert store.code_list.all() == before


def test_a_good_code_list_replaces_the_imported_codes_and_keeps_the_shipped_ones(store):
    first = parse_code_list_csv(b"role,event,sctid,term\ncc,first_contact,871731000000106,"
                                b"Referral to social prescribing service\n", "a.csv")
    assert ops.import_code_list(store, first).value == 1
    second = parse_code_list_csv(b"role,event,sctid,term\nhwbc,closure,871711000000103,"
                                 b"Social prescribing declined\n", "b.csv")
    done = ops.import_code_list(store, second)
    assert done.changes.code_list
    rows = {(r["role"], r["event"], r["shipped"], r["source"]) for r in store.code_list.all()}
    assert rows == {("splw", "first_contact", 1, "ARRS Desktop"),
                    ("splw", "declined", 1, "ARRS Desktop"), ("hwbc", "closure", 0, "b.csv")}
    assert len(code_list(store)) == 3


def test_a_measure_with_a_wrong_answer_saves_no_session(store, ann):
    entry = SessionEntry(session=Session(person_id=ann.id, date=date(2026, 2, 1), role="splw",
                                         kind="assessment", mode="telephone", minutes=20))
    with pytest.raises(ValidationError) as caught:
        ops.log_session_with_measures(store, entry, [(TEAM_CHECK_IN, {"calm": 9})])
    assert caught.value.errors == {"TCI.calm": "must be a whole number from 1 to 5"}
    assert sql_scalar(store, "SELECT count(*) FROM sessions") == 0


def test_a_pcn_measure_with_reversed_items_is_stored_raw_and_totalled_reversed(store):
    journey = link_worker_journey(store)
    rows = store.measure_scores.for_person(journey.person_id)
    assert [(r["item_id"], r["score"]) for r in rows] == [
        ("calm", 2), ("tense", 5), ("calm", 4), ("tense", 2)]
    assert {r["fingerprint"] for r in rows} == {TEAM_CHECK_IN.fingerprint}
    records = episode_records(store, journey.episode_id)
    (definition, changes), = records.first_to_latest([TEAM_CHECK_IN])
    total = next(fl for fl in changes if fl.key == "total")
    # calm 2 + (1 + 5 - tense 5) = 3 at first; 4 + (6 - 2) = 8 at the latest
    assert (total.first, total.latest, total.reading) == (3, 8, "better")


def test_the_episodes_records_come_whole_from_the_store(store):
    journey = link_worker_journey(store)
    records = episode_records(store, journey.episode_id)
    assert records.referral is not None and records.referral.referrer.name == "Dr Asha Patel"
    assert [a.detail for a in records.alerts][0] == DOG
    assert len(records.sessions) == 3 and len(records.goals) == 1
    assert len(records.progress) == 2 and len(records.outcomes) == 2
    assert [a.asset_id for a in records.activities] and records.assets[0].name == (
        "Tuesday Lunch Club")
    assert [c.sctid for c in records.codes_due(code_list(store))] == ["871731000000106"]


def test_a_letter_sent_is_recorded_with_its_occasion_consent_and_text(store):
    journey = link_worker_journey(store)
    message = gp_message_for(store, journey.episode_id, CLOSURE, SENDER, date(2026, 4, 21),
                             definitions=(ONS4, TEAM_CHECK_IN))
    done = ops.record_gp_message(store, message, SENDER)
    assert done.changes.gp_messages and done.changes.person_id == journey.person_id
    (row,) = store.gp_messages.for_episode(journey.episode_id)
    assert (row["occasion"], row["written_on"], row["written_by"], row["consent"]) == (
        "closure", "2026-04-21", "Wendy Link", 1)
    assert "871731000000106" in row["text"] and "Tuesday Lunch Club" in row["text"]
    with pytest.raises(ValidationError):
        gp_message_for(store, journey.episode_id, FIRST_CONTACT, SENDER, date(2026, 1, 6))


def test_the_history_tells_the_new_records_in_plain_words(store, ann):
    from arrs_desktop.domain.audit_text import _CODES_BY_TABLE_FIELD, describe_change
    from arrs_desktop.standards.gp_message import OCCASIONS
    from arrs_desktop.standards.referral import ALERT_KINDS, URGENCIES

    assert _CODES_BY_TABLE_FIELD[("safety_alerts", "kind")] == ALERT_KINDS
    assert _CODES_BY_TABLE_FIELD[("referrals", "urgency")] == URGENCIES
    assert _CODES_BY_TABLE_FIELD[("gp_messages", "occasion")] == OCCASIONS
    alert = ops.add_alert(store, ann.id, SafetyAlert("lone_worker", DOG)).value
    ops.end_alert(store, alert.id, date.today())
    lines = [describe_change(e.table_name, e.action, e.before, e.after)
             for e in store.audit.for_person(ann.id) if e.table_name == "safety_alerts"]
    assert any("Kind: Risk to a lone worker" in line for line in lines)
    assert any(line.startswith("Ended on: —") for line in lines)


VALID_IDS = ("871731000000106", "871711000000103")


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.tuples(st.sampled_from(("splw", "cc", "hwbc")),
                                st.sampled_from(("first_contact", "closure", "referral")),
                                st.sampled_from(VALID_IDS)), min_size=1, max_size=6,
                      unique=True),
       bad_at=st.integers(min_value=0, max_value=5), digit=st.integers(0, 14),
       bump=st.integers(1, 9))
def test_a_code_list_with_any_mistyped_digit_changes_nothing(store, lines, bad_at, digit, bump):
    before = store.code_list.all()
    rows = [f"{r},{e},{c},A term" for r, e, c in lines]
    n = bad_at % len(rows)
    role, event, code = lines[n]
    wrong = code[:digit] + str((int(code[digit]) + bump) % 10) + code[digit + 1:]
    rows[n] = f"{role},{event},{wrong},A term"
    load = parse_code_list_csv(("role,event,sctid,term\n" + "\n".join(rows)).encode(), "p.csv")
    assert not load.ok
    with pytest.raises(ValidationError):
        ops.import_code_list(store, load)
    assert store.code_list.all() == before
