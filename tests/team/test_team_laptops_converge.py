"""Three laptop caseload files and one real PostgreSQL: random offline work, random syncs.

Each laptop works through the app's own operations (people added and edited, episodes and
their status moves, sessions, erasures, merges of possible duplicates), syncs when the
state machine says so and otherwise works offline. At the end every laptop syncs until
quiet: all hold identical tables, conflicts and duplicates, and every confirmed change is in
force, replaced by one that saw it, listed as a conflict, or gone with an erased person.
"""

from __future__ import annotations

import contextlib
import os
from datetime import date
from pathlib import Path

import psycopg
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule

from arrs_desktop.app.operations import people as people_ops
from arrs_desktop.app.operations import team as team_ops
from arrs_desktop.domain.models import Episode, Person, Session, SessionEntry
from arrs_desktop.domain.validation import ValidationError
from arrs_desktop.store import StoreConflictError, open_store
from arrs_desktop.team import server
from arrs_desktop.team.merge import conflicts_of
from tests.team.caseloads import caseload_of
from tests.team.team_sim import SCHEMA

NAMES = ["Ada Lovelace", "Grace Hopper", "Alan Turing"]
NHS = [None, "9434765919", "9434765870"]
WORDS = ["My garden", "Seeing friends", "Walking again", ""]
MOVES = ["active", "on_hold", "closed", "declined"]
pick = st.integers(min_value=0, max_value=50)


class TeamOfLaptopFiles(RuleBasedStateMachine):
    """Three caseload files joined to one team on the test run's PostgreSQL."""

    pg = None  # set by the test below
    folder: Path | None = None
    made = 0

    @initialize()
    def start(self) -> None:
        cls = type(self)
        cls.made += 1
        pg = cls.pg
        dbname = pg.create_database()
        self.admin = pg.admin_dsn(dbname)
        with psycopg.connect(self.admin) as conn:
            server.migrate(conn, f"{dbname}_team")
            for who in "abc":
                server.add_member(conn, f"{dbname}_{who}", f"{who}-password")
        assert cls.folder is not None
        self.laptops = []
        for who in "abc":
            store = open_store(cls.folder / f"{cls.made}-{who}.db", user=f"Worker {who}",
                               device_id=f"laptop-{who}")
            team_ops.join_team(store, pg.member_dsn(dbname, f"{dbname}_{who}",
                                                    f"{who}-password"))
            self.laptops.append(store)

    def _laptop(self, i: int):
        return self.laptops[i % 3]

    def _people(self, store) -> list[str]:
        return [r[0] for r in store.conn.execute(
            "SELECT id FROM people WHERE deleted_at IS NULL ORDER BY id")]

    def _try(self, operation, *args, **kwargs) -> None:
        # A refusal (as in the window) writes nothing.
        with contextlib.suppress(ValidationError, StoreConflictError):
            operation(*args, **kwargs)

    @rule(i=pick, name=pick, nhs=pick)
    def add_person(self, i: int, name: int, nhs: int) -> None:
        store = self._laptop(i)
        self._try(people_ops.add_person, store, Person(
            name=NAMES[name % 3], date_of_birth=date(1950, 1, 1 + name % 3),
            nhs_number=NHS[nhs % 3]), allow_duplicate=True)

    @rule(i=pick, who=pick, words=pick)
    def edit_what_matters(self, i: int, who: int, words: int) -> None:
        store = self._laptop(i)
        people = self._people(store)
        if people:
            self._try(people_ops.set_what_matters, store, people[who % len(people)],
                      WORDS[words % len(WORDS)])

    @rule(i=pick, who=pick)
    def episode_and_session(self, i: int, who: int) -> None:
        store = self._laptop(i)
        people = self._people(store)
        if people:
            person = people[who % len(people)]
            self._try(store.episodes.open, Episode(person_id=person, role="splw",
                                                   referral_date=date(2026, 1, 2),
                                                   referral_source="gp"))
            self._try(store.sessions.log, SessionEntry(session=Session(
                person_id=person, date=date(2026, 1, 5), role="splw", kind="follow_up",
                mode="telephone", minutes=15, notes="a visit")))

    @rule(i=pick, which=pick, move=pick)
    def move_episode(self, i: int, which: int, move: int) -> None:
        store = self._laptop(i)
        episodes = [r[0] for r in store.conn.execute("SELECT id FROM episodes ORDER BY id")]
        if episodes:
            self._try(store.episodes.change_status, episodes[which % len(episodes)],
                      MOVES[move % len(MOVES)], on=date(2026, 1, 6),
                      closure_reason="goals_met")

    @rule(i=pick, who=pick, chance=pick)
    def erase_person(self, i: int, who: int, chance: int) -> None:
        store = self._laptop(i)
        people = self._people(store)
        if people and chance % 4 == 0:
            self._try(people_ops.erase_person, store, people[who % len(people)], "Asked")

    @rule(i=pick)
    def merge_a_duplicate(self, i: int) -> None:
        store = self._laptop(i)
        pairs = store.team.possible_duplicates()
        if pairs:
            self._try(team_ops.merge_people, store, pairs[0].first_id, pairs[0].second_id)

    @rule(i=pick)
    def sync(self, i: int) -> None:
        team_ops.sync_team(self._laptop(i), page=7)

    def teardown(self) -> None:
        laptops = getattr(self, "laptops", [])
        try:
            if not laptops:
                return
            for _ in range(2):
                for store in laptops:
                    team_ops.sync_team(store)
            first = caseload_of(laptops[0])
            for store in laptops[1:]:
                assert caseload_of(store) == first
            assert [store.team.possible_duplicates() for store in laptops[1:]] == [
                laptops[0].team.possible_duplicates()] * 2
            for store in laptops:
                assert store.team.waiting_count() == 0
            with psycopg.connect(self.admin) as conn:
                state = server.server_rows(conn)
                entries = [e for page in server.pull_all(conn, 0) for e in page.entries]
            from tests.team.test_team_convergence import _every_change_kept

            _every_change_kept(state, entries)
            listed = {(c.table, c.row_id, c.column, c.change_id)
                      for c in conflicts_of(state, SCHEMA)}
            assert listed == set(laptops[0].conn.execute(
                "SELECT table_name, row_id, column_name, change_id FROM team_conflicts"))
        finally:
            for store in laptops:
                store.close()


def test_three_laptop_files_converge_and_lose_no_change(pg_server, tmp_path_factory):
    TeamOfLaptopFiles.pg = pg_server
    TeamOfLaptopFiles.folder = tmp_path_factory.mktemp("laptops")
    TeamOfLaptopFiles.TestCase.settings = settings(
        max_examples=int(os.environ.get("ARRS_TEAM_FILE_EXAMPLES", "12")),
        stateful_step_count=25, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        derandomize=os.environ.get("ARRS_TEAM_RANDOM") != "1")  # fixed examples in the suite
    TeamOfLaptopFiles.TestCase().runTest()
