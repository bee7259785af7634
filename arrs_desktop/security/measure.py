"""Measure what encryption costs: key derivation, unlocking, and SQLCipher against plain SQLite.

``python -m arrs_desktop.security.measure [--rows N]`` prints the figures written in
docs/security-design.md. Rough by design: one machine, warm disk cache, the best of a few
runs (on a shared machine other work only ever adds time), and the median beside it where
it says something; the bench targets of the whole app are measured by ``arrs bench``.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from arrs_desktop.security import cipher
from arrs_desktop.security.data_key import DataKey
from arrs_desktop.security.kdf import DEFAULT_KDF, KdfParams, derive_key, new_salt
from arrs_desktop.security.keyfile import KeyFile
from arrs_desktop.security.recovery import RecoveryKey

Connector = Callable[[Path], sqlite3.Connection]


def _timings(action: Callable[[], object], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def _best_seconds(action: Callable[[], object], repeats: int) -> float:
    return min(_timings(action, repeats))


def measure_kdf(params: KdfParams = DEFAULT_KDF, repeats: int = 7) -> tuple[float, float]:
    """Return (best, median) seconds of one Argon2id derivation with ``params``."""
    salt = new_salt()
    times = _timings(lambda: derive_key(b"a passphrase of some length", salt, params), repeats)
    return min(times), statistics.median(times)


def measure_unlock(folder: Path, accounts: int, repeats: int = 5,
                   params: KdfParams = DEFAULT_KDF) -> tuple[float, float]:
    """Return (best, median) seconds to unlock by passphrase alone, the last account's, with
    ``accounts`` accounts and no hint, so every slot may be tried."""
    path = folder / f"unlock-{accounts}.db.keys"
    key_file, first, _ = KeyFile.create(path, name="Account 0", role="splw",
                                        passphrase="account 0 walks the long road", kdf=params)
    for n in range(1, accounts):
        key_file.add_account(first, name=f"Account {n}", role="cc",
                             passphrase=f"account {n} walks the long road", kdf=params)
    last = f"account {accounts - 1} walks the long road"
    times = _timings(lambda: KeyFile.load(path).unlock(last), repeats)
    return min(times), statistics.median(times)


def _stdlib(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path)


def _sqlcipher_plain(path: Path) -> sqlite3.Connection:
    if not path.exists():
        sqlite3.connect(path).close()
    return cipher.connect_plain(path, readonly=False)


def _sqlcipher_keyed(key: DataKey) -> Connector:
    def connect(path: Path) -> sqlite3.Connection:
        return cipher.connect(path, key, create=True)
    return connect


def measure_database(folder: Path, connect: Connector, rows: int,
                     cache_kib: int | None = None, writes: int = 200) -> dict[str, float]:
    """Return seconds for a few typical operations on a synthetic people table.

    Every connection is set up as the store sets up its own (WAL, synchronous FULL: each
    commit is on disk before it returns). ``cache_kib`` sets SQLite's page cache (default 2
    MiB); SQLCipher's cache holds decrypted pages, so a cache that holds the table makes
    repeated reads cost what plain ones do.
    """
    path = folder / f"{connect.__name__}-{rows}-{cache_kib}.db"

    def connect_tuned(target: Path) -> sqlite3.Connection:
        c = connect(target)
        c.execute("PRAGMA journal_mode = WAL")
        c.execute("PRAGMA synchronous = FULL")
        if cache_kib is not None:
            c.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
        return c

    conn = connect_tuned(path)
    conn.execute("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, nhs TEXT, "
                 "postcode TEXT, notes TEXT)")
    conn.execute("CREATE INDEX people_name ON people (name)")
    rng = random.Random(7)
    data = [(i, f"Person {rng.randrange(10**9):09d}", f"{rng.randrange(10**10):010d}",
             f"LS{rng.randrange(1, 30)} {rng.randrange(10)}AB", "note " * rng.randrange(5, 40))
            for i in range(rows)]
    out: dict[str, float] = {}
    start = time.perf_counter()
    with conn:
        conn.executemany("INSERT INTO people VALUES (?, ?, ?, ?, ?)", data)
    out["insert all rows (one transaction)"] = time.perf_counter() - start
    conn.close()
    ids = [rng.randrange(rows) for _ in range(2000)]

    def open_and_count() -> None:
        c = connect_tuned(path)
        c.execute("SELECT count(*) FROM people WHERE notes LIKE '%zzz%'").fetchone()
        c.close()

    out["open + full scan (cold page cache)"] = _best_seconds(open_and_count, 3)
    conn = connect_tuned(path)
    conn.execute("SELECT count(*) FROM people WHERE notes LIKE '%zzz%'").fetchone()
    out["full scan (warm)"] = _best_seconds(
        lambda: conn.execute("SELECT count(*) FROM people WHERE notes LIKE '%zzz%'").fetchone(),
        3)
    out["2,000 lookups by id"] = _best_seconds(
        lambda: [conn.execute("SELECT * FROM people WHERE id = ?", (i,)).fetchone()
                 for i in ids], 3)
    starts = [f"Person {rng.randrange(10**9):09d}"[:10] for _ in range(200)]
    out["200 name-range searches (index)"] = _best_seconds(
        lambda: [conn.execute("SELECT * FROM people WHERE name >= ? AND name < ? LIMIT 50",
                              (s, s + "~")).fetchall() for s in starts], 3)

    def small_writes() -> None:
        for i in ids[:writes]:
            with conn:
                conn.execute("UPDATE people SET notes = notes || 'x' WHERE id = ?", (i,))

    out[f"{writes} one-row write transactions"] = _best_seconds(small_writes, 3)
    conn.close()
    return out


def main(argv: list[str] | None = None) -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args(argv)
    print(f"SQLite (stdlib) {sqlite3.sqlite_version}; sqlcipher3 bundles SQLite "
          f"{cipher.SQLITE_VERSION}")
    best, median = measure_kdf()
    print(f"Argon2id {DEFAULT_KDF}: {best:.3f} s per derivation (best of 7; median {median:.3f})")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for accounts in (1, 2, 3, 4):
            best, median = measure_unlock(folder, accounts)
            print(f"unlock by passphrase alone, {accounts} account(s): {best:.3f} s "
                  f"(best of 5; median {median:.3f})")
        key = DataKey.from_recovery_key(RecoveryKey.generate())
        runs = {"stdlib": measure_database(folder, _stdlib, args.rows),
                "sqlcipher3 plain": measure_database(folder, _sqlcipher_plain, args.rows),
                "encrypted": measure_database(folder, _sqlcipher_keyed(key), args.rows),
                "encrypted 64MiB": measure_database(folder, _sqlcipher_keyed(key), args.rows,
                                                    cache_kib=64 * 1024)}
    print(f"\n{args.rows:,} rows, WAL, synchronous=FULL (milliseconds, best of 3):")
    names = list(runs)
    print(f"{'operation':38} " + " ".join(f"{n:>16}" for n in names))
    for operation in runs[names[0]]:
        print(f"{operation:38} " + " ".join(f"{runs[n][operation] * 1000:16.1f}"
                                           for n in names))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
