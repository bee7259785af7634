"""A made-up link-worker episode from referral to closure, written through the operations
on a real caseload file (the store-backed twin of tests/standards/standards_example.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from arrs_desktop.app.operations import episodes as episode_ops
from arrs_desktop.app.operations import goals as goal_ops
from arrs_desktop.app.operations import standards as standards_ops
from arrs_desktop.domain.matching import load_rules
from arrs_desktop.domain.models import CommunityAsset, Goal, Ons4, Person, Session, SessionEntry
from arrs_desktop.standards.measures import parse_measure_definition
from arrs_desktop.standards.referral import Referral, Referrer, SafetyAlert

RULES = load_rules(None).rules
WHAT_MATTERS = "Seeing my grandchildren every week and getting back to the allotment."
REASON = "Lonely since moving to the area; low mood."
NOTE = "Working note: talked about the allotment; not for the letter."
DOG = "Large dog at the address: ask for it to be shut away before visiting."

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

REFERRAL = Referral(
    role="splw", received_on=date(2026, 1, 5), source="gp", reason=REASON,
    referrer=Referrer(name="Dr Asha Patel", role="GP", organisation="Riverside Surgery",
                      phone="0113 496 0000"),
    urgency="routine", what_matters=WHAT_MATTERS, consent_to_share=True,
    alerts=(SafetyAlert("lone_worker", DOG),
            SafetyAlert("hearing", "Uses a hearing aid; face her when speaking",
                        show_on_plan=True)))


def install_team_check_in() -> None:
    """Put the team's own measure in the PCN's measures folder (under the test's home)."""
    from arrs_desktop import paths

    folder = paths.local_measures_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tci.toml").write_bytes(TCI_TOML)


@dataclass(frozen=True)
class Journey:
    """What the journey made."""

    person_id: str
    episode_id: str
    session_ids: tuple[str, ...]


def _session(store, person_id: str, day: date, kind: str, minutes: int, *, ons4=None,
             goal_scores=(), assets=(), tci=None, notes: str = "") -> str:
    entry = SessionEntry(
        session=Session(person_id=person_id, date=day, role="splw", kind=kind,
                        mode="face_to_face", minutes=minutes, worker="Wendy Link",
                        notes=notes),
        ons4=ons4, goal_scores=tuple(goal_scores), asset_referrals=tuple(assets))
    measures = [(TEAM_CHECK_IN, tci)] if tci else []
    done = standards_ops.log_session_with_measures(store, entry, measures)
    return done.value.id


def link_worker_journey(store, *, consent: bool = True, close: bool = True,
                        name: str = "Ann Archer", nhs_number: str = "9434765919") -> Journey:
    """Refer Ann Archer to a link worker, see her three times, close the episode."""
    store.user = "Wendy Link"
    person = store.people.add(Person(
        name=name, date_of_birth=date(1948, 5, 17), nhs_number=nhs_number,
        address="12 Mill Lane\nRiverside", postcode="LS1 4AP", gender="female",
        gp_practice="Riverside Surgery", what_matters=WHAT_MATTERS))
    store.needs.set(person.id, {"loneliness", "mental_health"})
    lunch = next((a for a in store.community.search("Tuesday Lunch Club")), None) or \
        store.community.add_asset(CommunityAsset(name="Tuesday Lunch Club",
                                                 category="befriending"))
    referral = Referral(**{**REFERRAL.__dict__, "consent_to_share": consent})
    episode = standards_ops.refer(store, RULES, person.id, referral, worker="Wendy Link").value
    s1 = _session(store, person.id, date(2026, 1, 12), "assessment", 60,
                  ons4=Ons4(3, 4, 2, 8), tci={"calm": 2, "tense": 5}, assets=[lunch.id],
                  notes=NOTE)
    goal = goal_ops.save_goal(store, Goal(
        person_id=person.id, title="Get to the lunch club", owner_role="splw", baseline=2,
        episode_id=episode.id, set_date=date(2026, 1, 12))).value
    s2 = _session(store, person.id, date(2026, 2, 9), "review", 45, goal_scores=[(goal.id, 5, "")])
    s3 = _session(store, person.id, date(2026, 4, 20), "discharge", 30, ons4=Ons4(7, 7, 6, 4),
                  tci={"calm": 4, "tense": 2}, goal_scores=[(goal.id, 9, "")])
    if close:
        episode_ops.move_episode(store, episode.id, "closed", on=date(2026, 4, 20),
                                 closure_reason="goals_met")
    return Journey(person.id, episode.id, (s1, s2, s3))
