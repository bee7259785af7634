"""`arrs bench`: how fast the window is on a large synthetic caseload, against its targets.

Every figure is the median of several runs. Query-backed figures are also timed as the
bare SQL returning the same rows on a bare connection to the same file (the floor), and the
ratio app / floor is reported. The caseload is encrypted, as every caseload the app makes
is (SQLCipher; its made-up passphrase beside it); `plain=True` (`arrs bench --plain`) builds
and measures a plain one, for the figures without encryption. The window parts run
offscreen and live in `arrs_desktop.ui`; this module imports no Qt itself.
"""

from __future__ import annotations

import os
import platform
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from arrs_desktop.domain.models import CaseloadFilter
from arrs_desktop.reports.report_set import report_set
from arrs_desktop.store.bench_floor import (
    FloorQueries,
    describe_caseload,
    people_on,
    pick_other_person,
    pick_person,
    reads_during,
)

# figure key -> (what it measures, target, unit). Targets are for 100,000 people.
FIGURES: dict[str, tuple[str, float, str]] = {
    "open_first_page_ms": ("open the file, show the window with the caseload's first page",
                           1500, "ms"),
    "caseload_first_page_ms": ("count and first page of the whole caseload (model reload)",
                               50, "ms"),
    "search_name_ms": ("search by a name fragment", 50, "ms"),
    "search_nhs_ms": ("search by NHS number", 50, "ms"),
    "filter_role_status_ms": ("filter by lead role and open status", 50, "ms"),
    "open_person_ms": ("open a person from another (header, the tab in view)", 50, "ms"),
    "open_person_from_empty_ms": ("open a person when no one is shown", 50, "ms"),
    "role_match_ms": ("role match for a person with every need", 1, "ms"),
    "session_write_ms": ("log a session (durable write)", 10, "ms"),
    "month_reports_ms": ("compute the month's reports", 1000, "ms"),
    "peak_memory_mb": ("peak memory of the bench process", 300, "MB"),
    "cold_start_ms": ("cold start of arrs-desktop to a shown window, empty file", 1000, "ms"),
    "sign_in_ms": ("sign in: Argon2id key derivation, unseal, open the file", 1000, "ms"),
}
# Figures with a bare-SQL floor: key -> floor key, ratio key.
FLOORED = ("open_first_page_ms", "caseload_first_page_ms", "search_name_ms", "search_nhs_ms",
           "filter_role_status_ms", "open_person_ms", "session_write_ms", "month_reports_ms")
RATIO_TARGET = 2.0
NAME_FRAGMENT = "kowal"


def floor_key(key: str) -> str:
    """Return the key of a figure's bare-SQL floor."""
    return key.replace("_ms", "_floor_ms")


def ratio_key(key: str) -> str:
    """Return the key of a figure's app/floor ratio."""
    return key.replace("_ms", "_ratio")


def figure_keys() -> list[str]:
    """Return every figure key the bench reports, floors and ratios included."""
    keys = list(FIGURES)
    for key in FLOORED:
        keys += [floor_key(key), ratio_key(key)]
    return keys


def bench_dir() -> Path:
    """Return the folder for bench caseloads: a cache folder, never the user's data."""
    home = os.environ.get("ARRS_HOME")
    if home:
        path = Path(home) / "cache" / "bench"
    else:
        import platformdirs

        path = Path(platformdirs.user_cache_dir("arrs-desktop", False)) / "bench"
    path.mkdir(parents=True, exist_ok=True)
    return path


class BenchError(Exception):
    """The bench cannot run on this file."""


def median_ms(func: Callable[[], float], runs: int) -> float:
    """Run `func` (returning seconds) `runs` times; return the median in milliseconds."""
    return statistics.median(func() for _ in range(max(1, runs))) * 1000


def _timed(func: Callable[[], object]) -> Callable[[], float]:
    def run() -> float:
        start = time.perf_counter()
        func()
        return time.perf_counter() - start
    return run





def bench_passphrase(path: Path) -> str:
    """Return the passphrase of an encrypted bench caseload: $ARRS_PASSPHRASE, else the
    made-up one `arrs demo` wrote beside it."""
    from arrs_desktop.access.secret_source import PASSPHRASE_ENV, read_secret_file

    given = os.environ.get(PASSPHRASE_ENV)
    if given:
        return given
    beside = path.with_name(path.name + ".passphrase")
    if not beside.exists():
        raise BenchError(f"{path} is encrypted: set ARRS_PASSPHRASE to its passphrase.")
    return read_secret_file(beside)


def sign_in_bench(path: Path, runs: int = 1):
    """Sign in to an encrypted bench caseload; return (session, median ms of a sign-in)."""
    from arrs_desktop.access.session import sign_in
    from arrs_desktop.security.errors import SecurityError
    from arrs_desktop.store import open_store

    passphrase = bench_passphrase(path)
    times, session = [], None
    for _ in range(max(1, runs)):
        if session is not None:
            session.end()
        start = time.perf_counter()
        try:
            session = sign_in(path, passphrase)
        except SecurityError as exc:
            raise BenchError(str(exc)) from None
        open_store(path, user="bench").close()
        times.append(time.perf_counter() - start)
    return session, statistics.median(times) * 1000


def prepare_caseload(people: int, db: str | None, log: Callable[[str], None],
                     plain: bool = False) -> Path:
    """Return a caseload file with at least `people` people, building it with `arrs demo`
    (encrypted unless `plain`); an encrypted one is signed in to."""
    from arrs_desktop.access.session import is_encrypted

    own = db is None
    name = f"bench-{people}.db" if plain else f"bench-{people}-encrypted.db"
    path = Path(db).expanduser() if db else bench_dir() / name
    if is_encrypted(path):
        if plain:
            raise BenchError(f"{path} is encrypted; leave out --plain, or give a plain file.")
        sign_in_bench(path)
    if path.exists():
        have = people_on(path)
        if have >= people:
            log(f"Reusing {path} ({have:,} people).")
            return path
        if not own:
            raise BenchError(f"{path} has {max(have, 0):,} people, fewer than {people:,}; "
                             "give a new file or leave out --db.")
        for suffix in ("", "-wal", "-shm", ".keys", ".passphrase"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    kind = "plain" if plain else "encrypted"
    log(f"Building a synthetic {kind} caseload of {people:,} people in {path} …")
    start = time.perf_counter()
    env = dict(os.environ)
    env.pop("ARRS_ALLOW_PLAIN", None)
    if plain:
        env["ARRS_ALLOW_PLAIN"] = "1"  # `arrs demo` makes a plain file only when told to
    done = subprocess.run(
        [sys.executable, "-m", "arrs_desktop.cli", "demo", "--db", str(path), "--people",
         str(people), "--bulk"],
        capture_output=True, text=True, env=env,
    )
    if done.returncode != 0:
        raise BenchError(f"arrs demo failed: {done.stderr.strip() or done.stdout.strip()}")
    log(f"Built in {time.perf_counter() - start:.1f} s: {done.stdout.splitlines()[0]}")
    if not plain:
        sign_in_bench(path)
    return path














def reports_available() -> bool:
    """Return whether this version can compute the month's reports (it can)."""
    return True





def _reports_callable(store) -> Callable[[], object] | None:
    """Return a call computing the month's reports."""
    from arrs_desktop.domain.periods import Period

    return lambda: report_set(store.reports, Period.this_month(date.today()))


def cold_start_ms(runs: int, work: Path, plain: bool = False) -> float:
    """Time `arrs-desktop --screenshot` on a new, empty caseload in a fresh process.

    Encrypted (unless `plain`): the caseload is made first, with one account, and the
    window signs in from --passphrase-file, so the figure includes the key derivation.
    """
    times = []
    for i in range(max(1, runs)):
        home = work / f"cold-{i}"
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ARRS_HOME": str(home)}
        env.pop("ARRS_DB", None)
        env.pop("ARRS_PASSPHRASE", None)
        env.pop("ARRS_ALLOW_PLAIN", None)
        db = home / "empty.db"
        signs_in: list[str] = []
        if plain:
            env["ARRS_ALLOW_PLAIN"] = "1"
        else:  # made by `arrs init` in a process of its own, as a user would make one
            home.mkdir(parents=True, exist_ok=True)
            secret = home / "passphrase"
            secret.write_text("cold start bench caseload\n", encoding="utf-8")
            signs_in = ["--passphrase-file", str(secret)]
            made = subprocess.run(
                [sys.executable, "-m", "arrs_desktop.cli", "init", "--db", str(db), "--user",
                 "Bench Worker", "--role", "splw", *signs_in],
                capture_output=True, text=True, env=env)
            if made.returncode != 0:
                raise BenchError(f"arrs init failed: {made.stderr.strip()}")
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "arrs_desktop.ui.shell.app", "--db", str(db), *signs_in,
             "--screenshot", str(home / "shown.png")],
            capture_output=True, text=True, env=env,
        )
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise BenchError(f"arrs-desktop failed to start: {done.stderr.strip()}")
    return statistics.median(times) * 1000


def run_bench(people: int, db: str | None = None, runs: int = 5,
              log: Callable[[str], None] = lambda _m: None, plain: bool = False) -> dict:
    """Measure every figure on a caseload of at least `people` people; return them.

    The caseload is encrypted unless `plain` (or a plain file is given as `db`)."""
    from arrs_desktop.access.session import is_encrypted
    from arrs_desktop.domain.catalogue import NEED_IDS
    from arrs_desktop.domain.matching import load_rules, match_roles
    from arrs_desktop.domain.models import Session, SessionEntry

    # Signing in first, before Qt loads, as the window does when given the passphrase: the
    # key derivation's 128 MiB then adds to a small process, not to the whole window.
    path = prepare_caseload(people, db, log, plain)
    encrypted = is_encrypted(path)
    work = Path(tempfile.mkdtemp(prefix="arrs-bench-"))
    saved_home = os.environ.get("ARRS_HOME")
    os.environ["ARRS_HOME"] = str(work / "home")  # settings and the like stay out of the way
    result: dict = {"people": people, "db": str(path), "runs": runs,
                    "encrypted": encrypted, "sign_in_ms": None}
    if encrypted:
        log("Timing signing in …")
        _session, result["sign_in_ms"] = sign_in_bench(path, min(runs, 3))
    from arrs_desktop.ui.shell.window_probe import WindowProbe

    try:
        try:
            person = pick_person(path)
        except LookupError as exc:
            raise BenchError(str(exc)) from None
        probe = WindowProbe()
        floor = FloorQueries(path)
        try:
            figures = _measure(probe, floor, path, person, runs, log, NEED_IDS, load_rules,
                               match_roles, Session, SessionEntry)
        finally:
            probe.close_window()
            floor.close()
        result.update(figures)
        log("Timing a cold start …")
        result["cold_start_ms"] = cold_start_ms(min(runs, 3), work, plain=not encrypted)
        result["peak_memory_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        result.update(describe_caseload(path))
    finally:
        if saved_home is None:
            os.environ.pop("ARRS_HOME", None)
        else:
            os.environ["ARRS_HOME"] = saved_home
    for key in FLOORED:
        app, bare = result.get(key), result.get(floor_key(key))
        result[ratio_key(key)] = (app / bare) if app is not None and bare else None
    result["machine"] = machine()
    return result


def _measure(probe, floor, path, person, runs, log, need_ids, load_rules, match_roles,
             session_cls, entry_cls) -> dict:
    out: dict = {}
    log("Opening the window …")
    probe.open_window(path)  # first open pays one-off costs (fonts, styles); not counted
    # Fold any write-ahead log left by building or upgrading the file back in, as a
    # caseload in daily use has only a small one.
    floor.checkpoint()
    out["open_first_page_ms"] = median_ms(lambda: probe.open_window(path), runs)
    store = probe.store
    whole = CaseloadFilter()
    out["open_first_page_floor_ms"] = median_ms(
        _timed(lambda: floor.open_first_page(path, store, whole)), runs)
    cases = {
        "caseload_first_page_ms": whole,
        "search_name_ms": CaseloadFilter(text=NAME_FRAGMENT),
        "search_nhs_ms": CaseloadFilter(text=person.nhs_number or "999"),
        "filter_role_status_ms": CaseloadFilter(role="cc", status="open"),
    }
    # The floor of each read figure replays the statements the app itself ran (traced,
    # parameters filled in) on a plain connection: the same rows, none of the app's work.
    for key, flt in cases.items():
        log(f"Timing {FIGURES[key][0]} …")
        out[key] = median_ms(lambda flt=flt: probe.time_filter(flt), runs)
        probe.leave_filter(flt)
        reads = reads_during(store, lambda flt=flt: probe.show_filter(flt))
        out[floor_key(key)] = median_ms(_timed(lambda reads=reads: floor.replay(reads)), runs)
    log("Timing opening a person …")
    # As when going down the list: another person is on screen, then this one is opened.
    other = pick_other_person(path, person.id)
    out["open_person_ms"] = median_ms(lambda: probe.time_open_person(person.id, other), runs)
    out["open_person_from_empty_ms"] = median_ms(lambda: probe.time_open_person(person.id),
                                                 runs)
    probe.show_person(other)
    reads = reads_during(store, lambda: probe.show_person(person.id))
    out["open_person_floor_ms"] = median_ms(_timed(lambda: floor.replay(reads)), runs)
    out["open_person_queries"] = len(reads)

    log("Timing the role match …")
    rules = load_rules(None).rules
    everything = frozenset(need_ids)
    out["role_match_ms"] = median_ms(_timed(lambda: match_roles(everything, rules)),
                                     max(runs, 200))

    log("Timing logging a session …")
    today = date.today()

    def session() -> object:
        return store.sessions.log(entry_cls(session_cls(
            person_id=person.id, episode_id=person.episode_id, date=today, role=person.role,
            kind="follow_up", mode="telephone", minutes=20, worker=person.worker,
            notes="Benchmark contact (synthetic caseload).")))
    out["session_write_ms"] = median_ms(lambda: probe.time_call(session), runs)
    stamp = today.isoformat() + "T12:00:00.000000+00:00"
    floor_row = {"person_id": person.id, "episode_id": person.episode_id,
                 "date": today.isoformat(), "role": person.role, "kind": "follow_up",
                 "mode": "telephone", "minutes": 20, "notes": "Benchmark floor.",
                 "worker": person.worker, "next_follow_up": None, "created_at": stamp,
                 "updated_at": stamp, "device_id": "bench"}
    out["session_write_floor_ms"] = median_ms(_timed(lambda: floor.write_session(floor_row)),
                                              runs)

    reports = _reports_callable(store)
    out["month_reports_ms"] = None
    out["month_reports_floor_ms"] = None
    if reports is not None:
        log("Timing the month's reports …")
        out["month_reports_ms"] = median_ms(_timed(reports), runs)
        reads = reads_during(store, reports)
        out["month_reports_floor_ms"] = median_ms(_timed(lambda: floor.replay(reads)), runs)
    return out





def machine() -> dict:
    """Describe this machine: processors, CPU model, memory, Python and SQLite."""
    cpu = platform.processor() or platform.machine()
    memory_mb = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory_mb = int(line.split()[1]) // 1024
                break
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory_mb": memory_mb,
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "system": platform.platform()}


def format_report(result: dict) -> str:
    """Return the figures as a plain-text table against their targets."""
    lines = [
        f"ARRS Desktop bench: {result['people']:,} people "
        f"({result['rows']['sessions']:,} sessions, {result['rows']['goals']:,} goals), "
        f"median of {result['runs']} runs",
        f"Database: {result['db']} ({result['db_size_mb']} MB, "
        f"{'encrypted' if result.get('encrypted') else 'plain'})",
        f"Machine: {result['machine']['cpus']} CPUs, {result['machine']['cpu']}, "
        f"{result['machine']['memory_mb']} MB RAM, SQLite {result['machine']['sqlite']}",
        "",
        f"{'figure':<27}{'value':>9}{'target':>8}  met{'floor':>9}{'ratio':>8}  ≤{RATIO_TARGET:g}",
    ]
    for key, (_what, target, unit) in FIGURES.items():
        value = result.get(key)
        floor = result.get(floor_key(key)) if key in FLOORED else None
        ratio = result.get(ratio_key(key)) if key in FLOORED else None
        if value is None:
            lines.append(f"{key:<27}{'not available':>17}")
            continue
        met = "yes" if value <= target else "NO "
        ratio_met = "" if ratio is None else ("yes" if ratio <= RATIO_TARGET else "NO")
        lines.append(
            f"{key:<27}{value:>9.2f}{target:>8g}  {met}"
            f"{(f'{floor:.2f}' if floor is not None else '-'):>9}"
            f"{(f'{ratio:.2f}' if ratio is not None else '-'):>8}  {ratio_met:<3} {unit}"
        )
    return "\n".join(lines)
