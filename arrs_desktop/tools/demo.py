"""Make a synthetic, reproducible demo caseload. Never real people: names are invented and
NHS numbers come from the 999 range set aside for test data."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from arrs_desktop.domain import catalogue
from arrs_desktop.domain.models import (
    CareHome,
    CareHomeContact,
    CommunityAsset,
    Episode,
    Goal,
    Ons4,
    Person,
    Session,
    SessionEntry,
)
from arrs_desktop.domain.validation import nhs_check_digit, search_key
from arrs_desktop.store.bulk import BULK_COLUMNS

FIRST_NAMES = (
    "Olivia Amelia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Freya Aisha Fatima Zainab "
    "Priya Anjali Mei Chloe Niamh Siobhan Catrin Eilidh Morag Agnieszka Oksana Ewa Abena Chidinma "
    "Margaret Dorothy Joan Patricia Barbara Jean Brenda Maureen Sheila Eileen Valerie Doreen "
    "Oliver George Noah Arthur Muhammad Leo Harry Oscar Jack Charlie Jacob Ali Hamza Arjun Ravi "
    "Kwame Tunde Dylan Rhys Callum Finlay Seamus Ciaran Tomasz Piotr Andrei Wei Jun "
    "John David Michael Peter Robert Brian Kenneth Derek Alan Ronald Trevor Clive Desmond"
).split()

LAST_NAMES = (
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans "
    "Walker White Roberts Green Hall Wood Jackson Clarke Patel Khan Begum Hussain Ahmed Singh "
    "Kaur Shah Ali Chowdhury Okafor Mensah Adeyemi Boateng Campbell Stewart MacDonald Murray "
    "O'Brien Murphy Kelly Byrne Nowak Kowalski Wiśniewski Chen Wong Li Nguyen Edwards Hughes "
    "Lewis Morgan Price Griffiths Owen Pritchard Ferreira Costa Öztürk Yılmaz Novák Dubois"
).split()

STREETS = (
    "Station Road", "Church Lane", "Victoria Street", "Park Avenue", "Mill Lane", "High Street",
    "Green Lane", "Manor Road", "Queens Road", "Orchard Close", "Willow Way", "Beech Grove",
)
TOWNS = ("Brookfield", "Castleton", "Ashby Vale", "Northgate", "Riverside", "Elmstead")
OUTWARDS = ("BF1", "BF2", "BF4", "CT3", "CT7", "AV2", "NG5", "RS1", "EL8")
PRACTICES = ("Brookfield Medical Practice", "Castleton Health Centre", "Riverside Surgery",
             "Elmstead Family Practice")
ETHNICITIES = ("White British", "White Irish", "White other", "Indian", "Pakistani",
               "Bangladeshi", "Chinese", "Black African", "Black Caribbean", "Mixed",
               "Other", "Not stated")

WORKERS = {
    "splw": ("Amara Osei", "Tom Hartley"),
    "cc": ("Helen Brooks", "Raj Mistry"),
    "hwbc": ("Leah Dawson", "Sam Kirby"),
}

CARE_HOME_NAMES = (
    "Willow Court", "Meadowbank House", "The Beeches", "Oakfield Lodge", "Rosewood Manor",
    "Heather View", "Larchfield", "St Anne's Residential Home", "Brook House", "Elm Tree Lodge",
    "Sunnyside Care Home", "Ivy Bank",
)

ASSETS = (
    ("Brookfield Community Choir", "arts_culture"), ("Castleton Art Club", "arts_culture"),
    ("Library Reading Circle", "arts_culture"), ("Pottery for Wellbeing", "arts_culture"),
    ("Walking for Health", "sport_activity"), ("Chair Yoga at the Hall", "sport_activity"),
    ("Parkrun Riverside", "sport_activity"), ("Walking Football", "sport_activity"),
    ("Swim Well Sessions", "sport_activity"), ("Riverside Community Garden", "nature_gardening"),
    ("Green Gym Volunteers", "nature_gardening"), ("Allotment Buddies", "nature_gardening"),
    ("Woodland Wellbeing Walks", "nature_gardening"), ("Friendly Phone Calls", "befriending"),
    ("Tea and Company", "befriending"), ("Men's Shed", "befriending"),
    ("Lunch Club at St Mark's", "befriending"), ("Citizens Advice Drop-in", "advice"),
    ("Debt Advice Line", "advice"), ("Housing Options Clinic", "advice"),
    ("Benefits Check Service", "advice"), ("Food Bank Volunteers", "volunteering"),
    ("Repair Café", "volunteering"), ("Hospital Volunteers", "volunteering"),
    ("Charity Shop Team", "volunteering"), ("Diabetes Peer Group", "peer_support"),
    ("Breathe Easy (COPD)", "peer_support"), ("Bereavement Café", "peer_support"),
    ("Chronic Pain Peer Group", "peer_support"), ("Talking Therapies Self-referral",
                                                  "mental_health_support"),
    ("Mind Wellbeing Hub", "mental_health_support"), ("Anxiety Support Circle",
                                                     "mental_health_support"),
    ("Digital Skills Class", "learning_skills"), ("English Conversation Club",
                                                  "learning_skills"),
    ("Adult Learning Centre", "learning_skills"), ("Cooking on a Budget", "learning_skills"),
    ("Carers' Centre", "carers_support"), ("Young Carers Group", "carers_support"),
    ("Dementia Carers Café", "carers_support"), ("Carers' Breaks Service", "carers_support"),
)

GOAL_TITLES = {
    "splw": ("Get out of the house twice a week", "Join a local group", "Sort out my debts",
             "Make a new friend", "Feel less alone in the evenings", "Start volunteering"),
    "cc": ("Understand my medicines", "Keep my appointments in one place",
           "Stay living at home safely", "Know who to call when things change",
           "Get my care plan reviewed"),
    "hwbc": ("Walk 20 minutes a day", "Lower my HbA1c", "Cut down on takeaways",
             "Stop smoking", "Feel confident using my inhaler", "Lose half a stone"),
}

REASONS = {
    "splw": ("Isolated since bereavement", "Money and housing worries", "Low mood, few contacts",
             "Caring for a partner, worn out", "Wants to get out and meet people"),
    "cc": ("Several hospital admissions", "Many appointments, needs joining up",
           "Home from hospital, needs support in place", "Falls at home"),
    "hwbc": ("Newly diagnosed type 2 diabetes", "Wants to be more active",
             "COPD, low confidence managing it", "Pre-diabetes: wants to change habits"),
}
CARE_HOME_REASONS = ("Recently moved to a care home", "Care plan review in the home",
                     "Falls in the home", "Several hospital admissions from the home")

REFERRAL_SOURCES_BY_ROLE = {
    "splw": ("gp", "gp", "gp", "self", "practice_nurse", "community_group", "social_care",
             "other_clinician"),
    "cc": ("gp", "gp", "hospital_discharge", "hospital_discharge", "other_clinician",
           "social_care", "practice_nurse"),
    "hwbc": ("gp", "gp", "practice_nurse", "practice_nurse", "self", "other_clinician"),
}

_WHAT_MATTERS = (
    "Seeing my grandchildren more", "Getting back to my allotment", "Staying in my own home",
    "Feeling less on my own", "Being able to walk to the shops",
    "Sorting out my money worries", "Going back to work part-time",
)
_WHAT_MATTERS_IN_HOME = (
    "Seeing my family when they visit", "Getting out into the garden",
    "Feeling settled here", "Keeping up with my music", "Being comfortable and pain free",
)

# How sessions are held, by role (weights), for people living in their own homes.
_MODES = {
    "splw": (("face_to_face", 30), ("telephone", 35), ("home_visit", 15), ("video", 10),
             ("group", 10)),
    "cc": (("telephone", 45), ("home_visit", 30), ("face_to_face", 20), ("video", 5)),
    "hwbc": (("face_to_face", 35), ("telephone", 30), ("video", 15), ("group", 20)),
}
_MODES_IN_HOME = {
    "splw": (("care_home_visit", 60), ("telephone", 30), ("video", 10)),
    "cc": (("care_home_visit", 85), ("telephone", 15)),
    "hwbc": (("care_home_visit", 60), ("telephone", 30), ("video", 10)),
}
_MINUTES = {
    "telephone": (10, 15, 20, 20, 30), "video": (20, 30, 30, 45),
    "face_to_face": (30, 30, 45, 60), "home_visit": (45, 60, 60, 90),
    "care_home_visit": (30, 45, 45, 60), "group": (60, 90, 90, 120),
}
# What the note says depends on how the session was held ...
_NOTE_OPENINGS = {
    "telephone": ("Phoned to check in.", "Telephone call.", "Spoke on the phone."),
    "video": ("Video call.", "Met on a video call."),
    "face_to_face": ("Met at the surgery.", "Seen face to face at the practice."),
    "home_visit": ("Visited at home.", "Home visit."),
    "care_home_visit": ("Visited at the care home.", "Saw them at the home with the senior "
                                                     "carer."),
    "group": ("Came to the group session.", "Joined the group session."),
}
_CARE_HOME_PHONE = ("Phoned the home; spoke with them and the senior carer.",
                    "Phoned the care home to check in.")
# ... and on what kind of session it was.
_NOTE_BODIES = {
    "assessment": ("Talked through what matters most and agreed first goals.",
                   "Completed the first assessment; agreed a plan together.",
                   "Got to know them and what they want to change."),
    "follow_up": ("Agreed next steps together.", "Went over progress since last time.",
                  "Talked about what went well and what was hard this week.",
                  "Checked how the plan is going."),
    "review": ("Reviewed progress on goals.", "Reviewed the plan; goals updated.",
               "Looked back at how things have changed since the start."),
}
# A missed contact (did not attend / no answer), rebooked a few days later.
MISSED_SHARE = 0.05
_MISSED_NOTES = {
    "telephone": ("Phoned, no answer. Rebooked for {0:%d %b}.",
                  "Phoned twice, no answer; left a message. Will try again {0:%d %b}."),
    "home_visit": ("Home visit: not in. Left a card; rebooked for {0:%d %b}.",),
    "video": ("Video call: did not join. Rebooked for {0:%d %b}.",),
    "in_home": ("Phoned the home: asleep and not up to talking. Rebooked for {0:%d %b}.",
                "Phoned the home, no answer on the unit. Will try again {0:%d %b}."),
}
_MISSED_MODES = (("telephone", 70), ("home_visit", 20), ("video", 10))
_GROUP_BODIES = ("Took part and stayed for a chat afterwards.", "Joined in and met others.",
                 "Shared how the week went with the group.")
_DISCHARGE_NOTES = {
    "goals_met": ("Goals met. Agreed to close and how to get back in touch.",
                  "Final session: looked back at progress; closing with goals met."),
    "referred_on": ("Handed over to the right service; closing here.",
                    "Referred on with their agreement; closing this episode."),
    "disengaged": ("No reply after several tries; closing and letting the GP know.",),
    "moved_away": ("Moving out of the area; closing and passing details to the new practice.",),
    "other": ("Agreed to close for now; they can be referred again any time.",),
}

# Community asset categories that fit each need (for link-worker and coach referrals).
_NEED_CATEGORIES = {
    "loneliness": ("befriending", "arts_culture"), "complex_social": ("advice",),
    "mental_health": ("mental_health_support", "peer_support"),
    "community_interest": ("arts_culture", "volunteering", "nature_gardening",
                           "learning_skills"),
    "low_control": ("advice", "learning_skills"), "carer_strain": ("carers_support",),
    "physical_health": ("sport_activity",), "behaviour_change": ("sport_activity",),
    "type2_diabetes": ("peer_support", "sport_activity"), "copd": ("peer_support",),
    "multiple_ltc": ("peer_support",), "chronic_condition": ("peer_support",),
    "frail_elderly": ("befriending",),
}
_CLOSURE_REASONS = (("goals_met", 50), ("disengaged", 14), ("referred_on", 14),
                    ("moved_away", 5), ("died", 5), ("other", 10))
# Where a team's open work stands; a small caseload gets each at least once.
_FATES = (("active", 52), ("closed", 28), ("on_hold", 6), ("referred", 8), ("declined", 6))
# Days between a fate's referral and today (first contact is due within a week of referral).
_FATE_DAYS_AGO = {"referred": (0, 9), "declined": (5, 400), "active": (10, 200),
                  "overdue": (60, 200), "on_hold": (45, 260), "closed": (45, 500)}
OVERDUE_SHARE = 0.08  # of active episodes whose next follow-up has passed
_DAYS_AHEAD = (1, 2, 3, 4, 5, 6, 7, 7, 8, 9, 10, 11, 12, 13, 14, 14, 15, 16, 17, 18, 19, 20,
               21, 21, 24, 28)
_GAPS = {"splw": (7, 14, 14, 21, 21, 28), "cc": (14, 21, 28, 28, 35),
         "hwbc": (14, 14, 21, 28)}
_ONS4_SOMETIMES = 0.3  # care coordinators and coaches record ONS4 in this share of episodes
_ONS4_FULL_EFFECT_DAYS = 120  # well-being changes over about four months of support


def demo_nhs_number(rng: random.Random) -> str:
    """Return a valid NHS number from the 999 test range."""
    while True:
        body = "999" + "".join(str(rng.randrange(10)) for _ in range(6))
        check = nhs_check_digit(body)
        if check is not None:
            return body + str(check)


def _id_factory(seed: int) -> Callable[[], str]:
    rng = random.Random(f"ids-{seed}")
    return lambda: str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _weighted(rng: random.Random, pairs) -> str:
    """Pick from (value, weight) pairs."""
    total = sum(w for _, w in pairs)
    x = rng.random() * total
    for value, w in pairs:
        x -= w
        if x < 0:
            return value
    return pairs[-1][0]


def _in_care_home_chance(age: int) -> float:
    """The chance that someone of this age on the caseload lives in a care home."""
    if age >= 85:
        return 0.75
    if age >= 80:
        return 0.55
    if age >= 75:
        return 0.35
    return 0.12 if age >= 70 else 0.0


def _needs_for(rng: random.Random, age: int, in_care_home: bool) -> set[str]:
    needs: set[str] = set()
    old = age >= 75
    weights = {
        "loneliness": 0.35 if old else 0.25, "complex_social": 0.08 if old else 0.3,
        "mental_health": 0.2 if old else 0.35, "community_interest": 0.1 if old else 0.25,
        "low_control": 0.1 if old else 0.2, "carer_strain": 0.08,
        "frail_elderly": 0.7 if old else 0.02, "many_appointments": 0.45 if old else 0.12,
        "navigation": 0.3 if old else 0.1, "follow_up": 0.3 if old else 0.12,
        "vulnerable": 0.25 if old else 0.06, "multi_service": 0.3 if old else 0.06,
        "multiple_ltc": 0.5 if old else 0.15, "chronic_condition": 0.4 if old else 0.2,
        "type2_diabetes": 0.2 if old else 0.15, "copd": 0.15 if old else 0.06,
        "ltc_risk": 0.05 if old else 0.2, "physical_health": 0.3 if old else 0.15,
        "behaviour_change": 0.05 if old else 0.3, "goal_setting": 0.05 if old else 0.25,
        "low_confidence": 0.15,
    }
    if in_care_home:  # living in a home: fewer community and lifestyle needs
        for need in ("complex_social", "community_interest", "carer_strain", "ltc_risk",
                     "behaviour_change", "goal_setting"):
            weights[need] = 0.02
    for need_id, p in weights.items():
        if rng.random() < p:
            needs.add(need_id)
    if in_care_home:
        needs |= {"care_home", "frail_elderly"}
    if not needs:
        needs.add(rng.choice(list(weights)))
    return needs


def _role_for(needs: set[str], rules=None) -> str:
    """Pick the role a team would likely take for these needs (demo only)."""
    try:
        from arrs_desktop.domain.matching import load_rules, match_roles

        result = match_roles(needs, rules if rules is not None else load_rules(None).rules)
        if result.lead:
            return result.lead
    except ImportError:  # pragma: no cover - the engine ships with the app
        pass
    score = {"splw": 0, "cc": 0, "hwbc": 0}
    for need in needs:
        group = catalogue.NEEDS_BY_ID[need].group
        role = {catalogue.NEED_GROUPS[0]: "splw", catalogue.NEED_GROUPS[1]: "cc"}.get(
            group, "hwbc")
        score[role] += 1
    return max(score, key=lambda r: (score[r], r))


@dataclass
class DemoSummary:
    """What the demo generator made."""

    people: int
    episodes: int
    sessions: int
    goals: int


# -- the plan: what happened to one person, shared by both ways of writing it -------------

@dataclass(slots=True)
class _Visit:
    """One session and what was recorded with it."""

    day: date
    kind: str
    mode: str
    minutes: int
    notes: str
    next_follow_up: date | None
    ons4: tuple[int, int, int, int] | None = None
    scores: list = field(default_factory=list)  # (goal index, score)
    referrals: list = field(default_factory=list)  # (asset id, outcome, outcome date)


@dataclass(slots=True)
class _GoalPlan:
    title: str
    baseline: int
    set_date: date
    target_date: date
    status: str = "active"
    achieved_date: date | None = None


@dataclass(slots=True)
class _EpisodePlan:
    role: str
    lead: str
    worker: str
    referred: date
    source: str
    reason: str
    share_with_gp: bool
    status: str = "referred"
    first_contact: date | None = None
    ended: date | None = None  # closure or declined date
    closure_reason: str | None = None
    on_hold_from: date | None = None
    goals: list = field(default_factory=list)
    visits: list = field(default_factory=list)


@dataclass(slots=True)
class _PersonPlan:
    name: str
    date_of_birth: date
    nhs_number: str | None
    address: str
    postcode: str
    gender: str
    ethnicity: str
    phone: str
    gp_practice: str
    home: CareHome | None
    preferred_contact: str
    what_matters: str
    needs: set
    first_seen: date
    ons4_base: tuple
    ons4_change: tuple
    ons4_start: date | None = None
    episodes: list = field(default_factory=list)


class _Planner:
    """Decide, with one random stream, what happened to each demo person."""

    def __init__(self, rng: random.Random, today: date, homes, assets) -> None:
        self.rng = rng
        self.today = today
        self.homes = list(homes)
        # Homes differ in size: the bigger ones get more of the residents.
        self.home_size = {h.id: (1.0, 1.4, 1.8)[i % 3] for i, h in enumerate(self.homes)}
        self.home_count = {h.id: 0 for h in self.homes}
        live = [a for a in assets if a.active]
        self.asset_ids = [a.id for a in live]
        self.assets_by_category: dict[str, list[str]] = {}
        for a in live:
            self.assets_by_category.setdefault(a.category, []).append(a.id)
        self.used_nhs: set[str] = set()
        self._role_cache: dict[frozenset, str] = {}
        self._rules = None
        # A small caseload still shows every status and someone overdue.
        self._forced = ["referred", "closed", "overdue", "declined", "on_hold"]

    # -- the person ---------------------------------------------------------------------
    def person(self, first_seen_days: int) -> _PersonPlan:
        rng, today = self.rng, self.today
        age = min(99, max(18, int(rng.triangular(18, 99, 74))))
        dob = today - timedelta(days=age * 365 + rng.randrange(365))
        home = self._pick_home() if rng.random() < _in_care_home_chance(age) else None
        nhs = None
        if rng.random() < 0.95:
            nhs = demo_nhs_number(rng)
            while nhs in self.used_nhs:
                nhs = demo_nhs_number(rng)
            self.used_nhs.add(nhs)
        female = rng.random() < 0.56
        first = rng.choice(FIRST_NAMES[:42] if female else FIRST_NAMES[42:])
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        needs = _needs_for(rng, age, home is not None)
        g = rng.gauss
        return _PersonPlan(
            name=f"{first} {rng.choice(LAST_NAMES)}", date_of_birth=dob, nhs_number=nhs,
            address=(home.address if home else
                     f"{rng.randrange(1, 180)} {rng.choice(STREETS)}, {rng.choice(TOWNS)}"),
            postcode=f"{rng.choice(OUTWARDS)} {rng.randrange(1, 10)}{rng.choice(letters)}"
                     f"{rng.choice(letters)}",
            gender="female" if female else "male", ethnicity=rng.choice(ETHNICITIES),
            phone=f"07700 9{rng.randrange(10**5):05d}",
            gp_practice=home.practice if home else rng.choice(PRACTICES),
            home=home,
            # Demo people have no email address, so none of them prefers email.
            preferred_contact=rng.choice(("phone", "in_person")) if home else _no_email(
                rng.choice(list(catalogue.PREFERRED_CONTACT))),
            what_matters=(rng.choice(_WHAT_MATTERS_IN_HOME if home else _WHAT_MATTERS)
                          if rng.random() < 0.7 else ""),
            needs=needs,
            first_seen=today - timedelta(days=rng.randrange(20, max(21, first_seen_days))),
            # Referred people start low on well-being and mostly get a little better.
            ons4_base=(g(4.6, 1.7), g(5.0, 1.7), g(4.5, 1.9), g(6.0, 2.0)),
            ons4_change=self._ons4_change(),
        )

    def _ons4_change(self) -> tuple:
        rng = self.rng
        response = rng.gauss(1.2, 1.0)  # how much this person gains overall
        ups = tuple(1.5 * response + rng.gauss(0, 1.2) for _ in range(3))
        return (*ups, -(1.8 * response + rng.gauss(0, 1.1)))

    def _pick_home(self) -> CareHome:
        """Spread residents over the homes, more to the bigger ones."""
        rng = self.rng
        ranked = sorted(self.homes, key=lambda h: (
            self.home_count[h.id] / self.home_size[h.id], rng.random()))
        home = rng.choice(ranked[:3])
        self.home_count[home.id] += 1
        return home

    def lead_role(self, p: _PersonPlan) -> str:
        key = frozenset(p.needs)
        if key not in self._role_cache:
            if self._rules is None:
                from arrs_desktop.domain.matching import load_rules

                self._rules = load_rules(None).rules  # read the rules file once
            self._role_cache[key] = _role_for(p.needs, self._rules)
        lead = self._role_cache[key]
        if p.home is not None and lead != "cc" and self.rng.random() < 0.85:
            lead = "cc"  # care-home residents are mostly with the care coordinators
        return lead

    def fate(self, days_ago: int | None = None) -> str:
        """Pick where an episode stands; one referred `days_ago` must fit the fate's window."""
        for i, fate in enumerate(self._forced):
            window = _FATE_DAYS_AGO[fate]
            if days_ago is None or window[0] <= days_ago <= window[1]:
                return self._forced.pop(i)
        return _weighted(self.rng, _FATES)

    # -- the small caseload: what is going on now -----------------------------------------
    def current(self, p: _PersonPlan) -> None:
        """Give `p` the episodes of a caseload today: one lead role, sometimes two roles."""
        rng, today = self.rng, self.today
        if rng.random() < (0.05 if p.home else 0.12):
            return  # on the log with needs, not yet allocated: the triage cohort
        lead = self.lead_role(p)
        fate = self.fate()
        lo, hi = _FATE_DAYS_AGO[fate]
        referred = today - timedelta(days=rng.randrange(lo, hi))
        first = self.episode(p, lead, lead, referred, fate)
        if rng.random() >= 0.2 or first.closure_reason == "died" or fate == "overdue":
            return
        role = rng.choice([r for r in catalogue.ROLE_CODES if r != lead])
        fate = _weighted(rng, _FATES)
        if first.status in ("active", "on_hold") and fate in ("closed", "declined"):
            fate = "active"  # work alongside the lead role, not finished before it
        lo, hi = _FATE_DAYS_AGO[fate]
        referred = today - timedelta(days=rng.randrange(lo, hi))
        # Open work goes on after the other role's last session, as it does in practice.
        after = first.visits[-1].day + timedelta(days=1) if first.visits else None
        self.episode(p, role, lead, referred, fate, allow_died=False, not_before=after)

    # -- the large caseload: years of history ---------------------------------------------
    def history(self, p: _PersonPlan) -> None:
        """Give `p` a run of episodes since they were first seen, the last maybe open."""
        rng, today = self.rng, self.today
        if rng.random() < (0.05 if p.home else 0.12):
            return
        lead = self.lead_role(p)
        last_end = p.first_seen
        referred = p.first_seen + timedelta(days=rng.randrange(0, 10))
        while True:
            role = lead if rng.random() < 0.75 else rng.choice(catalogue.ROLE_CODES)
            if referred > today:
                # Finished with the team. While a status is still missing from the
                # caseload, someone is referred again to show it.
                if not self._forced:
                    break
                fate = self._forced[0]
                lo, hi = _FATE_DAYS_AGO[fate]
                referred = today - timedelta(days=rng.randrange(lo, hi))
                if referred <= last_end:
                    break
                self._forced.pop(0)
            else:
                days_ago = (today - referred).days
                fate = self.fate(days_ago)
                if days_ago > _FATE_DAYS_AGO[fate][1]:
                    fate = "declined" if rng.random() < 0.07 else "closed"  # long finished
            ep = self.episode(p, role, lead, referred, fate)
            if ep.ended is None or ep.closure_reason == "died":
                break
            last_end = ep.ended
            referred = ep.ended + timedelta(days=rng.randrange(60, 800))

    # -- one episode ----------------------------------------------------------------------
    def episode(self, p: _PersonPlan, role: str, lead: str, referred: date, fate: str,
                allow_died: bool = True, not_before: date | None = None) -> _EpisodePlan:
        rng, today = self.rng, self.today
        in_home = p.home is not None
        ep = _EpisodePlan(
            role=role, lead=lead, worker=rng.choice(WORKERS[role]), referred=referred,
            source="care_home" if in_home and rng.random() < 0.4 else rng.choice(
                REFERRAL_SOURCES_BY_ROLE[role]),
            reason=rng.choice(CARE_HOME_REASONS if in_home and role == "cc" else REASONS[role]),
            share_with_gp=rng.random() < 0.9,
        )
        p.episodes.append(ep)
        if fate == "declined":
            ep.status = "declined"
            ep.ended = min(today, referred + timedelta(days=rng.randrange(1, 15)))
            return ep
        first = referred + timedelta(days=rng.randrange(1, 9))  # seen within a week or so
        if fate == "referred" or first > today:
            return ep  # waiting for a first contact
        if fate == "closed" and (today - first).days < 21:
            fate = "active"
        self._work(p, ep, first, fate, allow_died, not_before)
        return ep

    def _work(self, p: _PersonPlan, ep: _EpisodePlan, first: date, fate: str,
              allow_died: bool, not_before: date | None) -> None:
        rng, today, role = self.rng, self.today, ep.role
        in_home = p.home is not None
        day = timedelta(days=1)
        # When the work ends (closed), or when the next follow-up is due (open).
        due = None
        reason = None
        if fate == "closed":
            end = min(first + timedelta(days=rng.randrange(35, 220 if role == "cc" else 180)),
                      today - day)
            reasons = _CLOSURE_REASONS if allow_died else tuple(
                r for r in _CLOSURE_REASONS if r[0] != "died")
            if in_home and allow_died and rng.random() < 0.15:
                reason = "died"
            else:
                reason = _weighted(rng, reasons)
        elif fate == "on_hold":
            due = today + timedelta(days=rng.randrange(7, 43))
            end = due - timedelta(days=rng.choice((28, 42, 56)))
        else:
            x = rng.random()
            if fate == "overdue" or x < OVERDUE_SHARE:
                due = today - timedelta(days=rng.randrange(1, 15))
            elif x < OVERDUE_SHARE + 0.02:
                due = today
            else:
                due = today + timedelta(days=rng.choice(_DAYS_AHEAD))
            end = due - timedelta(days=rng.choice((7, 14, 14, 21, 28)))
        end = min(max(end, first), today)
        if due is not None and not_before is not None and end < not_before <= today:
            end = not_before
        if due is not None and due < end + timedelta(days=7) and end == first or (
                due is not None and due < end):
            due = end + timedelta(days=rng.choice((7, 14)))  # only just started
        # The sessions' dates: a first assessment, then every week or few.
        days = [first]
        while True:
            nxt = days[-1] + timedelta(days=rng.choice(_GAPS[role]) + rng.randrange(-2, 3))
            if nxt > end - timedelta(days=5):
                break
            days.append(nxt)
        if end > days[-1]:
            days.append(end)
        discharge = reason is not None and reason != "died" and (
            len(days) > 1 and rng.random() < 0.92)
        # Goals set at the assessment.
        for title in rng.sample(GOAL_TITLES[role], min(len(GOAL_TITLES[role]),
                                                       rng.choice((1, 1, 2, 2, 2, 3, 3)))):
            ep.goals.append(_GoalPlan(title=title, baseline=rng.randrange(1, 5), set_date=first,
                                      target_date=_target_date(rng, first, today,
                                                               reason is not None)))
        level = [g.baseline for g in ep.goals]
        steps = (0, 1, 1, 2) if reason in (None, "goals_met") else (-1, 0, 0, 1, 1)
        ons4_always = role == "splw"
        ons4_here = ons4_always or rng.random() < _ONS4_SOMETIMES
        referrals = 0
        last_review = first
        n = len(days)
        for k, d in enumerate(days):
            if k == 0:
                kind = "assessment"
            elif k == n - 1 and discharge:
                kind = "discharge"
            elif (k == n - 2 and discharge) or (d - last_review).days >= 56:
                kind = "review"
            else:
                kind = "follow_up"
            if kind == "review":
                last_review = d
            no_reply = kind == "discharge" and reason == "disengaged"
            mode = self._mode(role, kind, in_home, reason)
            minutes = 10 if no_reply else rng.choice(_MINUTES[mode])
            if kind == "assessment":
                minutes += 15
            if k < n - 1:
                follow = max(d, days[k + 1] - timedelta(days=rng.choice((0, 0, 0, 1, 2, 3))))
            elif reason is None:
                follow = due
            elif kind == "discharge":
                follow = None
            else:
                follow = d + timedelta(days=rng.choice((14, 21, 28)))  # planned, never held
            visit = _Visit(day=d, kind=kind, mode=mode, minutes=minutes,
                           notes=self._note(mode, kind, in_home, reason), next_follow_up=follow)
            if not no_reply and ons4_here and (
                    (kind == "assessment" and rng.random() < (0.92 if ons4_always else 1.0))
                    or (kind == "review" and rng.random() < (0.6 if ons4_always else 0.25))
                    or (kind == "discharge" and rng.random() < 0.85)):
                visit.ons4 = self._ons4(p, d)
            if not no_reply:
                for i, g in enumerate(ep.goals):
                    if g.status != "active" or (k > 0 and kind != "discharge"
                                                and rng.random() >= 0.45):
                        continue
                    if k > 0:
                        level[i] = max(0, min(10, level[i] + rng.choice(steps)))
                        if kind == "discharge" and reason == "goals_met" and rng.random() < 0.8:
                            level[i] = max(level[i], rng.randrange(7, 11))
                    visit.scores.append((i, level[i]))
                    if reason is None and level[i] >= 8 and rng.random() < 0.6:
                        g.status, g.achieved_date = "achieved", d
                if kind in ("assessment", "follow_up") and referrals < 3 and (
                        rng.random() < {"splw": 0.35, "hwbc": 0.08, "cc": 0.04}[role]):
                    referrals += 1
                    visit.referrals.append(self._asset_referral(p, role, d))
            self._maybe_missed(ep, days[k - 1] if k else ep.referred, d, in_home)
            ep.visits.append(visit)
        last = days[-1]
        ep.status, ep.first_contact = "active", first
        if reason is not None:
            ep.status, ep.closure_reason = "closed", reason
            ep.ended = last if discharge else min(today, last + timedelta(
                days=rng.randrange(2, 21)))
            for i, g in enumerate(ep.goals):
                if g.status == "active":
                    if level[i] >= 7:
                        g.status, g.achieved_date = "achieved", last
                    else:
                        g.status = "stopped"
        elif fate == "on_hold":
            ep.status, ep.on_hold_from = "on_hold", last

    def _maybe_missed(self, ep: _EpisodePlan, before: date, held: date, in_home: bool) -> None:
        """Now and then, a missed contact a few days before a session, rebooked to it."""
        rng = self.rng
        if rng.random() >= MISSED_SHARE:
            return
        day = held - timedelta(days=rng.randrange(2, 8))
        if day <= before:
            return
        mode = "telephone" if in_home else _weighted(rng, _MISSED_MODES)
        ep.visits.append(_Visit(
            day=day, kind=catalogue.DID_NOT_ATTEND, mode=mode,
            minutes=rng.choice((0, 0, 5, 10)) if mode == "telephone" else rng.choice((0, 20, 30)),
            notes=rng.choice(_MISSED_NOTES["in_home" if in_home else mode]).format(held),
            next_follow_up=held))

    def _mode(self, role: str, kind: str, in_home: bool, reason: str | None) -> str:
        rng = self.rng
        if kind == "discharge" and reason in ("disengaged", "moved_away"):
            return "telephone"
        choices = (_MODES_IN_HOME if in_home else _MODES)[role]
        mode = _weighted(rng, choices)
        while mode == "group" and kind != "follow_up":  # groups are for ongoing support
            mode = _weighted(rng, choices)
        return mode

    def _note(self, mode: str, kind: str, in_home: bool, reason: str | None) -> str:
        rng = self.rng
        if kind == "discharge":
            body = rng.choice(_DISCHARGE_NOTES[reason])
            return body if reason in ("disengaged", "moved_away") else (
                f"{rng.choice(_NOTE_OPENINGS[mode])} {body}")
        opening = rng.choice(_CARE_HOME_PHONE if in_home and mode == "telephone"
                             else _NOTE_OPENINGS[mode])
        body = rng.choice(_GROUP_BODIES if mode == "group" else _NOTE_BODIES[kind])
        return f"{opening} {body}"

    def _ons4(self, p: _PersonPlan, day: date) -> tuple[int, int, int, int]:
        rng = self.rng
        if p.ons4_start is None or day < p.ons4_start:
            p.ons4_start = day
        share = min(1.0, (day - p.ons4_start).days / _ONS4_FULL_EFFECT_DAYS)
        jitter = share > 0
        return tuple(
            max(0, min(10, round(base + change * share
                                 + (rng.choice((-1, 0, 0, 0, 1)) if jitter else 0))))
            for base, change in zip(p.ons4_base, p.ons4_change, strict=True))

    def _asset_referral(self, p: _PersonPlan, role: str, day: date) -> tuple:
        rng, today = self.rng, self.today
        cats = [c for n in sorted(p.needs) for c in _NEED_CATEGORIES.get(n, ())
                if c in self.assets_by_category]
        if role == "hwbc":
            cats = [c for c in cats if c in ("sport_activity", "peer_support")] or [
                "sport_activity"]
        pool = self.assets_by_category.get(rng.choice(cats)) if cats else None
        asset = rng.choice(pool or self.asset_ids)
        settled = day + timedelta(days=rng.randrange(7, 43))
        if settled > today:
            return asset, "pending", None  # only recent referrals are still pending
        outcome = _weighted(rng, (("attended", 62), ("did_not_attend", 20), ("declined", 18)))
        return asset, outcome, settled


def _target_date(rng, set_day: date, today: date, closing: bool) -> date:
    """Pick a goal's target: for work still going on, mostly ahead of today, a few passed."""
    planned = set_day + timedelta(days=rng.randrange(60, 200))
    if closing or planned >= today:
        return planned
    return max(set_day + timedelta(days=14), today + timedelta(days=rng.randrange(-7, 120)))


# -- writing through the store methods (small caseloads) -----------------------------------

def build_demo(store, people: int, seed: int = 1, today: date | None = None,
               progress: Callable[[int, int], None] | None = None) -> DemoSummary:
    """Fill an open store with a synthetic caseload of `people` people."""
    rng = random.Random(seed)
    today = today or date.today()
    store.new_id = _id_factory(seed)
    counts = DemoSummary(0, 0, 0, 0)
    homes, assets = _demo_places(store)
    planner = _Planner(rng, today, homes, assets)
    residents: dict[str, list[str]] = {h.id: [] for h in homes}
    batch_size = 500
    for start in range(0, people, batch_size):
        with store.batch():
            for _ in range(start, min(people, start + batch_size)):
                plan = planner.person(first_seen_days=500)
                planner.current(plan)
                _write_person(store, plan, residents, counts)
                if progress:
                    progress(counts.people, people)
    with store.batch():
        late = rng.randrange(len(homes) + len(homes) // 2)  # at most one home is late
        for i, home in enumerate(homes):
            _demo_home_contacts(store, rng, today, home, residents[home.id], i % 5, i == late)
    return counts


def _demo_places(store):
    """Add the demo care homes and community assets; return them."""
    with store.batch():
        homes = []
        for i, name in enumerate(CARE_HOME_NAMES):
            homes.append(store.care_homes.add(CareHome(
                name=name, address=f"{10 + i} {STREETS[i % len(STREETS)]}, "
                                   f"{TOWNS[i % len(TOWNS)]}",
                phone=f"01632 96{i:04d}", practice=PRACTICES[i % len(PRACTICES)],
                clinical_lead=f"Dr {LAST_NAMES[i * 3 % len(LAST_NAMES)]}",
                lead_worker=WORKERS["cc"][i % 2],
            )))
        assets = []
        for i, (name, category) in enumerate(ASSETS):
            assets.append(store.community.add_asset(CommunityAsset(
                name=name, category=category, contact=f"01632 97{i:04d}",
                address=f"{TOWNS[i % len(TOWNS)]} Community Centre",
                notes="Meets weekly." if i % 3 else "Drop in, no booking needed.",
                active=i % 13 != 12,
            )))
    return homes, assets


def _no_email(preferred: str) -> str:
    return "text" if preferred == "email" else preferred


def _died(plan: _PersonPlan) -> bool:
    return any(ep.closure_reason == "died" for ep in plan.episodes)


def _write_person(store, plan: _PersonPlan, residents, counts: DemoSummary) -> None:
    person = store.people.add(Person(
        name=plan.name, date_of_birth=plan.date_of_birth, nhs_number=plan.nhs_number,
        address=plan.address, postcode=plan.postcode, gender=plan.gender,
        ethnicity=plan.ethnicity, phone=plan.phone, gp_practice=plan.gp_practice,
        care_home_id=plan.home.id if plan.home else None,
        preferred_contact=plan.preferred_contact,
    ), allow_duplicate=True)
    counts.people += 1
    if plan.home and not _died(plan):
        residents[plan.home.id].append(person.id)
    store.needs.set(person.id, plan.needs)
    if plan.what_matters:
        store.people.set_what_matters(person.id, plan.what_matters)
    # The national standards' records come from a random stream of their own, so the rest
    # of the caseload is the same as it was before they were added.
    extra = random.Random(f"standards-{counts.people}-{plan.name}")
    _demo_alerts(store, extra, person.id, plan)
    for ep in plan.episodes:
        episode = store.episodes.open(Episode(
            person_id=person.id, role=ep.role, referral_date=ep.referred,
            referral_source=ep.source, referral_reason=ep.reason, worker=ep.worker,
            suggested_role=ep.lead, suggestion={"lead": ep.lead},
            share_with_gp=ep.share_with_gp,
        ))
        counts.episodes += 1
        _demo_referral(store, extra, episode, ep)
        goals = [store.goals.add(Goal(
            person_id=person.id, episode_id=episode.id, title=g.title, owner_role=ep.role,
            baseline=g.baseline, set_date=g.set_date, target_date=g.target_date,
        )) for g in ep.goals]
        counts.goals += len(goals)
        outcomes = {}
        for v in ep.visits:
            session = store.sessions.log(SessionEntry(
                Session(person_id=person.id, date=v.day, role=ep.role, kind=v.kind,
                        mode=v.mode, minutes=v.minutes, worker=ep.worker,
                        episode_id=episode.id, next_follow_up=v.next_follow_up,
                        notes=v.notes),
                ons4=Ons4(*v.ons4) if v.ons4 else None,
                goal_scores=tuple((goals[i].id, score, "") for i, score in v.scores),
                asset_referrals=tuple(a for a, _, _ in v.referrals),
            ))
            counts.sessions += 1
            for asset, outcome, on in v.referrals:
                if outcome != "pending":
                    outcomes[(session.id, asset)] = (outcome, on)
        if outcomes:
            for ref in store.community.referrals_for(person.id):
                found = outcomes.get((ref.session_id, ref.asset_id))
                if found and ref.outcome == "pending":
                    store.community.set_outcome(ref.id, found[0], on=found[1])
        for g, goal in zip(ep.goals, goals, strict=True):
            if g.status != "active":
                store.goals.update(replace(goal, status=g.status, achieved_date=g.achieved_date))
        if ep.status == "closed":
            store.episodes.change_status(episode.id, "closed", on=ep.ended,
                                        closure_reason=ep.closure_reason)
        elif ep.status == "declined":
            store.episodes.change_status(episode.id, "declined", on=ep.ended)
        elif ep.status == "on_hold":
            store.episodes.change_status(episode.id, "on_hold", on=ep.on_hold_from)


_DEMO_ALERTS = (
    ("lone_worker", "Large dog at the address: ask for it to be shut away before visiting."),
    ("lone_worker", "Visit in pairs after dark; a family member has been aggressive."),
    ("safeguarding", "Speak to the practice safeguarding lead before any home visit."),
    ("interpreter", "Polish"),
    ("interpreter", "British Sign Language"),
    ("hearing", "Uses a hearing aid: face them and speak clearly."),
    ("sight", "Send letters in large print."),
)
_REFERRER_ROLES = {"gp": "GP", "practice_nurse": "Practice nurse",
                   "other_clinician": "Physiotherapist", "care_home": "Senior carer",
                   "hospital_discharge": "Discharge coordinator",
                   "social_care": "Social worker", "community_group": "Group organiser",
                   "other": "Housing officer"}


def _demo_alerts(store, rng: random.Random, person_id: str, plan: _PersonPlan) -> None:
    """About one person in ten has a safety alert (some a communication need on their plan)."""
    if rng.random() >= 0.1 or not plan.episodes:
        return
    kind, detail = rng.choice(_DEMO_ALERTS)
    store.alerts.add(person_id, {
        "kind": kind, "detail": detail, "raised_on": plan.episodes[0].referred.isoformat(),
        "raised_by": plan.episodes[0].worker or "Demo",
        "show_on_plan": kind in ("interpreter", "hearing", "sight") and rng.random() < 0.7})


def _demo_referral(store, rng: random.Random, episode: Episode, ep) -> None:
    """The referral an episode was opened from, to the standard's model."""
    by_someone = ep.source != "self"
    surname = rng.choice(LAST_NAMES)
    store.referrals.add(episode.id, {
        "referrer_name": (f"Dr {surname}" if ep.source == "gp" else
                          f"{rng.choice(FIRST_NAMES)} {surname}") if by_someone else "",
        "referrer_role": _REFERRER_ROLES.get(ep.source, "") if by_someone else "",
        "referrer_organisation": rng.choice(PRACTICES) if by_someone else "",
        "referrer_phone": f"01632 95{rng.randrange(10000):04d}" if by_someone else "",
        "urgency": "urgent" if rng.random() < 0.1 else "routine",
        "consent_to_share": bool(ep.share_with_gp)})


_CONTACT_ACTIONS = {
    "weekly_check_in": ("Checked in with the senior carer.", "Medication review booked.",
                        "Falls risk discussed; physio asked to see.",
                        "Weight loss flagged; dietitian referral made.",
                        "Family meeting arranged."),
    "home_round": ("Home round with the GP; care plans reviewed.",
                   "MDT: reviewed residents back from hospital."),
    "phone": ("Home phoned about a new concern; GP visit booked.",
              "Phoned to follow up last week's actions."),
    "visit": ("Visited to update care plans.", "Visited to review anticipatory care plans."),
}


def _demo_home_contacts(store, rng, today, home, resident_ids, weekday: int,
                        late: bool) -> None:
    """Log a home's weekly contacts on its own weekday; a `late` home missed this week's."""
    last = today - timedelta(days=(today.weekday() - weekday) % 7)
    if late:
        last -= timedelta(days=7)
    weeks = rng.randrange(6, 14)
    for k in range(weeks, -1, -1):
        day = last - timedelta(days=7 * k)
        if k and rng.random() < 0.15:
            day += timedelta(days=rng.choice((-1, 1)))  # moved a day that week
        kind = "home_round" if k % 4 == 2 else _weighted(rng, (
            ("weekly_check_in", 80), ("phone", 12), ("visit", 8)))
        discussed: tuple[str, ...] = ()
        if resident_ids and rng.random() < 0.9:
            discussed = tuple(rng.sample(resident_ids, min(len(resident_ids), rng.randrange(
                2, 6) if kind == "home_round" else rng.randrange(1, 4))))
        actions = rng.choice(_CONTACT_ACTIONS[kind]) if discussed else (
            "No new concerns raised.")
        store.care_homes.log_contact(CareHomeContact(
            care_home_id=home.id, date=day, kind=kind, actions=actions,
            next_due=day + timedelta(days=7), worker=home.lead_worker, residents=discussed,
        ))


# -- at scale: years of history for a whole PCN, written in bulk --------------------------
# `build_demo` goes through the ordinary store methods (one audit line per row); that is
# right for a few hundred people but far too slow for a PCN's whole history. The bulk
# path plans people the same way and hands the rows to `store.bulk.load` a batch
# at a time (one `bulk_import` audit line per batch). Each person carries up to three
# years of history: a run of episodes, the last one maybe still open.

BULK_THRESHOLD = 5000  # `arrs demo` uses the bulk path above this many people
BULK_BATCH = 2000


class _BulkWriter:
    """Turn person plans into row tuples for `bulk_load`."""

    def __init__(self, store, rng: random.Random) -> None:
        self.rng = rng
        self.device = store.device_id
        self.user = store.user
        self.new_id = store.new_id
        self.residents: dict[str, list[str]] = {}

    def stamp(self, day: date) -> str:
        """Return a time during the working day on `day`, as the store writes it."""
        rng = self.rng
        return f"{day.isoformat()}T{rng.randrange(8, 18):02d}:{rng.randrange(60):02d}:" \
               f"{rng.randrange(60):02d}.{rng.randrange(10**6):06d}+00:00"

    def person(self, plan: _PersonPlan, out: dict[str, list]) -> None:
        device, new_id = self.device, self.new_id
        created = self.stamp(plan.first_seen)
        pid = new_id()
        home_id = plan.home.id if plan.home else None
        out["people"].append((
            pid, plan.name, search_key(plan.name), plan.date_of_birth.isoformat(),
            plan.nhs_number, plan.address, plan.postcode, plan.gender, plan.ethnicity,
            plan.phone, plan.gp_practice, home_id, plan.preferred_contact, plan.what_matters,
            created, created, device,
        ))
        if home_id and not _died(plan):
            self.residents.setdefault(home_id, []).append(pid)
        need_rows = [[new_id(), pid, need_id, created, self.user, None, "", created,
                      created, device] for need_id in sorted(plan.needs)]
        out["needs"].extend(need_rows)
        for ep in plan.episodes:
            self.episode(pid, ep, out)
        if plan.episodes and all(ep.ended for ep in plan.episodes) and \
                self.rng.random() < 0.85:
            # Finished with the team: the needs are marked met (kept in the history).
            stamp = self.stamp(max(ep.ended for ep in plan.episodes))
            for row in need_rows:
                row[5], row[6], row[8] = stamp, self.user, stamp

    def episode(self, pid: str, ep: _EpisodePlan, out: dict[str, list]) -> None:
        device, new_id = self.device, self.new_id
        eid = new_id()
        created = self.stamp(ep.referred)
        updated = created
        if ep.ended is not None:
            updated = self.stamp(ep.ended)
        elif ep.on_hold_from is not None:
            updated = self.stamp(ep.on_hold_from)
        elif ep.first_contact is not None:
            updated = self.stamp(ep.first_contact)
        out["episodes"].append((
            eid, pid, ep.role, ep.worker, ep.referred.isoformat(), ep.source, ep.reason,
            ep.lead, f'{{"lead": "{ep.lead}"}}', int(ep.lead == ep.role), ep.status,
            ep.first_contact.isoformat() if ep.first_contact else None,
            ep.ended.isoformat() if ep.ended else None, ep.closure_reason,
            int(ep.share_with_gp), created, updated, device,
        ))
        goal_ids = []
        for g in ep.goals:
            gid = new_id()
            goal_ids.append(gid)
            made = self.stamp(g.set_date)
            out["goals"].append((
                gid, pid, eid, g.title, "", ep.role, g.baseline, g.target_date.isoformat(),
                g.status, g.achieved_date.isoformat() if g.achieved_date else None, made,
                self.stamp(g.achieved_date or ep.ended) if g.status != "active" else made,
                device, g.set_date.isoformat(),
            ))
        sessions, progress, measures = out["sessions"], out["goal_progress"], \
            out["outcome_measures"]
        for v in ep.visits:
            sid = new_id()
            made = self.stamp(v.day)
            day = v.day.isoformat()
            sessions.append((
                sid, pid, eid, day, ep.role, v.kind, v.mode, v.minutes, v.notes, ep.worker,
                v.next_follow_up.isoformat() if v.next_follow_up else None, made, made,
                device,
            ))
            if v.ons4:
                measures.append((new_id(), pid, sid, day, *v.ons4, None, made, made, device))
            for i, score in v.scores:
                progress.append((new_id(), goal_ids[i], sid, day, score, "", made, made,
                                 device))
            for asset, outcome, on in v.referrals:
                out["asset_referrals"].append((
                    new_id(), pid, asset, sid, day, outcome, on.isoformat() if on else None,
                    "", made, made if on is None else self.stamp(on), device))


def build_demo_bulk(store, people: int, seed: int = 1, today: date | None = None,
                    progress: Callable[[int, int], None] | None = None,
                    batch: int = BULK_BATCH) -> DemoSummary:
    """Fill an open, empty store with a large synthetic caseload, a batch at a time."""
    rng = random.Random(seed)
    today = today or date.today()
    store.new_id = _id_factory(seed)
    homes, assets = _demo_places(store)
    planner = _Planner(rng, today, homes, assets)
    writer = _BulkWriter(store, rng)
    counts = DemoSummary(0, 0, 0, 0)
    for start in range(0, people, batch):
        out: dict[str, list] = {table: [] for table in BULK_COLUMNS}
        for _ in range(start, min(people, start + batch)):
            plan = planner.person(first_seen_days=3 * 365)
            planner.history(plan)
            writer.person(plan, out)
        store.bulk.load(out, note=f"synthetic demo caseload (seed {seed}), people "
                                  f"{start + 1}-{start + len(out['people'])} of {people}")
        counts.people += len(out["people"])
        counts.episodes += len(out["episodes"])
        counts.sessions += len(out["sessions"])
        counts.goals += len(out["goals"])
        if progress:
            progress(counts.people, people)
    with store.batch():
        late = rng.randrange(len(homes) + len(homes) // 2)  # at most one home is late
        for i, home in enumerate(homes):
            # The residents the team sees now: the most recently added.
            _demo_home_contacts(store, rng, today, home,
                                writer.residents.get(home.id, [])[-40:], i % 5, i == late)
    return counts


__all__ = ["build_demo", "build_demo_bulk", "demo_nhs_number"]
