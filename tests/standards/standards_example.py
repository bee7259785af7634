"""A made-up link-worker episode from referral to closure, as plain records (no store)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from arrs_desktop.domain.models import (
    AssetReferral,
    CommunityAsset,
    Episode,
    Goal,
    GoalProgress,
    Ons4,
    OutcomeMeasure,
    Person,
    Session,
)
from arrs_desktop.standards.measures import MeasureRecord, parse_measure_definition
from arrs_desktop.standards.records import EpisodeRecords
from arrs_desktop.standards.referral import Referral, Referrer, SafetyAlert

WHAT_MATTERS = "Seeing my grandchildren every week and getting back to the allotment."
REASON = "Lonely since moving to the area; low mood."
NOTE = "Talked about the allotment society; agreed to try the Tuesday lunch club."

PERSON = Person(
    id="person-ann", name="Ann Archer", date_of_birth=date(1948, 5, 17),
    nhs_number="9434765919", address="12 Mill Lane\nRiverside", postcode="LS1 4AP",
    gender="female", ethnicity="White: British", gp_practice="Riverside Surgery",
    what_matters=WHAT_MATTERS)

EPISODE = Episode(
    id="ep-1", person_id=PERSON.id, role="splw", worker="Wendy Link",
    referral_date=date(2026, 1, 5), referral_source="gp", referral_reason=REASON,
    status="closed", first_contact_date=date(2026, 1, 12), closure_date=date(2026, 4, 20),
    closure_reason="goals_met", share_with_gp=True)


def _session(n: int, day: date, kind: str = "follow_up", minutes: int = 40,
             notes: str = "") -> Session:
    return Session(id=f"s{n}", person_id=PERSON.id, episode_id=EPISODE.id, date=day,
                   role="splw", kind=kind, mode="face_to_face", minutes=minutes,
                   worker="Wendy Link", notes=notes)


SESSIONS = (
    _session(1, date(2026, 1, 12), "assessment", 60, NOTE),
    _session(2, date(2026, 2, 2), "did_not_attend", 0),
    _session(3, date(2026, 2, 9), "review", 45),
    _session(4, date(2026, 4, 20), "discharge", 30),
)
GOAL = Goal(id="g1", person_id=PERSON.id, episode_id=EPISODE.id, title="Get to the lunch club",
            owner_role="splw", baseline=2, status="achieved", set_date=date(2026, 1, 12),
            achieved_date=date(2026, 3, 30))
PROGRESS = (GoalProgress(id="gp1", goal_id="g1", date=date(2026, 2, 9), score=5),
            GoalProgress(id="gp2", goal_id="g1", date=date(2026, 4, 20), score=9))
OUTCOMES = (
    OutcomeMeasure(id="o1", person_id=PERSON.id, date=date(2026, 1, 12), session_id="s1",
                   ons4=Ons4(life_satisfaction=3, worthwhile=4, happy=2, anxious=8)),
    OutcomeMeasure(id="o2", person_id=PERSON.id, date=date(2026, 4, 20), session_id="s4",
                   ons4=Ons4(life_satisfaction=7, worthwhile=7, happy=6, anxious=3)),
)
ASSETS = (CommunityAsset(id="a1", name="Tuesday Lunch Club", category="befriending"),
          CommunityAsset(id="a2", name="Riverside Allotment Society",
                         category="nature_gardening"))
ACTIVITIES = (
    AssetReferral(id="r1", person_id=PERSON.id, asset_id="a1", referred_on=date(2026, 1, 12),
                  outcome="attended", outcome_date=date(2026, 2, 9)),
    AssetReferral(id="r2", person_id=PERSON.id, asset_id="a2", referred_on=date(2026, 2, 9),
                  outcome="pending"),
)
REFERRAL = Referral(
    role="splw", received_on=date(2026, 1, 5), source="gp", reason=REASON,
    referrer=Referrer("Dr Asha Patel", "GP", "Riverside Surgery", phone="0113 496 0000"),
    urgency="routine", what_matters=WHAT_MATTERS, consent_to_share=True)
ALERTS = (
    SafetyAlert("hearing", "Hard of hearing: face her when speaking", show_on_plan=True),
    SafetyAlert("lone_worker", "Large dog at the address: phone before visiting"),
)

TCI_TOML = b"""
format = 1
name = "Team check-in"
code = "TCI"
licence = "Our own questions; no licence needed."
[scale]
min = 1
max = 5
[total]
method = "sum"
direction = "higher_better"
[[items]]
id = "calm"
label = "Calm"
wording = "I have felt calm."
direction = "higher_better"
[[items]]
id = "tense"
label = "Tense"
wording = "I have felt tense."
direction = "higher_worse"
"""
TEAM_CHECK_IN = parse_measure_definition(TCI_TOML, "tci.toml").definition
assert TEAM_CHECK_IN is not None
TCI_RECORDS = (
    MeasureRecord(PERSON.id, date(2026, 1, 12), (("calm", 2), ("tense", 5)), "splw", "s1",
                  "m1", "TCI"),
    MeasureRecord(PERSON.id, date(2026, 4, 20), (("calm", 4), ("tense", 2)), "splw", "s4",
                  "m2", "TCI"),
)

RECORDS = EpisodeRecords(
    person=PERSON, episode=EPISODE, needs=("mental_health", "loneliness"), sessions=SESSIONS,
    goals=(GOAL,), progress=PROGRESS, outcomes=OUTCOMES, measures=TCI_RECORDS,
    activities=ACTIVITIES, assets=ASSETS, referral=REFERRAL, alerts=ALERTS)


def without_consent(records: EpisodeRecords = RECORDS) -> EpisodeRecords:
    """Return the same records with "share with GP" off."""
    return replace(records, episode=replace(records.episode, share_with_gp=False),
                   person_shares=False)
