"""`arrs bench --team`: team sync timed against a PostgreSQL server the bench starts itself.

Figures and their targets:

- a day's work (200 changes: 50 people added, each seen once and edited twice) pushed by one
  laptop (its own changes pulled back too) ≤ 1 s, and pulled by another laptop ≤ 1 s;
- the longest pause of the window's UI thread while the window syncs in the background
  (a timer probe every 5 ms, during a pull of 2,000 changes) ≤ 50 ms;
- a new laptop joining a team of N people (default 100,000: the bench's synthetic caseload,
  about 24 rows a person, brought to the empty team by a laptop joining with it, which
  loads it at once: `server.seed`) ≤ 5 minutes; that first join is timed too.

The server is a throw-away one (initdb and pg_ctl in a temporary folder, loopback only,
fsync off), so the figures are the laptop's and the protocol's, not a remote network's.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

TARGETS = {"day_push_ms": 1000.0, "day_pull_ms": 1000.0, "ui_pause_ms": 50.0,
           "join_s": 300.0}


def run_team_bench(people: int = 100_000, runs: int = 5, *,
                   log: Callable[[str], None] = print, db: str | None = None
                   ) -> dict[str, Any]:
    """Start a server, measure every figure, stop the server; return the figures."""
    import psycopg

    from arrs_desktop.team import server
    from arrs_desktop.team.local_server import start_test_postgres

    pg = start_test_postgres()
    log(f"Local PostgreSQL started in {pg.started_in:.1f} s.")
    result: dict[str, Any] = {"people": people, "runs": runs}
    try:
        name = pg.create_database()
        admin = pg.admin_dsn(name)
        with psycopg.connect(admin) as conn:
            server.migrate(conn, f"{name}_team")
            for login in ("bench_ann", "bench_bob", "bench_new"):
                server.add_member(conn, login, f"{login}-password")
        urls = {login: pg.member_dsn(name, login, f"{login}-password")
                for login in ("bench_ann", "bench_bob", "bench_new")}
        folder = Path(tempfile.mkdtemp(prefix="arrs-team-bench-"))
        result.update(_day(folder, urls, runs, log))
        result.update(_ui_pause(folder, urls, log))
        seeded_name = pg.create_database()
        seeded_admin = pg.admin_dsn(seeded_name)
        with psycopg.connect(seeded_admin) as conn:
            server.migrate(conn, f"{seeded_name}_team")
            server.add_member(conn, "bench_join", "bench_join-password")
        result.update(_join(folder, seeded_admin,
                            pg.member_dsn(seeded_name, "bench_join", "bench_join-password"),
                            people, db, log))
    finally:
        pg.cleanup()
    result["met"] = {k: result.get(k) is not None and result[k] <= t
                     for k, t in TARGETS.items()}
    return result


def _laptop(folder: Path, name: str):
    from arrs_desktop.store import open_store

    return open_store(folder / f"{name}.db", user=f"Bench {name}", device_id=name)


def _day_of_work(store, day: int) -> None:
    from arrs_desktop.domain.models import Person, Session, SessionEntry

    for i in range(50):
        person = store.people.add(Person(name=f"Day {day} Person {i}",
                                         date_of_birth=date(1950, 1, 2)))
        store.sessions.log(SessionEntry(session=Session(
            person_id=person.id, date=date(2026, 1, 5), role="splw", kind="follow_up",
            mode="telephone", minutes=20, notes="Talked about the walking group")))
        store.people.set_what_matters(person.id, "Getting out of the house")
        store.people.set_what_matters(person.id, "Getting out of the house more often")


def _day(folder: Path, urls: dict[str, str], runs: int,
         log: Callable[[str], None]) -> dict[str, Any]:
    from arrs_desktop.app.operations import team as team_ops

    a, b = _laptop(folder, "day-a"), _laptop(folder, "day-b")
    try:
        team_ops.join_team(a, urls["bench_ann"])
        team_ops.join_team(b, urls["bench_bob"])
        pushes, pulls = [], []
        for day in range(runs):
            _day_of_work(a, day)
            waiting = a.team.waiting_count()
            began = time.perf_counter()
            pushed = team_ops.sync_team(a).value
            pushes.append((time.perf_counter() - began) * 1000)
            began = time.perf_counter()
            pulled = team_ops.sync_team(b).value
            pulls.append((time.perf_counter() - began) * 1000)
            if not (waiting == pushed.pushed == pulled.pulled == 200):
                raise RuntimeError(f"a day's work was {waiting} changes, {pushed.pushed}"
                                   f" pushed, {pulled.pulled} pulled (expected 200)")
        log(f"A day's work (200 changes): push {statistics.median(pushes):.0f} ms,"
            f" pull {statistics.median(pulls):.0f} ms (median of {runs}).")
        return {"day_push_ms": round(statistics.median(pushes), 1),
                "day_pull_ms": round(statistics.median(pulls), 1)}
    finally:
        a.close()
        b.close()


def _ui_pause(folder: Path, urls: dict[str, str], log: Callable[[str], None]
              ) -> dict[str, Any]:
    """The window syncs 2,000 changes in the background; a 5 ms timer probes the UI thread."""
    from arrs_desktop.app.operations import team as team_ops
    from arrs_desktop.ui.shell.sync_pause_probe import SyncPauseProbe

    source, shown = _laptop(folder, "ui-source"), _laptop(folder, "ui-window")
    try:
        team_ops.join_team(source, urls["bench_ann"])
        team_ops.join_team(shown, urls["bench_bob"])
        with source.transaction():
            for day in range(10):
                _day_of_work(source, 100 + day)
        team_ops.sync_team(source)
        before = shown.team.cursor()
        pause, took, probes, outcome = SyncPauseProbe(shown).measure()
        pulled = shown.team.cursor() - before
        log(f"Window syncing {pulled:,} changes in the background ({took:.1f} s, {outcome}):"
            f" longest UI-thread pause {pause:.0f} ms over {probes} probes.")
        return {"ui_pause_ms": round(pause, 1), "ui_sync_s": round(took, 2),
                "ui_pulled": pulled}
    finally:
        source.close()
        shown.close()


def _join(folder: Path, admin: str, member: str, people: int, db: str | None,
          log: Callable[[str], None]) -> dict[str, Any]:

    from arrs_desktop.app.operations import team as team_ops
    from arrs_desktop.store import open_store
    from arrs_desktop.tools.bench import prepare_caseload

    path = prepare_caseload(people, db, log)
    source = open_store(path, user="Bench", device_id="bench-source")
    try:
        rows = sum(source.table_counts().get(t, 0) for t in source.team.schema.tables)
        log(f"The caseload ({people:,} people, {rows:,} rows) joins the empty team…")
        began = time.perf_counter()
        seeded = team_ops.join_team(source, member).value.pushed
        seed_s = time.perf_counter() - began
        log(f"Joined with {seeded:,} rows in {seed_s:.0f} s.")
    finally:
        source.close()
    new = _laptop(folder, "new-laptop")
    try:
        log("A new laptop joins the team…")
        began = time.perf_counter()
        joined = team_ops.join_team(new, member).value
        join_s = time.perf_counter() - began
        have = new.people.count()
        log(f"Joined in {join_s:.0f} s ({joined.pulled:,} changes' rows, {have:,} people).")
        return {"join_s": round(join_s, 1), "join_rows": seeded, "seed_s": round(seed_s, 1),
                "join_people": have}
    finally:
        new.close()


def format_team_report(result: dict[str, Any]) -> str:
    """Return the team figures against their targets, one a line."""
    names = {"day_push_ms": "a day's work pushed (ms)", "day_pull_ms": "a day's work pulled (ms)",
             "ui_pause_ms": "longest UI pause during a sync (ms)",
             "join_s": f"new laptop joins {result['people']:,} people (s)"}
    lines = [f"ARRS Desktop team bench: local PostgreSQL, median of {result['runs']} runs"]
    for key, target in TARGETS.items():
        value = result.get(key)
        met = "yes" if result["met"].get(key) else "NO"
        lines.append(f"{names[key]:<40}{value if value is not None else '-':>10}"
                     f"{target:>10g}  {met}")
    return "\n".join(lines)
