"""The store's report queries give exactly the figures of a plain reference version.

Seeded random caseloads (the demo caseload plus extra episodes, sessions, scores and goals
with several workers per role, blank workers, closures, declines and deleted people) are
reported for every kind of period and for role and worker filters: every figure must equal
the one `tests/reports_reference.py` works out from the raw rows, and so every table.
"""

from __future__ import annotations

import contextlib
import random
from datetime import date, timedelta

import pytest

from arrs_desktop.domain import catalogue
from arrs_desktop.domain.models import Episode, Goal, Ons4, Session, SessionEntry
from arrs_desktop.domain.periods import PERIOD_KINDS, Period, ReportFilter
from arrs_desktop.domain.validation import ValidationError
from arrs_desktop.reports.report_set import report_set
from arrs_desktop.tools.demo import build_demo
from tests.db_helpers import sql_rows
from tests.reports_reference import ReferenceReports

TODAY = date.today()
WORKERS = ("Wendy", "wendy b", "", "Xavier", "Zoë")


def _day(rng: random.Random, since: date) -> date:
    return since + timedelta(days=rng.randint(0, max(0, (TODAY - since).days)))


def add_variety(store, rng: random.Random, people: int) -> None:
    """Add episodes, sessions, scores and goals the demo does not make, through the store."""
    ids = [r["id"] for r in sql_rows(store, "SELECT id FROM people ORDER BY id")]
    for person in rng.sample(ids, min(people, len(ids))):
        # Mostly the same role and worker again, so people come back to a worker.
        usual = (rng.choice(catalogue.ROLE_CODES), rng.choice(WORKERS))
        for _ in range(rng.randint(1, 4)):
            role, worker = usual if rng.random() < 0.7 else (
                rng.choice(catalogue.ROLE_CODES), rng.choice(WORKERS))
            referred = TODAY - timedelta(days=rng.randint(0, 400))
            try:
                episode = store.episodes.open(Episode(
                    person_id=person, role=role, worker=worker, referral_date=referred,
                    referral_source=rng.choice(list(catalogue.REFERRAL_SOURCES)),
                    referral_reason=rng.choice(("", "  ", "Lonely", "lonely", "Money"))))
            except ValidationError:
                continue
            for _ in range(rng.randint(0, 4)):
                # Some missed contacts (did not attend / no answer): no scores, few minutes.
                missed = rng.random() < 0.2
                scored = not missed and rng.random() < 0.7
                store.sessions.log(SessionEntry(
                    session=Session(
                        person_id=person, date=_day(rng, referred),
                        role=rng.choice((episode.role, *catalogue.ROLE_CODES)),
                        kind=catalogue.DID_NOT_ATTEND if missed else "follow_up",
                        mode="telephone",
                        minutes=rng.choice((None, 0, 5) if missed else (0, 20, 45)),
                        worker=rng.choice(WORKERS),
                        episode_id=rng.choice((episode.id, episode.id, None))),
                    ons4=Ons4(*(rng.randint(0, 10) for _ in range(4))) if scored else None,
                    swemwbs_raw=rng.choice((None, 14, 28)) if not scored and not missed
                    else None,
                ))
            if rng.random() < 0.5:
                goal = Goal(person_id=person, title="Walk to the shops",
                            owner_role=rng.choice(catalogue.ROLE_CODES), baseline=3,
                            episode_id=rng.choice((episode.id, None)),
                            set_date=_day(rng, referred),
                            status=rng.choice(("active", "achieved")))
                if goal.status == "achieved":
                    goal = Goal(**{**goal.__dict__, "achieved_date": _day(rng, goal.set_date)})
                store.goals.add(goal)
            ending = rng.choice((None, "closed", "closed", "declined"))
            # A declined referral may be dated before it was made; a move the episode's
            # status does not allow is refused and skipped.
            if ending:
                with contextlib.suppress(ValidationError):
                    store.episodes.change_status(
                        episode.id, ending, on=_day(rng, referred - timedelta(days=9)),
                        closure_reason=rng.choice(list(catalogue.CLOSURE_REASONS))
                        if ending == "closed" else None)
    if ids and rng.random() < 0.7:
        store.people.delete(rng.choice(ids))


def periods(rng: random.Random) -> list[Period]:
    """Every kind of period around today, plus custom ones: long, one day, long ago."""
    out = [Period.of_kind(kind, TODAY) for kind in PERIOD_KINDS if kind != "custom"]
    start = TODAY - timedelta(days=rng.randint(30, 500))
    out += [
        Period.custom(start, TODAY),
        Period.custom(TODAY, TODAY),
        Period.custom(start, start + timedelta(days=rng.randint(0, 40))),
        Period.custom(date(2001, 1, 1), date(2001, 3, 31)),  # nothing recorded then
    ]
    return out


def filters(store) -> list[ReportFilter]:
    """No filter, each role, and each worker (named or blank) with and without a role."""
    out = [ReportFilter()] + [ReportFilter(role=r) for r in catalogue.ROLE_CODES]
    for worker in (*store.reports.workers(), "", "Nobody"):
        out += [ReportFilter(worker=worker), ReportFilter(role="splw", worker=worker)]
    return out


QUESTIONS = ("caseload", "contacts", "contacts_by_month", "goals", "referrals", "closures",
             "ons4_change", "sp_referral_code")


def assert_same_figures(store, reference: ReferenceReports, period: Period,
                        filt: ReportFilter) -> None:
    """Every figure the store gives equals the plain reference's, and so every table."""
    what = f"{period} {filt}"
    for question in QUESTIONS:
        assert getattr(store.reports, question)(period, filt) == \
            getattr(reference, question)(period, filt), f"{what}: {question}"
    assert store.reports.care_homes(period, filt, TODAY) == \
        reference.care_homes(period, filt, TODAY), f"{what}: care_homes"
    assert report_set(store.reports, period, filt, today=TODAY) == \
        report_set(reference, period, filt, today=TODAY), what


@pytest.mark.parametrize(("people", "extra", "seed"), [
    (0, 0, 1),     # nothing recorded at all
    (1, 1, 2),     # one person
    (4, 4, 3),
    (25, 10, 4),
    (40, 20, 5),
])
def test_report_figures_match_the_plain_reference(store, people, extra, seed):
    rng = random.Random(seed)
    if people:
        build_demo(store, people, seed=seed, today=TODAY)
    add_variety(store, rng, extra)
    reference = ReferenceReports(store)
    assert store.reports.workers() == reference.workers()
    for period in periods(rng):
        for filt in filters(store):
            assert_same_figures(store, reference, period, filt)


def test_reference_agrees_on_the_hand_checked_fixture(store):
    from tests.fixture_caseload import OCTOBER, build_fixture

    build_fixture(store)
    assert_same_figures(store, ReferenceReports(store), OCTOBER, ReportFilter())


def test_report_queries_read_the_report_indexes(store):
    build_demo(store, 20, seed=9, today=TODAY)
    plans: list[str] = []
    conn = store.db.conn

    def explain(sql: str) -> None:
        if sql.lstrip().upper().startswith(("SELECT", "WITH")):
            plans.append(" | ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql)))

    conn.set_trace_callback(explain)
    try:
        report_set(store.reports, Period.this_month(TODAY), today=TODAY)
    finally:
        conn.set_trace_callback(None)
    text = "\n".join(plans)
    assert "COVERING INDEX episodes_report_open (closure_date=? AND referral_date<?)" in text
    assert "COVERING INDEX episodes_report_open (closure_date>?)" in text
    assert "COVERING INDEX episodes_report_first_contact (first_contact_date>?" in text
    assert "COVERING INDEX sessions_person_role (person_id=? AND id=?)" in text
    assert "COVERING INDEX sessions_report_kind (date>? AND date<?)" in text
    assert "SCAN episodes" not in text and "SCAN sessions" not in text, text
