"""Make a synthetic, reproducible demo caseload. Never real people: names are invented and
NHS numbers come from the 999 range set aside for test data."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from arrs_desktop import catalogue
from arrs_desktop.models import (
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
from arrs_desktop.validation import nhs_check_digit

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
    "splw": ("Isolated since bereavement", "Money and housing worries", "Low mood, few contacts"),
    "cc": ("Several hospital admissions", "Many appointments, needs joining up",
           "Recently moved to a care home"),
    "hwbc": ("Newly diagnosed type 2 diabetes", "Wants to be more active",
             "COPD, low confidence managing it"),
}


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
    for need_id, p in weights.items():
        if rng.random() < p:
            needs.add(need_id)
    if in_care_home:
        needs |= {"care_home", "frail_elderly"}
    if not needs:
        needs.add(rng.choice(list(weights)))
    return needs


def _role_for(needs: set[str]) -> str:
    """Pick the role a team would likely take for these needs (demo only)."""
    try:
        from arrs_desktop.matching import load_rules, match_roles

        result = match_roles(needs, load_rules(None).rules)
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


def build_demo(store, people: int, seed: int = 1, today: date | None = None,
               progress: Callable[[int, int], None] | None = None) -> DemoSummary:
    """Fill an open store with a synthetic caseload of `people` people."""
    rng = random.Random(seed)
    today = today or date.today()
    store.new_id = _id_factory(seed)
    counts = DemoSummary(0, 0, 0, 0)
    with store.batch():
        homes = []
        for i, name in enumerate(CARE_HOME_NAMES):
            homes.append(store.add_care_home(CareHome(
                name=name, address=f"{10 + i} {STREETS[i % len(STREETS)]}, "
                                   f"{TOWNS[i % len(TOWNS)]}",
                phone=f"01632 96{i:04d}", practice=PRACTICES[i % len(PRACTICES)],
                clinical_lead=f"Dr {LAST_NAMES[i * 3 % len(LAST_NAMES)]}",
                lead_worker=WORKERS["cc"][i % 2],
            )))
        assets = []
        for i, (name, category) in enumerate(ASSETS):
            assets.append(store.add_asset(CommunityAsset(
                name=name, category=category, contact=f"01632 97{i:04d}",
                address=f"{TOWNS[i % len(TOWNS)]} Community Centre",
                notes="Meets weekly." if i % 3 else "Drop in, no booking needed.",
                active=i % 13 != 12,
            )))
    used_nhs: set[str] = set()
    residents: dict[str, list[str]] = {h.id: [] for h in homes}
    batch_size = 500
    for start in range(0, people, batch_size):
        with store.batch():
            for _ in range(start, min(people, start + batch_size)):
                _demo_person(store, rng, today, homes, assets, used_nhs, residents, counts)
                if progress:
                    progress(counts.people, people)
    with store.batch():
        for home in homes:
            _demo_home_contacts(store, rng, today, home, residents[home.id])
    return counts


def _demo_person(store, rng, today, homes, assets, used_nhs, residents, counts) -> None:
    age = min(99, max(18, int(rng.triangular(18, 99, 78))))
    dob = today - timedelta(days=age * 365 + rng.randrange(365))
    in_home = age >= 78 and rng.random() < 0.15
    home = rng.choice(homes) if in_home else None
    nhs = None
    if rng.random() < 0.95:
        nhs = demo_nhs_number(rng)
        while nhs in used_nhs:
            nhs = demo_nhs_number(rng)
        used_nhs.add(nhs)
    female = rng.random() < 0.56
    first = rng.choice(FIRST_NAMES[:42] if female else FIRST_NAMES[42:])
    person = store.add_person(Person(
        name=f"{first} {rng.choice(LAST_NAMES)}",
        date_of_birth=dob,
        nhs_number=nhs,
        address=(home.address if home else
                 f"{rng.randrange(1, 180)} {rng.choice(STREETS)}, {rng.choice(TOWNS)}"),
        postcode=f"{rng.choice(OUTWARDS)} {rng.randrange(1, 10)}"
                 f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
        gender="female" if female else "male",
        ethnicity=rng.choice(ETHNICITIES),
        phone=f"07700 9{rng.randrange(10**5):05d}",
        gp_practice=rng.choice(PRACTICES),
        care_home_id=home.id if home else None,
        preferred_contact=rng.choice(list(catalogue.PREFERRED_CONTACT)),
    ), allow_duplicate=True)
    counts.people += 1
    if home:
        residents[home.id].append(person.id)
    needs = _needs_for(rng, age, in_home)
    store.set_needs(person.id, needs)
    if rng.random() < 0.7:
        store.set_what_matters(person.id, rng.choice((
            "Seeing my grandchildren more", "Getting back to my allotment",
            "Staying in my own home", "Feeling less on my own", "Being able to walk to the shops",
            "Sorting out my money worries", "Going back to work part-time",
        )))
    if rng.random() < 0.12:
        return  # on the log with needs, not yet allocated: the triage cohort
    lead = _role_for(needs)
    roles = [lead]
    if rng.random() < 0.2:
        roles.append(rng.choice([r for r in catalogue.ROLE_CODES if r != lead]))
    for n, role in enumerate(roles):
        _demo_episode(store, rng, today, person, role, lead, needs, assets, counts, n)


def _demo_episode(store, rng, today, person, role, lead, needs, assets, counts, n) -> None:
    referred = today - timedelta(days=rng.randrange(5, 420))
    worker = rng.choice(WORKERS[role])
    episode = store.open_episode(Episode(
        person_id=person.id, role=role, referral_date=referred,
        referral_source=rng.choice(list(catalogue.REFERRAL_SOURCES)),
        referral_reason=rng.choice(REASONS[role]), worker=worker, suggested_role=lead,
        suggestion={"lead": lead}, share_with_gp=rng.random() < 0.9,
    ))
    counts.episodes += 1
    fate = rng.random()
    if fate < 0.06:
        store.change_episode_status(episode.id, "declined",
                                    on=min(today, referred + timedelta(days=7)))
        return
    if fate < 0.14:
        return  # still referred, no contact yet
    goals = []
    for _ in range(rng.choice((1, 1, 2, 3))):
        goals.append(store.add_goal(Goal(
            person_id=person.id, episode_id=episode.id, title=rng.choice(GOAL_TITLES[role]),
            owner_role=role, baseline=rng.randrange(1, 5),
            target_date=referred + timedelta(days=rng.randrange(60, 200)),
        )))
        counts.goals += 1
    sessions = rng.randrange(2, 9)
    day = referred + timedelta(days=rng.randrange(1, 12))
    span = max(0, (today - day).days - rng.randrange(0, 25))
    level = {g.id: g.baseline for g in goals}
    for k in range(sessions):
        if day > today:
            break
        last = k == sessions - 1 or day + timedelta(days=14) > today
        ons4 = None
        if role == "splw" and (k == 0 or last):
            ons4 = Ons4(rng.randrange(2, 9), rng.randrange(2, 9), rng.randrange(2, 9),
                        rng.randrange(1, 9))
        scores = []
        for g in goals:
            if rng.random() < 0.8:
                level[g.id] = min(10, level[g.id] + rng.choice((0, 1, 1, 2)))
                scores.append((g.id, level[g.id], ""))
        referrals = ()
        if role == "splw" and rng.random() < 0.35:
            referrals = (rng.choice(assets).id,)
        follow = day + timedelta(days=rng.choice((7, 14, 14, 21, 28)))
        kind = "assessment" if k == 0 else ("review" if last else "follow_up")
        mode = rng.choice(list(catalogue.SESSION_MODES))
        if person.care_home_id and role == "cc":
            mode = "care_home_visit"
        store.log_session(SessionEntry(
            Session(person_id=person.id, date=day, role=role, kind=kind, mode=mode,
                    minutes=rng.choice((20, 30, 30, 45, 60)), worker=episode.worker,
                    episode_id=episode.id, next_follow_up=follow,
                    notes=rng.choice(("Talked through what matters most.",
                                      "Agreed next steps together.", "Reviewed progress.",
                                      "Phoned to check in."))),
            ons4=ons4, goal_scores=tuple(scores), asset_referrals=referrals,
        ))
        counts.sessions += 1
        day = day + timedelta(days=max(3, span // max(sessions - 1, 1)))
    for ref in store.referrals_for(person.id):
        if ref.outcome == "pending" and rng.random() < 0.7:
            store.set_referral_outcome(
                ref.id, rng.choice(("attended", "attended", "did_not_attend", "declined")),
                on=min(today, ref.referred_on + timedelta(days=14)))
    fate = rng.random()
    closed_on = min(today, day)
    if fate < 0.3 and closed_on >= referred:
        for g in goals:
            if level[g.id] >= 7:
                store.update_goal(Goal(**{**g.__dict__, "status": "achieved"}))
        store.change_episode_status(
            episode.id, "closed", on=closed_on,
            closure_reason=rng.choice(list(catalogue.CLOSURE_REASONS)))
    elif fate < 0.4 and store.get_episode(episode.id).status == "active":
        store.change_episode_status(episode.id, "on_hold", on=today)


def _demo_home_contacts(store, rng, today, home, resident_ids) -> None:
    last = today - timedelta(days=rng.choice((1, 3, 5, 6, 10, 16)))  # some end up overdue
    weeks = rng.randrange(6, 14)
    for k in range(weeks, -1, -1):
        day = last - timedelta(days=7 * k)
        discussed = tuple(rng.sample(resident_ids, min(len(resident_ids), rng.randrange(0, 4))))
        store.log_care_home_contact(CareHomeContact(
            care_home_id=home.id, date=day,
            kind=rng.choice(list(catalogue.CARE_HOME_CONTACT_KINDS)),
            actions=rng.choice(("Medication review booked.", "Falls risk discussed.",
                                "Family meeting arranged.", "No new concerns.")),
            next_due=day + timedelta(days=7), worker=home.lead_worker, residents=discussed,
        ))


__all__ = ["build_demo", "demo_nhs_number"]
