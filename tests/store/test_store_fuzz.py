"""Fuzz the store API: any input is saved or refused with ValidationError, and a refused
write changes nothing at all."""

from __future__ import annotations

import string
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arrs_desktop.domain import catalogue
from arrs_desktop.domain.models import (
    AssetReferral,
    CareHome,
    CareHomeContact,
    CommunityAsset,
    Episode,
    Goal,
    GoalProgress,
    GpCode,
    Ons4,
    Person,
    Session,
    SessionEntry,
)
from arrs_desktop.store import ValidationError, open_store

FUZZ = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

NASTY_TEXT = st.sampled_from([
    "", " ", "'); DROP TABLE people;--", "<b>x</b>", "\x00", "a\x07b", "line\nbreak",
    "\u202eevil", "\ud800", "x" * 4001, "é" * 121, "%_\\", "NULL", "9434765919",
    "943 476 5919", "943-476-5918", "LS1 4AP", "SW1A1AA", "2026-02-30", "1899-12-31",
    "2999-01-01", "ok",
])
ANY = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30), NASTY_TEXT,
    st.dates(min_value=date(1800, 1, 1), max_value=date(2200, 12, 31)),
    st.datetimes(min_value=datetime(1800, 1, 1), max_value=datetime(2200, 1, 1)),
    st.lists(st.text(max_size=5), max_size=3), st.just(b"bytes"), st.just({"a": 1}),
    st.just(object()),
)


def maybe(valid):
    """Mostly garbage, sometimes a valid value (so later checks are reached too)."""
    return st.one_of(valid, ANY)


def codes(mapping):
    return maybe(st.sampled_from(list(mapping)))


SCORE = maybe(st.integers(min_value=0, max_value=10))
PAST = maybe(st.dates(min_value=date(1990, 1, 1), max_value=date.today()))
NAME = maybe(st.text(alphabet=string.ascii_letters + " '-", min_size=1, max_size=30))


def dump(store) -> dict:
    """Return every row of every table (the whole file's content)."""
    conn = store.db.conn
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {n: sorted(map(repr, conn.execute(f'SELECT * FROM "{n}"'))) for n in names}


def attempt(store, write) -> bool:
    """Run a write; a refusal must be a ValidationError that changed nothing."""
    before = dump(store)
    try:
        write()
    except ValidationError as exc:
        assert exc.errors and all(isinstance(k, str) and v for k, v in exc.errors.items())
        assert dump(store) == before, "a refused write changed the file"
        return False
    assert not store.db.conn.in_transaction
    return True


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory):
    """One file with a person, goal, episode, home, asset and session to point at."""
    store = open_store(tmp_path_factory.mktemp("fuzz") / "fuzz.db", user="Fuzzer",
                       device_id="fuzz")
    home = store.care_homes.add(CareHome(name="Fuzz Home"))
    asset = store.community.add_asset(CommunityAsset(name="Fuzz Club", category="befriending"))
    person = store.people.add(Person(name="Fuzz Person", care_home_id=home.id))
    episode = store.episodes.open(Episode(person_id=person.id, role="splw",
                                         referral_date=date(2025, 1, 1), referral_source="gp"))
    goal = store.goals.add(Goal(person_id=person.id, title="Fuzz goal", owner_role="splw",
                               baseline=1))
    session = store.sessions.log(SessionEntry(Session(
        person_id=person.id, date=date(2025, 2, 1), role="splw", kind="review",
        mode="telephone", minutes=10)))
    referral = store.community.refer(AssetReferral(person_id=person.id, asset_id=asset.id,
                                                  referred_on=date(2025, 2, 1)))
    store.ids = {"home": home.id, "asset": asset.id, "person": person.id,
                 "episode": episode.id, "goal": goal.id, "session": session.id,
                 "referral": referral.id}
    yield store
    store.close()


def ref(kind):
    """A strategy for an id: the real one of this kind, another kind's, or garbage."""
    return st.one_of(st.sampled_from([kind]).map(lambda k: ("id", k)),
                     st.sampled_from(["home", "asset", "person", "episode", "goal"]).map(
                         lambda k: ("id", k)),
                     ANY.map(lambda v: ("raw", v)))


def resolve(store, value):
    kind, v = value
    return store.ids[v] if kind == "id" else v


@FUZZ
@given(data=st.data())
def test_fuzz_people(fuzz_store, data):
    s = fuzz_store
    person = Person(
        name=data.draw(NAME), date_of_birth=data.draw(PAST), nhs_number=data.draw(ANY),
        address=data.draw(ANY), postcode=data.draw(ANY), gender=data.draw(codes(
            catalogue.GENDERS)), ethnicity=data.draw(ANY), phone=data.draw(ANY),
        gp_practice=data.draw(ANY), care_home_id=resolve(s, data.draw(ref("home"))),
        preferred_contact=data.draw(codes(catalogue.PREFERRED_CONTACT)),
        what_matters=data.draw(ANY),
    )
    allow = data.draw(st.booleans())
    if data.draw(st.booleans()):
        attempt(s, lambda: s.people.add(person, allow_duplicate=allow))
    else:
        target = resolve(s, data.draw(ref("person")))
        attempt(s, lambda: s.people.update(Person(**{**person.__dict__, "id": target}),
                                           allow_duplicate=allow))
    attempt(s, lambda: s.people.set_what_matters(resolve(s, data.draw(ref("person"))),
                                          data.draw(ANY)))
    attempt(s, lambda: s.needs.set(resolve(s, data.draw(ref("person"))), data.draw(
        st.one_of(st.lists(st.one_of(st.sampled_from(catalogue.NEED_IDS), ANY), max_size=4),
                  ANY))))


@FUZZ
@given(data=st.data())
def test_fuzz_goals(fuzz_store, data):
    s = fuzz_store
    goal = Goal(person_id=resolve(s, data.draw(ref("person"))), title=data.draw(NAME),
                owner_role=data.draw(codes(dict.fromkeys(catalogue.ROLE_CODES))),
                baseline=data.draw(SCORE), what_matters=data.draw(ANY),
                target_date=data.draw(maybe(st.dates())),
                status=data.draw(codes(catalogue.GOAL_STATUSES)),
                episode_id=resolve(s, data.draw(ref("episode"))),
                set_date=data.draw(maybe(PAST)), achieved_date=data.draw(maybe(PAST)))
    if data.draw(st.booleans()):
        attempt(s, lambda: s.goals.add(goal))
    else:
        target = resolve(s, data.draw(ref("goal")))
        attempt(s, lambda: s.goals.update(Goal(**{**goal.__dict__, "id": target})))
    attempt(s, lambda: s.goals.add_progress(GoalProgress(
        goal_id=resolve(s, data.draw(ref("goal"))), date=data.draw(PAST),
        score=data.draw(SCORE), note=data.draw(ANY),
        session_id=resolve(s, data.draw(ref("session"))))))


@FUZZ
@given(data=st.data())
def test_fuzz_sessions(fuzz_store, data):
    s = fuzz_store
    session = Session(
        person_id=resolve(s, data.draw(ref("person"))), date=data.draw(PAST),
        role=data.draw(codes(dict.fromkeys(catalogue.ROLE_CODES))),
        kind=data.draw(codes(catalogue.SESSION_KINDS)),
        mode=data.draw(codes(catalogue.SESSION_MODES)),
        minutes=data.draw(maybe(st.integers(0, 700))), notes=data.draw(ANY),
        worker=data.draw(ANY), episode_id=resolve(s, data.draw(ref("episode"))),
        next_follow_up=data.draw(maybe(st.dates())))
    ons4 = data.draw(st.one_of(st.none(), ANY, st.builds(Ons4, SCORE, SCORE, SCORE, SCORE)))
    goal_scores = data.draw(st.one_of(
        st.lists(st.tuples(st.sampled_from(["goal", "person"]).map(lambda k: s.ids[k]), SCORE,
                           ANY), max_size=2).map(tuple),
        st.lists(ANY, max_size=2).map(tuple), ANY))
    referrals = data.draw(st.one_of(
        st.lists(st.sampled_from(["asset", "person"]).map(lambda k: s.ids[k]),
                 max_size=2).map(tuple), ANY))
    entry = SessionEntry(session=session, ons4=ons4,
                         swemwbs_raw=data.draw(maybe(st.integers(0, 40))),
                         goal_scores=goal_scores, asset_referrals=referrals)
    attempt(s, lambda: s.sessions.log(entry))


@FUZZ
@given(data=st.data())
def test_fuzz_care_homes(fuzz_store, data):
    s = fuzz_store
    home = CareHome(name=data.draw(NAME), address=data.draw(ANY), phone=data.draw(ANY),
                    practice=data.draw(ANY), clinical_lead=data.draw(ANY),
                    lead_worker=data.draw(ANY))
    if data.draw(st.booleans()):
        attempt(s, lambda: s.care_homes.add(home))
    else:
        target = resolve(s, data.draw(ref("home")))
        attempt(s, lambda: s.care_homes.update(CareHome(**{**home.__dict__, "id": target})))
    contact = CareHomeContact(
        care_home_id=resolve(s, data.draw(ref("home"))), date=data.draw(PAST),
        kind=data.draw(codes(catalogue.CARE_HOME_CONTACT_KINDS)), actions=data.draw(ANY),
        next_due=data.draw(maybe(st.dates())), worker=data.draw(ANY),
        residents=data.draw(st.one_of(
            st.lists(st.sampled_from(["person", "goal"]).map(lambda k: s.ids[k]),
                     max_size=2).map(tuple), ANY)))
    attempt(s, lambda: s.care_homes.log_contact(contact))


@FUZZ
@given(data=st.data())
def test_fuzz_assets_and_referrals(fuzz_store, data):
    s = fuzz_store
    asset = CommunityAsset(name=data.draw(NAME), category=data.draw(codes(
        catalogue.ASSET_CATEGORIES)), contact=data.draw(ANY), address=data.draw(ANY),
        notes=data.draw(ANY), active=data.draw(ANY))
    if data.draw(st.booleans()):
        attempt(s, lambda: s.community.add_asset(asset))
    else:
        target = resolve(s, data.draw(ref("asset")))
        attempt(s, lambda: s.community.update_asset(
            CommunityAsset(**{**asset.__dict__, "id": target})))
    referral = AssetReferral(person_id=resolve(s, data.draw(ref("person"))),
                             asset_id=resolve(s, data.draw(ref("asset"))),
                             referred_on=data.draw(PAST),
                             session_id=resolve(s, data.draw(ref("session"))))
    attempt(s, lambda: s.community.refer(referral))
    attempt(s, lambda: s.community.set_outcome(
        resolve(s, data.draw(ref("referral"))),
        data.draw(codes(catalogue.REFERRAL_OUTCOMES)), on=data.draw(maybe(PAST)),
        notes=data.draw(ANY)))


@FUZZ
@given(data=st.data())
def test_fuzz_episodes(fuzz_store, data):
    s = fuzz_store
    episode = Episode(
        person_id=resolve(s, data.draw(ref("person"))),
        role=data.draw(codes(dict.fromkeys(catalogue.ROLE_CODES))),
        referral_date=data.draw(PAST),
        referral_source=data.draw(codes(catalogue.REFERRAL_SOURCES)),
        referral_reason=data.draw(ANY), worker=data.draw(ANY),
        suggested_role=data.draw(codes(dict.fromkeys(catalogue.ROLE_CODES))),
        suggestion=data.draw(st.one_of(st.dictionaries(st.text(max_size=5), ANY, max_size=3),
                                       ANY)),
        followed_suggestion=data.draw(ANY), share_with_gp=data.draw(ANY))
    attempt(s, lambda: s.episodes.open(episode))
    attempt(s, lambda: s.episodes.change_status(
        resolve(s, data.draw(ref("episode"))),
        data.draw(codes(catalogue.EPISODE_STATUSES)), on=data.draw(maybe(PAST)),
        closure_reason=data.draw(codes(catalogue.CLOSURE_REASONS))))
    attempt(s, lambda: s.episodes.set_consent(resolve(s, data.draw(ref("episode"))),
                                             data.draw(ANY)))


@FUZZ
@given(data=st.data())
def test_fuzz_gp_codes(fuzz_store, data):
    s = fuzz_store
    code = GpCode(code=data.draw(maybe(st.from_regex(r"\A[0-9]{6,18}\Z"))),
                  term=data.draw(NAME), applies_to=data.draw(ANY))
    added = attempt(s, lambda: s.gp_codes.add(code))
    shipped = ["shipped-" + c.code for c in s.gp_codes.all() if c.shipped][:1]
    target = data.draw(st.one_of(ANY, st.sampled_from(shipped or [""])))
    attempt(s, lambda: s.gp_codes.remove(target))
    if added:
        mine = [c for c in s.gp_codes.all() if not c.shipped]
        attempt(s, lambda: s.gp_codes.remove(mine[0].id))


@pytest.mark.parametrize("text", ["'); DROP TABLE people;--", "<b>x</b>",
                                  "Robert'); DELETE FROM audit_log;--"])
def test_sql_and_markup_are_stored_verbatim(store, text):
    person = store.people.add(Person(name=text, what_matters=text))
    again = store.people.get(person.id)
    assert again.name == text and again.what_matters == text
    asset = store.community.add_asset(CommunityAsset(name=text, category="advice", notes=text))
    assert store.community.get_asset(asset.id).notes == text
    assert store.community.search(text)[0].name == text
    assert store.table_counts()["people"] == 1
