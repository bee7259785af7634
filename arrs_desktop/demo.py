"""Make a synthetic, reproducible demo caseload. Never real people: names are invented and
NHS numbers come from the 999 range set aside for test data."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
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
from arrs_desktop.store.bulk import BULK_COLUMNS
from arrs_desktop.validation import nhs_check_digit, search_key

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
    homes, assets = _demo_places(store)
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


def _demo_places(store):
    """Add the demo care homes and community assets; return them."""
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
    return homes, assets


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
    first_day = min(today, referred + timedelta(days=rng.randrange(1, 12)))
    closing = rng.random() < 0.3
    if closing:
        end = first_day + timedelta(days=int((today - first_day).days * rng.uniform(0.2, 0.95)))
    else:
        end = max(first_day, today - timedelta(days=rng.randrange(0, 25)))
    goals = []
    for _ in range(rng.choice((1, 1, 2, 3))):
        goals.append(store.add_goal(Goal(
            person_id=person.id, episode_id=episode.id, title=rng.choice(GOAL_TITLES[role]),
            owner_role=role, baseline=rng.randrange(1, 5), set_date=first_day,
            target_date=_target_date(rng, first_day, today, closing),
        )))
        counts.goals += 1
    sessions = rng.randrange(2, 9)
    gap = max(3, (end - first_day).days // max(sessions - 1, 1))
    day = first_day
    last_day = first_day
    level = {g.id: g.baseline for g in goals}
    for k in range(sessions):
        if day > today:
            break
        last = k == sessions - 1 or day + timedelta(days=gap) > today
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
        last_day = day
        day = day + timedelta(days=gap)
    for ref in store.referrals_for(person.id):
        if ref.outcome == "pending" and rng.random() < 0.7:
            store.set_referral_outcome(
                ref.id, rng.choice(("attended", "attended", "did_not_attend", "declined")),
                on=min(today, ref.referred_on + timedelta(days=14)))
    if closing:
        for g in goals:
            if level[g.id] >= 7:
                store.update_goal(replace(g, status="achieved", achieved_date=last_day))
            else:
                store.update_goal(replace(g, status="stopped"))
        store.change_episode_status(
            episode.id, "closed", on=last_day,
            closure_reason=rng.choice(list(catalogue.CLOSURE_REASONS)))
    elif rng.random() < 0.15 and store.get_episode(episode.id).status == "active":
        store.change_episode_status(episode.id, "on_hold", on=today)


def _target_date(rng, set_day: date, today: date, closing: bool) -> date:
    """Pick a goal's target: for work still going on, mostly ahead of today, a few passed."""
    planned = set_day + timedelta(days=rng.randrange(60, 200))
    if closing or planned >= today:
        return planned
    return max(set_day + timedelta(days=14), today + timedelta(days=rng.randrange(-10, 120)))


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


# -- at scale: years of history for a whole PCN, written in bulk --------------------------
# `build_demo` goes through the ordinary store methods (one audit line per row); that is
# right for a few hundred people but far too slow for a PCN's whole history. The bulk
# generator makes the same kinds of rows, only valid ones, and hands them to
# `CaseloadStore.bulk_load` a batch at a time (one `bulk_import` audit line per batch).
# Each person carries about three years of history: ~10 sessions and ~3 goals on average.

BULK_THRESHOLD = 5000  # `arrs demo` uses the bulk path above this many people
BULK_BATCH = 2000
_WHAT_MATTERS = (
    "Seeing my grandchildren more", "Getting back to my allotment", "Staying in my own home",
    "Feeling less on my own", "Being able to walk to the shops",
    "Sorting out my money worries", "Going back to work part-time",
)
_SESSION_NOTES = ("Talked through what matters most.", "Agreed next steps together.",
                  "Reviewed progress.", "Phoned to check in.")


class _BulkPersonMaker:
    """Make one person's rows (as tuples for `bulk_load`), always valid."""

    def __init__(self, store, rng: random.Random, today: date, homes, assets) -> None:
        self.rng = rng
        self.today = today
        self.homes = homes
        self.assets = [a.id for a in assets]
        self.device = store.device_id
        self.user = store.user
        self.new_id = store.new_id
        self.used_nhs: set[str] = set()
        self.residents: dict[str, list[str]] = {h.id: [] for h in homes}
        self._role_cache: dict[frozenset, str] = {}

    def stamp(self, day: date) -> str:
        """Return a time during the working day on `day`, as the store writes it."""
        rng = self.rng
        return f"{day.isoformat()}T{rng.randrange(8, 18):02d}:{rng.randrange(60):02d}:" \
               f"{rng.randrange(60):02d}.{rng.randrange(10**6):06d}+00:00"

    def role_for(self, needs: set[str]) -> str:
        key = frozenset(needs)
        if key not in self._role_cache:
            self._role_cache[key] = _role_for(needs)
        return self._role_cache[key]

    def person(self, out: dict[str, list]) -> None:
        rng, today, device = self.rng, self.today, self.device
        age = min(99, max(18, int(rng.triangular(18, 99, 70))))
        dob = today - timedelta(days=age * 365 + rng.randrange(365))
        in_home = age >= 78 and rng.random() < 0.15
        home = rng.choice(self.homes) if in_home else None
        nhs = None
        if rng.random() < 0.95:
            nhs = demo_nhs_number(rng)
            while nhs in self.used_nhs:
                nhs = demo_nhs_number(rng)
            self.used_nhs.add(nhs)
        female = rng.random() < 0.56
        first = rng.choice(FIRST_NAMES[:42] if female else FIRST_NAMES[42:])
        name = f"{first} {rng.choice(LAST_NAMES)}"
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        first_seen = today - timedelta(days=rng.randrange(20, 3 * 365))
        created = self.stamp(first_seen)
        pid = self.new_id()
        out["people"].append((
            pid, name, search_key(name), dob.isoformat(), nhs,
            home.address if home else
            f"{rng.randrange(1, 180)} {rng.choice(STREETS)}, {rng.choice(TOWNS)}",
            f"{rng.choice(OUTWARDS)} {rng.randrange(1, 10)}{rng.choice(letters)}"
            f"{rng.choice(letters)}",
            "female" if female else "male", rng.choice(ETHNICITIES),
            f"07700 9{rng.randrange(10**5):05d}", rng.choice(PRACTICES),
            home.id if home else None, rng.choice(list(catalogue.PREFERRED_CONTACT)),
            rng.choice(_WHAT_MATTERS) if rng.random() < 0.7 else "",
            created, created, device,
        ))
        if home:
            self.residents[home.id].append(pid)
        needs = _needs_for(rng, age, in_home)
        need_rows = [[self.new_id(), pid, need_id, created, self.user, None, "", created,
                      created, device] for need_id in sorted(needs)]
        out["needs"].extend(need_rows)
        if rng.random() < 0.12:
            return  # on the log with needs, not yet allocated: the triage cohort
        lead = self.role_for(needs)
        referred = first_seen + timedelta(days=rng.randrange(0, 10))
        ended = None
        while referred <= today:
            role = lead if rng.random() < 0.75 else rng.choice(catalogue.ROLE_CODES)
            ended = self.episode(out, pid, role, lead, referred, home is not None)
            if ended is None:
                break  # still open
            referred = ended + timedelta(days=rng.randrange(60, 800))
        if ended is not None and rng.random() < 0.85:
            # Finished with the team: the needs are marked met (kept in the history).
            stamp = self.stamp(ended)
            for row in need_rows:
                row[5], row[6], row[8] = stamp, self.user, stamp

    def episode(self, out, pid, role, lead, referred: date, in_home: bool) -> date | None:
        """Add an episode and its work; return the day it ended, or None while it is open."""
        rng, today, device = self.rng, self.today, self.device
        eid = self.new_id()
        worker = rng.choice(WORKERS[role])
        created = self.stamp(referred)
        fate = rng.random()
        row = {
            "status": "referred", "first_contact_date": None, "closure_date": None,
            "closure_reason": None, "updated_at": created,
        }
        goals: list[list] = []
        sessions_rows: list[tuple] = []
        if fate < 0.06:
            ended = min(today, referred + timedelta(days=7))
            row.update(status="declined", closure_date=ended.isoformat(),
                       updated_at=self.stamp(ended))
        elif fate < 0.14 and (today - referred).days < 30:
            ended = None  # referred recently, no contact yet
        else:
            day = referred + timedelta(days=rng.randrange(1, 12))
            if day > today:
                ended = None
            else:
                ended = self.work(out, pid, eid, role, worker, referred, day, in_home, goals,
                                  sessions_rows, row)
        out["episodes"].append((
            eid, pid, role, worker, referred.isoformat(),
            rng.choice(list(catalogue.REFERRAL_SOURCES)), rng.choice(REASONS[role]), lead,
            f'{{"lead": "{lead}"}}', int(lead == role), row["status"],
            row["first_contact_date"], row["closure_date"], row["closure_reason"],
            int(rng.random() < 0.9), created, row["updated_at"], device,
        ))
        for g in goals:
            out["goals"].append(tuple(g))
        out["sessions"].extend(sessions_rows)
        return ended

    def work(self, out, pid, eid, role, worker, referred, day, in_home, goals, sessions_rows,
             row) -> date | None:
        rng, today, device = self.rng, self.today, self.device
        titles = rng.sample(GOAL_TITLES[role], rng.choice((1, 1, 2, 2, 2, 3, 3, 4)))
        level = {}
        for title in titles:
            gid = self.new_id()
            baseline = rng.randrange(1, 5)
            level[gid] = baseline
            goals.append([gid, pid, eid, title, "", role, baseline,
                          (referred + timedelta(days=rng.randrange(60, 200))).isoformat(),
                          "active", None, self.stamp(day), self.stamp(day), device,
                          day.isoformat()])
        count = rng.randrange(3, 14)
        gap = rng.choice((7, 10, 14, 14, 21, 28))
        last_day = day
        for k in range(count):
            if day > today:
                break
            last = k == count - 1 or day + timedelta(days=gap) > today
            sid = self.new_id()
            created = self.stamp(day)
            follow = day + timedelta(days=rng.choice((7, 14, 14, 21, 28)))
            kind = "assessment" if k == 0 else ("review" if last else "follow_up")
            mode = "care_home_visit" if in_home and role == "cc" else rng.choice(
                list(catalogue.SESSION_MODES))
            sessions_rows.append((
                sid, pid, eid, day.isoformat(), role, kind, mode,
                rng.choice((20, 30, 30, 45, 60)), rng.choice(_SESSION_NOTES), worker,
                follow.isoformat(), created, created, device,
            ))
            if row["first_contact_date"] is None:
                row.update(first_contact_date=day.isoformat(), status="active",
                           updated_at=created)
            if role == "splw" and (k == 0 or last):
                out["outcome_measures"].append((
                    self.new_id(), pid, sid, day.isoformat(), rng.randrange(2, 9),
                    rng.randrange(2, 9), rng.randrange(2, 9), rng.randrange(1, 9), None,
                    created, created, device))
            for gid in level:
                if rng.random() < 0.3:
                    level[gid] = min(10, level[gid] + rng.choice((0, 1, 1, 2)))
                    out["goal_progress"].append((self.new_id(), gid, sid, day.isoformat(),
                                                 level[gid], "", created, created, device))
            if role == "splw" and rng.random() < 0.3:
                outcome, outcome_date = "pending", None
                if rng.random() < 0.7 and day + timedelta(days=14) <= today:
                    outcome = rng.choice(("attended", "attended", "did_not_attend",
                                          "declined"))
                    outcome_date = (day + timedelta(days=14)).isoformat()
                out["asset_referrals"].append((
                    self.new_id(), pid, rng.choice(self.assets), sid, day.isoformat(), outcome,
                    outcome_date, "", created, created, device))
            last_day = day
            day = day + timedelta(days=gap + rng.randrange(0, 4))
        ran_into_today = day > today
        if ran_into_today or ((today - last_day).days < 45 and rng.random() < 0.5):
            if rng.random() < 0.15:
                row.update(status="on_hold", updated_at=self.stamp(today))
            return None
        closed = last_day
        row.update(status="closed", closure_date=closed.isoformat(),
                   closure_reason=rng.choice(list(catalogue.CLOSURE_REASONS)),
                   updated_at=self.stamp(closed))
        for g in goals:  # met goals are achieved; the rest were stopped at closure
            g[8], g[9] = ("achieved", closed.isoformat()) if level[g[0]] >= 7 else (
                "stopped", None)
            g[11] = self.stamp(closed)
        return closed


def build_demo_bulk(store, people: int, seed: int = 1, today: date | None = None,
                    progress: Callable[[int, int], None] | None = None,
                    batch: int = BULK_BATCH) -> DemoSummary:
    """Fill an open, empty store with a large synthetic caseload, a batch at a time."""
    rng = random.Random(seed)
    today = today or date.today()
    store.new_id = _id_factory(seed)
    homes, assets = _demo_places(store)
    maker = _BulkPersonMaker(store, rng, today, homes, assets)
    counts = DemoSummary(0, 0, 0, 0)
    for start in range(0, people, batch):
        out: dict[str, list] = {table: [] for table in BULK_COLUMNS}
        for _ in range(start, min(people, start + batch)):
            maker.person(out)
        store.bulk_load(out, note=f"synthetic demo caseload (seed {seed}), people "
                                  f"{start + 1}-{start + len(out['people'])} of {people}")
        counts.people += len(out["people"])
        counts.episodes += len(out["episodes"])
        counts.sessions += len(out["sessions"])
        counts.goals += len(out["goals"])
        if progress:
            progress(counts.people, people)
    with store.batch():
        for home in homes:
            _demo_home_contacts(store, rng, today, home, maker.residents[home.id][:40])
    return counts


__all__ = ["build_demo", "build_demo_bulk", "demo_nhs_number"]
